import { prisma } from "../db";
import type { MachineStatus, PlanMachine, PlanWorkOrder, WorkOrderStatus } from "./plan-types";

type Row = {
  machines: (Omit<PlanMachine, "status"> & { status: string })[];
  workOrders: (Omit<PlanWorkOrder, "dueAt" | "status"> & { dueAt: number; status: string })[];
};

/**
 * Every machine and every open work order, read in one snapshot, so that
 * the planner never sees an order between two machines. One statement has
 * one snapshot: both lists come back as JSON from a single query, one round
 * trip and no transaction to open and commit. `dueAt` travels as epoch
 * milliseconds (what a Date holds).
 */
export async function loadPlanningState(): Promise<{ machines: PlanMachine[]; workOrders: PlanWorkOrder[] }> {
  const [row] = await prisma().$queryRaw<Row[]>`
    SELECT
      (SELECT coalesce(json_agg(json_build_object(
                'id', m.id, 'name', m.name, 'workCenterId', m.work_center_id, 'status', m.status,
                'capabilities', m.capabilities) ORDER BY m.id), '[]'::json)
       FROM machines m) AS machines,
      (SELECT coalesce(json_agg(json_build_object(
                'id', o.id, 'code', o.code, 'operation', o.operation, 'priority', o.priority,
                'dueAt', floor(extract(epoch FROM o.due_at) * 1000)::float8, 'machineId', o.machine_id,
                'sequence', o.sequence, 'status', o.status, 'quantity', o.quantity) ORDER BY o.id), '[]'::json)
       FROM work_orders o WHERE o.status IN ('queued', 'running')) AS "workOrders"`;
  // The CHECK constraints on both tables hold these to the planner's words.
  return {
    machines: (row?.machines ?? []).map((m) => ({ ...m, status: m.status as MachineStatus })),
    workOrders: (row?.workOrders ?? []).map((o) => ({
      ...o,
      dueAt: new Date(o.dueAt),
      status: o.status as WorkOrderStatus,
    })),
  };
}
