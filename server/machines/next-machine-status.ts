import type { MachineStatus } from "../planning/plan-types";

export const reportableEventTypes = ["breakdown", "material_shortage", "resume"] as const;
export type ReportableEventType = (typeof reportableEventTypes)[number];

/**
 * The status a report leaves the machine in. A resume puts it back to work:
 * running if an order is still in progress on it (a breakdown does not take
 * the part off the machine), idle otherwise.
 */
export function nextMachineStatus(type: ReportableEventType, hasRunningOrder: boolean): MachineStatus {
  if (type === "resume") return hasRunningOrder ? "running" : "idle";
  return type;
}
