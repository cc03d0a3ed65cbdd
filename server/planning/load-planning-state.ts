import { prisma } from "../db";
import type { MachineStatus, PlanMachine, PlanWorkOrder, WorkOrderStatus } from "./plan-types";

/**
 * Every machine and every open work order, read in one snapshot (repeatable
 * read), so that the planner never sees an order between two machines.
 */
export async function loadPlanningState(): Promise<{ machines: PlanMachine[]; workOrders: PlanWorkOrder[] }> {
  return prisma().$transaction(
    async (tx) => {
      // One after the other: a transaction has one connection.
      const machines = await tx.machine.findMany({
        select: { id: true, name: true, workCenterId: true, status: true, capabilities: true },
        orderBy: { id: "asc" },
      });
      const workOrders = await tx.workOrder.findMany({
        where: { status: { in: ["queued", "running"] } },
        select: {
          id: true,
          code: true,
          operation: true,
          priority: true,
          dueAt: true,
          machineId: true,
          sequence: true,
          status: true,
          quantity: true,
        },
        orderBy: { id: "asc" },
      });
      // The CHECK constraints on both tables hold these to the planner's words.
      return {
        machines: machines.map((m) => ({ ...m, status: m.status as MachineStatus })),
        workOrders: workOrders.map((o) => ({ ...o, status: o.status as WorkOrderStatus })),
      };
    },
    { isolationLevel: "RepeatableRead" },
  );
}
