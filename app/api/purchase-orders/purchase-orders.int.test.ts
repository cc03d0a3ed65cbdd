import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { pool, prisma } from "@/server/db";
import { createItem, createSupplier } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import { outboxRowsFor, setPurchaseOrderStatus } from "@/server/testing/purchase-orders";
import { GET as getOrder } from "./[id]/route";
import { POST as createOrder, GET as listOrders } from "./route";

// A buyer raises a purchase order: the order, its lines, the message that
// will deliver it to the supplier and the live update are written together,
// and the order page reads them back with every delivery attempt.

type Actor = Awaited<ReturnType<typeof actor>>;
let buyer: Actor;
let manager: Actor;
let supplier: Awaited<ReturnType<typeof createSupplier>>;
let bolts: Awaited<ReturnType<typeof createItem>>;
let nuts: Awaited<ReturnType<typeof createItem>>;

beforeAll(async () => {
  buyer = await actor("purchasing");
  manager = await actor("manager");
  supplier = await prisma().supplier.update({
    where: { id: (await createSupplier()).id },
    data: { riskLevel: "high" },
  });
  bolts = await createItem({ stockQty: 5 });
  nuts = await createItem({ stockQty: 0 });
});

const create = (body: unknown, who: Actor = buyer, idempotencyKey?: string) =>
  call(createOrder, { token: who.token, path: "/api/purchase-orders", body, idempotencyKey });

