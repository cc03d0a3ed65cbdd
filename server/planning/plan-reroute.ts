import { explainDisplaced, explainRebalanced, explainWaiting } from "./explain-move";
import { buildQueues, changesFrom } from "./plan-queues";
import {
  isAvailable,
  type PlanInput,
  type PlanMachine,
  type PlanMove,
  type PlanResult,
  type PlanWaiting,
} from "./plan-types";
import { addTo, byUrgency, type OpenOrder, pushTo } from "./queue-order";
import { rebalanceOnto } from "./rebalance-onto";
import { estimatedSeconds } from "./work-estimate";

// The re-routing heuristic: greedy list scheduling, deterministic, with a
// sentence for every decision. A pure function of its input (no clock, no
// randomness, no database), so the same factory always gets the same plan.
//
// 1. Queued orders on a stopped machine (or on none) are placed one by one,
//    most urgent first (priority, due date, id), each on the running or idle
//    machine with the operation in its capabilities that would finish it
//    first: the least work already queued there; ties go to the machine
//    with fewer queued orders, then to the lowest id. Running orders never
//    move: the part is on that machine.
// 2. When the trigger is a machine resuming, orders queued elsewhere that it
//    can make move onto it, most urgent first, if they would finish earlier
//    there than where they wait.
// 3. Every machine's queue is numbered again: the running order first, then
//    by priority, due date and id.

type Displaced = { order: OpenOrder; from: number | null; to: number };

export function planReroute(input: PlanInput): PlanResult {
  const machines = [...input.machines].sort((a, b) => a.id - b.id);
  const machineById = new Map(machines.map((m) => [m.id, m]));
  const open = input.workOrders
    .filter((o): o is OpenOrder => o.status === "queued" || o.status === "running")
    .sort((a, b) => a.id - b.id);
  const onAvailableMachine = (o: OpenOrder) => {
    const machine = o.machineId === null ? undefined : machineById.get(o.machineId);
    return machine !== undefined && isAvailable(machine.status);
  };

  const assignment = new Map<number, number | null>(open.map((o) => [o.id, o.machineId]));
  const toPlace = open.filter((o) => o.status === "queued" && !onAvailableMachine(o)).sort(byUrgency);
  const placing = new Set(toPlace.map((o) => o.id));

  // Work and queued orders each machine keeps, before anything is placed.
  const load = new Map<number, number>(machines.map((m) => [m.id, 0]));
  const queued = new Map<number, number>(machines.map((m) => [m.id, 0]));
  for (const o of open) {
    if (placing.has(o.id) || o.machineId === null || !machineById.has(o.machineId)) continue;
    addTo(load, o.machineId, estimatedSeconds(o));
    if (o.status === "queued") addTo(queued, o.machineId, 1);
  }

  const capable = new Map<string, PlanMachine[]>();
  for (const m of machines) {
    if (!isAvailable(m.status)) continue;
    for (const operation of new Set(m.capabilities)) pushTo(capable, operation, m);
  }

  const displaced: Displaced[] = [];
  const stuck: OpenOrder[] = [];
  for (const order of toPlace) {
    const work = estimatedSeconds(order);
    let best: PlanMachine | undefined;
    for (const m of capable.get(order.operation) ?? []) {
      // Candidates come by ascending id, so a full tie keeps the lowest id.
      if (!best || isBetter(m, best)) best = m;
    }
    if (!best) {
      stuck.push(order);
      continue;
    }
    assignment.set(order.id, best.id);
    addTo(load, best.id, work);
    addTo(queued, best.id, 1);
    displaced.push({ order, from: order.machineId, to: best.id });
  }

  function isBetter(m: PlanMachine, best: PlanMachine): boolean {
    const finish = (load.get(m.id) ?? 0) - (load.get(best.id) ?? 0);
    return finish < 0 || (finish === 0 && (queued.get(m.id) ?? 0) < (queued.get(best.id) ?? 0));
  }

  const resumed = input.trigger?.type === "resume" ? machineById.get(input.trigger.machineId) : undefined;
  const rebalanced =
    resumed && isAvailable(resumed.status)
      ? rebalanceOnto({ resumed, open, placedNow: placing, assignment, load, machineById })
      : [];

  const queues = buildQueues(machines, open, assignment);
  const position = new Map<number, number>();
  for (const { queue } of queues) {
    for (const [index, entry] of queue.entries()) position.set(entry.workOrderId, index);
  }

  const moves: PlanMove[] = [
    ...displaced.map(({ order, from, to }) => ({
      workOrderId: order.id,
      code: order.code,
      fromMachineId: from,
      toMachineId: to,
      explanation: explainDisplaced({
        from: from === null ? undefined : machineById.get(from),
        to: machineById.get(to) as PlanMachine,
        ahead: position.get(order.id) ?? 0,
      }),
    })),
    ...rebalanced.map(({ order, from, to, aheadBefore }) => ({
      workOrderId: order.id,
      code: order.code,
      fromMachineId: from,
      toMachineId: to,
      explanation: explainRebalanced({
        from: machineById.get(from) as PlanMachine,
        to: machineById.get(to) as PlanMachine,
        ahead: position.get(order.id) ?? 0,
        aheadBefore,
      }),
    })),
  ];
  const waiting: PlanWaiting[] = stuck.map((order) => ({
    workOrderId: order.id,
    code: order.code,
    machineId: order.machineId,
    explanation: explainWaiting({
      from: order.machineId === null ? undefined : machineById.get(order.machineId),
      operation: order.operation,
    }),
  }));

  return { moves, waiting, queues, ...changesFrom(open, queues) };
}
