import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { machine, order } from "./plan-fixtures";
import { planReroute } from "./plan-reroute";
import { isAvailable, type MachineStatus, type PlanInput, type WorkOrderStatus } from "./plan-types";

// The rules the planner must keep for any factory, not only the ones we
// thought of: random machines (some stopped, capabilities overlapping or
// missing), random queues, random triggers.

const operations = ["press", "weld", "cnc-mill", "assemble"];
const machineStatuses: MachineStatus[] = ["running", "idle", "breakdown", "material_shortage", "maintenance"];
const orderStatuses: WorkOrderStatus[] = ["queued", "queued", "queued", "running", "done", "cancelled"];

const factoryArb = fc.integer({ min: 1, max: 8 }).chain((machineCount) =>
  fc
    .record({
      machines: fc.array(
        fc.record({ status: fc.constantFrom(...machineStatuses), capabilities: fc.subarray(operations) }),
        { minLength: machineCount, maxLength: machineCount },
      ),
      orders: fc.array(
        fc.record({
          operation: fc.constantFrom(...operations),
          priority: fc.integer({ min: 1, max: 5 }),
          dueInHours: fc.integer({ min: 0, max: 72 }),
          machine: fc.option(fc.integer({ min: 0, max: machineCount - 1 }), { nil: null }),
          status: fc.constantFrom(...orderStatuses),
          quantity: fc.integer({ min: 1, max: 1000 }),
          sequence: fc.integer({ min: 0, max: 12 }),
        }),
        { maxLength: 60 },
      ),
      trigger: fc.option(
        fc.record({
          machine: fc.integer({ min: 0, max: machineCount - 1 }),
          type: fc.constantFrom("breakdown", "material_shortage", "resume"),
        }),
        { nil: undefined },
      ),
    })
    .map(
      (f): PlanInput => ({
        // Ids with gaps, so that no rule can lean on ids being positions.
        machines: f.machines.map((m, i) => machine(10 + i * 3, `M${i}`, m.status, m.capabilities, 1 + (i % 3))),
        workOrders: f.orders.map((o, i) =>
          order({
            id: 100 + i * 7,
            machineId: o.machine === null ? null : 10 + o.machine * 3,
            operation: o.operation,
            priority: o.priority,
            dueInHours: o.dueInHours,
            // A running order is always on a machine.
            status: o.machine === null && o.status === "running" ? "queued" : o.status,
            quantity: o.quantity,
            sequence: o.sequence,
          }),
        ),
        trigger: f.trigger ? { machineId: 10 + f.trigger.machine * 3, type: f.trigger.type } : undefined,
      }),
    ),
);

const runs = { numRuns: 300 };

describe("planReroute properties", () => {
  it("never moves an order to a stopped machine or to one without its operation", () => {
    fc.assert(
      fc.property(factoryArb, (input) => {
        const byId = new Map(input.machines.map((m) => [m.id, m]));
        const plan = planReroute(input);
        for (const move of plan.moves) {
          const target = byId.get(move.toMachineId);
          const moved = input.workOrders.find((o) => o.id === move.workOrderId);
          expect(target && isAvailable(target.status)).toBe(true);
          expect(target?.capabilities).toContain(moved?.operation);
        }
      }),
      runs,
    );
  });

  it("never moves a running order", () => {
    fc.assert(
      fc.property(factoryArb, (input) => {
        const plan = planReroute(input);
        const moved = new Set(plan.moves.map((m) => m.workOrderId));
        for (const o of input.workOrders.filter((w) => w.status === "running")) {
          expect(moved.has(o.id)).toBe(false);
          const queue = plan.queues.find((q) => q.machineId === o.machineId)?.queue ?? [];
          expect(queue.filter((e) => e.workOrderId === o.id)).toHaveLength(1);
        }
      }),
      runs,
    );
  });

  it("keeps every open order exactly once: in one queue, or waiting without a machine", () => {
    fc.assert(
      fc.property(factoryArb, (input) => {
        const plan = planReroute(input);
        const inQueues = plan.queues.flatMap((q) => q.queue.map((e) => e.workOrderId));
        const unplaced = plan.waiting.filter((w) => w.machineId === null).map((w) => w.workOrderId);
        const open = input.workOrders.filter((o) => o.status === "queued" || o.status === "running").map((o) => o.id);
        expect([...inQueues, ...unplaced].sort((a, b) => a - b)).toEqual(open.sort((a, b) => a - b));
      }),
      runs,
    );
  });

  it("moves only orders of stopped machines (or none), except onto a machine that has just resumed", () => {
    fc.assert(
      fc.property(factoryArb, (input) => {
        const byId = new Map(input.machines.map((m) => [m.id, m]));
        for (const move of planReroute(input).moves) {
          const from = move.fromMachineId === null ? undefined : byId.get(move.fromMachineId);
          if (from && isAvailable(from.status)) {
            expect(input.trigger).toEqual({ machineId: move.toMachineId, type: "resume" });
          }
        }
      }),
      runs,
    );
  });

  it("numbers each queue 1..n with the running order first, and writes exactly the rows that change", () => {
    fc.assert(
      fc.property(factoryArb, (input) => {
        const plan = planReroute(input);
        const before = new Map(input.workOrders.map((o) => [o.id, o]));
        const expectedUpdates = [];
        for (const { machineId, queue } of plan.queues) {
          expect(queue.map((e) => e.sequence)).toEqual(queue.map((_, i) => i + 1));
          const firstQueued = queue.findIndex((e) => e.status === "queued");
          if (firstQueued >= 0) expect(queue.slice(firstQueued).every((e) => e.status === "queued")).toBe(true);
          for (const entry of queue) {
            const was = before.get(entry.workOrderId);
            if (was?.machineId !== machineId || was.sequence !== entry.sequence) {
              expectedUpdates.push({ workOrderId: entry.workOrderId, machineId, sequence: entry.sequence });
            }
          }
        }
        expect(plan.updates).toEqual(expectedUpdates.sort((a, b) => a.workOrderId - b.workOrderId));
      }),
      runs,
    );
  });

  it("gives the same plan whatever order machines and orders come in", () => {
    const shuffledArb = factoryArb.chain((input) =>
      fc.record({
        input: fc.constant(input),
        machines: fc.shuffledSubarray([...input.machines], {
          minLength: input.machines.length,
          maxLength: input.machines.length,
        }),
        workOrders: fc.shuffledSubarray([...input.workOrders], {
          minLength: input.workOrders.length,
          maxLength: input.workOrders.length,
        }),
      }),
    );
    fc.assert(
      fc.property(shuffledArb, ({ input, machines, workOrders }) => {
        expect(planReroute({ ...input, machines, workOrders })).toEqual(planReroute(input));
      }),
      runs,
    );
  });
});
