import type { Principal } from "../auth/roles";
import { pool } from "../db";
import { toWorkOrderView, type WorkOrderRow, type WorkOrderView, workOrderColumns } from "./work-order-view";

export const workOrderStatusFilters = ["open", "queued", "running", "done", "cancelled", "all"] as const;
export type WorkOrderStatusFilter = (typeof workOrderStatusFilters)[number];

const statusesOf: Record<WorkOrderStatusFilter, string[]> = {
  open: ["queued", "running"],
  queued: ["queued"],
  running: ["running"],
  done: ["done"],
  cancelled: ["cancelled"],
  all: ["queued", "running", "done", "cancelled"],
};

/**
 * Work orders in the order machines work them: by machine, the running one
 * first, then by sequence. An operator sees those of their own work center
 * only, whatever the filters ask (another group's orders are simply not found).
 */
export async function listWorkOrders({
  principal,
  machineId,
  workCenterId,
  status = "open",
  limit = 500,
}: {
  principal: Principal;
  machineId?: number;
  workCenterId?: number;
  status?: WorkOrderStatusFilter;
  limit?: number;
}): Promise<WorkOrderView[]> {
  const ownWorkCenter = principal.role === "operator" ? (principal.workCenterId ?? -1) : null;
  const { rows } = await pool().query<WorkOrderRow>({
    name: "list-work-orders",
    text: `SELECT ${workOrderColumns}
      FROM work_orders wo LEFT JOIN machines m ON m.id = wo.machine_id
      WHERE ($1::int IS NULL OR wo.machine_id = $1)
        AND ($2::int IS NULL OR m.work_center_id = $2)
        AND ($3::int IS NULL OR m.work_center_id = $3)
        AND wo.status = ANY($4::text[])
      ORDER BY wo.machine_id NULLS LAST, wo.status = 'running' DESC, wo.sequence, wo.id
      LIMIT $5`,
    values: [machineId ?? null, workCenterId ?? null, ownWorkCenter, statusesOf[status], limit],
  });
  return rows.map(toWorkOrderView);
}
