import { BrokenCircuitError, ConsecutiveBreaker, circuitBreaker, handleWhen } from "cockatiel";
import { z } from "zod";
import { prisma } from "../db";
import type { Prisma } from "../generated/prisma/client";
import type { ClaimedMessage } from "../outbox/claim-messages";
import { enqueueLiveEvent } from "../outbox/enqueue-outbox-message";
import { type ExternalHandler, PermanentDeliveryError, RetryLaterError, type Tx } from "../outbox/handler";
import { outboxSettings } from "../outbox/settings";
import { SupplierUnavailableError, sendOrderToSupplier } from "./send-order-to-supplier";

// Delivers a new purchase order to its supplier: the relay's handler for
// `purchase_order.created`. The HTTP call happens outside any transaction;
// the order's status changes in the transaction that records the outcome.

const payloadSchema = z.object({ purchaseOrderId: z.uuid() });
type Payload = z.infer<typeof payloadSchema>;
type Result = { sent: false } | { sent: true; acknowledged: boolean; supplierReference: string | null };

// One breaker per supplier endpoint and worker: after 5 failures in a row the
// supplier is left alone for 15 s, and the waiting orders are rescheduled
// without spending their attempts.
const breakerCooldownMs = 15_000;
const breakers = new Map<string, ReturnType<typeof circuitBreaker>>();
function breakerFor(endpoint: string) {
  let breaker = breakers.get(endpoint);
  if (!breaker) {
    breaker = circuitBreaker(
      handleWhen((error) => error instanceof SupplierUnavailableError),
      { halfOpenAfter: breakerCooldownMs, breaker: new ConsecutiveBreaker(5) },
    );
    breakers.set(endpoint, breaker);
  }
  return breaker;
}

