import type { Principal } from "../auth/roles";
import { type Db, prisma } from "../db";
import { lockMachine, recordMachineStatus } from "../machines/record-machine-status";
import { announceWorkOrder, transitionWorkOrder, type WorkOrderTransition } from "./work-order-transition";

/**
 * running → done. The machine goes idle when nothing else runs on it; a
 * machine that was reported stopped meanwhile stays stopped (the order was
 * finished by hand, or before the breakdown was reported).
 */
export async function finishWorkOrder({
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
    from: "running",
    refusal: {
      code: "work_order_not_running",
      message: (order) => `${order.code} is ${order.status}, not running: only a running work order can be finished.`,
    },
    apply: async (tx, order) => {
      const machine = order.machineId === null ? undefined : await lockMachine(tx, order.machineId);
      const finishedAt = new Date();
      await tx.workOrder.update({
        where: { id: order.id },
        data: { status: "done", finishedAt, updatedAt: finishedAt },
      });

      let machineAfter: WorkOrderTransition["machine"] = null;
      if (machine) {
        const stillRunning = await tx.workOrder.count({ where: { machineId: machine.id, status: "running" } });
        const status = machine.status === "running" && stillRunning === 0 ? "idle" : machine.status;
        const { changed } = await recordMachineStatus({
          tx,
          machine,
          status,
          type: "work_order_finished",
          reportedBy: principal.userId,
        });
        machineAfter = { id: machine.id, status, changed };
      }
      return announceWorkOrder({
        tx,
        order: { ...order, status: "done", finishedAt },
        machine: machineAfter,
        principal,
        action: "work_order.finish",
      });
    },
  });
}
