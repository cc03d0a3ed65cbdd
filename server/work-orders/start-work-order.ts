import type { Principal } from "../auth/roles";
import { type Db, prisma } from "../db";
import { AppError } from "../errors";
import { lockMachine, recordMachineStatus } from "../machines/record-machine-status";
import { statusWords } from "../planning/explain-move";
import { isAvailable } from "../planning/plan-types";
import { announceWorkOrder, transitionWorkOrder, type WorkOrderTransition } from "./work-order-transition";

/**
 * queued → running, on a machine that works (running or idle) and runs
 * nothing else; the machine then shows running. One transaction, with the
 * live events for the tablets and the planning page.
 */
export async function startWorkOrder({
  workOrderId,
  principal,
  db = prisma(),
}: {
  workOrderId: number;
  principal: Principal;
  db?: Db;
}): Promise<WorkOrderTransition> {
  return transitionWorkOrder({
    db,
    workOrderId,
    principal,
    from: "queued",
    refusal: {
      code: "work_order_not_queued",
      message: (order) => `${order.code} is ${order.status}, not queued: only a queued work order can be started.`,
    },
    apply: async (tx, order) => {
      const machine = order.machineId === null ? undefined : await lockMachine(tx, order.machineId);
      if (!machine) {
        throw new AppError("machine_not_available", `${order.code} is not on any machine yet: the planner places it.`);
      }
      if (!isAvailable(machine.status)) {
        throw new AppError(
          "machine_not_available",
          `${machine.name} is stopped (${statusWords[machine.status]}): report it resumed before starting work on it.`,
          { machineStatus: machine.status },
        );
      }
      const [busy] = await tx.workOrder.findMany({
        where: { machineId: machine.id, status: "running", id: { not: order.id } },
        select: { code: true },
        take: 1,
      });
      if (busy) {
        throw new AppError(
          "machine_busy",
          `${machine.name} is already running ${busy.code}: finish it before starting ${order.code}.`,
          { runningWorkOrder: busy.code },
        );
      }

      const startedAt = new Date();
      await tx.workOrder.update({
        where: { id: order.id },
        data: { status: "running", startedAt, updatedAt: startedAt },
      });
      const { changed } = await recordMachineStatus({
        tx,
        machine,
        status: "running",
        type: "work_order_started",
        reportedBy: principal.userId,
      });
      return announceWorkOrder({
        tx,
        order: { ...order, status: "running", startedAt },
        machine: { id: machine.id, status: "running", changed },
        principal,
        action: "work_order.start",
      });
    },
  });
}
