import { describe, expect, it } from "vitest";
import { applyMachineStatus, applyWorkOrderUpdate, type FloorOrder, type FloorPlan, planTouches } from "./floor-cache";

const order = (id: number, machineId: number, status: FloorOrder["status"], sequence: number): FloorOrder => ({
  id,
  code: `WO-${id}`,
  operation: "weld",
  quantity: 10,
  priority: 3,
  dueAt: "2026-11-26T12:00:00.000Z",
  machineId,
  workCenterId: 3,
  sequence,
  status,
  startedAt: status === "running" ? "2026-11-25T09:00:00.000Z" : null,
  finishedAt: null,
  estimatedMinutes: 60,
  plannedStart: "2026-11-25T09:00:00.000Z",
  plannedEnd: "2026-11-25T10:00:00.000Z",
});

const plan: FloorPlan = {
  machines: [
    {
      id: 8,
      code: "WLD-01",
      name: "Weld cell A",
      workCenterId: 3,
      status: "running",
      statusSince: "2026-11-25T09:00:00.000Z",
      capabilities: ["weld"],
      queue: [order(18, 8, "running", 1), order(19, 8, "queued", 2), order(20, 8, "queued", 3)],
    },
    {
      id: 9,
      code: "WLD-02",
      name: "Weld cell B",
      workCenterId: 3,
      status: "idle",
      statusSince: "2026-11-25T08:00:00.000Z",
      capabilities: ["weld"],
      queue: [],
    },
  ],
  unassigned: [],
  changes: [],
};

const status = (at: string, s: "breakdown" | "running" = "breakdown") => ({
  machineId: 8,
  workCenterId: 3,
  status: s,
  previousStatus: "running" as const,
  eventId: "41",
  type: "breakdown" as const,
  note: null,
  reportedBy: 2,
  at,
});

describe("applyMachineStatus", () => {
  it("shows the new status and since when at once", () => {
    const { plan: next, complete } = applyMachineStatus(plan, status("2026-11-25T10:00:00.000Z"));
    expect(complete).toBe(true);
    expect(next.machines[0]).toMatchObject({ status: "breakdown", statusSince: "2026-11-25T10:00:00.000Z" });
    expect(next.machines[1]).toBe(plan.machines[1]);
  });

  it("changes nothing for an event the cache already holds or has moved past", () => {
    const once = applyMachineStatus(plan, status("2026-11-25T10:00:00.000Z")).plan;
    expect(applyMachineStatus(once, status("2026-11-25T10:00:00.000Z")).plan).toBe(once);
    expect(applyMachineStatus(once, status("2026-11-25T09:30:00.000Z", "running")).plan).toBe(once);
  });

  it("asks for a refetch when the machine is not on screen", () => {
    expect(applyMachineStatus(plan, { ...status("2026-11-25T10:00:00.000Z"), machineId: 99 })).toEqual({
      plan,
      complete: false,
    });
  });
});

describe("applyWorkOrderUpdate", () => {
  const update = (workOrderId: number, machineId: number | null, s: FloorOrder["status"]) => ({
    workOrderId,
    code: `WO-${workOrderId}`,
    machineId,
    workCenterId: 3,
    status: s,
    sequence: 2,
  });

  it("takes a finished order off the machine and puts a started one first", () => {
    const finished = applyWorkOrderUpdate(plan, update(18, 8, "done"), "2026-11-25T10:00:00.000Z");
    expect(finished.complete).toBe(true);
    expect(finished.plan.machines[0]?.queue.map((o) => o.code)).toEqual(["WO-19", "WO-20"]);
    const started = applyWorkOrderUpdate(finished.plan, update(19, 8, "running"), "2026-11-25T10:01:00.000Z");
    expect(started.plan.machines[0]?.queue[0]).toMatchObject({
      code: "WO-19",
      status: "running",
      startedAt: "2026-11-25T10:01:00.000Z",
    });
  });

  it("asks for a refetch for an order it does not know, or one that changed machine", () => {
    expect(applyWorkOrderUpdate(plan, update(77, 8, "running"), "x").complete).toBe(false);
    expect(applyWorkOrderUpdate(plan, update(19, 9, "queued"), "x").complete).toBe(false);
  });
});

describe("planTouches", () => {
  const replan = {
    reason: { machineId: 1, type: "breakdown" as const },
    moves: [{ workOrderId: 5, code: "WO-5", fromMachineId: 1, toMachineId: 2, explanation: "moved" }],
    waiting: [],
    affectedWorkCenterIds: [1],
    machines: [{ machineId: 2, workCenterId: 1, queue: [] }],
    at: "2026-11-25T10:00:00.000Z",
  };
  it("is true only when a machine in view is the cause, a source, a target or has a new queue", () => {
    expect(planTouches(replan, new Set([8, 9]))).toBe(false);
    expect(planTouches(replan, new Set([1]))).toBe(true);
    expect(planTouches(replan, new Set([2]))).toBe(true);
  });
});
