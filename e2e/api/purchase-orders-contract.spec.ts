import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { holdSupplierPortal, noFaults, ordersAtSupplier, setFaults } from "../supplier-portal";
import { itemsBySku, ownedItems } from "../support";
import { expect, test, uuidPattern } from "./fixtures";

// The purchase-order part of ARCHITECTURE.md's HTTP contract, end to end: the
// order is created once whatever the retries, the relay delivers it to the
// supplier portal stand-in with the buyer's Idempotency-Key, and the supplier
// holds it exactly once. Plus who may create, and the admin's outbox view.

const [oil, bearing] = ownedItems.apiPurchaseOrders;

type OrderBody = { supplierId: number; lines: { itemId: number; qty: number; unitPrice: number }[] };

/** POST /api/purchase-orders with a fresh Idempotency-Key unless one (or null: none) is given. */
function createOrder(api: APIRequestContext, body: unknown, key: string | null = randomUUID()) {
  return api.post("/api/purchase-orders", { data: body, headers: key ? { "Idempotency-Key": key } : {} });
}

async function orderBody(buyer: APIRequestContext): Promise<OrderBody> {
  const items = await itemsBySku(buyer, [oil, bearing]);
  const response = await buyer.get("/api/suppliers");
  expect(response.status()).toBe(200);
  const { suppliers } = (await response.json()) as { suppliers: { id: number; code: string }[] };
  const supplier = suppliers.find((s) => s.code === "MES");
  expect(supplier, "demo supplier MES").toBeDefined();
  return {
    supplierId: supplier?.id ?? 0,
    lines: [
      { itemId: items.get(oil)?.id ?? 0, qty: 200 + Math.floor(Math.random() * 100), unitPrice: 3.85 },
      { itemId: items.get(bearing)?.id ?? 0, qty: 40, unitPrice: 2.1234 },
    ],
  };
}

test("create 201, replay, reused key 422; the supplier acknowledges it and holds it once", async ({ as, request }) => {
  // Another spec may be holding the supplier portal down for up to ~40 s.
  test.setTimeout(120_000);
  const api = await as("buyer");
  const body = await orderBody(api);
  const key = randomUUID();
  const release = await holdSupplierPortal();
  try {
    await setFaults(request, noFaults);

    const created = await createOrder(api, body, key);
    expect(created.status()).toBe(201);
    const order = await created.json();
    expect(order).toMatchObject({
      id: expect.stringMatching(uuidPattern),
      status: "PENDING",
      supplierId: body.supplierId,
    });
    expect(order.lines).toEqual(
      body.lines.map((line, index) => expect.objectContaining({ ...line, lineNo: index + 1, receivedQty: 0 })),
    );

    const replay = await createOrder(api, body, key);
    expect(replay.status()).toBe(201);
    expect(replay.headers()["idempotent-replayed"]).toBe("true");
    expect(await replay.json()).toEqual(order);

    const reused = await createOrder(api, { ...body, lines: body.lines.slice(0, 1) }, key);
    expect(reused.status()).toBe(422);
    expect(await reused.json()).toEqual({ error: "idempotency_key_reused", message: expect.any(String) });

    const read = () => api.get(`/api/purchase-orders/${order.id}`).then((r) => r.json());
    await expect.poll(async () => (await read()).status, { timeout: 15_000, intervals: [250] }).toBe("ACKNOWLEDGED");
    const acknowledged = await read();
    expect(acknowledged).toMatchObject({
      id: order.id,
      supplierId: body.supplierId,
      sentAt: expect.any(String),
      acknowledgedAt: expect.any(String),
      supplierReference: expect.any(String),
    });
    expect(acknowledged.attempts.length).toBeGreaterThan(0);
    for (const attempt of acknowledged.attempts as { at: string; outcome: string; error: string | null }[]) {
      expect(Date.parse(attempt.at), attempt.at).not.toBeNaN();
      expect(["delivered", "retry", "failed", "dead_lettered"]).toContain(attempt.outcome);
      expect(attempt.error === null || typeof attempt.error === "string").toBe(true);
    }
    expect(acknowledged.attempts).toContainEqual(expect.objectContaining({ outcome: "delivered", error: null }));

    const atSupplier = await ordersAtSupplier(request, order.id);
    expect(atSupplier).toEqual([
      expect.objectContaining({ idempotencyKey: key, supplierReference: acknowledged.supplierReference }),
    ]);
  } finally {
    await release();
  }
});

test("without an Idempotency-Key, or with one that is not a UUID, is 400", async ({ as }) => {
  const api = await as("buyer");
  const body = await orderBody(api);
  for (const key of [null, "not-a-uuid"]) {
    const response = await createOrder(api, body, key);
    expect(response.status(), `key ${key}`).toBe(400);
    expect(await response.json()).toEqual({ error: "idempotency_key_required", message: expect.any(String) });
  }
});

test("bad bodies are 400 invalid_request with the issues", async ({ as }) => {
  const api = await as("buyer");
  const { supplierId, lines } = await orderBody(api);
  const [line] = lines;
  const cases = [
    { supplierId, lines: [] },
    { supplierId, lines: [{ ...line, qty: 0 }] },
    { supplierId, lines: [{ ...line, qty: 1.5 }] },
    { supplierId, lines: [{ ...line, unitPrice: -1 }] },
    { supplierId, lines: [{ ...line, unitPrice: 1.23456 }] },
    { supplierId, lines: [line, line] },
    { supplierId: "1", lines },
    { supplierId, lines, extra: true },
  ];
  for (const body of cases) {
    const response = await createOrder(api, body);
    expect(response.status(), JSON.stringify(body)).toBe(400);
    const answer = await response.json();
    expect(answer).toMatchObject({ error: "invalid_request", message: expect.any(String) });
    expect(answer.issues.length).toBeGreaterThan(0);
  }
});

test("only purchasing and admin may raise one: operator, planner, manager are 403", async ({ as, anonymous }) => {
  const body = await orderBody(await as("buyer"));
  for (const username of ["operator", "planner", "manager"] as const) {
    const response = await createOrder(await as(username), body);
    expect(response.status(), username).toBe(403);
    expect(await response.json()).toEqual({ error: "forbidden", message: expect.any(String) });
  }
  const response = await createOrder(await anonymous(), body);
  expect(response.status()).toBe(401);
  expect(await response.json()).toEqual({ error: "unauthenticated", message: expect.any(String) });
});

test("an order that does not exist is 404, an id that is not a UUID 400", async ({ as }) => {
  const api = await as("buyer");
  const missing = await api.get(`/api/purchase-orders/${randomUUID()}`);
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toEqual({ error: "not_found", message: expect.any(String) });
  const malformed = await api.get("/api/purchase-orders/not-an-id");
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error).toBe("invalid_request");
});

test("the outbox view is the admin's: 200 with backlog and dead letters, 403 for a buyer", async ({ as }) => {
  const admin = await as("admin");
  const response = await admin.get("/api/admin/outbox");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({
    pending: expect.any(Number),
    retrying: expect.any(Number),
    deadLettered: expect.any(Number),
    deadLetters: expect.any(Array),
  });
  const buyer = await as("buyer");
  const refused = await buyer.get("/api/admin/outbox");
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toEqual({ error: "forbidden", message: expect.any(String) });
});
