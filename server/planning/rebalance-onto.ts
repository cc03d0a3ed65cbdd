import { isAvailable, type PlanMachine } from "./plan-types";
import { addTo, byQueueOrder, byUrgency, groupByMachine, type OpenOrder } from "./queue-order";
import { estimatedSeconds } from "./work-estimate";

export type Rebalanced = { order: OpenOrder; from: number; to: number; aheadBefore: number };

/**
 * Moves orders queued on other running or idle machines onto a machine that
 * has just resumed, most urgent first, when they would finish earlier there:
 * the work queued ahead of them where they are against all the work on the
 * resumed machine (a pessimistic figure, so an order moves only for a clear gain).
 */
export function rebalanceOnto({
  resumed,
  open,
  placedNow,
  assignment,
  load,
  machineById,
}: {
  resumed: PlanMachine;
  open: OpenOrder[];
  /** Orders placed in this run already went to the machine that finishes them first. */
  placedNow: Set<number>;
  /** Order id → machine id; updated in place. */
  assignment: Map<number, number | null>;
  /** Machine id → seconds of work; updated in place. */
  load: Map<number, number>;
  machineById: Map<number, PlanMachine>;
}): Rebalanced[] {
  const queueOf = groupByMachine(open, assignment);
  for (const queue of queueOf.values()) queue.sort(byQueueOrder);

  const canMake = new Set(resumed.capabilities);
  const candidates = open
    .filter((o) => {
      const machineId = assignment.get(o.id);
      if (o.status !== "queued" || placedNow.has(o.id) || machineId === null || machineId === undefined) return false;
      const machine = machineById.get(machineId);
      return (
        machineId !== resumed.id && machine !== undefined && isAvailable(machine.status) && canMake.has(o.operation)
      );
    })
    .sort(byUrgency);

  const decisions: Rebalanced[] = [];
  for (const order of candidates) {
    const from = assignment.get(order.id) as number;
    const queue = queueOf.get(from) ?? [];
    const index = queue.indexOf(order);
    let aheadWork = 0;
    for (let i = 0; i < index; i++) aheadWork += estimatedSeconds(queue[i] as OpenOrder);
    const work = estimatedSeconds(order);
    if ((load.get(resumed.id) ?? 0) + work >= aheadWork + work) continue;
    queue.splice(index, 1);
    addTo(load, from, -work);
    addTo(load, resumed.id, work);
    assignment.set(order.id, resumed.id);
    decisions.push({ order, from, to: resumed.id, aheadBefore: index });
  }
  return decisions;
}
