import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "@/server/auth/authenticate";
import { createApiToken } from "@/server/auth/create-api-token";
import { hashSecretToken } from "@/server/auth/secret-token";
import { pool, prisma } from "@/server/db";
import { createUser, testPassword } from "@/server/testing/factories";
import { actor, type CallResult, call } from "@/server/testing/http";
import { listenForRevocations } from "@/server/testing/revocations";
import { POST as endSessions } from "../admin/users/[id]/end-sessions/route";
import { POST as login } from "./login/route";
import { POST as logout } from "./logout/route";
import { POST as logoutEverywhere } from "./logout-everywhere/route";
import { GET as me } from "./me/route";
import { GET as mySessions } from "./sessions/route";

// Sessions end three ways besides their absolute expiry (SESSION_TTL_HOURS,
// 12 h here): after SESSION_IDLE_MINUTES without a request (120 here), when
// the person logs out, and when they or an admin end all of them at once.

let revocations: Awaited<ReturnType<typeof listenForRevocations>>;
beforeAll(async () => {
  revocations = await listenForRevocations();
});
afterAll(() => revocations.close());

function cookieOf(res: CallResult): string {
  const match = (res.headers.get("set-cookie") ?? "").match(/^erp_session=([^;]+)/);
  if (!match?.[1]) throw new Error(`no session cookie: ${res.status} ${JSON.stringify(res.body)}`);
  return `erp_session=${match[1]}`;
}
const tokenOf = (cookie: string) => cookie.slice("erp_session=".length);

async function loggedIn(user: { username: string }, userAgent = "test browser"): Promise<string> {
  return cookieOf(
    await call(login, {
      body: { username: user.username, password: testPassword },
      headers: { "user-agent": userAgent },
    }),
  );
}

const lastSeen = async (cookie: string) =>
  (await prisma().session.findUniqueOrThrow({ where: { tokenHash: hashSecretToken(tokenOf(cookie)) } })).lastSeenAt;

async function idleFor(cookie: string, minutes: number) {
  await pool().query(
    "UPDATE sessions SET last_seen_at = now() - make_interval(secs => $2::float8 * 60) WHERE token_hash = $1",
    [hashSecretToken(tokenOf(cookie)), minutes],
  );
}

const works = async (cookie: string) => (await call(me, { cookie })).status === 200;

describe("the idle timeout", () => {
  it("ends a session left alone for longer than SESSION_IDLE_MINUTES, and keeps one in use", async () => {
    const user = await createUser({ role: "planner" });
    const [idle, busy] = [await loggedIn(user), await loggedIn(user)];
    await idleFor(idle, 121);
    await idleFor(busy, 119);
    expect(await call(me, { cookie: idle })).toMatchObject({ status: 401, body: { error: "unauthenticated" } });
    expect(await works(busy)).toBe(true);
    // The request just now restarted the idle clock.
    expect(Date.now() - (await lastSeen(busy)).getTime()).toBeLessThan(60_000);
  });

  it("records activity at most once a minute, and never from the realtime process's checks", async () => {
    const user = await createUser({ role: "planner" });
    const cookie = await loggedIn(user);
    await idleFor(cookie, 0.5);
    const before = await lastSeen(cookie);
    expect(await works(cookie)).toBe(true);
    expect(await lastSeen(cookie)).toEqual(before);

    await idleFor(cookie, 5);
    const stale = await lastSeen(cookie);
    // What the realtime process calls on a socket's handshake and re-check.
    expect(await authenticate({ sessionToken: tokenOf(cookie) })).toMatchObject({ userId: user.id });
    expect(await lastSeen(cookie)).toEqual(stale);
    expect(await works(cookie)).toBe(true);
    expect((await lastSeen(cookie)).getTime()).toBeGreaterThan(stale.getTime());
  });

  it("does not stretch the absolute expiry: a busy session still ends when it expires", async () => {
    const user = await createUser({ role: "planner" });
    const cookie = await loggedIn(user);
    await pool().query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1", [
      hashSecretToken(tokenOf(cookie)),
    ]);
    expect(await works(cookie)).toBe(false);
  });
});

