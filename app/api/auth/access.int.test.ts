import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/server/auth/create-api-token";
import { type Role, roles } from "@/server/auth/roles";
import { hashSecretToken, newSecretToken } from "@/server/auth/secret-token";
import { prisma } from "@/server/db";
import { createItem, createMachine, createSupplier, createUser, createWorkCenter } from "@/server/testing/factories";
import { actor, type CallOptions, type CallResult, call } from "@/server/testing/http";
import { snapshotInventory } from "@/server/testing/inventory-state";
import { GET as health } from "../health/route";
import { GET as listItems } from "../inventory/items/route";
import { GET as listMachines } from "../machines/route";
import { POST as release } from "../reservations/[id]/release/route";
import { GET as getReservation } from "../reservations/[id]/route";
import { GET as listReservations, POST as reserve } from "../reservations/route";
import { GET as listSuppliers } from "../suppliers/route";
import { POST as login } from "./login/route";
import { POST as logout } from "./logout/route";
import { GET as me } from "./me/route";

// Who may call what. Every route of the API so far, called by every role,
// by nobody, and with credentials that look right but are not.

type Actor = Awaited<ReturnType<typeof actor>>;
type Handler = Parameters<typeof call>[0];
type RouteCase = {
  name: string;
  handler: Handler;
  /** Roles that get a 2xx; everyone else gets 403. "public" needs no login. */
  allowed: readonly Role[] | "public";
  /** A request this caller may make (may create what it needs first). */
  request: (caller?: Actor) => Promise<CallOptions>;
  success: number;
};

const everyone = roles;
const purchasing = ["purchasing", "manager", "admin"] as const;
const inventoryReaders = ["purchasing", "planner", "manager", "admin"] as const;

const actors = {} as Record<Role, Actor>;
let stockItem: Awaited<ReturnType<typeof createItem>>;
let existingReservationId: string;

beforeAll(async () => {
  for (const role of roles) actors[role] = await actor(role);
  stockItem = await createItem({ stockQty: 10_000 });
  await createSupplier();
  const created = await call(reserve, {
    token: actors.purchasing.token,
    body: { orderRef: "SO-ACCESS", lines: [{ itemId: stockItem.id, qty: 1 }] },
  });
  expect(created.status).toBe(201);
  existingReservationId = created.body.id;
});

const reservationBody = () => ({ orderRef: "SO-ACCESS", lines: [{ itemId: stockItem.id, qty: 1 }] });

const routes: RouteCase[] = [
  { name: "GET /api/health", handler: health, allowed: "public", success: 200, request: async () => ({}) },
  {
    name: "POST /api/auth/logout",
    handler: logout,
    allowed: "public",
    success: 200,
    request: async () => ({ method: "POST" }),
  },
  { name: "GET /api/auth/me", handler: me, allowed: everyone, success: 200, request: async () => ({}) },
  { name: "GET /api/machines", handler: listMachines, allowed: everyone, success: 200, request: async () => ({}) },
  {
    name: "GET /api/inventory/items",
    handler: listItems,
    allowed: inventoryReaders,
    success: 200,
    request: async () => ({}),
  },
  {
    name: "GET /api/suppliers",
    handler: listSuppliers,
    allowed: inventoryReaders,
    success: 200,
    request: async () => ({}),
  },
  {
    name: "GET /api/reservations",
    handler: listReservations,
    allowed: purchasing,
    success: 200,
    request: async () => ({}),
  },
  {
    name: "POST /api/reservations",
    handler: reserve,
    allowed: purchasing,
    success: 201,
    request: async () => ({ body: reservationBody() }),
  },
  {
    name: "GET /api/reservations/{id}",
    handler: getReservation,
    allowed: purchasing,
    success: 200,
    request: async () => ({ params: { id: existingReservationId } }),
  },
  {
    name: "POST /api/reservations/{id}/release",
    handler: release,
    allowed: purchasing,
    success: 200,
    // Each caller releases a reservation of its own making, so that a 200 is possible.
    request: async () => {
      const created = await call(reserve, { token: actors.purchasing.token, body: reservationBody() });
      return { method: "POST", params: { id: created.body.id } };
    },
  },
];

const unauthenticated = { error: "unauthenticated", message: "Log in first: no valid session or token was sent." };

/** A session row made directly, for states login cannot produce on demand (expired). */
async function sessionFor(userId: number, { expiresAt }: { expiresAt: Date }): Promise<string> {
  const token = newSecretToken();
  await prisma().session.create({ data: { tokenHash: hashSecretToken(token), userId, expiresAt } });
  return token;
}

function cookieFrom(res: CallResult): string {
  const header = res.headers.get("set-cookie") ?? "";
  const match = header.match(/^erp_session=([^;]+)/);
  if (!match?.[1]) throw new Error(`no session cookie in ${header}`);
  return `erp_session=${match[1]}`;
}

