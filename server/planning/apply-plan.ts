import { enqueueLiveEvents, type LiveEventMessage } from "../outbox/enqueue-outbox-message";
import type { Tx } from "../outbox/handler";
import type { MachineQueue, PlanMachine, PlanMove, PlanResult, PlanWaiting, PlanWorkOrder } from "./plan-types";
import type { ReplanRequest } from "./replan-request";

export type AppliedPlan = { moves: PlanMove[]; changedMachineIds: number[]; stale: number };

type LockedRow = { id: number; machineId: number | null; status: string };
type QueueRow = { id: number; code: string; sequence: number; status: "queued" | "running"; machineId: number };

/**
 * The timeout of the interactive transaction `applyPlan` runs in (the
 * worker's, see replan-handler.ts; Prisma's default is 5 s). The write is a
 * fixed number of statements whatever the number of moves: set the lock
 * timeout, lock the rows, one UPDATE, one INSERT into plan_changes, read the
 * changed queues, one INSERT into outbox_messages, plus the relay's own two
 * (mark the request delivered, its delivery_attempts row). On an idle
 * machine that is tens of milliseconds even for a thousand moves; what can
 * take long is waiting for a row lock, bounded by the 5 s lock_timeout set
 * below, and a loaded machine, where each round trip has been seen to take
 * up to a few hundred milliseconds. 15 s covers a full lock wait plus the
 * rest with room to spare, so the lock timeout (a clear error, retried)
 * fires before the transaction timeout does; past 15 s something is wrong,
 * and the transaction is rolled back and the request retried like any
 * failed delivery.
 */
export const applyPlanTransactionTimeoutMs = 15_000;

/**
 * Writes a computed plan in the transaction that marks its request delivered.
 * The plan was computed from a snapshot outside any transaction; since then
 * an operator may have started an order, or a planner moved one. So the rows
 * are locked (ascending id, the order every writer of several work orders
 * uses) and a change is applied only where the row still is as the planner
 * saw it; the rest is left alone. A machine that stopped in between has its
 * own re-plan request queued behind this one, which sees the result.
 */
export async function applyPlan({
  tx,
  request,
  plan,
  machines,
  workOrders,
}: {
  tx: Tx;
  request: ReplanRequest;
  plan: PlanResult;
  machines: PlanMachine[];
  workOrders: PlanWorkOrder[];
}): Promise<AppliedPlan> {
  await tx.$executeRaw`SELECT set_config('lock_timeout', '5s', true)`;
  const seen = new Map(workOrders.map((o) => [o.id, o]));
  const ids = plan.updates.map((u) => u.workOrderId);
  const locked = ids.length
    ? await tx.$queryRaw<LockedRow[]>`
        SELECT id, machine_id AS "machineId", status FROM work_orders
        WHERE id = ANY(${ids}::int[]) ORDER BY id FOR UPDATE`
    : [];
  const unchanged = new Set(
    locked
      .filter((r) => r.machineId === seen.get(r.id)?.machineId && r.status === seen.get(r.id)?.status)
      .map((r) => r.id),
  );
  const updates = plan.updates.filter((u) => unchanged.has(u.workOrderId));
  if (updates.length) {
    await tx.$executeRaw`
      UPDATE work_orders w SET machine_id = u.machine_id, sequence = u.sequence, updated_at = now()
      FROM unnest(${updates.map((u) => u.workOrderId)}::int[], ${updates.map((u) => u.machineId)}::int[],
                  ${updates.map((u) => u.sequence)}::int[]) AS u (id, machine_id, sequence)
      WHERE w.id = u.id`;
  }

  const moves = plan.moves.filter((m) => unchanged.has(m.workOrderId));
  // Orders left waiting on the machine that just stopped are news; those
  // waiting on machines that stopped earlier were reported then.
  const waiting = plan.waiting.filter((w) => w.machineId === request.machineId);
  const changed = new Set<number>();
  for (const u of updates) {
    changed.add(u.machineId);
    const from = seen.get(u.workOrderId)?.machineId;
    if (from !== null && from !== undefined) changed.add(from);
  }
  const changedMachineIds = [...changed].sort((a, b) => a - b);

  const changes = [
    ...moves.map((m) => ({
      kind: "moved",
      workOrderId: m.workOrderId,
      from: m.fromMachineId,
      to: m.toMachineId,
      explanation: m.explanation,
    })),
    ...waiting.map((w) => ({
      kind: "waiting",
      workOrderId: w.workOrderId,
      from: w.machineId,
      to: null,
      explanation: w.explanation,
    })),
  ];
  if (changes.length) {
    // One INSERT for them all, ids in this order (moves, then waiting), as
    // row-by-row inserts would have given them.
    await tx.$executeRaw`
      INSERT INTO plan_changes (machine_event_id, trigger_machine_id, trigger_type, kind, work_order_id,
                                from_machine_id, to_machine_id, explanation)
      SELECT ${BigInt(request.eventId)}::bigint, ${request.machineId}::int, ${request.type}::text, c.kind,
             c.work_order_id, c.from_machine_id, c.to_machine_id, c.explanation
      FROM unnest(${changes.map((c) => c.kind)}::text[], ${changes.map((c) => c.workOrderId)}::int[],
                  ${changes.map((c) => c.from)}::int[], ${changes.map((c) => c.to)}::int[],
                  ${changes.map((c) => c.explanation)}::text[])
           WITH ORDINALITY AS c (kind, work_order_id, from_machine_id, to_machine_id, explanation, ord)
      ORDER BY c.ord`;
  }

  await announce({ tx, request, moves, waiting, changedMachineIds, machines });
  return { moves, changedMachineIds, stale: plan.updates.length - updates.length };
}

