import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as receiveRoute } from "@/app/api/purchase-orders/[id]/receipts/route";
import { pool } from "../db";
import { createItem } from "../testing/factories";
import { actor, call } from "../testing/http";
import { createItems, createPurchaseOrderIn, outboxRowsFor, snapshotPurchasing } from "../testing/purchase-orders";
import { type HeldLock, holdRowLock, waitForLockWaiters } from "../testing/row-lock";

// Goods arrive at the dock against an order the supplier has: stock goes up
// by what arrived, never by more than was ordered, however many people book
// the same delivery at once.

let buyer: Awaited<ReturnType<typeof actor>>;
let held: HeldLock | undefined;

beforeAll(async () => {
  buyer = await actor("purchasing");
});
afterEach(async () => {
  await held?.release();
  held = undefined;
});

const receive = (id: string, lines: { itemId: number; qty: number }[]) =>
  call(receiveRoute, {
    token: buyer.token,
    params: { id },
    path: `/api/purchase-orders/${id}/receipts`,
    body: { lines },
  });

async function stockOf(itemId: number) {
  const { rows } = await pool().query<{ stock_qty: number; reserved_qty: number }>(
    "SELECT stock_qty, reserved_qty FROM inventory_items WHERE id = $1",
    [itemId],
  );
  return rows[0];
}

async function receiptsOf(orderId: string) {
  const { rows } = await pool().query(
    `SELECT item_id, kind, qty, stock_after, reserved_after, reference, actor_id
     FROM inventory_movements WHERE reference = $1 ORDER BY id`,
    [orderId],
  );
  return rows;
}

describe("receiving goods against a purchase order", () => {
  it("adds to stock, books the ledger and the events, and marks the order RECEIVED once complete", async () => {
    const steel = await createItem({ stockQty: 10, reservedQty: 4 });
    const paint = await createItem({ stockQty: 0 });
    const order = await createPurchaseOrderIn({
      status: "ACKNOWLEDGED",
      lines: [
        { itemId: steel.id, qty: 50 },
        { itemId: paint.id, qty: 8 },
      ],
    });

    const partial = await receive(order.id, [{ itemId: steel.id, qty: 20 }]);
    expect(partial.status, JSON.stringify(partial.body)).toBe(200);
    expect(partial.body).toMatchObject({ id: order.id, status: "ACKNOWLEDGED" });
    expect(partial.body.lines.map((l: { receivedQty: number }) => l.receivedQty)).toEqual([20, 0]);
    expect(await stockOf(steel.id)).toEqual({ stock_qty: 30, reserved_qty: 4 });

    const rest = await receive(order.id, [
      { itemId: paint.id, qty: 8 },
      { itemId: steel.id, qty: 30 },
    ]);
    expect(rest.status).toBe(200);
    expect(rest.body.status).toBe("RECEIVED");
    expect(rest.body.lines.map((l: { receivedQty: number }) => l.receivedQty)).toEqual([50, 8]);
    expect(await stockOf(steel.id)).toEqual({ stock_qty: 60, reserved_qty: 4 });
    expect(await stockOf(paint.id)).toEqual({ stock_qty: 8, reserved_qty: 0 });

    const who = buyer.user.id;
    expect(await receiptsOf(order.id)).toEqual([
      {
        item_id: steel.id,
        kind: "receipt",
        qty: 20,
        stock_after: 30,
        reserved_after: 4,
        reference: order.id,
        actor_id: who,
      },
      {
        item_id: steel.id,
        kind: "receipt",
        qty: 30,
        stock_after: 60,
        reserved_after: 4,
        reference: order.id,
        actor_id: who,
      },
      {
        item_id: paint.id,
        kind: "receipt",
        qty: 8,
        stock_after: 8,
        reserved_after: 0,
        reference: order.id,
        actor_id: who,
      },
    ]);

    const events = (await outboxRowsFor(order.id)).filter((e) => e.eventType !== "purchase_order.created");
    expect(events.slice(1)).toEqual([
      {
        aggregateType: "inventory",
        eventType: "inventory.changed",
        payload: {
          reason: "receipt",
          purchaseOrderId: order.id,
          items: [{ itemId: steel.id, stockQty: 30, reservedQty: 4, availableQty: 26 }],
        },
      },
      {
        aggregateType: "purchase_order",
        eventType: "purchase_order.updated",
        payload: { id: order.id, supplierId: order.supplierId, status: "ACKNOWLEDGED" },
      },
      {
        aggregateType: "inventory",
        eventType: "inventory.changed",
        payload: {
          reason: "receipt",
          purchaseOrderId: order.id,
          // Ascending item ids; steel was created first.
          items: [
            { itemId: steel.id, stockQty: 60, reservedQty: 4, availableQty: 56 },
            { itemId: paint.id, stockQty: 8, reservedQty: 0, availableQty: 8 },
          ],
        },
      },
      {
        aggregateType: "purchase_order",
        eventType: "purchase_order.updated",
        payload: { id: order.id, supplierId: order.supplierId, status: "RECEIVED" },
      },
    ]);
    const { rows: audit } = await pool().query("SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id", [
      order.id,
    ]);
    expect(audit.map((r) => r.action)).toEqual([
      "purchase_order.create",
      "purchase_order.receive",
      "purchase_order.receive",
    ]);
  });

  it("refuses to receive more than is outstanding (409 over_receipt), and changes nothing", async () => {
    const [a, b] = await createItems(2, 5);
    if (!a || !b) throw new Error("no items");
    const order = await createPurchaseOrderIn({
      lines: [
        { itemId: a.id, qty: 10 },
        { itemId: b.id, qty: 3 },
      ],
    });
    expect((await receive(order.id, [{ itemId: a.id, qty: 7 }])).status).toBe(200);

    const before = await snapshotPurchasing();
    const res = await receive(order.id, [
      { itemId: a.id, qty: 4 },
      { itemId: b.id, qty: 3 },
    ]);
    expect(res).toMatchObject({
      status: 409,
      body: {
        error: "over_receipt",
        message: `More than was ordered. ${a.sku} ${a.name}: 4 pcs received, 3 outstanding. Nothing was received.`,
        overReceipts: [
          { itemId: a.id, sku: a.sku, name: a.name, ordered: 10, received: 7, outstanding: 3, requested: 4 },
        ],
      },
    });
    expect(await snapshotPurchasing()).toEqual(before);
  });

  it.each(["PENDING", "FAILED", "RECEIVED"] as const)(
    "refuses a %s order (409) and changes nothing",
    async (status) => {
      const item = await createItem({ stockQty: 0 });
      const order = await createPurchaseOrderIn({ status, lines: [{ itemId: item.id, qty: 5 }] });
      const before = await snapshotPurchasing();
      const res = await receive(order.id, [{ itemId: item.id, qty: 1 }]);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ error: "purchase_order_not_receivable", status });
      expect(res.body.message).toContain(`Purchase order ${order.id} is ${status}: `);
      expect(await snapshotPurchasing()).toEqual(before);
    },
  );

  it("refuses items that are not on the order (400)", async () => {
    const [onOrder, other] = await createItems(2);
    if (!onOrder || !other) throw new Error("no items");
    const order = await createPurchaseOrderIn({ lines: [{ itemId: onOrder.id, qty: 5 }] });
    const before = await snapshotPurchasing();
    const res = await receive(order.id, [
      { itemId: onOrder.id, qty: 1 },
      { itemId: other.id, qty: 1 },
    ]);
    expect(res).toMatchObject({
      status: 400,
      body: {
        error: "items_not_on_order",
        message: `Item ${other.id} is not on purchase order ${order.id}.`,
        itemIds: [other.id],
      },
    });
    expect(await snapshotPurchasing()).toEqual(before);
  });

  it("answers 503 lock_timeout with Retry-After when an item stays locked, and changes nothing", async () => {
    const item = await createItem({ stockQty: 1 });
    const order = await createPurchaseOrderIn({ lines: [{ itemId: item.id, qty: 5 }] });
    held = await holdRowLock("SELECT id FROM inventory_items WHERE id = $1 FOR UPDATE", [item.id]);
    const pending = receive(order.id, [{ itemId: item.id, qty: 5 }]);
    await waitForLockWaiters(held);
    const res = await pending;
    expect(res).toMatchObject({
      status: 503,
      body: {
        error: "lock_timeout",
        message:
          "This order or its items are being changed by another request right now. Nothing was received; try again in a moment.",
      },
    });
    expect(res.headers.get("retry-after")).toBe("1");
    await held.release();
    expect(await stockOf(item.id)).toEqual({ stock_qty: 1, reserved_qty: 0 });
    // Free again: the same receipt goes through.
    expect((await receive(order.id, [{ itemId: item.id, qty: 5 }])).body.status).toBe("RECEIVED");
  });
});

