import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { createUser, testPassword } from "../testing/factories";
import { call } from "../testing/http";

// Per-address counting needs a client address we can trust: with nginx in
// front (TRUST_PROXY=true) that is X-Real-IP.
describe("login rate limit per client address", () => {
  beforeEach(() => {
    process.env.TRUST_PROXY = "true";
  });
  afterEach(() => {
    delete process.env.TRUST_PROXY;
  });

  const attempt = (username: string, password: string, ip: string) =>
    call(login, { body: { username, password }, headers: { "x-real-ip": ip }, idempotencyKey: "none" });

  it("stops one address spraying a password over many accounts, and only that address", async () => {
    const victim = await createUser({ role: "purchasing" });
    // 20 failures, spread over accounts so that no single account reaches its own limit.
    for (let i = 0; i < 20; i++) {
      const res = await attempt(`nobody-${i % 5}-${victim.username}`, "guess", "198.51.100.7");
      expect(res.status).toBe(401);
    }
    const blocked = await attempt(victim.username, testPassword, "198.51.100.7");
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe("too_many_requests");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);

    const otherAddress = await attempt(victim.username, testPassword, "198.51.100.8");
    expect(otherAddress.status).toBe(200);
  });

  it("without a trusted address, failures from everyone never lock everyone out", async () => {
    delete process.env.TRUST_PROXY;
    const user = await createUser({ role: "planner" });
    for (let i = 0; i < 30; i++) {
      await attempt(`stranger-${i}-${user.username}`, "guess", "203.0.113.9");
    }
    const res = await attempt(user.username, testPassword, "203.0.113.9");
    expect(res.status).toBe(200);
  });
});
