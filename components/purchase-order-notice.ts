import type { LiveEventPayload } from "@/server/realtime/events";
import type { ToastTone } from "./toast";

type Update = LiveEventPayload<"purchase_order.updated">;

/**
 * The toast for a pushed purchase-order change, or null for one that needs
 * nobody's attention (a retry still under way, a new order, a receipt the
 * buyer made themselves). What matters: the supplier has the order, the
 * supplier refused it, or the outbox gave up on it and an admin must act.
 *
 * Every buyer gets the pushes, so the good news goes only to whom it
 * concerns (`mine`: this browser raised the order, or has it open); a
 * refusal or an order given up on is for the whole team, which must act.
 */
export function purchaseOrderNotice(
  update: Update,
  supplierName: string | undefined,
  mine: boolean,
): { tone: ToastTone; title: string; body?: string } | null {
  const order = `Order ${update.id.slice(0, 8)}`;
  const supplier = supplierName ?? "the supplier";
  const outcome = update.attempt?.outcome;
  if (outcome === "delivered" && !mine) return null;
  if (outcome === "delivered" && update.status === "ACKNOWLEDGED") {
    return { tone: "success", title: `${order} acknowledged by ${supplier}` };
  }
  if (outcome === "delivered" && update.status === "SENT") {
    return { tone: "info", title: `${order} sent to ${supplier}`, body: "Waiting for the supplier to acknowledge it." };
  }
  if (outcome === "failed") {
    return { tone: "error", title: `${supplier} refused ${order}`, body: update.attempt?.error ?? undefined };
  }
  if (outcome === "dead_lettered") {
    return {
      tone: "error",
      title: `${order} could not be delivered to ${supplier}`,
      body: `Gave up after ${update.attempt?.number ?? "several"} attempts${
        update.attempt?.error ? ` (${update.attempt.error})` : ""
      }. An admin can re-queue it on the Outbox page.`,
    };
  }
  return null;
}
