import type { MachineStatus, PlanMachine } from "./plan-types";

// The sentences the planning page and the tablets show for each change, so
// that a planner can check the planner: which machine, why it stopped, and
// why this machine rather than another.

export const statusWords: Record<MachineStatus, string> = {
  running: "running",
  idle: "idle",
  breakdown: "breakdown",
  material_shortage: "material shortage",
  maintenance: "maintenance",
};

const ordersAhead = (n: number) => `${n} ${n === 1 ? "order" : "orders"} ahead`;

const stopped = (machine: PlanMachine) => `${machine.name} ${statusWords[machine.status]}`;

/** An order leaves a stopped machine (or gets its first one) for the capable machine that finishes it first. */
export function explainDisplaced({
  from,
  to,
  ahead,
}: {
  from: PlanMachine | undefined;
  to: PlanMachine;
  ahead: number;
}): string {
  const why = from
    ? `moved from ${from.name} to ${to.name}: ${stopped(from)}`
    : `assigned to ${to.name}: it had no machine`;
  return `${why}; earliest capable machine (${ordersAhead(ahead)})`;
}

/** An order goes to a machine that has just resumed, because it finishes earlier there. */
export function explainRebalanced({
  from,
  to,
  ahead,
  aheadBefore,
}: {
  from: PlanMachine;
  to: PlanMachine;
  ahead: number;
  aheadBefore: number;
}): string {
  return `moved from ${from.name} to ${to.name}: ${to.name} resumed; finishes earlier there (${ordersAhead(ahead)} instead of ${aheadBefore})`;
}

/** An order that should move but that no running or idle machine can make. */
export function explainWaiting({ from, operation }: { from: PlanMachine | undefined; operation: string }): string {
  const where = from ? stopped(from) : "no machine assigned";
  return `waiting: no capable machine available (${where}; needs ${operation})`;
}
