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

export const riskLevel = z.enum(["low", "medium", "high", "critical"]);

export const machineStatus = z.enum(["running", "idle", "breakdown", "material_shortage", "maintenance"]);
export const workOrderStatus = z.enum(["queued", "running", "done", "cancelled"]);
/** What changed a machine's status: an operator's report, or work starting or finishing on it. */
export const machineEventType = z.enum([
  "breakdown",
  "material_shortage",
  "maintenance",
  "resume",
  "work_order_started",
  "work_order_finished",
]);

const queueEntry = z.object({
  workOrderId: z.number().int(),
  code: z.string(),
  sequence: z.number().int(),
  status: workOrderStatus,
});

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
  "machine.status": z.object({
    machineId: z.number().int(),
    workCenterId: z.number().int(),
    status: machineStatus,
    previousStatus: machineStatus,
    /** The machine_events row that records the change (a bigint, as text). */
    eventId: z.string(),
    type: machineEventType,
    note: z.string().nullable(),
    reportedBy: z.number().int().nullable(),
    at: z.string(),
  }),
  // A re-plan: what moved and why, and the new queues of the machines whose
  // queue changed (only those, to keep the event small).
  "plan.updated": z.object({
    reason: z.object({ machineId: z.number().int(), type: machineEventType }),
    moves: z.array(
      z.object({
        workOrderId: z.number().int(),
        code: z.string(),
        fromMachineId: z.number().int().nullable(),
        toMachineId: z.number().int().nullable(),
        explanation: z.string(),
      }),
    ),
    /** Queued orders that had to leave a stopped machine but found no capable one. */
    waiting: z
      .array(
        z.object({
          workOrderId: z.number().int(),
          code: z.string(),
          machineId: z.number().int().nullable(),
          explanation: z.string(),
        }),
      )
      .default([]),
    affectedWorkCenterIds: z.array(z.number().int()),
    machines: z.array(
      z.object({ machineId: z.number().int(), workCenterId: z.number().int(), queue: z.array(queueEntry) }),
    ),
    at: z.string(),
  }),
  "work_order.updated": z.object({
    workOrderId: z.number().int(),
    code: z.string(),
    machineId: z.number().int().nullable(),
    workCenterId: z.number().int().nullable(),
    status: workOrderStatus,
    sequence: z.number().int(),
  }),
  // A new supplier risk assessment (server/risk). The headline only: buyers
  // hear it too and see levels, not the factors or the written analysis,
  // which the dashboard reads from GET /api/suppliers/risk.
  "supplier.risk": z.object({
    supplierId: z.number().int(),
    /** The supplier_risk_assessments row (a bigint, as text). */
    assessmentId: z.string(),
    score: z.number().int().min(0).max(100),
    level: riskLevel,
    previousLevel: riskLevel.nullable(),
    /** The provider that answered, or "model" for the built-in model. */
    source: z.string(),
    model: z.string(),
    latencyMs: z.number().int(),
    assessedAt: z.string(),
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