describe("concurrent receipts", () => {
  it("never take in more than was ordered", async () => {
    const item = await createItem({ stockQty: 0 });
    const order = await createPurchaseOrderIn({ lines: [{ itemId: item.id, qty: 100 }] });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => receive(order.id, [{ itemId: item.id, qty: 30 }])),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 409, 409, 409, 409, 409]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.error).toBe("over_receipt");
    expect(await stockOf(item.id)).toEqual({ stock_qty: 90, reserved_qty: 0 });
    expect(await receiptsOf(order.id)).toHaveLength(3);
    const { rows } = await pool().query("SELECT received_qty FROM purchase_order_lines WHERE purchase_order_id = $1", [
      order.id,
    ]);
    expect(rows).toEqual([{ received_qty: 90 }]);
  });

  it("on orders that list the same items in opposite order do not deadlock", async () => {
    const [x, y] = await createItems(2, 0);
    if (!x || !y) throw new Error("no items");
    const orders = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        createPurchaseOrderIn({
          lines:
            i % 2
              ? [
                  { itemId: x.id, qty: 10 },
                  { itemId: y.id, qty: 10 },
                ]
              : [
                  { itemId: y.id, qty: 10 },
                  { itemId: x.id, qty: 10 },
                ],
        }),
      ),
    );
    const results = await Promise.all(
      orders.map((o, i) =>
        receive(
          o.id,
          i % 2
            ? [
                { itemId: x.id, qty: 10 },
                { itemId: y.id, qty: 10 },
              ]
            : [
                { itemId: y.id, qty: 10 },
                { itemId: x.id, qty: 10 },
              ],
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await stockOf(x.id)).toEqual({ stock_qty: 60, reserved_qty: 0 });
    expect(await stockOf(y.id)).toEqual({ stock_qty: 60, reserved_qty: 0 });
  });

  it("a repeated receipt with the same Idempotency-Key books once", async () => {
    const item = await createItem({ stockQty: 0 });
    const order = await createPurchaseOrderIn({ lines: [{ itemId: item.id, qty: 10 }] });
    const key = randomUUID();
    const send = () =>
      call(receiveRoute, {
        token: buyer.token,
        params: { id: order.id },
        idempotencyKey: key,
        body: { lines: [{ itemId: item.id, qty: 4 }] },
      });
    const first = await send();
    const again = await send();
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await stockOf(item.id)).toEqual({ stock_qty: 4, reserved_qty: 0 });
  });
});
