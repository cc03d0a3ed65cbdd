import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/server/auth/create-api-token";
import { pool } from "@/server/db";
import { createItem, createUser, testPassword } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import { POST as login } from "../../auth/login/route";
import { POST as reserve } from "../../reservations/route";
import { GET as audit } from "./route";

// The admin's audit view: filters by actor, action (or a prefix) and time,
// newest first, one page at a time.

let admin: Awaited<ReturnType<typeof actor>>;
let buyer: Awaited<ReturnType<typeof createUser>>;
const query = (params: Record<string, string>) =>
  call(audit, { token: admin.token, path: `/api/admin/audit?${new URLSearchParams(params)}` });
type Entry = { id: string; action: string; actor: { username: string } | null; at: string };

beforeAll(async () => {
  admin = await actor("admin");
  buyer = await createUser({ role: "purchasing" });
  await call(login, { body: { username: buyer.username, password: "not it" } });
  await call(login, { body: { username: buyer.username, password: testPassword } });
  const item = await createItem({ stockQty: 50 });
  const { token } = await createApiToken({ userId: buyer.id, name: "buyer script" });
  for (const orderRef of ["SO-A1", "SO-A2", "SO-A3"]) {
    expect((await call(reserve, { token, body: { orderRef, lines: [{ itemId: item.id, qty: 1 }] } })).status).toBe(201);
  }
});

describe("the audit log", () => {
  it("shows one person's actions newest first, in words, with what they concerned", async () => {
    const res = await query({ actor: buyer.username });
    expect(res.status).toBe(200);
    expect(res.body.entries.map((e: Entry) => e.action)).toEqual([
      "reservation.create",
      "reservation.create",
      "reservation.create",
      "auth.login",
      "auth.login_failed",
    ]);
    expect(res.body.entries[0]).toMatchObject({
      actor: { id: buyer.id, username: buyer.username },
      label: "Reserved stock",
      targetType: "reservation",
      detail: { orderRef: "SO-A3" },
    });
    expect(res.body.nextBefore).toBeNull();
  });

  it("filters by action or by a prefix of actions", async () => {
    const exact = await query({ actor: buyer.username, action: "auth.login" });
    expect(exact.body.entries.map((e: Entry) => e.action)).toEqual(["auth.login"]);
    const prefix = await query({ actor: buyer.username, action: "auth.*" });
    expect(prefix.body.entries.map((e: Entry) => e.action)).toEqual(["auth.login", "auth.login_failed"]);
  });

  it("pages with nextBefore until the last page", async () => {
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const params: Record<string, string> = { actor: buyer.username, limit: "2" };
      if (before) params.before = before;
      const res = await query(params);
      seen.push(...res.body.entries.map((e: Entry) => e.id));
      before = res.body.nextBefore;
      pages++;
    } while (before && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
  });

  it("filters by time range", async () => {
    const all = (await query({ actor: buyer.username })).body.entries as Entry[];
    const newest = all[0] as Entry;
    const inRange = await query({
      actor: buyer.username,
      from: newest.at,
      to: new Date(Date.parse(newest.at) + 1).toISOString(),
    });
    expect(inRange.body.entries.map((e: Entry) => e.id)).toContain(newest.id);
    const future = await query({ actor: buyer.username, from: new Date(Date.now() + 3600_000).toISOString() });
    expect(future.body.entries).toEqual([]);
  });

  it("answers an unknown person or a hostile filter with an empty page, and a malformed one with 400", async () => {
    expect((await query({ actor: "'; DROP TABLE users;--" })).body).toEqual({ entries: [], nextBefore: null });
    const bad = await query({ action: "auth.login' OR '1'='1" });
    expect(bad).toMatchObject({ status: 400, body: { error: "invalid_request", issues: [{ path: ["action"] }] } });
    expect((await query({ from: "yesterday" })).status).toBe(400);
    expect((await pool().query("SELECT count(*)::int AS n FROM users")).rows[0].n).toBeGreaterThan(0);
  });
});
