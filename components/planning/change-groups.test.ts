import { describe, expect, it } from "vitest";
import { groupChanges, recentlyMovedIds } from "./change-groups";
import type { PlanChangeView } from "./plan-queries";

const now = Date.parse("2026-11-25T10:30:00.000Z");
let nextId = 100;
function change(eventId: string | null, workOrderId: number, kind: "moved" | "waiting" = "moved"): PlanChangeView {
  nextId--;
  return {
    id: String(nextId),
    at: `2026-11-25T10:${String(nextId % 60).padStart(2, "0")}:00.000Z`,
    reason: { machineId: 2, type: "breakdown", eventId },
    kind,
    workOrderId,
    code: `WO-${workOrderId}`,
    fromMachineId: 2,
    toMachineId: kind === "moved" ? 4 : null,
    explanation: kind === "moved" ? "moved from Press 2 to Press 4: Press 2 breakdown" : "waiting: …",
  };
}

describe("groupChanges", () => {
  it("groups the changes of one machine event together, keeping the newest event first", () => {
    const changes = [change("9", 1), change("9", 2), change("9", 3, "waiting"), change("7", 4), change("5", 1)];
    const groups = groupChanges(changes);
    expect(groups.map((g) => [g.key, g.changes.map((c) => c.workOrderId)])).toEqual([
      ["9", [1, 2, 3]],
      ["7", [4]],
      ["5", [1]],
    ]);
    expect(groups[0]?.at).toBe(changes[0]?.at);
  });

  it("outlines the orders moved lately, not those left waiting nor those moved long ago", () => {
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const changes = [
      { ...change("9", 1), at: at(1) },
      { ...change("9", 3, "waiting"), at: at(1) },
      { ...change("7", 4), at: at(14) },
      { ...change("5", 6), at: at(16) },
    ];
    expect([...recentlyMovedIds(changes, now, 15 * 60_000)].sort()).toEqual([1, 4]);
    expect(recentlyMovedIds([], now, 15 * 60_000).size).toBe(0);
  });
});
