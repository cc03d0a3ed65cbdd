import { randomUUID } from "node:crypto";
import { pool, prisma } from "../db";
import { createPurchaseOrder } from "../purchasing/create-purchase-order";
import type { PurchaseOrderStatus } from "../purchasing/get-purchase-order-or-throw";
import { createItem, createSupplier, createUser } from "./factories";

// Purchase orders for tests that start past creation: an order the relay
// has already sent (it does not run in these tests), with items in stock.

/** Creates an order through the domain function and moves it to `status` the way the relay would. */
export async function createPurchaseOrderIn({
  status = "SENT",
  lines,
  actorId,
  supplierId,
}: {
  status?: PurchaseOrderStatus;
  lines: { itemId: number; qty: number; unitPrice?: number }[];
  actorId?: number;
  supplierId?: number;
}) {
  const { purchaseOrder } = await createPurchaseOrder({
    supplierId: supplierId ?? (await createSupplier()).id,
    lines: lines.map((l) => ({ unitPrice: 1, ...l })),
    actorId: actorId ?? (await createUser({ role: "purchasing" })).id,
    idempotencyKey: randomUUID(),
    requestHash: null,
  });
  if (status !== "PENDING") await setPurchaseOrderStatus(purchaseOrder.id, status);
  return purchaseOrder;
}

export async function setPurchaseOrderStatus(id: string, status: PurchaseOrderStatus) {
  const now = new Date();
  await prisma().purchaseOrder.update({
    where: { id },
    data: {
      status,
      sentAt: status === "PENDING" ? null : now,
      acknowledgedAt: status === "ACKNOWLEDGED" || status === "RECEIVED" ? now : null,
      failureReason: status === "FAILED" ? "supplier answered 422: unknown article" : null,
    },
  });
}

/** Items with the given stock, in ascending id order. */
export async function createItems(count: number, stockQty = 0) {
  const items = [];
  for (let i = 0; i < count; i++) items.push(await createItem({ stockQty }));
  return items;
}

export type PurchasingSnapshot = {
  items: { id: number; stockQty: number; reservedQty: number }[];
  counts: Record<"orders" | "lines" | "received" | "outbox" | "movements" | "audit", number>;
};

/** Everything creating or receiving an order writes, to compare before and after a refused request. */
export async function snapshotPurchasing(): Promise<PurchasingSnapshot> {
  const db = pool();
  const [items, counts] = await Promise.all([
    db.query<{ id: number; stock_qty: number; reserved_qty: number }>(
      "SELECT id, stock_qty, reserved_qty FROM inventory_items ORDER BY id",
    ),
    db.query<PurchasingSnapshot["counts"]>(`
      SELECT (SELECT count(*)::int FROM purchase_orders) AS "orders",
             (SELECT count(*)::int FROM purchase_order_lines) AS "lines",
             (SELECT coalesce(sum(received_qty), 0)::int FROM purchase_order_lines) AS "received",
             (SELECT count(*)::int FROM outbox_messages) AS "outbox",
             (SELECT count(*)::int FROM inventory_movements) AS "movements",
             (SELECT count(*)::int FROM audit_log) AS "audit"`),
  ]);
  return {
    items: items.rows.map((r) => ({ id: r.id, stockQty: r.stock_qty, reservedQty: r.reserved_qty })),
    counts: counts.rows[0] as PurchasingSnapshot["counts"],
  };
}

/** The outbox rows written for one order, oldest first. */
export async function outboxRowsFor(purchaseOrderId: string) {
  const { rows } = await pool().query<{ aggregate_type: string; event_type: string; payload: Record<string, unknown> }>(
    `SELECT aggregate_type, event_type, payload FROM outbox_messages WHERE aggregate_id = $1 ORDER BY id`,
    [purchaseOrderId],
  );
  return rows.map((r) => ({ aggregateType: r.aggregate_type, eventType: r.event_type, payload: r.payload }));
}

/**
 * Resolves once `count` sessions of this database wait for a lock of any
 * kind: also those queued behind another waiter's uncommitted unique key,
 * whom waitForLockWaiters (blocked by one given holder) does not count.
 */
export async function waitForLockedSessions(count: number, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if ((rows[0]?.n ?? 0) >= count) return;
    if (Date.now() > deadline) throw new Error(`no ${count} session(s) waited for a lock within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
