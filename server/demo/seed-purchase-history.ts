import { randomUUID } from "node:crypto";
import { Prisma } from "../generated/prisma/client";
import { supplierDeliveryAggregate } from "../purchasing/get-purchase-order-or-throw";
import { type DemoDelivery, type DemoOrder, demoItems, demoOrderHistory } from "./demo-data";

// The demo's purchasing history (demoOrderHistory), written the way the
// application would have left it: orders that the relay sent long ago, their
// delivery attempts, goods receipts and receipt movements in the ledger.
//
// Nothing is left for the worker to do: each order's outbox message is written
// as already processed (delivered, or refused for good), so no order is sent
// to a supplier again. Those rows exist only so that delivery_attempts point
// at real outbox ids (the pruner deletes them later; the attempts stay).

type Tx = Prisma.TransactionClient;

const DAY_MS = 86_400_000;
const SECOND_MS = 1000;
/** The worker that "delivered" the history, as delivery_attempts.worker and outbox_messages.locked_by. */
const historyWorker = "demo-history";
/** Attempts before the outbox dead-letters a message (OUTBOX_MAX_ATTEMPTS' default). */
const maxAttempts = 10;

type Attempt = { at: Date; outcome: "delivered" | "retry" | "failed" | "dead_lettered"; error: string | null };

/** What each item received over the history, by SKU: the ledger's opening balance is its stock less this. */
export function historyReceiptsBySku(history: ReadonlyArray<DemoOrder> = demoOrderHistory): Map<string, number> {
  const totals = new Map<string, number>();
  for (const order of history) {
    if (order.receivedAfterDays === undefined) continue;
    for (const [sku, qty] of order.lines) totals.set(sku, (totals.get(sku) ?? 0) + qty);
  }
  return totals;
}

/** The opening balance of each item at the start of the history; throws when the history received more than is in stock. */
export function openingBalances(): Map<string, number> {
  const received = historyReceiptsBySku();
  const balances = new Map<string, number>();
  for (const [sku, , , stockQty] of demoItems) {
    const opening = stockQty - (received.get(sku) ?? 0);
    if (opening < 0) throw new Error(`demo history receives more ${sku} than its stock of ${stockQty}`);
    balances.set(sku, opening);
  }
  for (const sku of received.keys()) {
    if (!balances.has(sku)) throw new Error(`demo history orders unknown item ${sku}`);
  }
  return balances;
}

/** When the history (and with it the ledger) starts: a day before the first order. */
export function historyStart(planStart: Date): Date {
  const oldest = Math.max(...demoOrderHistory.map((o) => o.orderedDaysAgo));
  return new Date(planStart.getTime() - (oldest + 1) * DAY_MS);
}

/** The relay's attempts for one order, from its creation on; the last one decides. */
function attemptsFor(delivery: DemoDelivery, orderedAt: Date, sku: string): Attempt[] {
  const at = (ms: number) => new Date(orderedAt.getTime() + ms);
  switch (delivery) {
    case "delivered":
      return [{ at: at(2 * SECOND_MS), outcome: "delivered", error: null }];
    case "retried":
      return [
        { at: at(2 * SECOND_MS), outcome: "retry", error: "supplier answered 503: Service Unavailable" },
        { at: at(4 * SECOND_MS), outcome: "delivered", error: null },
      ];
    case "refused":
      return [
        {
          at: at(2 * SECOND_MS),
          outcome: "failed",
          error: `supplier answered 422: article ${sku} is not in the catalogue`,
        },
      ];
    case "dead_lettered_requeued": {
      // The retry back-off (1 s doubling, at most 5 min), then an admin re-queues it the next morning.
      const attempts: Attempt[] = [];
      let elapsed = 2 * SECOND_MS;
      for (let n = 1; n <= maxAttempts; n++) {
        attempts.push({
          at: at(elapsed),
          outcome: n === maxAttempts ? "dead_lettered" : "retry",
          error: "connect ETIMEDOUT: supplier endpoint did not answer within 5000 ms",
        });
        elapsed += Math.min(SECOND_MS * 2 ** (n - 1), 300 * SECOND_MS) + 5 * SECOND_MS;
      }
      attempts.push({ at: at(20 * 3_600_000), outcome: "delivered", error: null });
      return attempts;
    }
  }
}

/**
 * Writes the purchasing history. Runs inside the seed's transaction, after the
 * items (with their opening balances, see openingBalances), suppliers and
 * users exist.
 */
