import { z } from "zod";
import { purchaseOrderStatus } from "@/server/realtime/events";

const maxInt = 2_147_483_647;
const maxQty = 1_000_000_000;

/** Lines keyed by item: each item at most once, so that its quantity is in one place. */
function oneLinePerItem(lines: { itemId: number }[], ctx: z.RefinementCtx) {
  const seen = new Set<number>();
  lines.forEach((line, index) => {
    if (seen.has(line.itemId)) {
      ctx.addIssue({
        code: "custom",
        path: [index, "itemId"],
        message: `item ${line.itemId} appears more than once; put its whole quantity on one line`,
      });
    }
    seen.add(line.itemId);
  });
}

const itemId = z.number().int("itemId must be a whole number").positive("itemId must be a positive id").max(maxInt);
const qty = z.number().int("qty must be a whole number").positive("qty must be greater than zero").max(maxQty);

/**
 * Decimal places of a number as JSON wrote it. JavaScript prints a number in
 * the shortest form that reads back the same (1.5, 0.0001, 1e-7, 1.25e-8), so
 * counting on that text is exact, unlike any arithmetic on the binary value.
 */
function decimalPlaces(n: number): number {
  const [mantissa = "", exponent = "0"] = String(n).split("e");
  return Math.max(0, (mantissa.split(".")[1]?.length ?? 0) - Number(exponent));
}

// unit_price is numeric(14, 4): four decimals, and 1e9 leaves room below its 1e10.
const unitPrice = z
  .number()
  .min(0, "unitPrice must not be negative")
  .max(maxQty, "unitPrice is at most 1,000,000,000")
  .refine((n) => decimalPlaces(n) <= 4, "unitPrice may have at most 4 decimals");

export const createPurchaseOrderBody = z.strictObject({
  supplierId: z
    .number()
    .int("supplierId must be a whole number")
    .positive("supplierId must be a positive id")
    .max(maxInt),
  lines: z
    .array(z.strictObject({ itemId, qty, unitPrice }))
    .min(1, "at least one line is required")
    .max(200, "at most 200 lines per purchase order")
    .superRefine(oneLinePerItem),
  note: z.string().max(500, "note is at most 500 characters").optional(),
});

export const receiveGoodsBody = z.strictObject({
  lines: z
    .array(z.strictObject({ itemId, qty }))
    .min(1, "at least one line is required")
    .max(200, "at most 200 lines per receipt")
    .superRefine(oneLinePerItem),
});

export const purchaseOrderIdParams = z.object({ id: z.uuid("purchase order id must be a UUID") });

export const listPurchaseOrdersQuery = z.object({
  status: purchaseOrderStatus.optional(),
  supplierId: z.coerce.number().int().positive().max(maxInt).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
