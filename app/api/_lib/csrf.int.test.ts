import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/server/db";
import {
  createItem,
  createMachine,
  createSupplier,
  createUser,
  createWorkCenter,
  testPassword,
} from "@/server/testing/factories";
import { actor, type CallOptions, type CallResult, call } from "@/server/testing/http";
import { snapshotInventory } from "@/server/testing/inventory-state";
import { POST as createToken } from "../admin/tokens/route";
import { POST as login } from "../auth/login/route";
import { POST as logout } from "../auth/logout/route";
import { POST as logoutEverywhere } from "../auth/logout-everywhere/route";
import { GET as me } from "../auth/me/route";
import { POST as reportEvent } from "../machines/[id]/events/route";
import { POST as createPurchaseOrder } from "../purchase-orders/route";
import { POST as reserve } from "../reservations/route";

// A page on another site makes the browser POST here with the person's
// session cookie (cross-site request forgery). SameSite=Lax keeps the cookie
// off most such requests; these tests send it anyway, as an old browser
// would, and check that the Origin and Sec-Fetch-Site checks refuse it on
// every kind of write, login and logout included.

type Handler = Parameters<typeof call>[0];
type Session = { cookie: string; userId: number };

const originRefused = {
  status: 403,
  body: { error: "forbidden", message: "Cross-site request refused: the Origin does not match this site." },
};
const evil = { host: "erp.test", origin: "http://evil.example" };

let item: Awaited<ReturnType<typeof createItem>>;
let supplierId: number;
let machineId: number;
const sessions = {} as Record<"buyer" | "planner" | "admin", Session>;

async function sessionOf(role: "purchasing" | "planner" | "admin", workCenterId?: number): Promise<Session> {
  const user = await createUser({ role, workCenterId });
  const res = await call(login, { body: { username: user.username, password: testPassword } });
  expect(res.status).toBe(200);
  const match = (res.headers.get("set-cookie") ?? "").match(/^erp_session=([^;]+)/);
  if (!match) throw new Error("no session cookie");
  return { cookie: `erp_session=${match[1]}`, userId: user.id };
}

beforeAll(async () => {
  item = await createItem({ stockQty: 1000 });
  supplierId = (await createSupplier()).id;
  const wc = await createWorkCenter();
  machineId = (await createMachine({ workCenterId: wc.id })).id;
  sessions.buyer = await sessionOf("purchasing");
  sessions.planner = await sessionOf("planner");
  sessions.admin = await sessionOf("admin");
});

const writes: [string, Handler, () => Session, () => CallOptions][] = [
  [
    "POST /api/reservations",
    reserve,
    () => sessions.buyer,
    () => ({ body: { orderRef: "SO-CSRF", lines: [{ itemId: item.id, qty: 1 }] } }),
  ],
  [
    "POST /api/purchase-orders",
    createPurchaseOrder,
    () => sessions.buyer,
    () => ({ body: { supplierId, lines: [{ itemId: item.id, qty: 5, unitPrice: 2 }] } }),
  ],
  [
    "POST /api/machines/{id}/events",
    reportEvent,
    () => sessions.planner,
    () => ({ params: { id: String(machineId) }, body: { type: "breakdown" } }),
  ],
  [
    "POST /api/admin/tokens",
    createToken,
    () => sessions.admin,
    () => ({ body: { name: "planted by another site", userId: sessions.admin.userId } }),
  ],
  ["POST /api/auth/logout-everywhere", logoutEverywhere, () => sessions.buyer, () => ({ method: "POST" })],
  ["POST /api/auth/logout", logout, () => sessions.buyer, () => ({ method: "POST" })],
];

async function counts() {
  const [orders, tokens, events, openSessions] = await Promise.all([
    prisma().purchaseOrder.count(),
    prisma().apiToken.count(),
    prisma().machineEvent.count(),
    prisma().session.count({ where: { revokedAt: null } }),
  ]);
  return { inventory: await snapshotInventory(), orders, tokens, events, openSessions };
}

const stillLoggedIn = async (session: Session) => (await call(me, { cookie: session.cookie })).status === 200;

