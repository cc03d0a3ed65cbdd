import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/server/auth/create-api-token";
import { type Role, roles } from "@/server/auth/roles";
import { createItem, createMachine, createSupplier, createUser } from "@/server/testing/factories";
import { actor, type CallOptions, call } from "@/server/testing/http";
import { createPurchaseOrderIn } from "@/server/testing/purchase-orders";
import { createWorkOrder, operation } from "@/server/testing/shop-floor";
import { POST as reserveRoute } from "./reservations/route";

// The role × route matrix of the whole API. Every app/api/**/route.ts is
// found on disk and every HTTP method it exports must have an entry below,
// so a new route (or a new method on an old one) fails this test until
// someone writes down who may call it. For each entry:
//   - without credentials: 401 (public routes: answered);
//   - every role not allowed: 403 with the role named;
//   - every allowed role: neither 401 nor 403, and no 500 (a 404 or a 409 from
//     the domain is fine: the point is that the gate let the caller through).
// The allowed roles are written out here on purpose rather than taken from
// server/auth/roles.ts: this is the specification the code is checked against.

type Actor = Awaited<ReturnType<typeof actor>>;
type Handler = Parameters<typeof call>[0];
type Entry = {
  allowed: readonly Role[] | "public";
  /** A request this role could make; by default none of params, query or body. */
  request?: (role: Role) => Promise<CallOptions> | CallOptions;
};

const anyone = roles;
const purchasing = ["purchasing", "manager", "admin"] as const;
const placesOrders = ["purchasing", "admin"] as const;
const inventoryReaders = ["purchasing", "planner", "manager", "admin"] as const;
const shopFloor = ["operator", "planner", "admin"] as const;
const planReaders = ["operator", "planner", "manager", "admin"] as const;
const riskDashboard = ["manager", "admin"] as const;
const admins = ["admin"] as const;

const actors = {} as Record<Role, Actor>;
const fixtures = {} as {
  itemId: number;
  supplierId: number;
  machineId: number;
  operation: string;
  reservationId: string;
  purchaseOrderId: string;
};

beforeAll(async () => {
  for (const role of roles) actors[role] = await actor(role);
  const item = await createItem({ stockQty: 1_000_000 });
  const supplier = await createSupplier();
  // In the operator's own group, so that its allowed calls are not refused by the group check.
  const operatorWorkCenter = actors.operator.user.workCenterId;
  if (operatorWorkCenter === null) throw new Error("the operator actor has no work center");
  const machine = await createMachine({ workCenterId: operatorWorkCenter });
  const reserved = await call(reserveRoute, {
    token: actors.purchasing.token,
    body: { orderRef: "SO-MATRIX", lines: [{ itemId: item.id, qty: 1 }] },
  });
  expect(reserved.status).toBe(201);
  const order = await createPurchaseOrderIn({ status: "SENT", lines: [{ itemId: item.id, qty: 1_000_000 }] });
  Object.assign(fixtures, {
    itemId: item.id,
    supplierId: supplier.id,
    machineId: machine.id,
    operation: operation(),
    reservationId: reserved.body.id,
    purchaseOrderId: order.id,
  });
});

const queuedWorkOrder = async () =>
  String((await createWorkOrder({ machineId: fixtures.machineId, operation: fixtures.operation })).id);
const runningWorkOrder = async () =>
  String(
    (await createWorkOrder({ machineId: fixtures.machineId, operation: fixtures.operation, status: "running" })).id,
  );

