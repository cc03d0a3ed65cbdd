import type { Principal } from "../auth/roles";
import type { Db } from "../db";
import { transientRetry } from "../db/transient-retry";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { enqueueLiveEvent } from "../outbox/enqueue-outbox-message";
import { wakeOutboxRelay } from "../outbox/wake";
import type { MachineStatus } from "../planning/plan-types";
import { lockWorkOrder } from "./lock-work-order";
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

type Tx = Prisma.TransactionClient;
type LockedWorkOrder = Awaited<ReturnType<typeof lockWorkOrder>>;

/**
 * The shell every work-order transition shares: one transaction (retried on
 * deadlock) that locks the order, refuses it unless it is in `from`, runs the
 * transition, and wakes the relay for its live events after the commit.
 */
export async function transitionWorkOrder({
  db,
  workOrderId,
  principal,
  from,
  refusal,
  apply,
}: {
  db: Db;
  workOrderId: number;
  principal: Principal;
  from: string;
  refusal: { code: "work_order_not_queued" | "work_order_not_running"; message: (order: LockedWorkOrder) => string };
  apply: (tx: Tx, order: LockedWorkOrder) => Promise<WorkOrderTransition>;
}): Promise<WorkOrderTransition> {
  const result = await transientRetry.execute(() =>
    db.$transaction(
      async (tx) => {
        const order = await lockWorkOrder(tx, workOrderId, principal);
        if (order.status !== from) {
          throw new AppError(refusal.code, refusal.message(order), { status: order.status });
        }
        return apply(tx, order);
      },
      { maxWait: 5_000, timeout: 15_000 },
    ),
  );
  wakeOutboxRelay();
  return result;
}
