import type { Principal } from "../auth/roles";
import { AppError } from "../errors";
import { Prisma } from "../generated/prisma/client";
import { type WorkOrderRow, workOrderColumns } from "./work-order-view";

/**
 * Locks a work order's row for the rest of the transaction and checks that
 * the caller may work on it: an operator only on an order whose machine is
 * in their own work center. Start and finish lock the order first, then
 * its machine; the planner locks only work orders and machine reports only
 * the machine, so no two of them can wait for each other in a cycle.
 */
export async function lockWorkOrder(
  tx: Prisma.TransactionClient,
  id: number,
  principal: Principal,
): Promise<WorkOrderRow & { machineId: number | null }> {
  await tx.$executeRaw`SELECT set_config('lock_timeout', '5s', true)`;
  const [row] = await tx.$queryRaw<WorkOrderRow[]>(
    Prisma.sql`SELECT ${Prisma.raw(workOrderColumns)}
      FROM work_orders wo LEFT JOIN machines m ON m.id = wo.machine_id
      WHERE wo.id = ${id} FOR UPDATE OF wo`,
  );
  if (!row) throw new AppError("not_found", `Work order ${id} does not exist.`);
  if (principal.role === "operator" && (row.workCenterId === null || row.workCenterId !== principal.workCenterId)) {
    throw new AppError(
      "forbidden",
      `${row.code} is not on a machine of your work center: operators work only on their own work center's orders.`,
    );
  }
  return row;
}