/** The new plan as a push: one plan.updated, and a work_order.updated per moved order for the tablets. */
async function announce({
  tx,
  request,
  moves,
  waiting,
  changedMachineIds,
  machines,
}: {
  tx: Tx;
  request: ReplanRequest;
  moves: PlanMove[];
  waiting: PlanWaiting[];
  changedMachineIds: number[];
  machines: PlanMachine[];
}): Promise<void> {
  const workCenterOf = new Map(machines.map((m) => [m.id, m.workCenterId]));
  const queues = await readQueues(tx, changedMachineIds, workCenterOf);
  const affected = new Set<number>(queues.map((q) => q.workCenterId));
  for (const m of [...moves, ...waiting.map((w) => ({ fromMachineId: w.machineId, toMachineId: null }))]) {
    for (const id of [m.fromMachineId, m.toMachineId]) {
      const workCenterId = id === null ? undefined : workCenterOf.get(id);
      if (workCenterId !== undefined) affected.add(workCenterId);
    }
  }
  const workCenterOfTrigger = workCenterOf.get(request.machineId);
  if (workCenterOfTrigger !== undefined) affected.add(workCenterOfTrigger);

  const entryOf = new Map(queues.flatMap((q) => q.queue.map((e) => [e.workOrderId, e] as const)));
  const events: LiveEventMessage[] = [
    {
      type: "plan.updated",
      aggregateType: "plan",
      aggregateId: "factory",
      payload: {
        reason: { machineId: request.machineId, type: request.type },
        moves,
        waiting,
        affectedWorkCenterIds: [...affected].sort((a, b) => a - b),
        machines: queues,
        at: new Date().toISOString(),
      },
    },
  ];
  for (const move of moves) {
    const entry = entryOf.get(move.workOrderId);
    if (!entry) continue;
    events.push({
      type: "work_order.updated",
      aggregateType: "work_order",
      aggregateId: String(move.workOrderId),
      payload: {
        workOrderId: move.workOrderId,
        code: move.code,
        machineId: move.toMachineId,
        workCenterId: workCenterOf.get(move.toMachineId) ?? null,
        status: entry.status,
        sequence: entry.sequence,
      },
    });
  }
  // One INSERT, in this order: plan.updated first, then the orders.
  await enqueueLiveEvents({ db: tx, events });
}

/** The open queues of these machines as the database now has them, running order first. */
async function readQueues(tx: Tx, machineIds: number[], workCenterOf: Map<number, number>): Promise<MachineQueue[]> {
  if (machineIds.length === 0) return [];
  const rows = await tx.$queryRaw<QueueRow[]>`
    SELECT id, code, sequence, status, machine_id AS "machineId" FROM work_orders
    WHERE machine_id = ANY(${machineIds}::int[]) AND status IN ('queued', 'running')
    ORDER BY machine_id, status = 'running' DESC, sequence, id`;
  return machineIds.map((machineId) => ({
    machineId,
    workCenterId: workCenterOf.get(machineId) ?? 0,
    queue: rows
      .filter((r) => r.machineId === machineId)
      .map((r) => ({ workOrderId: r.id, code: r.code, sequence: r.sequence, status: r.status })),
  }));
}
