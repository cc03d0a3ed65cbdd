import { ApiError, NetworkError } from "./api-client";
import type { PurchaseOrderView } from "./purchase-order-queries";
import type { FieldErrors, FormMessage } from "./reserve-outcome";

// The receive-goods form: quantities per line (defaulting to what is still
// outstanding), the browser's checks, and how a refused receipt is shown.

export type ReceiptDraft = Record<number, string>;
export type ReceiptFailure = { message: FormMessage; fieldErrors: FieldErrors; keepKey: boolean; refetch: boolean };
type OverReceipt = { itemId: number; sku: string; outstanding: number; requested: number };

export const outstandingOf = (line: PurchaseOrderView["lines"][number]) => line.qty - line.receivedQty;

export function initialReceipt(order: PurchaseOrderView): ReceiptDraft {
  return Object.fromEntries(order.lines.map((line) => [line.itemId, String(outstandingOf(line))]));
}

/** Field errors keyed by item id; an empty or zero quantity means "none of this item arrived". */
export function validateReceipt(order: PurchaseOrderView, draft: ReceiptDraft): FieldErrors {
  const errors: FieldErrors = {};
  let any = false;
  for (const line of order.lines) {
    const text = (draft[line.itemId] ?? "").trim();
    if (!text) continue;
    const qty = Number(text);
    if (!Number.isInteger(qty) || qty < 0) errors[line.itemId] = "A whole number, zero or more.";
    else if (qty > outstandingOf(line)) errors[line.itemId] = `At most ${outstandingOf(line)} outstanding.`;
    else if (qty > 0) any = true;
  }
  if (!any && Object.keys(errors).length === 0) errors.form = "Enter at least one quantity that arrived.";
  return errors;
}

export function receiptLines(draft: ReceiptDraft): { itemId: number; qty: number }[] {
  return Object.entries(draft)
    .map(([itemId, text]) => ({ itemId: Number(itemId), qty: Number(text.trim() || "0") }))
    .filter((line) => line.qty > 0);
}

export function describeReceiptFailure(error: unknown): ReceiptFailure {
  const none = { fieldErrors: {}, refetch: false };
  if (error instanceof NetworkError) {
    return {
      ...none,
      keepKey: true,
      message: {
        tone: "warning",
        title: "The connection dropped before the answer came back.",
        details: ["Press Receive again: the retry carries the same request key, so the goods are booked once."],
      },
    };
  }
  if (!(error instanceof ApiError)) {
    return { ...none, keepKey: true, message: { tone: "error", title: "Something went wrong. Try again." } };
  }
  switch (error.code) {
    case "over_receipt": {
      const over = (error.body.overReceipts as OverReceipt[] | undefined) ?? [];
      const fieldErrors = Object.fromEntries(over.map((o) => [o.itemId, `Only ${o.outstanding} outstanding now.`]));
      return { fieldErrors, keepKey: false, refetch: true, message: { tone: "error", title: error.message } };
    }
    case "purchase_order_not_receivable":
      return { ...none, keepKey: false, refetch: true, message: { tone: "error", title: error.message } };
    case "lock_timeout":
    case "idempotency_in_progress":
      return {
        ...none,
        keepKey: true,
        message: { tone: "warning", title: error.message, details: ["Press Receive again in a moment."] },
      };
    default:
      return { ...none, keepKey: error.status >= 500, message: { tone: "error", title: error.message } };
  }
}