async function loginAs(username: string, password: string, headers: Record<string, string> = {}) {
  return call(login, { body: { username, password }, headers });
}

describe("every role against every route", () => {
  const matrix = routes.flatMap((route) => roles.map((role) => [route.name, role, route] as const));

  it.each(matrix)("%s as %s", async (_, role, route) => {
    const options = await route.request(actors[role]);
    const res = await call(route.handler, { ...options, token: actors[role].token });
    if (route.allowed === "public" || route.allowed.includes(role)) {
      expect(res.status, JSON.stringify(res.body)).toBe(route.success);
    } else {
      expect(res).toMatchObject({
        status: 403,
        body: { error: "forbidden", message: `The ${role} role may not do this.` },
      });
    }
  });
});

describe("callers who are not logged in", () => {
  type Credentials = { token?: string; cookie?: string };
  const credentials: [string, () => Promise<Credentials>][] = [
    ["no credentials", async () => ({})],
    ["a made-up bearer token", async () => ({ token: newSecretToken("erp_") })],
    ["an oversized bearer token", async () => ({ token: "x".repeat(5000) })],
    [
      "a revoked bearer token",
      async () => {
        const user = await createUser({ role: "admin" });
        const { id, token } = await createApiToken({ userId: user.id, name: "revoked" });
        await prisma().apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
        return { token };
      },
    ],
    [
      "an expired bearer token",
      async () => {
        const user = await createUser({ role: "admin" });
        return {
          token: (await createApiToken({ userId: user.id, name: "old", expiresAt: new Date(Date.now() - 1000) })).token,
        };
      },
    ],
    [
      "the token of a deactivated user",
      async () => {
        const gone = await actor("admin");
        await prisma().user.update({ where: { id: gone.user.id }, data: { active: false } });
        return { token: gone.token };
      },
    ],
    ["a made-up session cookie", async () => ({ cookie: `erp_session=${newSecretToken()}` })],
    [
      "an expired session cookie",
      async () => {
        const user = await createUser({ role: "admin" });
        return { cookie: `erp_session=${await sessionFor(user.id, { expiresAt: new Date(Date.now() - 1000) })}` };
      },
    ],
    [
      "a logged-out session cookie",
      async () => {
        const user = await createUser({ role: "admin" });
        const cookie = `erp_session=${await sessionFor(user.id, { expiresAt: new Date(Date.now() + 3600_000) })}`;
        expect((await call(me, { cookie })).status).toBe(200);
        await call(logout, { method: "POST", cookie });
        return { cookie };
      },
    ],
  ];
  const guarded = routes.filter((r) => r.allowed !== "public");
  const cases = guarded.flatMap((route) => credentials.map(([what, make]) => [route.name, what, route, make] as const));

  it.each(cases)("%s with %s → 401", async (_, __, route, make) => {
    const options = await route.request();
    const before = await snapshotInventory();
    const res = await call(route.handler, { ...options, ...(await make()) });
    expect(res).toMatchObject({ status: 401, body: unauthenticated });
    expect(await snapshotInventory()).toEqual(before);
  });

  it("public routes answer without credentials", async () => {
    expect(await call(health)).toMatchObject({ status: 200, body: { status: "ok", db: "ok", redis: "ok" } });
    expect(await call(logout, { method: "POST" })).toMatchObject({ status: 200, body: { loggedOut: true } });
  });
});

describe("what each role sees", () => {
  it("an operator sees the machines of their own work center only", async () => {
    const [mine, theirs] = [await createWorkCenter(), await createWorkCenter()];
    const [m1, m2] = [await createMachine({ workCenterId: mine.id }), await createMachine({ workCenterId: theirs.id })];
    const operator = await actor("operator", mine.id);
    const seen = await call(listMachines, { token: operator.token });
    expect(seen.status).toBe(200);
    expect(seen.body.machines.map((m: { id: number }) => m.id)).toEqual([m1.id]);
    const manager = await call(listMachines, { token: actors.manager.token });
    expect(manager.body.machines.map((m: { id: number }) => m.id)).toEqual(expect.arrayContaining([m1.id, m2.id]));
  });
});

