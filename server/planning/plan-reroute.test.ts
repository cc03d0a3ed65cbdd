import { describe, expect, it } from "vitest";
import { machine, order, syntheticFactory } from "./plan-fixtures";
import { planReroute } from "./plan-reroute";
import { isAvailable } from "./plan-types";

// A small press shop: Press 2 breaks down with one order running and three waiting.
const pressShop = () => ({
  machines: [
    machine(1, "Press 1", "running", ["press"]),
    machine(2, "Press 2", "breakdown", ["press"]),
    machine(3, "Mill 1", "idle", ["cnc-mill"], 2),
    machine(4, "Press 4", "idle", ["press", "laser-cut"]),
  ],
  workOrders: [
    order({ id: 101, machineId: 2, status: "running", sequence: 1 }),
    order({ id: 102, machineId: 2, priority: 2, dueInHours: 10, quantity: 200, sequence: 2 }),
    order({ id: 103, machineId: 2, priority: 1, dueInHours: 20, quantity: 100, sequence: 3 }),
    order({ id: 104, machineId: 2, operation: "laser-cut", priority: 3, dueInHours: 5, quantity: 10, sequence: 4 }),
    order({ id: 105, machineId: 1, status: "running", quantity: 1000, sequence: 1 }),
    order({ id: 106, machineId: 1, priority: 3, quantity: 500, sequence: 2 }),
    order({ id: 107, machineId: 4, priority: 2, dueInHours: 8, quantity: 100, sequence: 1 }),
    order({ id: 108, machineId: 4, status: "done", sequence: 0 }),
  ],
  trigger: { machineId: 2, type: "breakdown" },
});

