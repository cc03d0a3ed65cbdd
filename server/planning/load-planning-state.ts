import type pg from "pg";
import { pool } from "../db";
import type { MachineStatus, PlanMachine, PlanWorkOrder, WorkOrderStatus } from "./plan-types";

// Both SELECTs in one repeatable-read transaction, sent as one string: the
// simple query protocol runs the four statements in a single round trip
// (there are no parameters, so none is needed), and pg returns one result
// per statement.
const stateSql = `
  BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
  SELECT id, name, work_center_id AS "workCenterId", status, capabilities
  FROM machines ORDER BY id;
  SELECT id, code, operation, priority, due_at AS "dueAt", machine_id AS "machineId", sequence, status, quantity
  FROM work_orders WHERE status IN ('queued', 'running') ORDER BY id;
  COMMIT`;

/**
 * Every machine and every open work order, read in one snapshot (repeatable
 * read), so that the planner never sees an order between two machines.
 */
export async function loadPlanningState(): Promise<{ machines: PlanMachine[]; workOrders: PlanWorkOrder[] }> {
  const client = await pool().connect();
  let results: pg.QueryResult[];
  try {
    results = (await client.query(stateSql)) as unknown as pg.QueryResult[];
  } catch (error) {
    // The transaction may be left open (aborted) on this connection: drop it.
    client.release(error instanceof Error ? error : true);
    throw error;
  }
  client.release();
  const machines = results[1]?.rows as (Omit<PlanMachine, "status"> & { status: string })[];
  const workOrders = results[2]?.rows as (Omit<PlanWorkOrder, "status"> & { status: string })[];
  // The CHECK constraints on both tables hold these to the planner's words.
  return {
    machines: machines.map((m) => ({ ...m, status: m.status as MachineStatus })),
    workOrders: workOrders.map((o) => ({ ...o, status: o.status as WorkOrderStatus })),
  };
}