export const supplierDeliveryHandler: ExternalHandler<Payload, Result> = {
  eventType: "purchase_order.created",
  schema: payloadSchema,

  async deliver({ purchaseOrderId }) {
    const order = await prisma().purchaseOrder.findUnique({
      where: { id: purchaseOrderId },
      include: { supplier: true, lines: { include: { item: true }, orderBy: { lineNo: "asc" } } },
    });
    if (!order) throw new PermanentDeliveryError(`purchase order ${purchaseOrderId} does not exist`);
    // Sent already (a duplicate delivery after a lost lease): nothing to do.
    if (order.status !== "PENDING") return { sent: false };

    const settings = outboxSettings();
    const base = order.supplier.apiUrl ?? settings.SUPPLIER_API_URL;
    if (!base) throw new Error(`no order API configured for supplier ${order.supplier.code} (set SUPPLIER_API_URL)`);
    const endpoint = new URL("orders", base.endsWith("/") ? base : `${base}/`).toString();

    try {
      const answer = await breakerFor(endpoint).execute(() =>
        sendOrderToSupplier({
          endpoint,
          idempotencyKey: order.idempotencyKey,
          token: settings.SUPPLIER_API_TOKEN,
          timeoutMs: settings.SUPPLIER_TIMEOUT_MS,
          order: {
            purchaseOrderId: order.id,
            supplierCode: order.supplier.code,
            buyer: "Factory ERP",
            createdAt: order.createdAt.toISOString(),
            lines: order.lines.map((line) => ({
              lineNo: line.lineNo,
              sku: line.item.sku,
              name: line.item.name,
              qty: line.qty,
              unitPrice: line.unitPrice.toNumber(),
            })),
          },
        }),
      );
      return { sent: true, acknowledged: answer.acknowledged, supplierReference: answer.supplierReference };
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new RetryLaterError("supplier unavailable (circuit open): not sent", breakerCooldownMs, false);
      }
      throw error;
    }
  },

  async onDelivered(tx, { purchaseOrderId }, result, message) {
    if (!result.sent) return;
    const order = await updatePending(tx, purchaseOrderId, {
      status: result.acknowledged ? "ACKNOWLEDGED" : "SENT",
      sentAt: new Date(),
      acknowledgedAt: result.acknowledged ? new Date() : null,
      supplierReference: result.supplierReference,
      failureReason: null,
    });
    if (!order) return;
    await auditStatus(tx, order, { supplierReference: result.supplierReference });
    await announce(tx, order, message, { outcome: "delivered", error: null, nextAttemptAt: null });
    // The endpoint answers again: orders to it that wait on a back-off go
    // now, in order. Suppliers without an API of their own share the default
    // endpoint (and its breaker), so they are woken together.
    await tx.$executeRaw`
      UPDATE outbox_messages SET next_attempt_at = now()
      WHERE event_type = 'purchase_order.created' AND processed_at IS NULL AND dead_lettered_at IS NULL
        AND next_attempt_at > now()
        AND aggregate_id IN (
          SELECT po.id::text FROM purchase_orders po JOIN suppliers s ON s.id = po.supplier_id
          WHERE po.status = 'PENDING'
            AND s.api_url IS NOT DISTINCT FROM (SELECT api_url FROM suppliers WHERE id = ${order.supplierId}))`;
  },

  async onRetryScheduled(tx, { purchaseOrderId }, info, message) {
    const order = await tx.purchaseOrder.findUnique({ where: { id: purchaseOrderId } });
    if (order) {
      await announce(tx, order, message, {
        outcome: "retry",
        error: info.error,
        nextAttemptAt: info.nextAttemptAt?.toISOString() ?? null,
      });
    }
  },

  async onGivenUp(tx, { purchaseOrderId }, info, message) {
    const reason =
      info.outcome === "failed"
        ? `The supplier refused the order: ${info.error}`
        : `Not delivered after ${info.attempt} attempts (last error: ${info.error}). An admin can re-queue it.`;
    const order = await updatePending(tx, purchaseOrderId, { status: "FAILED", failureReason: reason.slice(0, 1000) });
    if (!order) return;
    await auditStatus(tx, order, { reason });
    await announce(tx, order, message, { outcome: info.outcome, error: info.error, nextAttemptAt: null });
  },

  async onRequeued(tx, { purchaseOrderId }, message) {
    const { count } = await tx.purchaseOrder.updateMany({
      where: { id: purchaseOrderId, status: "FAILED" },
      data: { status: "PENDING", failureReason: null, updatedAt: new Date() },
    });
    const order = count === 1 ? await tx.purchaseOrder.findUnique({ where: { id: purchaseOrderId } }) : null;
    if (!order) return;
    await enqueueLiveEvent({
      db: tx,
      type: "purchase_order.updated",
      aggregateType: "purchase_order",
      aggregateId: message.aggregateId,
      payload: { id: order.id, supplierId: order.supplierId, status: "PENDING" },
    });
  },
};

/**
 * Moves an order on from PENDING, or returns null when it is no longer
 * pending (a duplicate delivery after a lost lease got there first) or gone.
 */
async function updatePending(tx: Tx, id: string, data: Prisma.PurchaseOrderUpdateManyMutationInput) {
  const { count } = await tx.purchaseOrder.updateMany({
    where: { id, status: "PENDING" },
    data: { ...data, updatedAt: new Date() },
  });
  return count === 1 ? tx.purchaseOrder.findUnique({ where: { id } }) : null;
}

/** The order's new status in the audit log, in the transaction that set it; the worker is the actor (none). */
async function auditStatus(tx: Tx, order: { id: string; status: string }, detail: Record<string, string | null>) {
  await tx.auditLog.create({
    data: {
      actorId: null,
      action: `purchase_order.${order.status.toLowerCase()}`,
      targetType: "purchase_order",
      targetId: order.id,
      detail,
    },
  });
}

async function announce(
  tx: Tx,
  order: { id: string; supplierId: number; status: string },
  message: ClaimedMessage,
  attempt: {
    outcome: "delivered" | "retry" | "failed" | "dead_lettered";
    error: string | null;
    nextAttemptAt: string | null;
  },
) {
  await enqueueLiveEvent({
    db: tx,
    type: "purchase_order.updated",
    aggregateType: "purchase_order",
    aggregateId: order.id,
    payload: {
      id: order.id,
      supplierId: order.supplierId,
      status: order.status as "PENDING",
      attempt: { number: message.attempts, ...attempt },
    },
  });
}
