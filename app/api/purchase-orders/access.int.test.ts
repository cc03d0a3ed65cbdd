import { beforeAll, describe, expect, it } from "vitest";
import { type Role, roles } from "@/server/auth/roles";
import { createItem, createSupplier } from "@/server/testing/factories";
import { actor, type CallOptions, call } from "@/server/testing/http";
import { createPurchaseOrderIn, snapshotPurchasing } from "@/server/testing/purchase-orders";
import { POST as receive } from "./[id]/receipts/route";
import { GET as getOrder } from "./[id]/route";
import { POST as createOrder, GET as listOrders } from "./route";

// Who may raise, read and receive purchase orders. Only buyers and admins
// commit the company's money; managers follow the orders without changing them.

type Actor = Awaited<ReturnType<typeof actor>>;
type Handler = Parameters<typeof call>[0];
type RouteCase = {
  name: string;
  handler: Handler;
  allowed: readonly Role[];
  success: number;
  /** A request that succeeds for an allowed caller (each call gets its own order where it must). */
  request: () => Promise<CallOptions>;
};

const actors = {} as Record<Role, Actor>;
let supplierId: number;
let itemId: number;
let existingOrderId: string;

beforeAll(async () => {
  for (const role of roles) actors[role] = await actor(role);
  supplierId = (await createSupplier()).id;
  itemId = (await createItem()).id;
  existingOrderId = (await createPurchaseOrderIn({ status: "PENDING", lines: [{ itemId, qty: 1 }] })).id;
});

const routes: RouteCase[] = [
  {
    name: "POST /api/purchase-orders",
    handler: createOrder,
    allowed: ["purchasing", "admin"],
    success: 201,
    request: async () => ({ body: { supplierId, lines: [{ itemId, qty: 1, unitPrice: 1 }] } }),
  },
  {
    name: "GET /api/purchase-orders",
    handler: listOrders,
    allowed: ["purchasing", "manager", "admin"],
    success: 200,
    request: async () => ({}),
  },
  {
    name: "GET /api/purchase-orders/{id}",
    handler: getOrder,
    allowed: ["purchasing", "manager", "admin"],
    success: 200,
    request: async () => ({ params: { id: existingOrderId } }),
  },
  {
    name: "POST /api/purchase-orders/{id}/receipts",
    handler: receive,
    allowed: ["purchasing", "admin"],
    success: 200,
    request: async () => {
      const order = await createPurchaseOrderIn({ status: "SENT", lines: [{ itemId, qty: 1 }] });
      return { params: { id: order.id }, body: { lines: [{ itemId, qty: 1 }] } };
    },
  },
];

describe("every role against every purchase-order route", () => {
  const matrix = routes.flatMap((route) => roles.map((role) => [route.name, role, route] as const));

  it.each(matrix)("%s as %s", async (_, role, route) => {
    const options = await route.request();
    const before = await snapshotPurchasing();
    const res = await call(route.handler, { ...options, token: actors[role].token });
    if (route.allowed.includes(role)) {
      expect(res.status, JSON.stringify(res.body)).toBe(route.success);
    } else {
      expect(res).toMatchObject({
        status: 403,
        body: { error: "forbidden", message: `The ${role} role may not do this.` },
      });
      expect(await snapshotPurchasing()).toEqual(before);
    }
  });

  it.each(routes.map((route) => [route.name, route] as const))("%s without credentials → 401", async (_, route) => {
    const options = await route.request();
    const before = await snapshotPurchasing();
    const res = await call(route.handler, options);
    expect(res).toMatchObject({
      status: 401,
      body: { error: "unauthenticated", message: "Log in first: no valid session or token was sent." },
    });
    expect(await snapshotPurchasing()).toEqual(before);
  });
});
