import { z } from "zod";

const maxInt = 2_147_483_647;

export const reserveStockBody = z.strictObject({
  orderRef: z
    .string()
    .trim()
    .min(1, "orderRef is required: the order this material is for")
    .max(64, "orderRef is at most 64 characters"),
  lines: z
    .array(
      z.strictObject({
        itemId: z.number().int().positive().max(maxInt),
        qty: z.number().int("qty must be a whole number").positive("qty must be greater than zero").max(1_000_000_000),
      }),
    )
    .min(1, "at least one line is required")
    .max(200, "at most 200 lines per reservation")
    .superRefine((lines, ctx) => {
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
    }),
});

export const reservationIdParams = z.object({ id: z.uuid("reservation id must be a UUID") });

export const listReservationsQuery = z.object({
  status: z.enum(["active", "released", "consumed"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
