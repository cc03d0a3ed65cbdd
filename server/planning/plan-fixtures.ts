import type { MachineStatus, PlanMachine, PlanWorkOrder, WorkOrderStatus } from "./plan-types";

// Hand-written factories for the planner's unit tests and benchmarks.

export const planEpoch = new Date("2026-11-25T06:00:00Z");
const hour = 3_600_000;

export function machine(
  id: number,
  name: string,
  status: MachineStatus,
  capabilities: string[],
  workCenterId = 1,
): PlanMachine {
  return { id, name, workCenterId, status, capabilities };
}

export function order({
  id,
  machineId,
  operation = "press",
  priority = 3,
  dueInHours = 24,
  status = "queued",
  quantity = 100,
  sequence = 0,
}: {
  id: number;
  machineId: number | null;
  operation?: string;
  priority?: number;
  dueInHours?: number;
  status?: WorkOrderStatus;
  quantity?: number;
  sequence?: number;
}): PlanWorkOrder {
  return {
    id,
    code: `WO-${id}`,
    operation,
    priority,
    dueAt: new Date(planEpoch.getTime() + dueInHours * hour),
    machineId,
    sequence,
    status,
    quantity,
  };
}

const operations = ["press", "laser-cut", "cnc-mill", "cnc-lathe", "weld", "assemble", "test", "drill"];
const statuses: MachineStatus[] = ["running", "running", "running", "idle", "idle", "breakdown", "material_shortage"];

/**
 * A big factory, the same every time: `machineCount` machines with one to
 * three overlapping capabilities, some stopped, and `orderCount` open orders
 * spread over them (the first order of each running machine runs).
 */
export function syntheticFactory({ machineCount, orderCount }: { machineCount: number; orderCount: number }) {
  let seed = 42;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const machines = Array.from({ length: machineCount }, (_, i) => {
    const caps = new Set([operations[i % operations.length] as string]);
    for (let k = next(3); k > 0; k--) caps.add(operations[next(operations.length)] as string);
    return machine(i + 1, `Machine ${i + 1}`, statuses[next(statuses.length)] as MachineStatus, [...caps], 1 + (i % 5));
  });
  const running = new Set<number>();
  const workOrders = Array.from({ length: orderCount }, (_, i) => {
    const m = machines[next(machineCount)] as PlanMachine;
    const operation = m.capabilities[next(m.capabilities.length)] as string;
    const runs = m.status !== "idle" && !running.has(m.id);
    if (runs) running.add(m.id);
    return order({
      id: i + 1,
      machineId: m.id,
      operation,
      priority: 1 + next(5),
      dueInHours: next(240),
      status: runs ? "running" : "queued",
      quantity: 1 + next(500),
      sequence: i,
    });
  });
  return { machines, workOrders };
}