describe("logging in", () => {
  it("answers the user and sets an HttpOnly, SameSite=Lax session cookie that works until logout", async () => {
    const buyer = await createUser({ role: "purchasing" });
    const res = await loginAs(buyer.username, actors.purchasing.password);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: {
        id: buyer.id,
        username: buyer.username,
        displayName: buyer.displayName,
        role: "purchasing",
        workCenterId: null,
      },
      expiresAt: expect.any(String),
    });
    const hoursLeft = (Date.parse(res.body.expiresAt) - Date.now()) / 3600_000;
    expect(hoursLeft).toBeGreaterThan(11.9);
    expect(hoursLeft).toBeLessThanOrEqual(12);

    const setCookie = res.headers.get("set-cookie") ?? "";
    const attributes = setCookie.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["path=/", "httponly", "samesite=lax"]));
    expect(attributes.find((a) => a.startsWith("expires="))).toBeDefined();
    const cookie = cookieFrom(res);

    const who = await call(me, { cookie });
    expect(who).toMatchObject({ status: 200, body: { user: { id: buyer.id, role: "purchasing" } } });

    const out = await call(logout, { method: "POST", cookie });
    expect(out).toMatchObject({ status: 200, body: { loggedOut: true } });
    expect(out.headers.get("set-cookie")).toBe("erp_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    expect(await call(me, { cookie })).toMatchObject({ status: 401, body: unauthenticated });
  });

  it("tells an operator their work center", async () => {
    const wc = await createWorkCenter();
    const operator = await createUser({ role: "operator", workCenterId: wc.id });
    const res = await loginAs(` ${operator.username.toUpperCase()} `, actors.operator.password);
    expect(res).toMatchObject({
      status: 200,
      body: { user: { id: operator.id, role: "operator", workCenterId: wc.id } },
    });
  });

  it("answers a wrong password and an unknown user with the same 401", async () => {
    const buyer = await createUser({ role: "purchasing" });
    const wrong = await loginAs(buyer.username, "not the password");
    const unknown = await loginAs(`nobody-${randomUUID().slice(0, 8)}`, "whatever");
    const invalid = { error: "invalid_credentials", message: "Wrong username or password." };
    expect(wrong).toMatchObject({ status: 401, body: invalid });
    expect(unknown).toMatchObject({ status: 401, body: invalid });
    expect(wrong.headers.get("set-cookie")).toBeNull();
  });

  it("refuses a deactivated user with the right password", async () => {
    const gone = await createUser({ role: "purchasing" });
    await prisma().user.update({ where: { id: gone.id }, data: { active: false } });
    const res = await loginAs(gone.username, actors.purchasing.password);
    expect(res).toMatchObject({ status: 401, body: { error: "invalid_credentials" } });
  });

  it("blocks a username after 5 failures in a row: the 6th try, even with the right password, gets 429", async () => {
    const victim = await createUser({ role: "purchasing" });
    for (let i = 0; i < 5; i++) {
      expect((await loginAs(victim.username, `guess-${i}`)).status).toBe(401);
    }
    const blocked = await loginAs(victim.username, `guess-5`);
    expect(blocked).toMatchObject({
      status: 429,
      body: { error: "too_many_requests", message: "Too many failed logins. Try again in 15 minute(s)." },
    });
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);

    const right = await loginAs(victim.username, actors.purchasing.password);
    expect(right.status).toBe(429);
    expect(right.headers.get("set-cookie")).toBeNull();

    // Another account from the same address is not affected.
    const other = await createUser({ role: "planner" });
    expect((await loginAs(other.username, actors.planner.password)).status).toBe(200);
  });

  it("starts counting again after a successful login", async () => {
    const user = await createUser({ role: "planner" });
    for (let i = 0; i < 4; i++) expect((await loginAs(user.username, "nope")).status).toBe(401);
    expect((await loginAs(user.username, actors.planner.password)).status).toBe(200);
    expect((await loginAs(user.username, "nope")).status).toBe(401);
    expect((await loginAs(user.username, actors.planner.password)).status).toBe(200);
  });
});

describe("cookie sessions and other sites", () => {
  it("refuses a cookie-authenticated POST from another origin, and accepts it from our own", async () => {
    const buyer = await createUser({ role: "purchasing" });
    const cookie = cookieFrom(await loginAs(buyer.username, actors.purchasing.password));
    const before = await snapshotInventory();

    const evil = await call(reserve, {
      cookie,
      body: reservationBody(),
      headers: { host: "erp.test", origin: "http://evil.example" },
    });
    expect(evil).toMatchObject({
      status: 403,
      body: { error: "forbidden", message: "Cross-site request refused: the Origin does not match this site." },
    });
    const releaseFromEvil = await call(release, {
      cookie,
      method: "POST",
      params: { id: existingReservationId },
      headers: { host: "erp.test", origin: "http://evil.example" },
    });
    expect(releaseFromEvil.status).toBe(403);
    expect(await snapshotInventory()).toEqual(before);

    const ours = await call(reserve, {
      cookie,
      body: reservationBody(),
      headers: { host: "erp.test", origin: "http://erp.test" },
    });
    expect(ours.status).toBe(201);
    // Reading is not a cross-site risk: a GET from anywhere is answered.
    const read = await call(me, { cookie, headers: { host: "erp.test", origin: "http://evil.example" } });
    expect(read.status).toBe(200);
  });
});