describe("POST /api/purchase-orders", () => {
  it("answers 201 with the PENDING order, lines numbered in the order sent", async () => {
    const res = await create({
      supplierId: supplier.id,
      lines: [
        { itemId: nuts.id, qty: 3, unitPrice: 0.1 },
        { itemId: bolts.id, qty: 1000, unitPrice: 12.3456 },
      ],
      note: "Deliver to gate 2",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: "PENDING",
      supplierId: supplier.id,
      supplier: { id: supplier.id, name: supplier.name, riskLevel: "high" },
      lines: [
        {
          lineNo: 1,
          itemId: nuts.id,
          sku: nuts.sku,
          name: nuts.name,
          unit: "pcs",
          qty: 3,
          unitPrice: 0.1,
          receivedQty: 0,
        },
        {
          lineNo: 2,
          itemId: bolts.id,
          sku: bolts.sku,
          name: bolts.name,
          unit: "pcs",
          qty: 1000,
          unitPrice: 12.3456,
          receivedQty: 0,
        },
      ],
      // 3 × 0.1 + 1000 × 12.3456, in decimal arithmetic.
      total: 12345.9,
      createdAt: expect.any(String),
      createdBy: buyer.user.username,
      sentAt: null,
      acknowledgedAt: null,
      failureReason: null,
      supplierReference: null,
      attempts: [],
    });
    expect(Date.parse(res.body.createdAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("writes the order, its lines, one delivery message, one live event and an audit row together", async () => {
    const key = randomUUID();
    const res = await create(
      { supplierId: supplier.id, lines: [{ itemId: bolts.id, qty: 7, unitPrice: 2.5 }] },
      buyer,
      key,
    );
    expect(res.status).toBe(201);
    const id: string = res.body.id;

    const { rows: orders } = await pool().query(
      "SELECT status, idempotency_key, request_hash, created_by FROM purchase_orders WHERE id = $1",
      [id],
    );
    expect(orders).toEqual([
      {
        status: "PENDING",
        idempotency_key: key,
        request_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        created_by: buyer.user.id,
      },
    ]);
    const { rows: lines } = await pool().query(
      "SELECT line_no, item_id, qty, unit_price::text, received_qty FROM purchase_order_lines WHERE purchase_order_id = $1",
      [id],
    );
    expect(lines).toEqual([{ line_no: 1, item_id: bolts.id, qty: 7, unit_price: "2.5000", received_qty: 0 }]);

    expect(await outboxRowsFor(id)).toEqual([
      { aggregateType: "supplier_delivery", eventType: "purchase_order.created", payload: { purchaseOrderId: id } },
      {
        aggregateType: "purchase_order",
        eventType: "purchase_order.updated",
        payload: { id, supplierId: supplier.id, status: "PENDING" },
      },
    ]);
    const { rows: audit } = await pool().query(
      "SELECT actor_id, action, target_type FROM audit_log WHERE target_id = $1",
      [id],
    );
    expect(audit).toEqual([
      { actor_id: buyer.user.id, action: "purchase_order.create", target_type: "purchase_order" },
    ]);
  });
});

describe("GET /api/purchase-orders/{id}", () => {
  it("answers what the create answered, then the delivery attempts oldest first", async () => {
    const created = await create({ supplierId: supplier.id, lines: [{ itemId: nuts.id, qty: 1, unitPrice: 0 }] });
    const id: string = created.body.id;
    const first = await call(getOrder, { token: manager.token, params: { id } });
    expect(first).toMatchObject({ status: 200, body: created.body });

    // What the relay records (it does not run here).
    const t0 = new Date("2026-11-25T10:00:00Z");
    const t1 = new Date("2026-11-25T10:00:02Z");
    await prisma().deliveryAttempt.createMany({
      data: [
        {
          outboxMessageId: 1,
          aggregateType: "supplier_delivery",
          aggregateId: id,
          attempt: 1,
          attemptedAt: t0,
          outcome: "retry",
          error: "supplier answered 503",
          durationMs: 31,
          nextAttemptAt: t1,
        },
        {
          outboxMessageId: 1,
          aggregateType: "supplier_delivery",
          aggregateId: id,
          attempt: 2,
          attemptedAt: t1,
          outcome: "delivered",
          durationMs: 12,
        },
        // Another aggregate's attempt with the same id text is not this order's.
        { outboxMessageId: 2, aggregateType: "inventory", aggregateId: id, attempt: 1, outcome: "delivered" },
      ],
    });
    await setPurchaseOrderStatus(id, "ACKNOWLEDGED");

    const later = await call(getOrder, { token: buyer.token, params: { id } });
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({
      status: "ACKNOWLEDGED",
      sentAt: expect.any(String),
      acknowledgedAt: expect.any(String),
    });
    expect(later.body.attempts).toEqual([
      {
        at: t0.toISOString(),
        attempt: 1,
        outcome: "retry",
        error: "supplier answered 503",
        nextAttemptAt: t1.toISOString(),
        durationMs: 31,
      },
      { at: t1.toISOString(), attempt: 2, outcome: "delivered", error: null, nextAttemptAt: null, durationMs: 12 },
    ]);
  });
});

describe("GET /api/purchase-orders", () => {
  it("lists the newest first, filtered by status and supplier", async () => {
    const other = await createSupplier();
    const a = await create({ supplierId: other.id, lines: [{ itemId: bolts.id, qty: 2, unitPrice: 1.25 }] });
    const b = await create({ supplierId: other.id, lines: [{ itemId: nuts.id, qty: 1, unitPrice: 3 }] });
    await setPurchaseOrderStatus(a.body.id, "FAILED");

    const all = await call(listOrders, { token: manager.token, path: `/api/purchase-orders?supplierId=${other.id}` });
    expect(all.status).toBe(200);
    expect(all.body.purchaseOrders.map((o: { id: string }) => o.id)).toEqual([b.body.id, a.body.id]);
    expect(all.body.purchaseOrders[1]).toEqual({
      id: a.body.id,
      status: "FAILED",
      supplierId: other.id,
      supplier: { id: other.id, name: other.name, riskLevel: null },
      lineCount: 1,
      total: 2.5,
      createdAt: a.body.createdAt,
      createdBy: buyer.user.username,
      sentAt: expect.any(String),
      acknowledgedAt: null,
      failureReason: "supplier answered 422: unknown article",
      supplierReference: null,
    });

    const failed = await call(listOrders, {
      token: buyer.token,
      path: `/api/purchase-orders?supplierId=${other.id}&status=FAILED`,
    });
    expect(failed.body.purchaseOrders.map((o: { id: string }) => o.id)).toEqual([a.body.id]);

    const one = await call(listOrders, { token: buyer.token, path: "/api/purchase-orders?limit=1" });
    expect(one.body.purchaseOrders).toHaveLength(1);
  });

  it.each([
    ["status=LOST", "status"],
    ["limit=201", "limit"],
    ["limit=0", "limit"],
    ["supplierId=abc", "supplierId"],
  ])("refuses ?%s with 400", async (query, field) => {
    const res = await call(listOrders, { token: buyer.token, path: `/api/purchase-orders?${query}` });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_request");
    expect(res.body.issues[0].path).toEqual([field]);
  });
});