describe("a cross-site POST carrying a valid session cookie", () => {
  it.each(writes)(
    "%s from another site's page is refused with 403 and changes nothing",
    async (_, handler, who, req) => {
      const before = await counts();
      const res = await call(handler, { ...req(), cookie: who().cookie, headers: evil });
      expect(res).toMatchObject(originRefused);
      expect(await counts()).toEqual(before);
      expect(await stillLoggedIn(who())).toBe(true);
    },
  );

  it.each(writes)("%s marked Sec-Fetch-Site: cross-site (no Origin) is refused too", async (_, handler, who, req) => {
    const before = await counts();
    const res = await call(handler, { ...req(), cookie: who().cookie, headers: { "sec-fetch-site": "cross-site" } });
    expect(res).toMatchObject({
      status: 403,
      body: {
        error: "forbidden",
        message: "Cross-site request refused: the browser says it came from another site (Sec-Fetch-Site: cross-site).",
      },
    });
    expect(await counts()).toEqual(before);
  });

  it("is refused from a sibling subdomain (same-site is not same-origin) and from an opaque origin", async () => {
    const body = { orderRef: "SO-CSRF", lines: [{ itemId: item.id, qty: 1 }] };
    const sibling = await call(reserve, {
      body,
      cookie: sessions.buyer.cookie,
      headers: { host: "erp.factory.example", origin: "https://wiki.factory.example", "sec-fetch-site": "same-site" },
    });
    expect(sibling.status).toBe(403);
    const opaque = await call(reserve, {
      body,
      cookie: sessions.buyer.cookie,
      headers: { host: "erp.test", origin: "null" },
    });
    expect(opaque).toMatchObject(originRefused);
    const otherPort = await call(reserve, {
      body,
      cookie: sessions.buyer.cookie,
      headers: { host: "erp.test:3000", origin: "http://erp.test:4000" },
    });
    expect(otherPort).toMatchObject(originRefused);
  });

  it("a login form posted from another site cannot log the browser into someone's account (login CSRF)", async () => {
    const victim = await createUser({ role: "purchasing" });
    const res = await call(login, {
      body: { username: victim.username, password: testPassword },
      headers: { ...evil, "sec-fetch-site": "cross-site" },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("our own pages", () => {
  const sameOrigin = (extra: Record<string, string> = {}) => ({
    host: "erp.test",
    origin: "http://erp.test",
    "sec-fetch-site": "same-origin",
    ...extra,
  });

  it("write with the cookie as before", async () => {
    const res = await call(reserve, {
      cookie: sessions.buyer.cookie,
      body: { orderRef: "SO-OURS", lines: [{ itemId: item.id, qty: 1 }] },
      headers: sameOrigin(),
    });
    expect(res.status).toBe(201);
  });

  it("pass behind a proxy that forwards the host without its port (nginx's $host)", async () => {
    const res = await call(reserve, {
      cookie: sessions.buyer.cookie,
      body: { orderRef: "SO-PROXY", lines: [{ itemId: item.id, qty: 1 }] },
      headers: {
        host: "erp.factory.example",
        origin: "https://erp.factory.example:8443",
        "sec-fetch-site": "same-origin",
      },
    });
    expect(res.status).toBe(201);
  });

  it("log in and out from the login page and the header", async () => {
    const user = await createUser({ role: "planner" });
    const loggedIn: CallResult = await call(login, {
      body: { username: user.username, password: testPassword },
      headers: sameOrigin(),
    });
    expect(loggedIn.status).toBe(200);
    const cookie = (loggedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect((await call(me, { cookie })).status).toBe(200);
    expect((await call(logout, { method: "POST", cookie, headers: sameOrigin() })).status).toBe(200);
    expect((await call(me, { cookie })).status).toBe(401);
  });

  it("are not asked for an Origin by clients that are no browser (a bearer token, or no browser headers)", async () => {
    const buyer = await actor("purchasing");
    const withToken = await call(reserve, {
      token: buyer.token,
      body: { orderRef: "SO-TABLET", lines: [{ itemId: item.id, qty: 1 }] },
      headers: evil,
    });
    expect(withToken.status).toBe(201);
    const curl = await call(reserve, {
      cookie: sessions.buyer.cookie,
      body: { orderRef: "SO-CURL", lines: [{ itemId: item.id, qty: 1 }] },
    });
    expect(curl.status).toBe(201);
  });
});
