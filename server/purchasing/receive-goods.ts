import { type Db, prisma } from "../db";
import { transientRetry } from "../db/transient-retry";
import { AppError, SqlState, sqlState } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { enqueueLiveEvent } from "../outbox/enqueue-outbox-message";
import { wakeOutboxRelay } from "../outbox/wake";
import {
  getPurchaseOrderOrThrow,
  type PurchaseOrderStatus,
  type PurchaseOrderView,
} from "./get-purchase-order-or-throw";

export type ReceiveGoodsInput = {
  purchaseOrderId: string;
  /** One line per item, each item at most once (the route checks). */
  lines: { itemId: number; qty: number }[];
  actorId: number;
  /** The request's Idempotency-Key and body fingerprint: goods_receipts keeps them under a unique key. */
  idempotencyKey?: string | null;
  requestHash?: string | null;
  db?: Db;
};

type OrderLine = { itemId: number; qty: number; receivedQty: number; sku: string; name: string; unit: string };

const receivable: readonly PurchaseOrderStatus[] = ["SENT", "ACKNOWLEDGED"];

/**
 * Books goods that arrived against an order: stock goes up, the order's
 * received quantities go up, one ledger row per line, all or nothing.
 *
 * Lock order: the order row first (receipts of one order queue there, so the
 * outstanding quantities cannot change under us), then the items in
 * ascending id order, the order every stock writer uses, so no deadlock.
 */
export async function receiveGoods(input: ReceiveGoodsInput): Promise<PurchaseOrderView> {
  const db = input.db ?? prisma();
  try {
    if (input.idempotencyKey && (await assertSameReceipt(db, input))) {
      return getPurchaseOrderOrThrow({ id: input.purchaseOrderId, db });
    }
    await transientRetry.execute(() =>
      // Above lock_timeout, so that a busy row ends in 55P03 and not in Prisma's own timeout.
      db.$transaction((tx) => receiveInTransaction(tx, input), { maxWait: 5_000, timeout: 15_000 }),
    );
  } catch (error) {
    const state = sqlState(error);
    // The same receipt raced in twice after Redis lost its key: the loser
    // finds the winner's receipt now.
    if (state === SqlState.uniqueViolation && input.idempotencyKey) {
      await assertSameReceipt(db, input);
      return getPurchaseOrderOrThrow({ id: input.purchaseOrderId, db });
    }
    if (state === SqlState.lockNotAvailable) {
      throw new AppError(
        "lock_timeout",
        "This order or its items are being changed by another request right now. Nothing was received; try again in a moment.",
        {},
        1,
      );
    }
    if (state === SqlState.numericValueOutOfRange) {
      throw new AppError("conflict", "The stock of an item would exceed the largest quantity the system can hold.");
    }
    throw error;
  }
  wakeOutboxRelay();
  return getPurchaseOrderOrThrow({ id: input.purchaseOrderId, db });
}

