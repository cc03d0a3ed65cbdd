import type { ClaimedMessage } from "../outbox/claim-messages";
import type { ExternalHandler, Tx } from "../outbox/handler";
import { requestAssessments } from "./request-assessments";

// Delivery events that call for a fresh assessment of the supplier, added
// around the purchase-order delivery handler (server/outbox/registry.ts) and
// written in the transaction of the delivery's outcome:
//
// - the order could not be sent: refused for good, or dead-lettered;
// - a new order went to a supplier that is already at high or critical risk
//   (on the first outcome of its delivery, whatever it was).
//
// Late deliveries are found by the schedule (request-due-assessments.ts): a
// delivery that does not happen leaves no event to hang a trigger on.

type OrderPayload = { purchaseOrderId: string };

export function withDeliveryRiskTriggers<R>(
  handler: ExternalHandler<OrderPayload, R>,
): ExternalHandler<OrderPayload, R> {
  return {
    ...handler,
    async onDelivered(tx, payload, result, message) {
      await handler.onDelivered(tx, payload, result, message);
      await onFirstOutcome(tx, payload, message.attempts);
    },
    async onRetryScheduled(tx, payload, info, message) {
      await handler.onRetryScheduled?.(tx, payload, info, message);
      await onFirstOutcome(tx, payload, info.attempt);
    },
    async onGivenUp(tx, payload, info, message: ClaimedMessage) {
      await handler.onGivenUp?.(tx, payload, info, message);
      const order = await orderSupplier(tx, payload.purchaseOrderId);
      if (!order) return;
      const what = info.outcome === "failed" ? "was refused" : `was dead-lettered after ${info.attempt} attempts`;
      await requestAssessments({
        db: tx,
        requests: [
          {
            supplierId: order.supplierId,
            trigger: "delivery_failed",
            reason: `purchase order ${payload.purchaseOrderId} ${what}`,
          },
        ],
      });
    },
  };
}

async function onFirstOutcome(tx: Tx, { purchaseOrderId }: OrderPayload, attempt: number): Promise<void> {
  if (attempt !== 1) return;
  const order = await orderSupplier(tx, purchaseOrderId);
  if (order?.riskLevel !== "high" && order?.riskLevel !== "critical") return;
  await requestAssessments({
    db: tx,
    requests: [
      {
        supplierId: order.supplierId,
        trigger: "order_to_high_risk",
        reason: `new purchase order ${purchaseOrderId} to a supplier at ${order.riskLevel} risk`,
      },
    ],
  });
}

async function orderSupplier(tx: Tx, purchaseOrderId: string) {
  const order = await tx.purchaseOrder.findUnique({
    where: { id: purchaseOrderId },
    select: { supplierId: true, supplier: { select: { riskLevel: true } } },
  });
  return order ? { supplierId: order.supplierId, riskLevel: order.supplier.riskLevel } : null;
}
