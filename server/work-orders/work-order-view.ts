import { estimatedSeconds } from "../planning/work-estimate";

export type WorkOrderRow = {
  id: number;
  code: string;
  operation: string;
  quantity: number;
  priority: number;
  dueAt: Date;
  machineId: number | null;
  workCenterId: number | null;
  sequence: number;
  status: "queued" | "running" | "done" | "cancelled";
  startedAt: Date | null;
  finishedAt: Date | null;
};

export type WorkOrderView = Omit<WorkOrderRow, "dueAt" | "startedAt" | "finishedAt"> & {
  dueAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The planner's estimate of the machine time the order takes. */
  estimatedMinutes: number;
};

/** The columns of WorkOrderRow, for raw queries over work_orders `wo` joined to machines `m`. */
export const workOrderColumns = `wo.id, wo.code, wo.operation, wo.quantity, wo.priority, wo.due_at AS "dueAt",
  wo.machine_id AS "machineId", m.work_center_id AS "workCenterId", wo.sequence, wo.status,
  wo.started_at AS "startedAt", wo.finished_at AS "finishedAt"`;

export function toWorkOrderView(row: WorkOrderRow): WorkOrderView {
  return {
    ...row,
    dueAt: row.dueAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    estimatedMinutes: Math.ceil(estimatedSeconds(row) / 60),
  };
}
