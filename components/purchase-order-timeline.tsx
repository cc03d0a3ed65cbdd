import type { PurchaseOrderView } from "./purchase-order-queries";
import { formatDateTime } from "./quantities";

type Step = {
  key: string;
  label: string;
  state: "done" | "current" | "upcoming" | "failed";
  at?: string | null;
  note?: string;
};

/** Where the order stands: created → sent → acknowledged (→ received), or failed with the reason. */
export function PurchaseOrderTimeline({ order }: { order: PurchaseOrderView }) {
  return (
    <ol className="po-timeline" aria-label="Order progress">
      {stepsOf(order).map((step) => (
        <li
          key={step.key}
          className={`po-step po-step-${step.state}`}
          aria-current={step.state === "current" ? "step" : undefined}
        >
          <span className="po-step-marker" aria-hidden="true">
            {step.state === "done" ? "✓" : step.state === "failed" ? "!" : ""}
          </span>
          <span className="po-step-text">
            <span className="po-step-label">
              {step.label}
              <span className="visually-hidden"> ({step.state})</span>
            </span>
            {step.at ? <span className="po-step-time">{formatDateTime(step.at)}</span> : null}
            {step.note ? <span className="po-step-note">{step.note}</span> : null}
          </span>
        </li>
      ))}
    </ol>
  );
}

function stepsOf(order: PurchaseOrderView): Step[] {
  const created: Step = { key: "created", label: "Created", state: "done", at: order.createdAt };
  if (order.status === "FAILED") {
    return [
      created,
      { key: "failed", label: "Delivery failed", state: "failed", note: order.failureReason ?? "No reason recorded." },
    ];
  }
  const sent = order.sentAt !== null;
  const acknowledged = order.acknowledgedAt !== null;
  const receivedAny = order.lines.some((l) => l.receivedQty > 0);
  const steps: Step[] = [
    created,
    {
      key: "sent",
      label: sent ? "Sent to supplier" : "Sending to supplier",
      state: sent ? "done" : "current",
      at: order.sentAt,
      note: sent ? undefined : "The relay delivers the order and retries until the supplier has it.",
    },
    {
      key: "acknowledged",
      label: "Acknowledged",
      // The supplier acknowledges in its answer to the delivery, or later
      // on its own; nothing here waits for it, so it is never "current".
      state: acknowledged ? "done" : "upcoming",
      at: order.acknowledgedAt,
      note: order.supplierReference ? `Supplier reference ${order.supplierReference}` : undefined,
    },
  ];
  if (order.status === "RECEIVED") steps.push({ key: "received", label: "Goods received", state: "done" });
  else if (receivedAny) steps.push({ key: "received", label: "Partly received", state: "current" });
  return steps;
}
