import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type Role, roles } from "@/server/auth/roles";
import { pool } from "@/server/db";
import { createWorkCenter } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import { forgetRedisKeys } from "@/server/testing/redis-keys";
import { holdRowLock } from "@/server/testing/row-lock";
import { createShopMachine, createWorkOrder, operation, pendingOutbox } from "@/server/testing/shop-floor";
import { POST as report } from "./[id]/events/route";

// An operator's tablet reports a breakdown, a material shortage or a resume.
// Who may report for which machine, what one report writes (all of it in one
// transaction), and what a tablet that re-sends its queued report gets.

type Actor = Awaited<ReturnType<typeof actor>>;
let wc1: number;
let wc2: number;
const actors = {} as Record<Role, Actor>;

beforeAll(async () => {
  wc1 = (await createWorkCenter()).id;
  wc2 = (await createWorkCenter()).id;
  for (const role of roles) actors[role] = await actor(role, role === "operator" ? wc1 : undefined);
});

const machineIn = (workCenterId: number, status: "running" | "idle" = "idle") =>
  createShopMachine({ workCenterId, status, capabilities: [operation()] });

const post = (who: Actor | undefined, machineId: number | string, body: unknown, idempotencyKey?: string) =>
  call(report, {
    token: who?.token,
    path: `/api/machines/${machineId}/events`,
    params: { id: String(machineId) },
    body,
    idempotencyKey,
  });

async function eventsOf(machineId: number) {
  const { rows } = await pool().query(
    `SELECT id::text, type, note, reported_by AS "reportedBy", previous_status AS "previousStatus", status
     FROM machine_events WHERE machine_id = $1 ORDER BY id`,
    [machineId],
  );
  return rows;
}

const outboxOf = async (machineId: number) =>
  (await pendingOutbox()).filter(
    (m) => m.aggregate === `machine:${machineId}` || (m.payload as { machineId?: number }).machineId === machineId,
  );

describe("who may report a machine event", () => {
  const forbiddenRole = (role: Role) => ({ error: "forbidden", message: `The ${role} role may not do this.` });

  it.each([
    ["an operator, for a machine of their own work center → 202", "operator", "own", 202],
    ["an operator, for another work center's machine → 403", "operator", "other", 403],
    ["a planner, for any machine → 202", "planner", "other", 202],
    ["an admin, for any machine → 202", "admin", "other", 202],
    ["a buyer → 403", "purchasing", "own", 403],
    ["a manager → 403", "manager", "own", 403],
  ] as const)("%s", async (_, role, where, status) => {
    const machine = await machineIn(where === "own" ? wc1 : wc2);
    const res = await post(actors[role], machine.id, { type: "breakdown" });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (status === 202) {
      expect(res.body).toEqual({
        eventId: expect.any(String),
        machineId: machine.id,
        status: "breakdown",
        changed: true,
      });
      return;
    }
    expect(res.body).toEqual(
      role === "operator"
        ? {
            error: "forbidden",
            message: `${machine.name} belongs to another work center: operators act only on their own work center's machines.`,
          }
        : forbiddenRole(role),
    );
    expect(await eventsOf(machine.id)).toEqual([]);
    expect(await outboxOf(machine.id)).toEqual([]);
  });

  it.each(["operator", "planner"] as const)(
    "answers 404 to a(n) %s for a machine that does not exist",
    async (role) => {
      expect(await post(actors[role], 2_000_000_001, { type: "breakdown" })).toMatchObject({
        status: 404,
        body: { error: "not_found", message: "Machine 2000000001 does not exist." },
      });
    },
  );

  it("answers 401 without credentials", async () => {
    const machine = await machineIn(wc1);
    expect(await post(undefined, machine.id, { type: "breakdown" })).toMatchObject({
      status: 401,
      body: { error: "unauthenticated" },
    });
  });
});

