import { ApiError, NetworkError } from "./api-client";
import type { InventoryItemView } from "./inventory-queries";
import { formatQty } from "./quantities";

// How the reserve dialog reads a failed submission: what to tell the buyer,
// which fields to mark, and whether the same Idempotency-Key must be kept for
// the next attempt.

export type DraftLine = { id: string; itemId: string; qty: string };
export type FieldErrors = Record<string, string>;
export type FormMessage = { title: string; details?: string[]; tone: "error" | "warning" };
export type Failure = { message: FormMessage; fieldErrors: FieldErrors; keepKey: boolean; stockChanged: boolean };

type Shortage = { itemId: number; sku: string; name: string; requested: number; available: number };
type Issue = { path: (string | number)[]; message: string };

export function describeFailure(error: unknown, lines: DraftLine[], items: InventoryItemView[]): Failure {
  const none = { fieldErrors: {}, stockChanged: false };
  if (error instanceof NetworkError) {
    // The request may have reached the server and booked the stock. Sending it
    // again with the same key either books it once or replays that booking.
    return {
      ...none,
      keepKey: true,
      message: {
        tone: "warning",
        title: "The connection dropped before the answer came back.",
        details: [
          "It is not known whether the reservation was made. Press Reserve again: the retry carries the same request key, so the stock can never be booked twice.",
        ],
      },
    };
  }
  if (!(error instanceof ApiError)) {
    return { ...none, keepKey: true, message: { tone: "error", title: "Something went wrong. Try again." } };
  }
  const unitOf = (itemId: number) => items.find((item) => item.id === itemId)?.unit;

  switch (error.code) {
    case "insufficient_stock": {
      const shortages = (error.body.shortages as Shortage[] | undefined) ?? [];
      const fieldErrors: FieldErrors = {};
      for (const shortage of shortages) {
        const index = lines.findIndex((line) => Number(line.itemId) === shortage.itemId);
        const unit = unitOf(shortage.itemId);
        if (index >= 0) fieldErrors[`lines.${index}.qty`] = `Only ${formatQty(shortage.available, unit)} available`;
      }
      return {
        fieldErrors,
        keepKey: false,
        stockChanged: true,
        message: {
          tone: "error",
          title: "Not enough stock. Nothing was reserved.",
          details: shortages.map((s) => shortageText(s, unitOf(s.itemId))),
        },
      };
    }
    case "invalid_request": {
      const fieldErrors = fieldErrorsFromIssues((error.body.issues as Issue[] | undefined) ?? []);
      // Issues the form has no field for are listed in the message instead.
      const unplaced = Object.entries(fieldErrors)
        .filter(([key]) => !/^(orderRef|lines|lines\.\d+\.(itemId|qty))$/.test(key))
        .map(([key, text]) => `${key}: ${text}`);
      return {
        ...none,
        keepKey: false,
        fieldErrors,
        message: {
          tone: "error",
          title: unplaced.length || !Object.keys(fieldErrors).length ? error.message : "Some fields need attention.",
          details: unplaced.length ? unplaced : undefined,
        },
      };
    }
    case "lock_timeout":
      return {
        ...none,
        keepKey: true,
        message: {
          tone: "warning",
          title: "These items are busy right now. Nothing was reserved.",
          details: [`Try again in ${error.retryAfter ?? 1} s: press Reserve again.`],
        },
      };
    case "idempotency_in_progress":
      return {
        ...none,
        keepKey: true,
        message: {
          tone: "warning",
          title: "Your previous attempt is still being processed.",
          details: ["Wait a moment, then press Reserve again to see its result."],
        },
      };
    default:
      return {
        ...none,
        // A server-side failure frees the key; a definite refusal keeps the
        // answer under it, so the next attempt must use a new key.
        keepKey: error.status >= 500,
        stockChanged: error.code === "unknown_items",
        message: { tone: "error", title: error.message },
      };
  }
}

/** "Deep groove ball bearing 6205-2RS (BRG-6205-2RS): you asked for 50 pcs, only 12 available." */
export function shortageText(s: Shortage, unit: string | undefined): string {
  const only = s.available > 0 ? `only ${formatQty(s.available)} available` : "none available";
  return `${s.name} (${s.sku}): you asked for ${formatQty(s.requested, unit)}, ${only}.`;
}

/** zod issues on the body (["lines", 0, "qty"]) keyed the way the form names its fields ("lines.0.qty"). */
export function fieldErrorsFromIssues(issues: Issue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

/** The checks the browser can make before asking the server; the server checks all of them again. */
export function validateDraft(orderRef: string, lines: DraftLine[]): FieldErrors {
  const errors: FieldErrors = {};
  if (!orderRef.trim()) errors.orderRef = "Enter the order this material is for.";
  else if (orderRef.trim().length > 64) errors.orderRef = "At most 64 characters.";
  if (lines.length === 0) errors.lines = "Add at least one line.";
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    if (!line.itemId) errors[`lines.${index}.itemId`] = "Choose an item.";
    else if (seen.has(line.itemId)) errors[`lines.${index}.itemId`] = "This item is already on another line.";
    seen.add(line.itemId);
    const qty = Number(line.qty);
    if (!line.qty.trim()) errors[`lines.${index}.qty`] = "Enter a quantity.";
    else if (!Number.isInteger(qty) || qty <= 0) errors[`lines.${index}.qty`] = "A whole number above zero.";
  });
  return errors;
}