describe("planReroute: a machine stops", () => {
  it("moves exactly the stopped machine's queued orders, most urgent first, to the capable machine that finishes first", () => {
    const plan = planReroute(pressShop());
    expect(plan.moves).toEqual([
      {
        workOrderId: 103,
        code: "WO-103",
        fromMachineId: 2,
        toMachineId: 4,
        explanation: "moved from Press 2 to Press 4: Press 2 breakdown; earliest capable machine (0 orders ahead)",
      },
      {
        workOrderId: 102,
        code: "WO-102",
        fromMachineId: 2,
        toMachineId: 4,
        explanation: "moved from Press 2 to Press 4: Press 2 breakdown; earliest capable machine (2 orders ahead)",
      },
      {
        workOrderId: 104,
        code: "WO-104",
        fromMachineId: 2,
        toMachineId: 4,
        explanation: "moved from Press 2 to Press 4: Press 2 breakdown; earliest capable machine (3 orders ahead)",
      },
    ]);
    expect(plan.waiting).toEqual([]);
  });

  it("leaves the running order on the stopped machine and numbers every queue again", () => {
    const plan = planReroute(pressShop());
    const queue = (id: number) =>
      plan.queues.find((q) => q.machineId === id)?.queue.map((e) => [e.workOrderId, e.sequence]);
    expect(queue(2)).toEqual([[101, 1]]);
    expect(queue(1)).toEqual([
      [105, 1],
      [106, 2],
    ]);
    // By priority, then due date: 103 (p1), 107 (p2, due in 8 h), 102 (p2, due in 10 h), 104 (p3).
    expect(queue(4)).toEqual([
      [103, 1],
      [107, 2],
      [102, 3],
      [104, 4],
    ]);
    expect(queue(3)).toEqual([]);
    expect(plan.changedMachineIds).toEqual([2, 4]);
    expect(plan.updates).toEqual([
      { workOrderId: 102, machineId: 4, sequence: 3 },
      { workOrderId: 103, machineId: 4, sequence: 1 },
      { workOrderId: 104, machineId: 4, sequence: 4 },
      { workOrderId: 107, machineId: 4, sequence: 2 },
    ]);
  });

  it.each(["material_shortage", "maintenance"] as const)("treats %s like a breakdown", (status) => {
    const shop = pressShop();
    shop.machines[1] = machine(2, "Press 2", status, ["press"]);
    const words = status === "material_shortage" ? "material shortage" : "maintenance";
    expect(planReroute(shop).moves[0]?.explanation).toBe(
      `moved from Press 2 to Press 4: Press 2 ${words}; earliest capable machine (0 orders ahead)`,
    );
  });

  it("keeps an order with no capable machine where it is, and says why", () => {
    const plan = planReroute({
      machines: [machine(1, "Weld cell A", "breakdown", ["weld"]), machine(2, "Press 1", "idle", ["press"])],
      workOrders: [order({ id: 1, machineId: 1, operation: "weld", sequence: 1 })],
    });
    expect(plan.moves).toEqual([]);
    expect(plan.waiting).toEqual([
      {
        workOrderId: 1,
        code: "WO-1",
        machineId: 1,
        explanation: "waiting: no capable machine available (Weld cell A breakdown; needs weld)",
      },
    ]);
    expect(plan.queues[0]?.queue).toEqual([{ workOrderId: 1, code: "WO-1", sequence: 1, status: "queued" }]);
    expect(plan.updates).toEqual([]);
  });

  it("never sends an order to a stopped machine or one without the operation, even an empty one", () => {
    const plan = planReroute({
      machines: [
        machine(1, "Press 1", "breakdown", ["press"]),
        machine(2, "Press 2", "material_shortage", ["press"]),
        machine(3, "Mill", "idle", ["cnc-mill"]),
        machine(4, "Press 4", "running", ["press"]),
      ],
      workOrders: [order({ id: 1, machineId: 1 }), order({ id: 2, machineId: 4, status: "running", quantity: 5000 })],
    });
    expect(plan.moves.map((m) => m.toMachineId)).toEqual([4]);
  });

  it("breaks ties by fewer queued orders, then by the lowest machine id", () => {
    const machines = [
      machine(1, "Press 1", "breakdown", ["press"]),
      machine(7, "Press 7", "idle", ["press"]),
      machine(5, "Press 5", "idle", ["press"]),
      machine(6, "Press 6", "idle", ["press"]),
    ];
    const workOrders = [
      order({ id: 1, machineId: 1, quantity: 10 }),
      // Press 5 and Press 7 both hold 300 s of work, Press 5 in three orders.
      order({ id: 2, machineId: 5, quantity: 33 }),
      order({ id: 3, machineId: 5, quantity: 33 }),
      order({ id: 4, machineId: 5, quantity: 34 }),
      order({ id: 5, machineId: 7, quantity: 100 }),
      order({ id: 6, machineId: 6, quantity: 100 }),
    ];
    expect(planReroute({ machines, workOrders }).moves[0]?.toMachineId).toBe(6);
    const sameCount = workOrders.filter((o) => o.id !== 4 && o.id !== 3);
    // Press 5 (99 s, one order) now has the least work.
    expect(planReroute({ machines, workOrders: sameCount }).moves[0]?.toMachineId).toBe(5);
    const evenLoads = [order({ id: 1, machineId: 1, quantity: 10 })];
    expect(planReroute({ machines, workOrders: evenLoads }).moves[0]?.toMachineId).toBe(5);
  });

  it("places the most urgent order first, so it gets the machine that is free soonest", () => {
    const plan = planReroute({
      machines: [
        machine(1, "Press 1", "breakdown", ["press"]),
        machine(2, "Press 2", "running", ["press"]),
        machine(3, "Press 3", "idle", ["press"]),
      ],
      workOrders: [
        order({ id: 1, machineId: 1, priority: 4, dueInHours: 2, quantity: 100 }),
        order({ id: 2, machineId: 1, priority: 1, dueInHours: 50, quantity: 100 }),
        order({ id: 3, machineId: 1, priority: 1, dueInHours: 30, quantity: 100 }),
        order({ id: 4, machineId: 2, status: "running", quantity: 50 }),
      ],
    });
    expect(plan.moves.map((m) => [m.workOrderId, m.toMachineId])).toEqual([
      [3, 3],
      [2, 2],
      [1, 3],
    ]);
  });

  it("gives an order without a machine its first one", () => {
    const plan = planReroute({
      machines: [machine(1, "Press 1", "idle", ["press"])],
      workOrders: [order({ id: 9, machineId: null })],
    });
    expect(plan.moves).toEqual([
      {
        workOrderId: 9,
        code: "WO-9",
        fromMachineId: null,
        toMachineId: 1,
        explanation: "assigned to Press 1: it had no machine; earliest capable machine (0 orders ahead)",
      },
    ]);
  });
});

