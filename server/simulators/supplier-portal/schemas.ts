import { z } from "zod";

// The supplier's side of the order API contract: what a real supplier would
// accept, and the fault mix the simulator can be told to produce.

export const idempotencyKeySchema = z.uuid();

export const orderLineSchema = z.object({
  lineNo: z.number().int().positive(),
  sku: z.string().min(1),
  name: z.string().min(1),
  qty: z.number().int().positive(),
  unitPrice: z.number().min(0),
});

export const orderRequestSchema = z.object({
  purchaseOrderId: z.uuid(),
  supplierCode: z.string().min(1),
  buyer: z.string().min(1),
  lines: z.array(orderLineSchema).min(1).max(500),
  createdAt: z.string().min(1),
});

export type OrderRequest = z.infer<typeof orderRequestSchema>;
export type OrderLine = z.infer<typeof orderLineSchema>;

/** What the portal answers when it takes an order; replays return it as stored. */
export type OrderAcknowledgement = {
  supplierReference: string;
  status: "acknowledged";
  purchaseOrderId: string;
  receivedAt: string;
};

/** One entry of GET /orders. */
export type AcceptedOrder = {
  purchaseOrderId: string;
  idempotencyKey: string;
  supplierReference: string;
  receivedAt: string;
  lines: OrderLine[];
};

const rate = z.number().min(0).max(1);

export const faultsSchema = z.object({
  failRate: rate,
  dropResponseRate: rate,
  delayMs: z.number().int().min(0).max(60_000),
  rejectRate: rate,
});

export type Faults = z.infer<typeof faultsSchema>;

// Strict: a misspelt fault ("failrate") is refused rather than silently ignored,
// so a demo never runs with a fault the operator thinks is on.
export const faultsUpdateSchema = faultsSchema.partial().strict();

export type FaultsUpdate = z.infer<typeof faultsUpdateSchema>;

export const noFaults: Faults = { failRate: 0, dropResponseRate: 0, delayMs: 0, rejectRate: 0 };
