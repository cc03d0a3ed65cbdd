import { z } from "zod";
import type { Prisma } from "../generated/prisma/client";
import { enqueueOutboxMessage } from "../outbox/enqueue-outbox-message";

// The message a machine event leaves for the planner. All of them share one
// aggregate, so the relay hands them out one at a time and in order: two
// re-plans never run side by side, and each starts from the last one's result.

export const replanRequestedEvent = "machine.replan_requested";
export const planningAggregate = { aggregateType: "planning", aggregateId: "factory" } as const;

export const replanRequestSchema = z.object({
  machineId: z.number().int().positive(),
  /** The machine_events row (a bigint, as text). */
  eventId: z.string().regex(/^\d{1,19}$/),
  type: z.enum(["breakdown", "material_shortage", "maintenance", "resume"]),
});
export type ReplanRequest = z.infer<typeof replanRequestSchema>;

export async function requestReplan({ db, request }: { db: Prisma.TransactionClient; request: ReplanRequest }) {
  await enqueueOutboxMessage({
    db,
    ...planningAggregate,
    eventType: replanRequestedEvent,
    payload: replanRequestSchema.parse(request),
  });
}
