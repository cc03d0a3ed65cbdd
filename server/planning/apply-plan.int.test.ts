import { describe, expect, it } from "vitest";
import { prisma } from "../db";
import { logger } from "../logger";
import type { ClaimedMessage } from "../outbox/claim-messages";
import { createWorkCenter } from "../testing/factories";
import { createShopMachine, createWorkOrder, operation, placement } from "../testing/shop-floor";
import { replanHandler } from "./replan-handler";
import type { ReplanRequest } from "./replan-request";

// The planner computes outside any transaction and writes inside the one
// that marks its request delivered. What happens to an order that someone
// started, or moved, in between: the plan leaves it alone.

const message: ClaimedMessage = {
  id: "1",
  aggregateType: "planning",
  aggregateId: "factory",
  eventType: "machine.replan_requested",
  payload: {},
  attempts: 1,
  createdAt: new Date(),
};
const ctx = { workerId: "test", log: logger };

async function brokenPress() {
  const workCenterId = (await createWorkCenter()).id;
  const press = operation("press");
  const broken = await createShopMachine({ workCenterId, status: "breakdown", capabilities: [press] });
  const spare = await createShopMachine({ workCenterId, status: "idle", capabilities: [press] });
  const first = await createWorkOrder({ machineId: broken.id, operation: press, priority: 1, sequence: 1 });
  const second = await createWorkOrder({ machineId: broken.id, operation: press, priority: 2, sequence: 2 });
  const event = await prisma().machineEvent.create({ data: { machineId: broken.id, type: "breakdown" } });
  const request: ReplanRequest = { machineId: broken.id, eventId: event.id.toString(), type: "breakdown" };
  return { broken, spare, first, second, request };
}

describe("applying a plan computed a moment ago", () => {
  it("applies every move when nothing changed in between", async () => {
    const { spare, first, second, request } = await brokenPress();
    const planned = await replanHandler.deliver(request, message, ctx);
    await prisma().$transaction((tx) => replanHandler.onDelivered(tx, request, planned, message));
    expect(await placement([first.id, second.id])).toEqual([
      [first.id, spare.id, 1, "queued"],
      [second.id, spare.id, 2, "queued"],
    ]);
    // One plan change per move and one push per moved order, in plan order:
    // the plan first, then the orders (each aggregate is delivered by id).
    const changes = await prisma().planChange.findMany({
      where: { machineEventId: BigInt(request.eventId) },
      orderBy: { id: "asc" },
    });
    expect(changes.map((c) => [c.kind, c.workOrderId, c.fromMachineId, c.toMachineId])).toEqual([
      ["moved", first.id, request.machineId, spare.id],
      ["moved", second.id, request.machineId, spare.id],
    ]);
    const pushes = await prisma().outboxMessage.findMany({
      where: {
        OR: [
          { aggregateType: "work_order", aggregateId: { in: [String(first.id), String(second.id)] } },
          { aggregateType: "plan", payload: { path: ["reason", "machineId"], equals: request.machineId } },
        ],
      },
      orderBy: { id: "asc" },
    });
    expect(pushes.map((m) => [m.eventType, m.aggregateId])).toEqual([
      ["plan.updated", "factory"],
      ["work_order.updated", String(first.id)],
      ["work_order.updated", String(second.id)],
    ]);
    expect(pushes[1]?.payload).toEqual({
      workOrderId: first.id,
      code: first.code,
      machineId: spare.id,
      workCenterId: spare.workCenterId,
      status: "queued",
      sequence: 1,
    });
  });

  it("writes in six statements however many orders move", async () => {
    const { broken, first, request } = await brokenPress();
    for (let i = 0; i < 8; i++) {
      await createWorkOrder({ machineId: broken.id, operation: first.operation, priority: 3, sequence: 3 + i });
    }
    const planned = await replanHandler.deliver(request, message, ctx);
    expect(planned.plan.moves.length).toBe(10);
    let statements = 0;
    await prisma().$transaction((tx) => {
      // Only raw statements, each counted: no model call sends its own.
      const counted = new Proxy(tx, {
        get(target, key) {
          if (key === "$executeRaw" || key === "$queryRaw") {
            return (...args: unknown[]) => {
              statements++;
              return (target[key] as (...a: unknown[]) => unknown).apply(target, args);
            };
          }
          throw new Error(`applyPlan used tx.${String(key)}`);
        },
      });
      return replanHandler.onDelivered(counted, request, planned, message);
    });
    // lock_timeout, lock, UPDATE, plan_changes, the queues, the outbox rows.
    expect(statements).toBe(6);
  });

  it("leaves alone an order that was started or moved after the plan was computed", async () => {
    const { broken, spare, first, second, request } = await brokenPress();
    const planned = await replanHandler.deliver(request, message, ctx);
    // A planner moves the first order by hand before the plan is written.
    const elsewhere = await createShopMachine({
      workCenterId: broken.workCenterId,
      status: "idle",
      capabilities: [first.operation],
    });
    await prisma().workOrder.update({ where: { id: first.id }, data: { machineId: elsewhere.id } });

    await prisma().$transaction((tx) => replanHandler.onDelivered(tx, request, planned, message));
    expect(await placement([first.id, second.id])).toEqual([
      [first.id, elsewhere.id, 1, "queued"],
      [second.id, spare.id, 2, "queued"],
    ]);
    const changes = await prisma().planChange.findMany({ where: { machineEventId: BigInt(request.eventId) } });
    expect(changes.map((c) => c.workOrderId)).toEqual([second.id]);
  });
});
