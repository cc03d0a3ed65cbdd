import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as report } from "@/app/api/machines/[id]/events/route";
import { prisma } from "@/server/db";
import { createItem, createWorkCenter } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import { createShopMachine, createWorkOrder, drainOutbox, operation } from "@/server/testing/shop-floor";
import { GET as getPlan } from "./route";

// The planning page's data: every machine's queue on a timeline and the
// planner's latest decisions with their reasons. Operators see their own
// work center only.

type Actor = Awaited<ReturnType<typeof actor>>;
let planner: Actor;
let operator: Actor;
let otherOperator: Actor;
let welding: number;
let pressing: number;
let setup: Awaited<ReturnType<typeof weldShop>>;

async function weldShop() {
  const tag = randomBytes(3).toString("hex");
  const weld = operation("weld");
  const cellA = await createShopMachine({
    workCenterId: welding,
    name: `Cell A ${tag}`,
    status: "running",
    capabilities: [weld],
  });
  const cellB = await createShopMachine({ workCenterId: welding, name: `Cell B ${tag}`, capabilities: [weld] });
  const press = await createShopMachine({ workCenterId: pressing, name: `Press ${tag}`, capabilities: [operation()] });
  const running = await createWorkOrder({
    machineId: cellA.id,
    operation: weld,
    status: "running",
    quantity: 30,
    sequence: 1,
  });
  const waiting = await createWorkOrder({ machineId: cellA.id, operation: weld, quantity: 60, sequence: 2 });
  return { cellA, cellB, press, running, waiting };
}

beforeAll(async () => {
  welding = (await createWorkCenter()).id;
  pressing = (await createWorkCenter()).id;
  planner = await actor("planner");
  operator = await actor("operator", welding);
  otherOperator = await actor("operator", pressing);
  setup = await weldShop();
  const res = await call(report, {
    token: operator.token,
    params: { id: String(setup.cellA.id) },
    body: { type: "breakdown" },
  });
  expect(res.status).toBe(202);
  await drainOutbox();
});

const plan = (who: Actor) => call(getPlan, { token: who.token, path: "/api/plan" });

describe("GET /api/plan", () => {
  it("shows each machine's queue on a timeline, and what moved and why", async () => {
    const res = await plan(planner);
    expect(res.status).toBe(200);
    const { cellA, cellB, running, waiting } = setup;
    const machine = (id: number) => res.body.machines.find((m: { id: number }) => m.id === id);

    expect(machine(cellA.id)).toMatchObject({
      status: "breakdown",
      workCenterId: welding,
      queue: [{ id: running.id, status: "running" }],
    });
    const [moved] = machine(cellB.id).queue;
    expect(moved).toMatchObject({ id: waiting.id, sequence: 1, status: "queued", estimatedMinutes: 60 });
    expect(Date.parse(moved.plannedEnd) - Date.parse(moved.plannedStart)).toBe(60 * 60_000);

    expect(res.body.changes).toContainEqual({
      id: expect.any(String),
      at: expect.any(String),
      reason: { machineId: cellA.id, type: "breakdown", eventId: expect.any(String) },
      kind: "moved",
      workOrderId: waiting.id,
      code: waiting.code,
      fromMachineId: cellA.id,
      toMachineId: cellB.id,
      explanation: `moved from ${cellA.name} to ${cellB.name}: ${cellA.name} breakdown; earliest capable machine (0 orders ahead)`,
    });
    expect(res.body.machines.map((m: { id: number }) => m.id)).toContain(setup.press.id);
  });

  it("shows an operator their own work center's machines and the changes that touch them", async () => {
    const mine = await plan(operator);
    expect(mine.status).toBe(200);
    expect(new Set(mine.body.machines.map((m: { workCenterId: number }) => m.workCenterId))).toEqual(
      new Set([welding]),
    );
    expect(mine.body.changes.map((c: { workOrderId: number }) => c.workOrderId)).toContain(setup.waiting.id);
    expect(mine.body.unassigned).toEqual([]);

    const theirs = await plan(otherOperator);
    expect(theirs.body.machines.map((m: { id: number }) => m.id)).toEqual([setup.press.id]);
    expect(theirs.body.changes).toEqual([]);
  });

  it("names the work centers the rows group by, and what each order makes", async () => {
    const item = await createItem();
    await prisma().workOrder.update({ where: { id: setup.waiting.id }, data: { itemId: item.id } });
    const res = await plan(planner);
    expect(res.body.workCenters).toEqual(
      expect.arrayContaining([
        { id: welding, code: expect.any(String), name: expect.any(String) },
        { id: pressing, code: expect.any(String), name: expect.any(String) },
      ]),
    );
    const orders = res.body.machines.flatMap((m: { queue: unknown[] }) => m.queue);
    expect(orders).toContainEqual(
      expect.objectContaining({ id: setup.waiting.id, product: { sku: item.sku, name: item.name } }),
    );
    expect(orders).toContainEqual(expect.objectContaining({ id: setup.running.id, product: null }));

    const mine = await plan(operator);
    expect(mine.body.workCenters.map((wc: { id: number }) => wc.id)).toEqual([welding]);
  });

  it("is not for buyers", async () => {
    const buyer = await actor("purchasing");
    expect(await plan(buyer)).toMatchObject({ status: 403, body: { error: "forbidden" } });
  });
});
