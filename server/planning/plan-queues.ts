import type { MachineQueue, PlanMachine, PlanResult } from "./plan-types";
import { byQueueOrder, groupByMachine, type OpenOrder } from "./queue-order";

/** Every machine's queue under the final assignment, numbered 1..n from the running order on. */
export function buildQueues(
  machines: PlanMachine[],
  open: OpenOrder[],
  assignment: Map<number, number | null>,
): MachineQueue[] {
  const byMachine = groupByMachine(open, assignment);
  return machines.map((m) => ({
    machineId: m.id,
    workCenterId: m.workCenterId,
    queue: (byMachine.get(m.id) ?? []).sort(byQueueOrder).map((o, index) => ({
      workOrderId: o.id,
      code: o.code,
      sequence: index + 1,
      status: o.status,
    })),
  }));
}

/** The rows that differ from the input, and the machines whose queue they touch. */
export function changesFrom(
  open: OpenOrder[],
  queues: MachineQueue[],
): Pick<PlanResult, "updates" | "changedMachineIds"> {
  const before = new Map(open.map((o) => [o.id, o]));
  const updates: PlanResult["updates"] = [];
  const changed = new Set<number>();
  for (const { machineId, queue } of queues) {
    for (const { workOrderId, sequence } of queue) {
      const was = before.get(workOrderId) as OpenOrder;
      if (was.machineId === machineId && was.sequence === sequence) continue;
      updates.push({ workOrderId, machineId, sequence });
      changed.add(machineId);
      if (was.machineId !== null && was.machineId !== machineId) changed.add(was.machineId);
    }
  }
  updates.sort((a, b) => a.workOrderId - b.workOrderId);
  return { updates, changedMachineIds: [...changed].sort((a, b) => a - b) };
}
