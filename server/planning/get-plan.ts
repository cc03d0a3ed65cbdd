import type { Principal } from "../auth/roles";
import { pool } from "../db";
import { listWorkOrders } from "../work-orders/list-work-orders";
import type { WorkOrderView } from "../work-orders/work-order-view";
import type { MachineStatus } from "./plan-types";

/** What an order makes, when it names an item (the timeline shows it beside the operation). */
export type PlannedProduct = { sku: string; name: string };

export type TimedOrder = WorkOrderView & { plannedStart: string; plannedEnd: string };

type PlanMachineView = {
  id: number;
  code: string;
  name: string;
  workCenterId: number;
  status: MachineStatus;
  statusSince: string;
  capabilities: string[];
  queue: TimedOrder[];
};

/** The plan's core, which the shop floor reads: every machine's queue on a timeline, and what moved. */
export type PlanView = {
  machines: PlanMachineView[];
  /** Open orders on no machine (none of an operator's business: empty for them). */
  unassigned: WorkOrderView[];
  /** The planner's latest decisions, newest first, with the reason for each. */
  changes: PlanChangeView[];
};

export type PlannedOrder = TimedOrder & { product: PlannedProduct | null };

/** All of GET /api/plan, as the planning page draws it: the core, with work-center names and products. */
export type PlanningView = Omit<PlanView, "machines"> & {
  /** The work centers of the machines shown, by id: the timeline groups its rows by them. */
  workCenters: { id: number; code: string; name: string }[];
  machines: (Omit<PlanMachineView, "queue"> & { queue: PlannedOrder[] })[];
};

export type PlanChangeView = {
  id: string;
  at: string;
  reason: { machineId: number; type: string; eventId: string | null };
  kind: "moved" | "waiting";
  workOrderId: number;
  code: string;
  fromMachineId: number | null;
  toMachineId: number | null;
  explanation: string;
};

const changesShown = 50;

/**
 * The plan as the planning page draws it: every machine with its ordered
 * queue on a timeline (each order starts when the one ahead of it is
 * estimated to end), and what the planner last changed and why. Operators
 * get their own work center's machines and the changes that touch them.
 */
export async function getPlan({
  principal,
  now = new Date(),
}: {
  principal: Principal;
  now?: Date;
}): Promise<PlanningView> {
  const ownWorkCenter = principal.role === "operator" ? (principal.workCenterId ?? -1) : null;
  const machines = await pool().query<Omit<PlanMachineView, "queue" | "statusSince"> & { statusSince: Date }>(
    `SELECT id, code, name, work_center_id AS "workCenterId", status, status_since AS "statusSince", capabilities
     FROM machines WHERE $1::int IS NULL OR work_center_id = $1 ORDER BY work_center_id, code`,
    [ownWorkCenter],
  );
  const orders = await listWorkOrders({ principal, status: "open", limit: 10_000 });
  const [workCenters, products] = await Promise.all([
    pool().query<PlanningView["workCenters"][number]>(
      `SELECT id, code, name FROM work_centers WHERE $1::int IS NULL OR id = $1 ORDER BY id`,
      [ownWorkCenter],
    ),
    productsOf(orders.map((o) => o.id)),
  ]);
  const byMachine = new Map<number, WorkOrderView[]>();
  for (const o of orders) {
    if (o.machineId === null) continue;
    const queue = byMachine.get(o.machineId);
    if (queue) queue.push(o);
    else byMachine.set(o.machineId, [o]);
  }
  return {
    workCenters: workCenters.rows,
    machines: machines.rows.map((m) => ({
      ...m,
      statusSince: m.statusSince.toISOString(),
      queue: onTimeline(byMachine.get(m.id) ?? [], now).map((o) => ({ ...o, product: products.get(o.id) ?? null })),
    })),
    unassigned: orders.filter((o) => o.machineId === null),
    changes: await latestChanges(ownWorkCenter),
  };
}

/** Back to back from now; a running order from when it started, never ending before now. */
function onTimeline(queue: WorkOrderView[], now: Date): TimedOrder[] {
  let cursor = now.getTime();
  return queue.map((o) => {
    const start = o.status === "running" && o.startedAt ? new Date(o.startedAt).getTime() : cursor;
    const end = Math.max(start + o.estimatedMinutes * 60_000, o.status === "running" ? cursor : 0);
    cursor = end;
    return { ...o, plannedStart: new Date(start).toISOString(), plannedEnd: new Date(end).toISOString() };
  });
}

async function productsOf(workOrderIds: number[]): Promise<Map<number, PlannedProduct>> {
  if (workOrderIds.length === 0) return new Map();
  const { rows } = await pool().query<PlannedProduct & { id: number }>(
    `SELECT wo.id, i.sku, i.name FROM work_orders wo JOIN inventory_items i ON i.id = wo.item_id
     WHERE wo.id = ANY($1::int[])`,
    [workOrderIds],
  );
  return new Map(rows.map(({ id, ...product }) => [id, product]));
}

async function latestChanges(ownWorkCenter: number | null): Promise<PlanChangeView[]> {
  const { rows } = await pool().query<{
    id: string;
    at: Date;
    machineId: number;
    type: string;
    eventId: string | null;
    kind: "moved" | "waiting";
    workOrderId: number;
    code: string;
    fromMachineId: number | null;
    toMachineId: number | null;
    explanation: string;
  }>(
    `SELECT pc.id::text, pc.created_at AS at, pc.trigger_machine_id AS "machineId", pc.trigger_type AS type,
            pc.machine_event_id::text AS "eventId", pc.kind, pc.work_order_id AS "workOrderId", wo.code,
            pc.from_machine_id AS "fromMachineId", pc.to_machine_id AS "toMachineId", pc.explanation
     FROM plan_changes pc JOIN work_orders wo ON wo.id = pc.work_order_id
     WHERE $1::int IS NULL OR EXISTS (
       SELECT 1 FROM machines m
       WHERE m.work_center_id = $1 AND m.id IN (pc.from_machine_id, pc.to_machine_id, pc.trigger_machine_id))
     ORDER BY pc.id DESC LIMIT $2`,
    [ownWorkCenter, changesShown],
  );
  return rows.map(({ at, machineId, type, eventId, ...change }) => ({
    ...change,
    at: at.toISOString(),
    reason: { machineId, type, eventId },
  }));
}
