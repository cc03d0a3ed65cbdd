import { ApiError, NetworkError } from "./api-client";
import type { FieldErrors, FormMessage } from "./reserve-outcome";
import { fieldErrorsFromIssues } from "./reserve-outcome";

// The new-purchase-order form: its draft, the checks the browser makes before
// sending, and how a failed submission is read (what to tell the buyer,
// which fields to mark, whether to keep the Idempotency-Key for a retry).

export type DraftPoLine = { id: string; itemId: string; qty: string; unitPrice: string };
export type PoPayload = {
  supplierId: number;
  lines: { itemId: number; qty: number; unitPrice: number }[];
  note?: string;
};
export type PoFailure = { message: FormMessage; fieldErrors: FieldErrors; keepKey: boolean; refetch: boolean };

const maxAmount = 1_000_000_000;

export function validatePoDraft(supplierId: string, lines: DraftPoLine[], note: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!supplierId) errors.supplierId = "Choose a supplier.";
  if (lines.length === 0) errors.lines = "Add at least one line.";
  if (note.length > 500) errors.note = "At most 500 characters.";
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    if (!line.itemId) errors[`lines.${index}.itemId`] = "Choose an item.";
    else if (seen.has(line.itemId)) errors[`lines.${index}.itemId`] = "This item is already on another line.";
    seen.add(line.itemId);
    const qty = Number(line.qty);
    if (!line.qty.trim()) errors[`lines.${index}.qty`] = "Enter a quantity.";
    else if (!Number.isInteger(qty) || qty <= 0) errors[`lines.${index}.qty`] = "A whole number above zero.";
    else if (qty > maxAmount) errors[`lines.${index}.qty`] = "At most 1,000,000,000.";
    const price = line.unitPrice.trim();
    if (!price) errors[`lines.${index}.unitPrice`] = "Enter a unit price.";
    else if (!/^\d+(\.\d{1,4})?$/.test(price)) errors[`lines.${index}.unitPrice`] = "Up to 4 decimals, e.g. 12.5.";
    else if (Number(price) > maxAmount) errors[`lines.${index}.unitPrice`] = "At most 1,000,000,000.";
  });
  return errors;
}

export function toPayload(supplierId: string, lines: DraftPoLine[], note: string): PoPayload {
  return {
    supplierId: Number(supplierId),
    lines: lines.map((l) => ({ itemId: Number(l.itemId), qty: Number(l.qty), unitPrice: Number(l.unitPrice) })),
    ...(note.trim() ? { note: note.trim() } : {}),
  };
}

export function describePoFailure(error: unknown, lines: DraftPoLine[]): PoFailure {
  const none = { fieldErrors: {}, refetch: false };
  if (error instanceof NetworkError) {
    return {
      ...none,
      keepKey: true,
      message: {
        tone: "warning",
        title: "The connection dropped before the answer came back.",
        details: [
          "It is not known whether the order was created. Press Create again: the retry carries the same request key, so the supplier can never receive the order twice.",
        ],
      },
    };
  }
  if (!(error instanceof ApiError)) {
    return { ...none, keepKey: true, message: { tone: "error", title: "Something went wrong. Try again." } };
  }
  switch (error.code) {
    case "invalid_request": {
      const fieldErrors = fieldErrorsFromIssues(
        (error.body.issues as { path: (string | number)[]; message: string }[]) ?? [],
      );
      return { ...none, keepKey: false, fieldErrors, message: { tone: "error", title: "Some fields need attention." } };
    }
    case "unknown_items": {
      const ids = (error.body.itemIds as number[] | undefined) ?? [];
      const fieldErrors: FieldErrors = {};
      lines.forEach((line, index) => {
        if (ids.includes(Number(line.itemId))) fieldErrors[`lines.${index}.itemId`] = "This item no longer exists.";
      });
      return { fieldErrors, keepKey: false, refetch: true, message: { tone: "error", title: error.message } };
    }
    case "not_found":
      return {
        fieldErrors: { supplierId: "This supplier no longer exists." },
        keepKey: false,
        refetch: true,
        message: { tone: "error", title: error.message },
      };
    case "idempotency_in_progress":
      return {
        ...none,
        keepKey: true,
        message: {
          tone: "warning",
          title: "Your previous attempt is still being processed.",
          details: ["Wait a moment, then press Create again to see its result."],
        },
      };
    case "lock_timeout":
      return {
        ...none,
        keepKey: true,
        message: { tone: "warning", title: error.message, details: [`Try again in ${error.retryAfter ?? 1} s.`] },
      };
    default:
      // A server error frees the key on the server; a definite refusal keeps
      // its answer under the key, so the next attempt needs a new one.
      return { ...none, keepKey: error.status >= 500, message: { tone: "error", title: error.message } };
  }
}
