import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/server/auth/roles";
import { pool } from "@/server/db";
import type { MachineStatus } from "@/server/planning/plan-types";
import { createWorkCenter } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import { createShopMachine, createWorkOrder, operation, pendingOutbox } from "@/server/testing/shop-floor";
import { POST as finish } from "./[id]/finish/route";
import { POST as start } from "./[id]/start/route";
import { GET as list } from "./route";

// Starting and finishing work on the floor: the order's status and its
// machine's status move together, the refusals say what is in the way, and
// operators reach only their own work center's orders.

type Actor = Awaited<ReturnType<typeof actor>>;
let wc1: number;
let wc2: number;
const actors = {} as Record<Role, Actor>;

beforeAll(async () => {
  wc1 = (await createWorkCenter()).id;
  wc2 = (await createWorkCenter()).id;
  for (const role of ["operator", "planner", "manager", "admin", "purchasing"] as const) {
    actors[role] = await actor(role, role === "operator" ? wc1 : undefined);
  }
});

async function machineWithOrders(status: MachineStatus = "idle", workCenterId = wc1) {
  const op = operation();
  const machine = await createShopMachine({ workCenterId, status, capabilities: [op] });
  const first = await createWorkOrder({ machineId: machine.id, operation: op, priority: 1, sequence: 1 });
  const second = await createWorkOrder({ machineId: machine.id, operation: op, priority: 2, sequence: 2 });
  return { machine, first, second };
}

const transition =
  (handler: typeof start, verb: "start" | "finish") => (who: Actor, workOrderId: number, idempotencyKey?: string) =>
    call(handler, {
      method: "POST",
      token: who.token,
      path: `/api/work-orders/${workOrderId}/${verb}`,
      params: { id: String(workOrderId) },
      idempotencyKey,
    });
const startOrder = transition(start, "start");
const finishOrder = transition(finish, "finish");

async function state(workOrderId: number, machineId: number) {
  const { rows } = await pool().query(
    `SELECT wo.status AS "order", m.status AS machine,
            (SELECT array_agg(type ORDER BY id) FROM machine_events e WHERE e.machine_id = m.id) AS events
     FROM work_orders wo, machines m WHERE wo.id = $1 AND m.id = $2`,
    [workOrderId, machineId],
  );
  return rows[0];
}

