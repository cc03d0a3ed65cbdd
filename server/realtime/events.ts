import { z } from "zod";

// The live events, declared once: producers write these payloads into the
// outbox, the relay validates them on the way to the Redis stream, and the
// realtime server and the pages read them with the same schemas.

const itemLevels = z.object({
  itemId: z.number().int(),
  stockQty: z.number().int(),
  reservedQty: z.number().int(),
  availableQty: z.number().int(),
});

export const purchaseOrderStatus = z.enum(["PENDING", "SENT", "ACKNOWLEDGED", "FAILED", "RECEIVED"]);

export const liveEventSchemas = {
  "inventory.changed": z.object({
    reason: z.enum(["reserve", "release", "receipt", "adjust", "consume"]),
    reservationId: z.string().optional(),
    purchaseOrderId: z.string().optional(),
    items: z.array(itemLevels),
  }),
  "purchase_order.updated": z.object({
    id: z.string(),
    supplierId: z.number().int(),
    status: purchaseOrderStatus,
    /** The delivery attempt that caused this update, if one did. */
    attempt: z
      .object({
        number: z.number().int(),
        outcome: z.enum(["delivered", "retry", "failed", "dead_lettered"]),
        error: z.string().nullable(),
        nextAttemptAt: z.string().nullable(),
      })
      .optional(),
  }),
} as const;

export type LiveEventType = keyof typeof liveEventSchemas;
export type LiveEventPayload<T extends LiveEventType> = z.infer<(typeof liveEventSchemas)[T]>;

export function isLiveEventType(type: string): type is LiveEventType {
  return Object.hasOwn(liveEventSchemas, type);
}

/** What a client receives: the stream's sequence, the type, the payload and when it happened. */
export type LiveEvent<T extends LiveEventType = LiveEventType> = {
  seq: string;
  type: T;
  payload: LiveEventPayload<T>;
  at: string;
};

/** The Redis stream the outbox relay writes and the realtime server reads (before REDIS_PREFIX). */
export const liveEventStream = "events";