describe("planReroute: a machine resumes", () => {
  const factory = (status: "idle" | "breakdown") => ({
    machines: [machine(1, "Press 1", "running", ["press"]), machine(2, "Press 2", status, ["press"])],
    workOrders: [
      order({ id: 201, machineId: 1, status: "running", sequence: 1 }),
      order({ id: 202, machineId: 1, priority: 2, sequence: 2 }),
      order({ id: 203, machineId: 1, priority: 3, sequence: 3 }),
      order({ id: 204, machineId: 1, priority: 4, sequence: 4 }),
    ],
    trigger: { machineId: 2, type: "resume" },
  });

  it("moves orders onto it when they finish earlier there, and explains each", () => {
    const plan = planReroute(factory("idle"));
    expect(plan.moves).toEqual([
      {
        workOrderId: 202,
        code: "WO-202",
        fromMachineId: 1,
        toMachineId: 2,
        explanation:
          "moved from Press 1 to Press 2: Press 2 resumed; finishes earlier there (0 orders ahead instead of 1)",
      },
      {
        workOrderId: 204,
        code: "WO-204",
        fromMachineId: 1,
        toMachineId: 2,
        explanation:
          "moved from Press 1 to Press 2: Press 2 resumed; finishes earlier there (1 order ahead instead of 2)",
      },
    ]);
    expect(plan.queues.map((q) => q.queue.map((e) => e.workOrderId))).toEqual([
      [201, 203],
      [202, 204],
    ]);
  });

  it("moves nothing when the machine is stopped again by the time the plan runs", () => {
    expect(planReroute(factory("breakdown")).moves).toEqual([]);
  });

  it("does not rebalance on other events", () => {
    expect(planReroute({ ...factory("idle"), trigger: { machineId: 2, type: "breakdown" } }).moves).toEqual([]);
  });

  it("finds nothing more to do when run again on its own result (at-least-once delivery)", () => {
    const first = factory("idle");
    const plan = planReroute(first);
    const after = first.workOrders.map((o) => {
      const update = plan.updates.find((u) => u.workOrderId === o.id);
      return update ? { ...o, machineId: update.machineId, sequence: update.sequence } : o;
    });
    const again = planReroute({ ...first, workOrders: after });
    expect(again.moves).toEqual([]);
    expect(again.updates).toEqual([]);
  });
});

describe("planReroute: determinism and size", () => {
  it("gives the same plan for the same input, whatever order the input lists things in", () => {
    const input = pressShop();
    const plan = planReroute(input);
    expect(planReroute(input)).toEqual(plan);
    const reversed = { ...input, machines: [...input.machines].reverse(), workOrders: [...input.workOrders].reverse() };
    expect(planReroute(reversed)).toEqual(plan);
  });

  it("re-plans 1,000 orders over 50 machines without breaking a rule", () => {
    const factory = syntheticFactory({ machineCount: 50, orderCount: 1000 });
    const byId = new Map(factory.machines.map((m) => [m.id, m]));
    const plan = planReroute(factory);
    const queuedOnStopped = factory.workOrders.filter(
      (o) => o.status === "queued" && !isAvailable(byId.get(o.machineId as number)?.status ?? "breakdown"),
    );
    expect(queuedOnStopped.length).toBeGreaterThan(50);
    expect(plan.moves.length + plan.waiting.length).toBe(queuedOnStopped.length);
    for (const move of plan.moves) {
      const target = byId.get(move.toMachineId);
      const moved = factory.workOrders.find((o) => o.id === move.workOrderId);
      expect(target && isAvailable(target.status) && target.capabilities.includes(moved?.operation ?? "")).toBe(true);
    }
    const placed = plan.queues.flatMap((q) => q.queue.map((e) => e.workOrderId));
    expect(new Set(placed).size).toBe(1000);
    expect(placed).toHaveLength(1000);
    expect(planReroute(factory)).toEqual(plan);
  });
});
