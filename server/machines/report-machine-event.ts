import type { Principal } from "../auth/roles";
import { type Db, prisma } from "../db";
import { transientRetry } from "../db/transient-retry";
import { AppError, SqlState, sqlState } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { wakeOutboxRelay } from "../outbox/wake";
import type { MachineStatus } from "../planning/plan-types";
import { requestReplan } from "../planning/replan-request";
import { assertMayOperate } from "./machine-access";
import { nextMachineStatus, type ReportableEventType } from "./next-machine-status";
import { lockMachine, recordMachineStatus } from "./record-machine-status";

export type MachineEventReceipt = {
  eventId: string;
  machineId: number;
  status: MachineStatus;
  /** False when the machine already was in that state: the event is logged, nothing else happens. */
  changed: boolean;
};

export type ReportMachineEventInput = {
  machineId: number;
  type: ReportableEventType;
  note?: string;
  principal: Principal;
  /** The tablet's Idempotency-Key: unique in machine_events, the backstop behind Redis. */
  idempotencyKey?: string | null;
  requestHash?: string | null;
  db?: Db;
};

/**
 * An operator's (or planner's) report from the floor: a breakdown, a material
 * shortage, or the machine working again. In one transaction: the machine
 * row is locked, the event logged, the status changed, and the live event
 * and the planner's re-plan request queued in the outbox; the relay is woken
 * after commit. The re-routed plan follows as a push.
 */
export async function reportMachineEvent(
  input: ReportMachineEventInput,
): Promise<{ receipt: MachineEventReceipt; replayed: boolean }> {
  const db = input.db ?? prisma();
  if (input.idempotencyKey) {
    // Redis lost the key (or never had it): the database still knows it.
    const earlier = await db.machineEvent.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
    if (earlier) return { receipt: replay(input, earlier), replayed: true };
  }

  let receipt: MachineEventReceipt;
  try {
    receipt = await transientRetry.execute(() =>
      db.$transaction((tx) => recordEvent(tx, input), { maxWait: 5_000, timeout: 15_000 }),
    );
  } catch (error) {
    if (sqlState(error) !== SqlState.uniqueViolation || !input.idempotencyKey) throw error;
    // The same report arrived twice at once (Redis had forgotten the key):
    // the unique key made the second wait for the first, then refused it.
    const winner = await db.machineEvent.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
    if (!winner) throw error;
    return { receipt: replay(input, winner), replayed: true };
  }
  if (receipt.changed) wakeOutboxRelay();
  return { receipt, replayed: false };
}

async function recordEvent(tx: Prisma.TransactionClient, input: ReportMachineEventInput): Promise<MachineEventReceipt> {
  await tx.$executeRaw`SELECT set_config('lock_timeout', '5s', true)`;
  const machine = await lockMachine(tx, input.machineId);
  if (!machine) throw new AppError("not_found", `Machine ${input.machineId} does not exist.`);
  assertMayOperate(input.principal, machine);

  // Read under the machine's lock: starting or finishing work locks it too.
  const running = await tx.workOrder.count({ where: { machineId: machine.id, status: "running" } });
  const status = nextMachineStatus(input.type, running > 0);
  const note = input.note ?? null;
  const { eventId, changed } = await recordMachineStatus({
    tx,
    machine,
    status,
    type: input.type,
    note,
    reportedBy: input.principal.userId,
    idempotencyKey: input.idempotencyKey,
    requestHash: input.requestHash,
  });
  // Unchanged (a resume of a machine that already works, a second breakdown
  // report): the plan already accounts for it.
  if (changed) await requestReplan({ db: tx, request: { machineId: machine.id, eventId, type: input.type } });

  await tx.auditLog.create({
    data: {
      actorId: input.principal.userId,
      action: "machine.report_event",
      targetType: "machine",
      targetId: String(machine.id),
      detail: { eventId, type: input.type, note, previousStatus: machine.status, status, changed },
    },
  });
  return { eventId, machineId: machine.id, status, changed };
}

function replay(
  input: ReportMachineEventInput,
  earlier: {
    id: bigint;
    machineId: number;
    reportedBy: number | null;
    requestHash: string | null;
    previousStatus: string | null;
    status: string | null;
  },
): MachineEventReceipt {
  if (
    earlier.machineId !== input.machineId ||
    earlier.reportedBy !== input.principal.userId ||
    earlier.requestHash !== (input.requestHash ?? null)
  ) {
    throw new AppError(
      "idempotency_key_reused",
      "This Idempotency-Key was already used for a different report. Use a new key for a new event.",
    );
  }
  return {
    eventId: earlier.id.toString(),
    machineId: earlier.machineId,
    status: earlier.status as MachineStatus,
    changed: earlier.status !== earlier.previousStatus,
  };
}
