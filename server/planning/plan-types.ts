// The planner's view of the factory: plain data in, plain data out, so that
// plan-reroute.ts stays a pure function that tests can feed by hand.

export type MachineStatus = "running" | "idle" | "breakdown" | "material_shortage" | "maintenance";
export type WorkOrderStatus = "queued" | "running" | "done" | "cancelled";

/** A stopped machine takes no new work; its queued orders look for another machine. */
export const downStatuses: ReadonlySet<MachineStatus> = new Set(["breakdown", "material_shortage", "maintenance"]);

export const isAvailable = (status: MachineStatus) => status === "running" || status === "idle";

export type PlanMachine = {
  id: number;
  name: string;
  workCenterId: number;
  status: MachineStatus;
  capabilities: readonly string[];
};

export type PlanWorkOrder = {
  id: number;
  code: string;
  operation: string;
  /** 1 is the most urgent, 5 the least. */
  priority: number;
  dueAt: Date;
  machineId: number | null;
  sequence: number;
  status: WorkOrderStatus;
  quantity: number;
};

/** The machine event the re-plan answers. */
export type PlanTrigger = { machineId: number; type: string };

export type PlanInput = {
  machines: readonly PlanMachine[];
  workOrders: readonly PlanWorkOrder[];
  trigger?: PlanTrigger;
};

export type PlanMove = {
  workOrderId: number;
  code: string;
  fromMachineId: number | null;
  toMachineId: number;
  explanation: string;
};

/** A queued order that should leave its machine (or has none) but has nowhere to go. */
export type PlanWaiting = {
  workOrderId: number;
  code: string;
  machineId: number | null;
  explanation: string;
};

export type QueueEntry = { workOrderId: number; code: string; sequence: number; status: "queued" | "running" };

export type MachineQueue = { machineId: number; workCenterId: number; queue: QueueEntry[] };

export type PlanResult = {
  /** In the order the planner placed them: priority, then due date, then id. */
  moves: PlanMove[];
  waiting: PlanWaiting[];
  /** Every machine's open orders in their new order, machines by id. */
  queues: MachineQueue[];
  /** Machines whose queue gained or lost an order or was re-sequenced, by id. */
  changedMachineIds: number[];
  /** The rows to write: orders whose machine or sequence changes, by id. */
  updates: { workOrderId: number; machineId: number; sequence: number }[];
};