describe("what a report writes", () => {
  it("logs the event, changes the status, and queues the live event and the re-plan, together", async () => {
    const machine = await machineIn(wc1, "running");
    await createWorkOrder({ machineId: machine.id, operation: machine.capabilities[0] as string, status: "running" });
    const operator = actors.operator;
    const res = await post(operator, machine.id, { type: "breakdown", note: "hydraulic leak" });
    expect(res).toMatchObject({ status: 202, body: { machineId: machine.id, status: "breakdown", changed: true } });
    const { eventId } = res.body;

    expect(await eventsOf(machine.id)).toEqual([
      {
        id: eventId,
        type: "breakdown",
        note: "hydraulic leak",
        reportedBy: operator.user.id,
        previousStatus: "running",
        status: "breakdown",
      },
    ]);
    const { rows } = await pool().query(
      "SELECT status, status_since >= now() - interval '1 minute' AS recent FROM machines WHERE id = $1",
      [machine.id],
    );
    expect(rows).toEqual([{ status: "breakdown", recent: true }]);
    expect(await outboxOf(machine.id)).toEqual([
      {
        eventType: "machine.status",
        aggregate: `machine:${machine.id}`,
        payload: {
          machineId: machine.id,
          workCenterId: wc1,
          status: "breakdown",
          previousStatus: "running",
          eventId,
          type: "breakdown",
          note: "hydraulic leak",
          reportedBy: operator.user.id,
          at: expect.any(String),
        },
      },
      {
        eventType: "machine.replan_requested",
        aggregate: "planning:factory",
        payload: { machineId: machine.id, eventId, type: "breakdown" },
      },
    ]);
    const audit = await pool().query(
      "SELECT action, detail->>'eventId' AS event FROM audit_log WHERE target_type = 'machine' AND target_id = $1",
      [String(machine.id)],
    );
    expect(audit.rows).toEqual([{ action: "machine.report_event", event: eventId }]);
  });

  it.each([
    ["with an order still running", true, "running"],
    ["with nothing running", false, "idle"],
  ])("puts a machine back to work on resume, %s", async (_, hasRunningOrder, status) => {
    const machine = await createShopMachine({ workCenterId: wc1, status: "breakdown", capabilities: [operation()] });
    if (hasRunningOrder) {
      await createWorkOrder({ machineId: machine.id, operation: machine.capabilities[0] as string, status: "running" });
    }
    const res = await post(actors.planner, machine.id, { type: "resume" });
    expect(res).toMatchObject({ status: 202, body: { status, changed: true } });
    expect((await outboxOf(machine.id)).map((m) => m.eventType)).toEqual([
      "machine.status",
      "machine.replan_requested",
    ]);
  });

  it("accepts a resume of a machine that already works, logs it, and changes nothing else", async () => {
    const machine = await machineIn(wc1, "idle");
    const res = await post(actors.operator, machine.id, { type: "resume" });
    expect(res).toEqual({
      status: 202,
      headers: expect.anything(),
      body: { eventId: expect.any(String), machineId: machine.id, status: "idle", changed: false },
    });
    expect(await eventsOf(machine.id)).toMatchObject([{ type: "resume", previousStatus: "idle", status: "idle" }]);
    expect(await outboxOf(machine.id)).toEqual([]);
  });

  it("turns a material shortage into a breakdown when the machine then breaks, and re-plans each time", async () => {
    const machine = await machineIn(wc1, "running");
    expect((await post(actors.operator, machine.id, { type: "material_shortage" })).body.status).toBe(
      "material_shortage",
    );
    expect((await post(actors.operator, machine.id, { type: "breakdown" })).body.status).toBe("breakdown");
    // A second breakdown report changes nothing: no new re-plan.
    expect((await post(actors.operator, machine.id, { type: "breakdown" })).body.changed).toBe(false);
    expect((await outboxOf(machine.id)).map((m) => m.eventType)).toEqual([
      "machine.status",
      "machine.replan_requested",
      "machine.status",
      "machine.replan_requested",
    ]);
  });
});

