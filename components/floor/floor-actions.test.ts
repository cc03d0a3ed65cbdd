import { describe, expect, it } from "vitest";
import { ApiError, NetworkError } from "../api-client";
import {
  availableActions,
  classifyFailure,
  type FloorAction,
  type MachineState,
  machineState,
  projectState,
} from "./floor-actions";

const onMachine = { machineId: 1, machineCode: "WLD-01" };
const report = (event: "breakdown" | "material_shortage" | "resume"): FloorAction => ({
  kind: "report",
  event,
  ...onMachine,
});
const order = (kind: "start" | "finish", id: number): FloorAction => ({
  kind,
  workOrderId: id,
  workOrderCode: `WO-${id}`,
  ...onMachine,
});

const running: MachineState = machineState("running", [
  { id: 11, code: "WO-11", status: "running" },
  { id: 12, code: "WO-12", status: "queued" },
  { id: 13, code: "WO-13", status: "queued" },
]);

describe("availableActions", () => {
  it.each([
    [
      "running with work",
      running,
      { breakdown: true, material_shortage: true, resume: false, start: null, finish: "WO-11" },
    ],
    [
      "idle with a queue",
      machineState("idle", [{ id: 12, code: "WO-12", status: "queued" }]),
      { breakdown: true, material_shortage: true, resume: false, start: "WO-12", finish: null },
    ],
    [
      "idle, nothing queued",
      machineState("idle", []),
      { breakdown: true, material_shortage: true, resume: false, start: null, finish: null },
    ],
    [
      "broken down mid-order",
      { ...running, status: "breakdown" as const },
      { breakdown: false, material_shortage: false, resume: true, start: null, finish: "WO-11" },
    ],
    [
      "short of material, idle",
      machineState("material_shortage", [{ id: 12, code: "WO-12", status: "queued" }]),
      { breakdown: true, material_shortage: false, resume: true, start: null, finish: null },
    ],
    [
      "in maintenance",
      machineState("maintenance", []),
      { breakdown: false, material_shortage: false, resume: true, start: null, finish: null },
    ],
  ])("%s", (_name, state, expected) => {
    const actions = availableActions(state);
    expect({ ...actions, start: actions.start?.code ?? null, finish: actions.finish?.code ?? null }).toEqual(expected);
  });
});

describe("projectState", () => {
  it("applies presses still waiting, in order, as the server will", () => {
    expect(projectState(running, [report("breakdown")]).status).toBe("breakdown");
    expect(projectState(running, [report("breakdown"), report("resume")]).status).toBe("running");
    const finished = projectState(running, [order("finish", 11)]);
    expect(finished).toMatchObject({ status: "idle", running: null });
    const next = projectState(running, [order("finish", 11), order("start", 12)]);
    expect(next).toMatchObject({ status: "running", running: { code: "WO-12" }, queued: [{ code: "WO-13" }] });
    expect(projectState(finished, [report("resume")]).status).toBe("idle");
  });

  it("ignores a press that no longer fits (the order is not where it was)", () => {
    expect(projectState(running, [order("start", 12)])).toEqual(running);
    expect(projectState(running, [order("finish", 99)])).toEqual(running);
  });
});

describe("classifyFailure", () => {
  const api = (status: number, error: string) => new ApiError(status, { error, message: `${error}.` }, null);
  it.each([
    ["no answer", new NetworkError(new TypeError("Failed to fetch")), "retry"],
    ["server error", api(500, "internal_error"), "retry"],
    ["database busy", api(503, "lock_timeout"), "retry"],
    ["rate limited", api(429, "too_many_requests"), "retry"],
    ["session ended", api(401, "unauthenticated"), "retry"],
    ["same key still in flight", api(409, "idempotency_in_progress"), "retry"],
    ["state changed meanwhile", api(409, "work_order_not_queued"), "refused"],
    ["machine stopped", api(409, "machine_not_available"), "refused"],
    ["another group's machine", api(403, "forbidden"), "refused"],
    ["gone", api(404, "not_found"), "refused"],
    ["key reused", api(422, "idempotency_key_reused"), "refused"],
  ])("%s → %s", (_name, error, outcome) => {
    expect(classifyFailure(error).outcome).toBe(outcome);
  });

  it("shows the server's own words for a refusal", () => {
    expect(classifyFailure(api(409, "work_order_not_queued"))).toEqual({
      outcome: "refused",
      error: "work_order_not_queued.",
    });
  });
});
