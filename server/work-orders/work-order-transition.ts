import type { Principal } from "../auth/roles";
import type { Prisma } from "../generated/prisma/client";
import { enqueueLiveEvent } from "../outbox/enqueue-outbox-message";
import type { MachineStatus } from "../planning/plan-types";
import { toWorkOrderView, type WorkOrderRow, type WorkOrderView } from "./work-order-view";

export type WorkOrderTransition = {
  workOrder: WorkOrderView;
  /** The order's machine after the change; `changed` when its status moved with the order. */
  machine: { id: number; status: MachineStatus; changed: boolean } | null;
};

/** The work_order.updated push and the audit row of a start or finish, in its transaction. */
export async function announceWorkOrder({
  tx,
  order,
  machine,
  principal,
  action,
}: {
  tx: Prisma.TransactionClient;
  order: WorkOrderRow;
  machine: WorkOrderTransition["machine"];
  principal: Principal;
  action: "work_order.start" | "work_order.finish";
}): Promise<WorkOrderTransition> {
  await enqueueLiveEvent({
    db: tx,
    type: "work_order.updated",
    aggregateType: "work_order",
    aggregateId: String(order.id),
    payload: {
      workOrderId: order.id,
      code: order.code,
      machineId: order.machineId,
      workCenterId: order.workCenterId,
      status: order.status,
      sequence: order.sequence,
    },
  });
  await tx.auditLog.create({
    data: {
      actorId: principal.userId,
      action,
      targetType: "work_order",
      targetId: String(order.id),
      detail: { code: order.code, machineId: order.machineId, status: order.status },
    },
  });
  return { workOrder: toWorkOrderView(order), machine };
}