const matrix: Record<string, Entry> = {
  "GET /api/health": { allowed: "public" },
  "POST /api/auth/login": {
    allowed: "public",
    request: async () => {
      const user = await createUser({ role: "planner" });
      return { body: { username: user.username, password: actors.planner.password }, idempotencyKey: "none" };
    },
  },
  "POST /api/auth/logout": { allowed: "public", request: () => ({ method: "POST" }) },
  // Test-only baseline for bench/: answers 404 unless the benchmark enabled it; never touches data.
  "POST /api/bench/noop": { allowed: "public", request: () => ({ body: {} }) },
  "GET /api/auth/me": { allowed: anyone },
  "GET /api/auth/sessions": { allowed: anyone },
  "POST /api/auth/logout-everywhere": { allowed: anyone, request: () => ({ method: "POST" }) },

  "GET /api/machines": { allowed: anyone },
  "GET /api/machines/[id]/events": {
    allowed: planReaders,
    request: () => ({ params: { id: String(fixtures.machineId) } }),
  },
  "POST /api/machines/[id]/events": {
    allowed: shopFloor,
    request: () => ({
      params: { id: String(fixtures.machineId) },
      body: { type: "material_shortage", note: "matrix" },
    }),
  },
  "GET /api/plan": { allowed: planReaders },
  "GET /api/work-orders": { allowed: planReaders },
  "POST /api/work-orders/[id]/start": {
    allowed: shopFloor,
    request: async () => ({ method: "POST", params: { id: await queuedWorkOrder() } }),
  },
  "POST /api/work-orders/[id]/finish": {
    allowed: shopFloor,
    request: async () => ({ method: "POST", params: { id: await runningWorkOrder() } }),
  },

  "GET /api/inventory/items": { allowed: inventoryReaders },
  "GET /api/suppliers": { allowed: inventoryReaders },
  // The risk dashboard is for managers and admins; buyers see one supplier's headline and may ask for a check.
  "GET /api/suppliers/risk": { allowed: riskDashboard },
  "GET /api/suppliers/[id]/risk": {
    allowed: purchasing,
    request: () => ({ params: { id: String(fixtures.supplierId) } }),
  },
  "POST /api/suppliers/[id]/risk": {
    allowed: purchasing,
    request: () => ({ method: "POST", params: { id: String(fixtures.supplierId) } }),
  },
  "GET /api/suppliers/[id]/risk/history": {
    allowed: riskDashboard,
    request: () => ({ params: { id: String(fixtures.supplierId) } }),
  },
  "GET /api/reservations": { allowed: purchasing },
  "POST /api/reservations": {
    allowed: purchasing,
    request: () => ({ body: { orderRef: "SO-MATRIX", lines: [{ itemId: fixtures.itemId, qty: 1 }] } }),
  },
  "GET /api/reservations/[id]": { allowed: purchasing, request: () => ({ params: { id: fixtures.reservationId } }) },
  "POST /api/reservations/[id]/release": {
    allowed: purchasing,
    request: async () => {
      const created = await call(reserveRoute, {
        token: actors.purchasing.token,
        body: { orderRef: "SO-MATRIX", lines: [{ itemId: fixtures.itemId, qty: 1 }] },
      });
      return { method: "POST", params: { id: created.body.id } };
    },
  },
  "GET /api/purchase-orders": { allowed: purchasing },
  "POST /api/purchase-orders": {
    allowed: placesOrders,
    request: () => ({
      body: { supplierId: fixtures.supplierId, lines: [{ itemId: fixtures.itemId, qty: 1, unitPrice: 1 }] },
    }),
  },
  "GET /api/purchase-orders/[id]": {
    allowed: purchasing,
    request: () => ({ params: { id: fixtures.purchaseOrderId } }),
  },
  "POST /api/purchase-orders/[id]/receipts": {
    allowed: placesOrders,
    request: () => ({
      params: { id: fixtures.purchaseOrderId },
      body: { lines: [{ itemId: fixtures.itemId, qty: 1 }] },
    }),
  },

  "GET /api/admin/outbox": { allowed: admins },
  "POST /api/admin/outbox/[id]/requeue": { allowed: admins, request: () => ({ method: "POST", params: { id: "1" } }) },
  "GET /api/admin/tokens": { allowed: admins },
  "POST /api/admin/tokens": {
    allowed: admins,
    request: async () => ({ body: { name: "matrix tablet", userId: (await createUser({ role: "planner" })).id } }),
  },
  "POST /api/admin/tokens/[id]/revoke": {
    allowed: admins,
    request: async () => {
      const owner = await createUser({ role: "planner" });
      const { id } = await createApiToken({ userId: owner.id, name: "to revoke" });
      return { method: "POST", params: { id: String(id) } };
    },
  },
  "GET /api/admin/users": { allowed: admins },
  "POST /api/admin/users/[id]/role": {
    allowed: admins,
    request: async () => ({
      params: { id: String((await createUser({ role: "purchasing" })).id) },
      body: { role: "manager" },
    }),
  },
  "POST /api/admin/users/[id]/end-sessions": {
    allowed: admins,
    request: async () => ({ method: "POST", params: { id: String((await createUser({ role: "planner" })).id) } }),
  },
  "GET /api/admin/audit": { allowed: admins, request: () => ({ path: "/api/admin/audit?action=auth.*" }) },
  "GET /api/admin/db-health": { allowed: admins },
};

const httpMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const apiDir = path.resolve(import.meta.dirname);

/** Every method every route file exports, as "METHOD /api/path/[param]". */
async function discoverRoutes(): Promise<Map<string, Handler>> {
  const files = readdirSync(apiDir, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .sort();
  const found = new Map<string, Handler>();
  for (const file of files) {
    const urlPath = `/api/${path.dirname(file).split(path.sep).join("/")}`;
    const module = (await import(path.join(apiDir, file))) as Record<string, unknown>;
    for (const method of httpMethods) {
      if (typeof module[method] === "function") found.set(`${method} ${urlPath}`, module[method] as Handler);
    }
  }
  return found;
}

const routes = await discoverRoutes();

describe("the matrix covers the API", () => {
  it("has an entry for every method of every app/api/**/route.ts, and none for routes that are gone", () => {
    const missing = [...routes.keys()].filter((key) => !(key in matrix));
    const stale = Object.keys(matrix).filter((key) => !routes.has(key));
    expect(missing, "routes without an entry: add who may call them to app/api/route-matrix.int.test.ts").toEqual([]);
    expect(stale, "entries for routes that no longer exist").toEqual([]);
    expect(routes.size).toBeGreaterThan(30);
  });
});

const entries = [...routes.keys()].filter((key) => key in matrix).map((key) => [key, matrix[key] as Entry] as const);
const guarded = entries.filter(([, entry]) => entry.allowed !== "public");

describe("without credentials", () => {
  it.each(guarded)("%s → 401", async (key, entry) => {
    const res = await call(routes.get(key) as Handler, await requestFor(key, entry, "admin"));
    expect(res, JSON.stringify(res.body)).toMatchObject({
      status: 401,
      body: { error: "unauthenticated", message: "Log in first: no valid session or token was sent." },
    });
  });

  it.each(entries.filter(([, entry]) => entry.allowed === "public"))("%s is public", async (key, entry) => {
    const res = await call(routes.get(key) as Handler, await requestFor(key, entry, "admin"));
    expect([401, 403], JSON.stringify(res.body)).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
  });
});

describe("every role against every route", () => {
  const cases = guarded.flatMap(([key, entry]) => roles.map((role) => [key, role, entry] as const));

  it.each(cases)("%s as %s", async (key, role, entry) => {
    const res = await call(routes.get(key) as Handler, {
      ...(await requestFor(key, entry, role)),
      token: actors[role].token,
    });
    if (entry.allowed !== "public" && entry.allowed.includes(role)) {
      expect([401, 403], `${res.status} ${JSON.stringify(res.body)}`).not.toContain(res.status);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
    } else {
      expect(res).toMatchObject({
        status: 403,
        body: { error: "forbidden", message: `The ${role} role may not do this.` },
      });
    }
  });
});

async function requestFor(key: string, entry: Entry, role: Role): Promise<CallOptions> {
  const [method = "GET", urlPath = ""] = key.split(" ");
  const options = entry.request ? await entry.request(role) : {};
  return { method, path: urlPath, ...options };
}
