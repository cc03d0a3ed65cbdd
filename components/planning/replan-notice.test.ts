import { describe, expect, it } from "vitest";
import { replanNotice } from "./replan-notice";

const names = new Map([
  [1, "Press 1"],
  [2, "Press 2"],
  [4, "Press 4"],
]);
const nameOf = (id: number) => names.get(id);

const move = (code: string, from: number, to: number | null) => ({
  workOrderId: Number(code.slice(3)),
  code,
  fromMachineId: from,
  toMachineId: to,
  explanation: "…",
});

const replan = (over: Partial<Parameters<typeof replanNotice>[0]>) => ({
  reason: { machineId: 2, type: "breakdown" as const },
  moves: [],
  waiting: [],
  affectedWorkCenterIds: [1],
  machines: [],
  at: "2026-11-25T10:00:00.000Z",
  ...over,
});

describe("replanNotice", () => {
  it("says which machine stopped, how many orders moved and where", () => {
    const notice = replanNotice(
      replan({ moves: [move("WO-1", 2, 4), move("WO-2", 2, 1), move("WO-3", 2, 4)] }),
      nameOf,
    );
    expect(notice).toEqual({
      tone: "info",
      title: "Press 2 broke down: 3 orders re-routed",
      body: "WO-1 → Press 4; WO-2 → Press 1; WO-3 → Press 4",
    });
  });

  it("counts the rest when many moved, and alerts when orders are left waiting", () => {
    const notice = replanNotice(
      replan({
        reason: { machineId: 2, type: "material_shortage" },
        moves: ["WO-1", "WO-2", "WO-3", "WO-4", "WO-5"].map((code) => move(code, 2, 1)),
        waiting: [{ workOrderId: 9, code: "WO-9", machineId: 2, explanation: "waiting: …" }],
      }),
      nameOf,
    );
    expect(notice?.tone).toBe("error");
    expect(notice?.title).toBe("Press 2 ran short of material: 5 orders re-routed");
    expect(notice?.body).toBe(
      "WO-1 → Press 1; WO-2 → Press 1; WO-3 → Press 1; and 2 more; 1 order waiting: no capable machine available",
    );
  });

  it("tells a resume that took work back from one that changed nothing", () => {
    expect(
      replanNotice(replan({ reason: { machineId: 2, type: "resume" }, moves: [move("WO-7", 1, 2)] }), nameOf),
    ).toEqual({ tone: "success", title: "Press 2 resumed: 1 order moved to it", body: "WO-7 → Press 2" });
    expect(replanNotice(replan({ reason: { machineId: 2, type: "resume" } }), nameOf)).toEqual({
      tone: "success",
      title: "Press 2 resumed: the plan stays as it is",
      body: undefined,
    });
    expect(replanNotice(replan({}), nameOf)?.title).toBe("Press 2 broke down: no orders to re-route");
  });

  it("names a machine it does not know by its number", () => {
    expect(replanNotice(replan({ reason: { machineId: 77, type: "breakdown" } }), nameOf)?.title).toBe(
      "Machine 77 broke down: no orders to re-route",
    );
  });

  it("stays quiet about a re-plan that no stop or resume caused", () => {
    expect(replanNotice(replan({ reason: { machineId: 2, type: "work_order_finished" } }), nameOf)).toBeNull();
  });
});
