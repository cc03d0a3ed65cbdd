import { describe, expect, it } from "vitest";
import { nextMachineStatus } from "./next-machine-status";

describe("nextMachineStatus", () => {
  it.each([
    ["breakdown", false, "breakdown"],
    ["breakdown", true, "breakdown"],
    ["material_shortage", true, "material_shortage"],
    ["resume", true, "running"],
    ["resume", false, "idle"],
  ] as const)("%s with a running order: %s → %s", (type, hasRunningOrder, status) => {
    expect(nextMachineStatus(type, hasRunningOrder)).toBe(status);
  });
});