async function receiveInTransaction(tx: Prisma.TransactionClient, input: ReceiveGoodsInput): Promise<void> {
  const { purchaseOrderId: id, actorId } = input;
  await tx.$executeRaw`SELECT set_config('lock_timeout', '5s', true)`;

  const [order] = await tx.$queryRaw<{ status: PurchaseOrderStatus; supplier_id: number }[]>`
    SELECT status, supplier_id FROM purchase_orders WHERE id = ${id}::uuid FOR UPDATE`;
  if (!order) throw new AppError("not_found", `Purchase order ${id} does not exist.`);
  if (!receivable.includes(order.status)) {
    throw new AppError("purchase_order_not_receivable", notReceivableText(id, order.status), { status: order.status });
  }

  const orderLines = await tx.$queryRaw<OrderLine[]>`
    SELECT l.item_id AS "itemId", l.qty, l.received_qty AS "receivedQty", i.sku, i.name, i.unit
    FROM purchase_order_lines l JOIN inventory_items i ON i.id = l.item_id
    WHERE l.purchase_order_id = ${id}::uuid`;
  const byItem = new Map(orderLines.map((line) => [line.itemId, line]));
  const notOnOrder = input.lines.map((l) => l.itemId).filter((itemId) => !byItem.has(itemId));
  if (notOnOrder.length > 0) {
    const ids = notOnOrder.sort((a, b) => a - b);
    throw new AppError("items_not_on_order", `Item ${ids.join(", ")} is not on purchase order ${id}.`, {
      itemIds: ids,
    });
  }

  // Checked under the order's lock, before any item is locked: a refused
  // receipt then holds no stock row at all.
  const overReceipts = input.lines.flatMap(({ itemId, qty }) => {
    const line = byItem.get(itemId);
    if (!line || qty <= line.qty - line.receivedQty) return [];
    const { sku, name, unit } = line;
    const outstanding = line.qty - line.receivedQty;
    return [{ itemId, sku, name, unit, ordered: line.qty, received: line.receivedQty, outstanding, requested: qty }];
  });
  if (overReceipts.length > 0) {
    const words = overReceipts
      .map((o) => `${o.sku} ${o.name}: ${o.requested} ${o.unit} received, ${o.outstanding} outstanding`)
      .join("; ");
    throw new AppError("over_receipt", `More than was ordered. ${words}. Nothing was received.`, {
      overReceipts: overReceipts.map(({ unit: _unit, ...rest }) => rest),
    });
  }

  const sorted = [...input.lines].sort((a, b) => a.itemId - b.itemId);
  const itemIds = sorted.map((l) => l.itemId);
  const qtys = sorted.map((l) => l.qty);
  await tx.$queryRaw`SELECT id FROM inventory_items WHERE id = ANY (${itemIds}::int[]) ORDER BY id FOR UPDATE`;

  const levels = await tx.$queryRaw<{ itemId: number; stockQty: number; reservedQty: number }[]>`
    WITH updated AS (
      UPDATE inventory_items i
      SET stock_qty = i.stock_qty + r.qty, updated_at = now()
      FROM unnest(${itemIds}::int[], ${qtys}::int[]) AS r (item_id, qty)
      WHERE i.id = r.item_id
      RETURNING i.id, i.stock_qty, i.reserved_qty, r.qty
    ), ledger AS (
      INSERT INTO inventory_movements (item_id, kind, qty, stock_after, reserved_after, reference, actor_id)
      SELECT id, 'receipt', qty, stock_qty, reserved_qty, ${id}, ${actorId} FROM updated
    )
    SELECT id AS "itemId", stock_qty AS "stockQty", reserved_qty AS "reservedQty" FROM updated ORDER BY id`;

  // The CHECK (received_qty <= qty) stands behind the over-receipt check above.
  await tx.$executeRaw`
    UPDATE purchase_order_lines l SET received_qty = l.received_qty + r.qty
    FROM unnest(${itemIds}::int[], ${qtys}::int[]) AS r (item_id, qty)
    WHERE l.purchase_order_id = ${id}::uuid AND l.item_id = r.item_id`;

  const received = new Map(sorted.map((l) => [l.itemId, l.qty]));
  const complete = orderLines.every((line) => line.receivedQty + (received.get(line.itemId) ?? 0) === line.qty);
  const status: PurchaseOrderStatus = complete ? "RECEIVED" : order.status;
  await tx.purchaseOrder.update({ where: { id }, data: { status, updatedAt: new Date() } });

  await enqueueLiveEvent({
    db: tx,
    type: "inventory.changed",
    aggregateType: "inventory",
    aggregateId: id,
    payload: {
      reason: "receipt",
      purchaseOrderId: id,
      items: levels.map((l) => ({ ...l, availableQty: l.stockQty - l.reservedQty })),
    },
  });
  await enqueueLiveEvent({
    db: tx,
    type: "purchase_order.updated",
    aggregateType: "purchase_order",
    aggregateId: id,
    payload: { id, supplierId: order.supplier_id, status },
  });
  await tx.goodsReceipt.create({
    data: {
      purchaseOrderId: id,
      idempotencyKey: input.idempotencyKey ?? null,
      requestHash: input.requestHash ?? null,
      receivedBy: actorId,
      lines: sorted,
    },
  });
  await tx.auditLog.create({
    data: {
      actorId,
      action: "purchase_order.receive",
      targetType: "purchase_order",
      targetId: id,
      detail: { lines: sorted, status },
    },
  });
}

/**
 * Whether this receipt was booked already under its key (true), or not yet
 * (false). The same key on another order, by another person or with another
 * body is refused.
 */
async function assertSameReceipt(db: Db, input: ReceiveGoodsInput): Promise<boolean> {
  if (!input.idempotencyKey) return false;
  const existing = await db.goodsReceipt.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
  if (!existing) return false;
  if (
    existing.purchaseOrderId !== input.purchaseOrderId ||
    existing.receivedBy !== input.actorId ||
    existing.requestHash !== (input.requestHash ?? null)
  ) {
    throw new AppError(
      "idempotency_key_reused",
      "This Idempotency-Key was already used for a different receipt. Use a new key for a new receipt.",
    );
  }
  return true;
}

function notReceivableText(id: string, status: PurchaseOrderStatus): string {
  const why: Record<PurchaseOrderStatus, string> = {
    PENDING: "it has not been sent to the supplier yet",
    FAILED: "its delivery to the supplier failed",
    RECEIVED: "everything on it has been received already",
    SENT: "",
    ACKNOWLEDGED: "",
  };
  return `Purchase order ${id} is ${status}: ${why[status]}. Goods are received against SENT or ACKNOWLEDGED orders.`;
}
