import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/server/db";
import { createWorkCenter } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import {
  createShopMachine,
  createWorkOrder,
  drainOutbox,
  operation,
  pendingOutbox,
  placement,
  streamPayloads,
} from "@/server/testing/shop-floor";
import { POST as report } from "./[id]/events/route";

// The whole path of a breakdown: the operator's report, the relay running
// the planner in the worker, the re-routed orders in the database, the
// explanations for the planning page, and the pushes on the live stream.

type Actor = Awaited<ReturnType<typeof actor>>;
let operator: Actor;
let pressing: number;
let machining: number;

beforeAll(async () => {
  pressing = (await createWorkCenter()).id;
  machining = (await createWorkCenter()).id;
  operator = await actor("operator", pressing);
});

const reportEvent = (machineId: number, type: string, who: Actor = operator) =>
  call(report, { token: who.token, params: { id: String(machineId) }, body: { type } });

async function planChanges(machineEventId: string) {
  const { rows } = await pool().query(
    `SELECT kind, work_order_id AS "workOrderId", from_machine_id AS "fromMachineId",
            to_machine_id AS "toMachineId", explanation, trigger_type AS "triggerType"
     FROM plan_changes WHERE machine_event_id = $1 ORDER BY id`,
    [machineEventId],
  );
  return rows;
}

/** Press 2 runs one order and has three waiting; Press 1 is busy, Press 3 nearly free. */
async function pressShop() {
  const tag = randomBytes(3).toString("hex");
  const press = operation("press");
  const emboss = operation("emboss"); // only Press 2 can emboss
  const mill = operation("mill");
  const p1 = await createShopMachine({
    workCenterId: pressing,
    name: `Press 1 ${tag}`,
    status: "running",
    capabilities: [press],
  });
  const p2 = await createShopMachine({
    workCenterId: pressing,
    name: `Press 2 ${tag}`,
    status: "running",
    capabilities: [press, emboss],
  });
  const p3 = await createShopMachine({ workCenterId: pressing, name: `Press 3 ${tag}`, capabilities: [press] });
  const millingMachine = await createShopMachine({
    workCenterId: machining,
    name: `Mill ${tag}`,
    capabilities: [mill],
  });
  const orders = {
    busy: await createWorkOrder({ machineId: p1.id, operation: press, status: "running", quantity: 1000, sequence: 1 }),
    running: await createWorkOrder({ machineId: p2.id, operation: press, status: "running", sequence: 1 }),
    urgent: await createWorkOrder({ machineId: p2.id, operation: press, priority: 1, dueInHours: 20, sequence: 3 }),
    soon: await createWorkOrder({
      machineId: p2.id,
      operation: press,
      priority: 2,
      dueInHours: 10,
      quantity: 200,
      sequence: 2,
    }),
    embossing: await createWorkOrder({ machineId: p2.id, operation: emboss, priority: 4, sequence: 4 }),
    onP3: await createWorkOrder({ machineId: p3.id, operation: press, priority: 3, sequence: 1 }),
    milling: await createWorkOrder({ machineId: millingMachine.id, operation: mill, sequence: 1 }),
  };
  return { p1, p2, p3, millingMachine, orders, ids: Object.values(orders).map((o) => o.id) };
}