describe("reports arriving at once", () => {
  it("takes them one at a time: each event starts from the status the one before left", async () => {
    const machine = await machineIn(wc1, "running");
    const types = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? "breakdown" : "resume"));
    const answers = await Promise.all(types.map((type) => post(actors.planner, machine.id, { type })));
    expect(answers.every((a) => a.status === 202)).toBe(true);

    const events = await eventsOf(machine.id);
    expect(events).toHaveLength(16);
    for (let i = 1; i < events.length; i++) expect(events[i].previousStatus).toBe(events[i - 1].status);
    const { rows } = await pool().query("SELECT status FROM machines WHERE id = $1", [machine.id]);
    expect(rows[0].status).toBe(events.at(-1)?.status);
    // One status push and one re-plan per real change, none for the others.
    const changes = events.filter((e) => e.previousStatus !== e.status).length;
    const outbox = await outboxOf(machine.id);
    expect(outbox.filter((m) => m.eventType === "machine.status")).toHaveLength(changes);
    expect(outbox.filter((m) => m.eventType === "machine.replan_requested")).toHaveLength(changes);
  });

  it("gives up after 5 s on a machine row another transaction holds, with 503, and writes nothing", async () => {
    const machine = await machineIn(wc1, "running");
    const held = await holdRowLock("SELECT id FROM machines WHERE id = $1 FOR UPDATE", [machine.id]);
    try {
      const res = await post(actors.operator, machine.id, { type: "breakdown" });
      expect(res).toMatchObject({ status: 503, body: { error: "lock_timeout" } });
      expect(res.headers.get("retry-after")).toBe("1");
    } finally {
      await held.release();
    }
    expect(await eventsOf(machine.id)).toEqual([]);
    expect(await outboxOf(machine.id)).toEqual([]);
  });
});

describe("bad input", () => {
  type Issue = { code: string; path: (string | number)[]; message: string };
  const typeMessage = "type must be one of breakdown, material_shortage, resume";

  it.each<[string, unknown, Issue[]]>([
    ["no type", {}, [{ code: "invalid_value", path: ["type"], message: typeMessage }]],
    ["an unknown type", { type: "explode" }, [{ code: "invalid_value", path: ["type"], message: typeMessage }]],
    [
      "a note over 500 characters",
      { type: "breakdown", note: "x".repeat(501) },
      [{ code: "too_big", path: ["note"], message: "note is at most 500 characters" }],
    ],
    [
      "an unknown field",
      { type: "breakdown", severity: "high" },
      [{ code: "unrecognized_keys", path: [], message: 'Unrecognized key: "severity"' }],
    ],
  ])("answers 400 with the issues for %s, and writes nothing", async (_, body, issues) => {
    const machine = await machineIn(wc1);
    const res = await post(actors.operator, machine.id, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: "invalid_request", issues });
    expect(await eventsOf(machine.id)).toEqual([]);
  });

  it("answers 400 for a machine id that is not a number", async () => {
    const res = await post(actors.planner, "press-2", { type: "breakdown" });
    expect(res).toMatchObject({
      status: 400,
      body: {
        error: "invalid_request",
        issues: [{ code: "invalid_type", path: ["id"], message: "Invalid input: expected number, received NaN" }],
      },
    });
  });
});

describe("a tablet re-sends a report it queued offline", () => {
  it("gets the first answer back with Idempotent-Replayed, and the event is recorded once", async () => {
    const machine = await machineIn(wc1, "running");
    const key = randomUUID();
    const first = await post(actors.operator, machine.id, { type: "breakdown", note: "jam" }, key);
    const again = await post(actors.operator, machine.id, { type: "breakdown", note: "jam" }, key);
    expect(first.status).toBe(202);
    expect(again).toMatchObject({ status: 202, body: first.body });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await eventsOf(machine.id)).toHaveLength(1);
    expect((await outboxOf(machine.id)).filter((m) => m.eventType === "machine.replan_requested")).toHaveLength(1);
  });

  it("gets the first answer from the database when Redis has forgotten the key", async () => {
    const machine = await machineIn(wc1, "running");
    const key = randomUUID();
    const first = await post(actors.operator, machine.id, { type: "material_shortage" }, key);
    await forgetRedisKeys("idem:*");
    const again = await post(actors.operator, machine.id, { type: "material_shortage" }, key);
    expect(again).toMatchObject({ status: 202, body: first.body });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await eventsOf(machine.id)).toHaveLength(1);
  });

  it("refuses the same key with another report (422)", async () => {
    const machine = await machineIn(wc1, "running");
    const key = randomUUID();
    await post(actors.operator, machine.id, { type: "breakdown" }, key);
    expect(await post(actors.operator, machine.id, { type: "resume" }, key)).toMatchObject({
      status: 422,
      body: { error: "idempotency_key_reused" },
    });
    expect(await eventsOf(machine.id)).toHaveLength(1);
  });
});
