import type { PlanWorkOrder } from "./plan-types";

// Orderings and small helpers the planner's steps share.

export type OpenOrder = PlanWorkOrder & { status: "queued" | "running" };

/** Most urgent first: priority, then earliest due, then lowest id (a total order). */
export function byUrgency(a: PlanWorkOrder, b: PlanWorkOrder): number {
  return a.priority - b.priority || a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id;
}

/** A machine's queue: what runs comes first, then by urgency. */
export function byQueueOrder(a: OpenOrder, b: OpenOrder): number {
  return Number(b.status === "running") - Number(a.status === "running") || byUrgency(a, b);
}

/** Orders by the machine they are assigned to (unassigned ones left out), in input order. */
export function groupByMachine(open: OpenOrder[], assignment: Map<number, number | null>): Map<number, OpenOrder[]> {
  const byMachine = new Map<number, OpenOrder[]>();
  for (const o of open) {
    const machineId = assignment.get(o.id);
    if (machineId !== null && machineId !== undefined) pushTo(byMachine, machineId, o);
  }
  return byMachine;
}

export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function addTo(map: Map<number, number>, key: number, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}