describe("logging out", () => {
  it("ends this session only, audits it once and tells the realtime process", async () => {
    const user = await createUser({ role: "purchasing" });
    const [here, elsewhere] = [await loggedIn(user), await loggedIn(user)];
    expect((await call(logout, { method: "POST", cookie: here })).status).toBe(200);
    expect(await works(here)).toBe(false);
    expect(await works(elsewhere)).toBe(true);
    await revocations.expect({ kind: "session", sessionId: hashSecretToken(tokenOf(here)) });

    expect((await call(logout, { method: "POST", cookie: here })).status).toBe(200);
    const audit = await prisma().auditLog.findMany({ where: { action: "auth.logout", actorId: user.id } });
    expect(audit).toHaveLength(1);
  });
});

describe("log out everywhere", () => {
  it("ends every session of the caller, leaves other people and the caller's tokens alone, and audits it", async () => {
    const user = await createUser({ role: "purchasing" });
    const [laptop, office, workshop] = [
      await loggedIn(user, "laptop"),
      await loggedIn(user, "office"),
      await loggedIn(user),
    ];
    const listed = await call(mySessions, { cookie: office });
    expect(listed.body.sessions).toHaveLength(3);
    expect(listed.body.sessions.filter((s: { current: boolean }) => s.current)).toEqual([
      expect.objectContaining({ userAgent: "office", endsAt: expect.any(String) }),
    ]);

    const bystander = await loggedIn(await createUser({ role: "purchasing" }));
    const { token } = await createApiToken({ userId: user.id, name: "their script" });

    const res = await call(logoutEverywhere, { method: "POST", cookie: office });
    expect(res).toMatchObject({ status: 200, body: { userId: user.id, ended: 3 } });
    expect(res.headers.get("set-cookie")).toContain("Max-Age=0");
    for (const cookie of [laptop, office, workshop]) {
      expect(await works(cookie)).toBe(false);
      await revocations.expect({ kind: "session", sessionId: hashSecretToken(tokenOf(cookie)) });
    }
    expect(await works(bystander)).toBe(true);
    expect((await call(me, { token })).body.user.id).toBe(user.id);

    const audit = await prisma().auditLog.findMany({ where: { action: "session.end_all", targetId: String(user.id) } });
    expect(audit).toMatchObject([{ actorId: user.id, detail: { sessions: 3, by: "self" } }]);
  });

  it("an admin ends someone else's sessions", async () => {
    const admin = await actor("admin");
    const user = await createUser({ role: "planner" });
    const [a, b] = [await loggedIn(user), await loggedIn(user)];
    const res = await call(endSessions, { token: admin.token, method: "POST", params: { id: String(user.id) } });
    expect(res).toMatchObject({ status: 200, body: { userId: user.id, ended: 2 } });
    expect(await works(a)).toBe(false);
    expect(await works(b)).toBe(false);
    const audit = await prisma().auditLog.findMany({ where: { action: "session.end_all", targetId: String(user.id) } });
    expect(audit).toMatchObject([{ actorId: admin.user.id, detail: { sessions: 2, by: "admin" } }]);
    expect(await prisma().session.findMany({ where: { userId: user.id } })).toEqual([
      expect.objectContaining({ endedReason: "admin" }),
      expect.objectContaining({ endedReason: "admin" }),
    ]);

    const nobody = await call(endSessions, { token: admin.token, method: "POST", params: { id: "2000000000" } });
    expect(nobody).toMatchObject({ status: 404, body: { error: "not_found" } });
  });
});

describe("the audit trail of logins", () => {
  it("records successes and failures, with the address, never the password", async () => {
    const user = await createUser({ role: "manager" });
    await call(login, { body: { username: user.username, password: "wrong guess" } });
    await loggedIn(user);
    const rows = await prisma().auditLog.findMany({
      where: { actorId: user.id, action: { startsWith: "auth.login" } },
      orderBy: { id: "asc" },
    });
    expect(rows.map((r) => [r.action, r.detail])).toEqual([
      ["auth.login_failed", { username: user.username, ip: "unknown" }],
      ["auth.login", { ip: "unknown" }],
    ]);
    expect(JSON.stringify(rows.map((r) => r.detail))).not.toContain("wrong guess");
  });
});
