import type { Prisma } from "../generated/prisma/client";
import { enqueueLiveEvent } from "../outbox/enqueue-outbox-message";
import type { MachineStatus } from "../planning/plan-types";
import type { machineEventType } from "../realtime/events";

export type LockedMachine = { id: number; workCenterId: number; name: string; status: MachineStatus };

type EventType = (typeof machineEventType.options)[number];

/** Locks a machine's row for the rest of the transaction; undefined when there is none. */
export async function lockMachine(tx: Prisma.TransactionClient, id: number): Promise<LockedMachine | undefined> {
  const [machine] = await tx.$queryRaw<LockedMachine[]>`
    SELECT id, work_center_id AS "workCenterId", name, status FROM machines WHERE id = ${id} FOR UPDATE`;
  return machine;
}

/**
 * Logs what happened to a locked machine in machine_events and, if its
 * status changes, writes the new status and the machine.status live event:
 * the log, the row and the push commit together. Returns the event's id.
 */
export async function recordMachineStatus({
  tx,
  machine,
  status,
  type,
  note = null,
  reportedBy,
  idempotencyKey = null,
  requestHash = null,
}: {
  tx: Prisma.TransactionClient;
  machine: LockedMachine;
  status: MachineStatus;
  type: EventType;
  note?: string | null;
  reportedBy: number;
  idempotencyKey?: string | null;
  requestHash?: string | null;
}): Promise<{ eventId: string; changed: boolean }> {
  const event = await tx.machineEvent.create({
    data: {
      machineId: machine.id,
      type,
      note,
      reportedBy,
      previousStatus: machine.status,
      status,
      idempotencyKey,
      requestHash,
    },
    select: { id: true, createdAt: true },
  });
  const eventId = event.id.toString();
  const changed = status !== machine.status;
  if (!changed) return { eventId, changed };

  await tx.machine.update({
    where: { id: machine.id },
    data: { status, statusSince: event.createdAt, updatedAt: event.createdAt },
  });
  await enqueueLiveEvent({
    db: tx,
    type: "machine.status",
    aggregateType: "machine",
    aggregateId: String(machine.id),
    payload: {
      machineId: machine.id,
      workCenterId: machine.workCenterId,
      status,
      previousStatus: machine.status,
      eventId,
      type,
      note,
      reportedBy,
      at: event.createdAt.toISOString(),
    },
  });
  return { eventId, changed };
}
