import type { MachineStatus, WorkOrderStatus } from "@/server/planning/plan-types";
import { ApiError, apiFetch, NetworkError } from "../api-client";
import type { SendOutcome } from "./action-queue";

// What an operator can press on a machine card, when each press makes sense,
// and how a press reaches the server. Pure apart from `sendFloorAction`.

export type MachineReport = "breakdown" | "material_shortage" | "resume";

type OnMachine = { machineId: number; machineCode: string };
type OnWorkOrder = OnMachine & { workOrderId: number; workOrderCode: string };

export type FloorAction =
  | (OnMachine & { kind: "report"; event: MachineReport })
  | (OnWorkOrder & { kind: "start" })
  | (OnWorkOrder & { kind: "finish" });

export const reportWords: Record<MachineReport, string> = {
  breakdown: "Breakdown",
  material_shortage: "Material shortage",
  resume: "Resume",
};

export const statusWords: Record<MachineStatus, string> = {
  running: "Running",
  idle: "Idle",
  breakdown: "Breakdown",
  material_shortage: "Material shortage",
  maintenance: "Maintenance",
};

export function actionLabel(action: FloorAction): string {
  switch (action.kind) {
    case "report":
      return `${reportWords[action.event]} · ${action.machineCode}`;
    case "start":
      return `Start ${action.workOrderCode} · ${action.machineCode}`;
    case "finish":
      return `Finish ${action.workOrderCode} · ${action.machineCode}`;
  }
}

export type OrderRef = { id: number; code: string };
type QueueOrder = OrderRef & { status: WorkOrderStatus };

/** A machine as its card needs it: its status and which order runs and which comes next. */
export type MachineState = {
  status: MachineStatus;
  running: OrderRef | null;
  /** Queued orders in the order the machine will work them. */
  queued: OrderRef[];
};

export function machineState(status: MachineStatus, queue: readonly QueueOrder[]): MachineState {
  const running = queue.find((o) => o.status === "running");
  return {
    status,
    running: running ? { id: running.id, code: running.code } : null,
    queued: queue.filter((o) => o.status === "queued").map(({ id, code }) => ({ id, code })),
  };
}

/**
 * The state the machine will be in once the presses still waiting to be sent
 * are applied, in order, the way the server applies them. The card offers its
 * buttons by this state: after "Breakdown" (even offline) it offers "Resume",
 * and a second tap on a button already pressed finds it gone.
 */
export function projectState(state: MachineState, pending: readonly FloorAction[]): MachineState {
  let next = state;
  for (const action of pending) {
    if (action.kind === "report") {
      const status: MachineStatus =
        action.event === "resume" ? (next.running ? "running" : "idle") : (action.event as MachineStatus);
      next = { ...next, status };
    } else if (action.kind === "start") {
      const order = next.queued.find((o) => o.id === action.workOrderId);
      if (!order || next.running) continue;
      next = { status: "running", running: order, queued: next.queued.filter((o) => o.id !== order.id) };
    } else if (next.running?.id === action.workOrderId) {
      next = { ...next, running: null, status: next.status === "running" ? "idle" : next.status };
    }
  }
  return next;
}

export type AvailableActions = {
  breakdown: boolean;
  material_shortage: boolean;
  resume: boolean;
  /** The order a press on "Start" starts: the first queued, on a machine that works and runs nothing. */
  start: OrderRef | null;
  finish: OrderRef | null;
};

const working = (status: MachineStatus) => status === "running" || status === "idle";

/** Which buttons make sense for a machine in this state (the server refuses the others anyway). */
export function availableActions(state: MachineState): AvailableActions {
  return {
    breakdown: working(state.status) || state.status === "material_shortage",
    material_shortage: working(state.status),
    resume: !working(state.status),
    start: working(state.status) && !state.running ? (state.queued[0] ?? null) : null,
    finish: state.running,
  };
}

/**
 * Whether a failed try may be repeated with the same key. Network trouble,
 * a server error, a busy database, a duplicate still in flight and an ended
 * session (the operator logs in again and it goes) may pass; any other
 * refusal will not change by asking again (409: the machine or order moved on).
 */
export function classifyFailure(error: unknown): SendOutcome {
  if (error instanceof NetworkError) {
    return { outcome: "retry", error: "No answer from the server: it will be sent again when the connection is back." };
  }
  if (error instanceof ApiError) {
    if (error.status === 401) {
      return { outcome: "retry", error: "The session ended: log in again on this tablet and it will be sent." };
    }
    if (error.status >= 500 || error.status === 429 || error.status === 408) {
      return { outcome: "retry", error: `${error.message} It will be tried again.` };
    }
    if (error.code === "idempotency_in_progress") {
      return { outcome: "retry", error: "The server is still working on it." };
    }
    return { outcome: "refused", error: error.message };
  }
  return { outcome: "retry", error: error instanceof Error ? error.message : "Could not send." };
}

/** One try at sending a press, with its key. */
export async function sendFloorAction(action: FloorAction, key: string): Promise<SendOutcome> {
  const headers = { "Idempotency-Key": key };
  try {
    if (action.kind === "report") {
      await apiFetch(`/api/machines/${action.machineId}/events`, {
        method: "POST",
        json: { type: action.event },
        headers,
      });
    } else {
      await apiFetch(`/api/work-orders/${action.workOrderId}/${action.kind}`, { method: "POST", headers });
    }
    return { outcome: "confirmed" };
  } catch (error) {
    return classifyFailure(error);
  }
}
