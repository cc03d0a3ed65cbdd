import { type Db, prisma } from "../db";
import { transientRetry } from "../db/transient-retry";
import { AppError, SqlState, sqlState } from "../errors";
import { Prisma } from "../generated/prisma/client";
import { enqueueLiveEvent, enqueueOutboxMessage } from "../outbox/enqueue-outbox-message";
import { wakeOutboxRelay } from "../outbox/wake";
import {
  getPurchaseOrderOrThrow,
  type PurchaseOrderView,
  supplierDeliveryAggregate,
  toPurchaseOrderView,
} from "./get-purchase-order-or-throw";

export type CreatePurchaseOrderInput = {
  supplierId: number;
  lines: { itemId: number; qty: number; unitPrice: number }[];
  note?: string;
  actorId: number;
  /** The client's Idempotency-Key: unique in purchase_orders, and the key the relay sends the supplier. */
  idempotencyKey: string;
  /** A fingerprint of the request body, to tell a replay from a reused key. */
  requestHash: string | null;
  db?: Db;
};

/**
 * Records a purchase order and, in the same transaction, the outbox message
 * that delivers it to the supplier: the order exists if and only if its
 * delivery is queued. Nothing here talks to the supplier; the relay does,
 * after commit, with the order's idempotency key.
 */
export async function createPurchaseOrder(
  input: CreatePurchaseOrderInput,
): Promise<{ purchaseOrder: PurchaseOrderView; replayed: boolean }> {
  const db = input.db ?? prisma();
  // Redis lost the key (or never had it): the database still knows it.
  const earlier = await db.purchaseOrder.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
  if (earlier) return replay(input, earlier, db);

  let purchaseOrder: PurchaseOrderView;
  try {
    purchaseOrder = await transientRetry.execute(() =>
      // Above lock_timeout, so that a busy row ends in 55P03 and not in Prisma's own timeout.
      db.$transaction((tx) => insertOrder(tx, input), { maxWait: 5_000, timeout: 15_000 }),
    );
  } catch (error) {
    const state = sqlState(error);
    if (state === SqlState.lockNotAvailable) {
      throw new AppError(
        "lock_timeout",
        "The supplier or items are being changed by another request right now. Nothing was ordered; try again in a moment.",
        {},
        1,
      );
    }
    if (state !== SqlState.uniqueViolation) throw error;
    // A concurrent request with the same key committed between our lookup
    // and our insert: the unique index made us wait for it, then refused.
    const winner = await db.purchaseOrder.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
    if (!winner) throw error;
    return replay(input, winner, db);
  }
  wakeOutboxRelay();
  return { purchaseOrder, replayed: false };
}

async function insertOrder(tx: Prisma.TransactionClient, input: CreatePurchaseOrderInput) {
  // The line inserts take key-share locks on their items (the foreign key):
  // wait at most 5 s for an item a receipt or reservation holds.
  await tx.$executeRaw`SELECT set_config('lock_timeout', '5s', true)`;
  const supplier = await tx.supplier.findUnique({
    where: { id: input.supplierId },
    select: { id: true, name: true, riskLevel: true },
  });
  if (!supplier) throw new AppError("not_found", `Supplier ${input.supplierId} does not exist.`);

  const itemIds = input.lines.map((line) => line.itemId);
  const items = await tx.inventoryItem.findMany({
    where: { id: { in: itemIds } },
    select: { id: true, sku: true, name: true, unit: true },
  });
  const itemById = new Map(items.map((item) => [item.id, item]));
  const unknown = itemIds.filter((id) => !itemById.has(id)).sort((a, b) => a - b);
  if (unknown.length > 0) {
    throw new AppError("unknown_items", `No inventory item has id ${unknown.join(", ")}.`, { itemIds: unknown });
  }
  const creator = await tx.user.findUniqueOrThrow({ where: { id: input.actorId }, select: { username: true } });

  // Plain statements, no nested writes or includes: Prisma runs those as
  // several queries at once, which one transaction connection cannot do.
  const order = await tx.purchaseOrder.create({
    data: {
      supplierId: input.supplierId,
      status: "PENDING",
      idempotencyKey: input.idempotencyKey,
      requestHash: input.requestHash,
      createdBy: input.actorId,
    },
  });
  const lines = input.lines.map((line, index) => ({
    purchaseOrderId: order.id,
    lineNo: index + 1,
    itemId: line.itemId,
    qty: line.qty,
    // From the JSON number's shortest text, so 0.1 is stored as 0.1 exactly.
    unitPrice: new Prisma.Decimal(String(line.unitPrice)),
    receivedQty: 0,
  }));
  // Numbered in the buyer's order, inserted in item id order: the foreign-key
  // locks are then taken in the order receipts and reservations take theirs.
  await tx.purchaseOrderLine.createMany({ data: [...lines].sort((a, b) => a.itemId - b.itemId) });

  await enqueueOutboxMessage({
    db: tx,
    aggregateType: supplierDeliveryAggregate,
    aggregateId: order.id,
    eventType: "purchase_order.created",
    payload: { purchaseOrderId: order.id },
  });
  await enqueueLiveEvent({
    db: tx,
    type: "purchase_order.updated",
    aggregateType: "purchase_order",
    aggregateId: order.id,
    payload: { id: order.id, supplierId: order.supplierId, status: "PENDING" },
  });
  await tx.auditLog.create({
    data: {
      actorId: input.actorId,
      action: "purchase_order.create",
      targetType: "purchase_order",
      targetId: order.id,
      // The note has no column on the order yet; the audit trail keeps it.
      detail: { supplierId: input.supplierId, lines: input.lines, ...(input.note ? { note: input.note } : {}) },
    },
  });

  const withItems = lines.map((line) => ({ ...line, item: itemById.get(line.itemId) as (typeof items)[number] }));
  // Just created: no delivery has been attempted yet.
  return toPurchaseOrderView({ ...order, supplier, creator, lines: withItems }, []);
}

async function replay(
  input: CreatePurchaseOrderInput,
  earlier: { id: string; createdBy: number; requestHash: string | null },
  db: Db,
): Promise<{ purchaseOrder: PurchaseOrderView; replayed: boolean }> {
  if (earlier.createdBy !== input.actorId || earlier.requestHash !== input.requestHash) {
    throw new AppError(
      "idempotency_key_reused",
      "This Idempotency-Key was already used for a different request. Use a new key for a new purchase order.",
    );
  }
  // The order as it is now: the relay may have sent it since the first answer.
  return { purchaseOrder: await getPurchaseOrderOrThrow({ id: earlier.id, db }), replayed: true };
}