describe("a breakdown re-routes the plan", () => {
  it("moves exactly the stopped machine's queued orders to capable machines, and explains each move", async () => {
    const { p1, p2, p3, millingMachine, orders, ids } = await pressShop();
    const res = await reportEvent(p2.id, "breakdown");
    expect(res.status).toBe(202);
    await drainOutbox();

    expect(await placement(ids)).toEqual(
      [
        [orders.busy.id, p1.id, 1, "running"],
        // The running order stays with the part on the broken machine.
        [orders.running.id, p2.id, 1, "running"],
        // Most urgent first, to Press 3, which has the least work queued.
        [orders.urgent.id, p3.id, 1, "queued"],
        [orders.soon.id, p3.id, 2, "queued"],
        // No other machine can emboss: it waits on Press 2.
        [orders.embossing.id, p2.id, 2, "queued"],
        [orders.onP3.id, p3.id, 3, "queued"],
        [orders.milling.id, millingMachine.id, 1, "queued"],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );

    const moved = (order: { id: number }, ahead: string) => ({
      kind: "moved",
      workOrderId: order.id,
      fromMachineId: p2.id,
      toMachineId: p3.id,
      explanation: `moved from ${p2.name} to ${p3.name}: ${p2.name} breakdown; earliest capable machine (${ahead})`,
      triggerType: "breakdown",
    });
    expect(await planChanges(res.body.eventId)).toEqual([
      moved(orders.urgent, "0 orders ahead"),
      moved(orders.soon, "1 order ahead"),
      {
        kind: "waiting",
        workOrderId: orders.embossing.id,
        fromMachineId: p2.id,
        toMachineId: null,
        explanation: `waiting: no capable machine available (${p2.name} breakdown; needs ${orders.embossing.operation})`,
        triggerType: "breakdown",
      },
    ]);
    expect(await pendingOutbox()).toEqual([]);
  });

  it("pushes the machine's status, the new plan with its reasons, and the moved orders", async () => {
    const { p2, p3, orders } = await pressShop();
    const res = await reportEvent(p2.id, "breakdown");
    await drainOutbox();

    const statuses = (await streamPayloads("machine.status")).filter((e) => e.machineId === p2.id);
    expect(statuses).toMatchObject([{ status: "breakdown", previousStatus: "running", eventId: res.body.eventId }]);

    const plan = (await streamPayloads("plan.updated")).find((e) => e.reason.machineId === p2.id);
    expect(plan).toMatchObject({
      reason: { machineId: p2.id, type: "breakdown" },
      moves: [
        { workOrderId: orders.urgent.id, fromMachineId: p2.id, toMachineId: p3.id },
        { workOrderId: orders.soon.id, fromMachineId: p2.id, toMachineId: p3.id },
      ],
      affectedWorkCenterIds: [pressing],
      machines: [
        {
          machineId: p2.id,
          workCenterId: pressing,
          queue: [
            { workOrderId: orders.running.id, sequence: 1, status: "running" },
            { workOrderId: orders.embossing.id, sequence: 2, status: "queued" },
          ],
        },
        {
          machineId: p3.id,
          workCenterId: pressing,
          queue: [
            { workOrderId: orders.urgent.id, sequence: 1 },
            { workOrderId: orders.soon.id, sequence: 2 },
            { workOrderId: orders.onP3.id, sequence: 3 },
          ],
        },
      ],
    });
    expect(plan.waiting).toContainEqual(expect.objectContaining({ workOrderId: orders.embossing.id }));

    const updates = (await streamPayloads("work_order.updated")).filter((e) => e.machineId === p3.id);
    expect(updates).toEqual([
      {
        workOrderId: orders.urgent.id,
        code: orders.urgent.code,
        machineId: p3.id,
        workCenterId: pressing,
        status: "queued",
        sequence: 1,
      },
      {
        workOrderId: orders.soon.id,
        code: orders.soon.code,
        machineId: p3.id,
        workCenterId: pressing,
        status: "queued",
        sequence: 2,
      },
    ]);
  });

  it("re-plans a material shortage the same way", async () => {
    const { p2, p3, orders } = await pressShop();
    const res = await reportEvent(p2.id, "material_shortage");
    await drainOutbox();
    expect((await planChanges(res.body.eventId)).map((c) => [c.workOrderId, c.toMachineId, c.explanation])).toEqual([
      [
        orders.urgent.id,
        p3.id,
        `moved from ${p2.name} to ${p3.name}: ${p2.name} material shortage; earliest capable machine (0 orders ahead)`,
      ],
      [
        orders.soon.id,
        p3.id,
        `moved from ${p2.name} to ${p3.name}: ${p2.name} material shortage; earliest capable machine (1 order ahead)`,
      ],
      [orders.embossing.id, null, expect.stringMatching(/^waiting: no capable machine available/)],
    ]);
  });
});

describe("a resume puts the machine back in the plan", () => {
  it("moves an order back onto it when it finishes earlier there, and says so", async () => {
    const { p2, p3, orders } = await pressShop();
    await reportEvent(p2.id, "breakdown");
    await drainOutbox();

    const res = await reportEvent(p2.id, "resume");
    // The order in progress is still on it: it runs again.
    expect(res.body).toMatchObject({ status: "running", changed: true });
    await drainOutbox();

    // Press 2 holds the running order and the embossing one; the last order
    // on Press 3 had three orders' work ahead of it and now has less.
    expect(await planChanges(res.body.eventId)).toEqual([
      {
        kind: "moved",
        workOrderId: orders.onP3.id,
        fromMachineId: p3.id,
        toMachineId: p2.id,
        explanation: `moved from ${p3.name} to ${p2.name}: ${p2.name} resumed; finishes earlier there (1 order ahead instead of 2)`,
        triggerType: "resume",
      },
    ]);
    expect(await placement([orders.running.id, orders.onP3.id, orders.embossing.id, orders.urgent.id])).toEqual([
      [orders.running.id, p2.id, 1, "running"],
      [orders.urgent.id, p3.id, 1, "queued"],
      [orders.embossing.id, p2.id, 3, "queued"],
      [orders.onP3.id, p2.id, 2, "queued"],
    ]);
  });

  it("changes nothing when the machine was not stopped: no re-plan is requested", async () => {
    const { p3 } = await pressShop();
    const res = await reportEvent(p3.id, "resume");
    expect(res.body).toMatchObject({ status: "idle", changed: false });
    expect((await pendingOutbox()).filter((m) => m.eventType === "machine.replan_requested")).toEqual([]);
  });
});