export async function createPurchaseHistory(
  tx: Tx,
  {
    planStart,
    itemIds,
    supplierIds,
    buyerId,
  }: { planStart: Date; itemIds: Map<string, number>; supplierIds: Map<string, number>; buyerId: number },
): Promise<void> {
  const receipts: { at: Date; purchaseOrderId: string; lines: { itemId: number; qty: number }[] }[] = [];
  const orders = [...demoOrderHistory].sort((a, b) => b.orderedDaysAgo - a.orderedDaysAgo);
  let orderNo = 0;

  for (const order of orders) {
    orderNo += 1;
    const orderedAt = new Date(planStart.getTime() - order.orderedDaysAgo * DAY_MS);
    const delivery = order.delivery ?? "delivered";
    const lines = order.lines.map(([sku, qty, unitPrice], index) => {
      const itemId = itemIds.get(sku);
      if (itemId === undefined) throw new Error(`demo history orders unknown item ${sku}`);
      return { lineNo: index + 1, itemId, qty, unitPrice };
    });
    const attempts = attemptsFor(delivery, orderedAt, order.lines[0]?.[0] ?? "");
    const last = attempts[attempts.length - 1] as Attempt;
    const sent = last.outcome === "delivered";
    const receivedAt =
      order.receivedAfterDays === undefined ? null : new Date(orderedAt.getTime() + order.receivedAfterDays * DAY_MS);
    if (receivedAt && (!sent || receivedAt.getTime() > planStart.getTime())) {
      throw new Error(`demo order of ${order.orderedDaysAgo} days ago is received before it was sent or in the future`);
    }
    const status = !sent ? "FAILED" : receivedAt ? "RECEIVED" : order.acknowledged === false ? "SENT" : "ACKNOWLEDGED";
    const supplierId = supplierIds.get(order.supplier);
    if (supplierId === undefined) throw new Error(`demo history orders from unknown supplier ${order.supplier}`);

    const po = await tx.purchaseOrder.create({
      data: {
        supplierId,
        status,
        idempotencyKey: randomUUID(),
        createdBy: buyerId,
        createdAt: orderedAt,
        updatedAt: receivedAt ?? last.at,
        sentAt: sent ? last.at : null,
        acknowledgedAt: sent && order.acknowledged !== false ? last.at : null,
        supplierReference: sent ? `${order.supplier}-SO-${String(40000 + orderNo * 37)}` : null,
        failureReason: sent ? null : `The supplier refused the order: ${last.error}`,
      },
      select: { id: true },
    });
    await tx.purchaseOrderLine.createMany({
      data: [...lines]
        .sort((a, b) => a.itemId - b.itemId)
        .map((l) => ({
          purchaseOrderId: po.id,
          lineNo: l.lineNo,
          itemId: l.itemId,
          qty: l.qty,
          unitPrice: new Prisma.Decimal(String(l.unitPrice)),
          receivedQty: receivedAt ? l.qty : 0,
        })),
    });

    // The order's delivery message, as the relay left it: processed (delivered
    // or refused), never pending. A re-queued dead letter counts afresh from 1.
    const requeued = delivery === "dead_lettered_requeued";
    const message = await tx.outboxMessage.create({
      data: {
        aggregateType: supplierDeliveryAggregate,
        aggregateId: po.id,
        eventType: "purchase_order.created",
        payload: { purchaseOrderId: po.id },
        createdAt: orderedAt,
        attempts: requeued ? 1 : attempts.length,
        nextAttemptAt: requeued ? (attempts[attempts.length - 2] as Attempt).at : orderedAt,
        processedAt: last.at,
        lastError: last.outcome === "failed" ? last.error : null,
        lockedBy: historyWorker,
      },
      select: { id: true },
    });
    let attemptNo = 0;
    await tx.deliveryAttempt.createMany({
      data: attempts.map((a) => {
        attemptNo = a.outcome === "delivered" && requeued ? 1 : attemptNo + 1;
        return {
          outboxMessageId: message.id,
          aggregateType: supplierDeliveryAggregate,
          aggregateId: po.id,
          attempt: attemptNo,
          attemptedAt: a.at,
          outcome: a.outcome,
          error: a.error,
          durationMs: a.outcome === "delivered" ? 180 : a.error?.includes("ETIMEDOUT") ? 5000 : 95,
          nextAttemptAt: a.outcome === "retry" ? new Date(a.at.getTime() + SECOND_MS) : null,
          worker: historyWorker,
        };
      }),
    });

    if (receivedAt) {
      const receiptLines = lines.map((l) => ({ itemId: l.itemId, qty: l.qty })).sort((a, b) => a.itemId - b.itemId);
      await tx.goodsReceipt.create({
        data: { purchaseOrderId: po.id, receivedBy: buyerId, lines: receiptLines, createdAt: receivedAt },
      });
      receipts.push({ at: receivedAt, purchaseOrderId: po.id, lines: receiptLines });
    }
  }

  // The receipts in the ledger, in the order they happened, after the opening
  // balances: each item's last movement then says its stock in demoItems.
  const stock = new Map<number, number>();
  for (const [sku, opening] of openingBalances()) stock.set(itemIds.get(sku) as number, opening);
  receipts.sort((a, b) => a.at.getTime() - b.at.getTime());
  await tx.inventoryMovement.createMany({
    data: receipts.flatMap((receipt) =>
      receipt.lines.map((line) => {
        const after = (stock.get(line.itemId) ?? 0) + line.qty;
        stock.set(line.itemId, after);
        return {
          itemId: line.itemId,
          kind: "receipt",
          qty: line.qty,
          stockAfter: after,
          reservedAfter: 0,
          reference: receipt.purchaseOrderId,
          actorId: buyerId,
          createdAt: receipt.at,
        };
      }),
    ),
  });
}