describe("starting and finishing a work order", () => {
  it("runs the order and the machine with it, then finishes and leaves the machine idle", async () => {
    const { machine, first } = await machineWithOrders("idle");
    const started = await startOrder(actors.operator, first.id);
    expect(started).toMatchObject({
      status: 200,
      body: {
        workOrder: { id: first.id, code: first.code, status: "running", machineId: machine.id, workCenterId: wc1 },
        machine: { id: machine.id, status: "running", changed: true },
      },
    });
    expect(started.body.workOrder.startedAt).toEqual(expect.any(String));
    expect(await state(first.id, machine.id)).toEqual({
      order: "running",
      machine: "running",
      events: ["work_order_started"],
    });

    const finished = await finishOrder(actors.operator, first.id);
    expect(finished).toMatchObject({
      status: 200,
      body: { workOrder: { status: "done" }, machine: { id: machine.id, status: "idle", changed: true } },
    });
    expect(await state(first.id, machine.id)).toEqual({
      order: "done",
      machine: "idle",
      events: ["work_order_started", "work_order_finished"],
    });

    const pushed = (await pendingOutbox()).filter(
      (m) => m.aggregate === `machine:${machine.id}` || m.aggregate === `work_order:${first.id}`,
    );
    expect(pushed.map((m) => [m.eventType, (m.payload as { status: string }).status])).toEqual([
      ["machine.status", "running"],
      ["work_order.updated", "running"],
      ["machine.status", "idle"],
      ["work_order.updated", "done"],
    ]);
  });

  it("keeps a stopped machine stopped when its running order is finished", async () => {
    const op = operation();
    const machine = await createShopMachine({ workCenterId: wc1, status: "breakdown", capabilities: [op] });
    const order = await createWorkOrder({ machineId: machine.id, operation: op, status: "running" });
    expect((await finishOrder(actors.planner, order.id)).body.machine).toEqual({
      id: machine.id,
      status: "breakdown",
      changed: false,
    });
  });

  it("lets only one of two orders start when two tablets press start on the same machine at once", async () => {
    const { machine, first, second } = await machineWithOrders("idle");
    const answers = await Promise.all([startOrder(actors.operator, first.id), startOrder(actors.planner, second.id)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body.error).toBe("machine_busy");
    const { rows } = await pool().query(
      "SELECT count(*)::int AS n FROM work_orders WHERE machine_id = $1 AND status = 'running'",
      [machine.id],
    );
    expect(rows).toEqual([{ n: 1 }]);
  });

  it("replays the first answer to a repeated start, without a 409", async () => {
    const { first } = await machineWithOrders("idle");
    const key = randomUUID();
    const once = await startOrder(actors.operator, first.id, key);
    const twice = await startOrder(actors.operator, first.id, key);
    expect(twice).toMatchObject({ status: 200, body: once.body });
    expect(twice.headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("refusals", () => {
  it.each([
    [
      "an order that already runs",
      "start",
      async () => {
        const { machine, first } = await machineWithOrders("running");
        await pool().query("UPDATE work_orders SET status = 'running' WHERE id = $1", [first.id]);
        return {
          id: first.id,
          error: "work_order_not_queued",
          message: `${first.code} is running, not queued: only a queued work order can be started.`,
          machine,
        };
      },
    ],
    [
      "an order on a broken machine",
      "start",
      async () => {
        const { machine, first } = await machineWithOrders("breakdown");
        return {
          id: first.id,
          error: "machine_not_available",
          message: `${machine.name} is stopped (breakdown): report it resumed before starting work on it.`,
        };
      },
    ],
    [
      "an order on a machine short of material",
      "start",
      async () => {
        const { machine, first } = await machineWithOrders("material_shortage");
        return {
          id: first.id,
          error: "machine_not_available",
          message: `${machine.name} is stopped (material shortage): report it resumed before starting work on it.`,
        };
      },
    ],
    [
      "a second order on a busy machine",
      "start",
      async () => {
        const { machine, first, second } = await machineWithOrders("running");
        await pool().query("UPDATE work_orders SET status = 'running' WHERE id = $1", [first.id]);
        return {
          id: second.id,
          error: "machine_busy",
          message: `${machine.name} is already running ${first.code}: finish it before starting ${second.code}.`,
        };
      },
    ],
    [
      "an order on no machine",
      "start",
      async () => {
        const order = await createWorkOrder({ machineId: null, operation: operation() });
        return {
          id: order.id,
          error: "machine_not_available",
          message: `${order.code} is not on any machine yet: the planner places it.`,
        };
      },
    ],
    [
      "an order that is not running",
      "finish",
      async () => {
        const { first } = await machineWithOrders("idle");
        return {
          id: first.id,
          error: "work_order_not_running",
          message: `${first.code} is queued, not running: only a running work order can be finished.`,
        };
      },
    ],
  ] as const)("%s: %s is refused with 409, saying why", async (_, verb, setup) => {
    const { id, error, message } = await setup();
    const before = await pool().query("SELECT status, machine_id FROM work_orders WHERE id = $1", [id]);
    const res = await (verb === "start" ? startOrder : finishOrder)(actors.planner, id);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error, message });
    expect((await pool().query("SELECT status, machine_id FROM work_orders WHERE id = $1", [id])).rows).toEqual(
      before.rows,
    );
  });

  it.each([
    ["an operator of another work center → 403", "operator", "other", 403],
    ["a buyer → 403", "purchasing", "own", 403],
    ["a manager → 403", "manager", "own", 403],
    ["a planner, any work center → 200", "planner", "other", 200],
    ["an admin, any work center → 200", "admin", "other", 200],
  ] as const)("start by %s", async (_, role, where, status) => {
    const { machine, first } = await machineWithOrders("idle", where === "own" ? wc1 : wc2);
    const res = await startOrder(actors[role], first.id);
    expect(res.status).toBe(status);
    if (role === "operator") {
      expect(res.body).toEqual({
        error: "forbidden",
        message: `${first.code} is not on a machine of your work center: operators work only on their own work center's orders.`,
      });
    }
    expect((await state(first.id, machine.id)).order).toBe(status === 200 ? "running" : "queued");
  });

  it("answers 404 for an order that does not exist", async () => {
    expect(await startOrder(actors.operator, 2_000_000_001)).toMatchObject({
      status: 404,
      body: { error: "not_found", message: "Work order 2000000001 does not exist." },
    });
  });
});

describe("GET /api/work-orders", () => {
  const get = (who: Actor, query = "") =>
    call(list, { token: who.token, path: `/api/work-orders${query ? `?${query}` : ""}` });

  it("gives an operator only their own work center's orders, whatever the filter", async () => {
    const own = await machineWithOrders("idle", wc1);
    const other = await machineWithOrders("idle", wc2);
    const mine = await get(actors.operator, `machineId=${own.machine.id}`);
    expect(mine.body.workOrders.map((o: { id: number }) => o.id)).toEqual([own.first.id, own.second.id]);
    expect((await get(actors.operator, `workCenterId=${wc2}`)).body.workOrders).toEqual([]);
    expect((await get(actors.operator, `machineId=${other.machine.id}`)).body.workOrders).toEqual([]);
    const all = (await get(actors.operator)).body.workOrders as { workCenterId: number }[];
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((o) => o.workCenterId === wc1)).toBe(true);
  });

  it("gives planners and managers every work center, running orders first on each machine", async () => {
    const other = await machineWithOrders("running", wc2);
    await pool().query("UPDATE work_orders SET status = 'running' WHERE id = $1", [other.second.id]);
    for (const role of ["planner", "manager"] as const) {
      const res = await get(actors[role], `workCenterId=${wc2}&machineId=${other.machine.id}`);
      expect(res.body.workOrders).toMatchObject([
        { id: other.second.id, status: "running", estimatedMinutes: 100 },
        { id: other.first.id, status: "queued" },
      ]);
    }
  });

  it("refuses buyers (403) and bad filters (400)", async () => {
    expect((await get(actors.purchasing)).status).toBe(403);
    expect(await get(actors.planner, "machineId=abc")).toMatchObject({
      status: 400,
      body: { error: "invalid_request", issues: [{ path: ["machineId"] }] },
    });
  });
});
