import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type Role, roles } from "@/server/auth/roles";
import { createWorkCenter } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import { createShopMachine, operation } from "@/server/testing/shop-floor";
import { GET as log, POST as report } from "./[id]/events/route";

// A machine's log as the floor and the tests read it: newest first, for the
// people who may see the machine. The tablet spec counts resumes with it.

type Actor = Awaited<ReturnType<typeof actor>>;
let wc1: number;
let wc2: number;
const actors = {} as Record<Role, Actor>;

beforeAll(async () => {
  wc1 = (await createWorkCenter()).id;
  wc2 = (await createWorkCenter()).id;
  for (const role of roles) actors[role] = await actor(role, role === "operator" ? wc1 : undefined);
});

const machineIn = (workCenterId: number) =>
  createShopMachine({ workCenterId, status: "idle", capabilities: [operation()] });

const read = (who: Actor | undefined, machineId: number | string, query = "") =>
  call(log, {
    method: "GET",
    token: who?.token,
    path: `/api/machines/${machineId}/events${query}`,
    params: { id: String(machineId) },
    idempotencyKey: "none",
  });

const post = (machineId: number, type: string, key = randomUUID()) =>
  call(report, {
    token: actors.planner.token,
    path: `/api/machines/${machineId}/events`,
    params: { id: String(machineId) },
    body: { type },
    idempotencyKey: key,
  });

describe("GET /api/machines/{id}/events", () => {
  it("lists the reports newest first, each once however often its key was sent", async () => {
    const machine = await machineIn(wc1);
    expect((await post(machine.id, "breakdown")).status).toBe(202);
    const key = randomUUID();
    expect((await post(machine.id, "resume", key)).status).toBe(202);
    expect((await post(machine.id, "resume", key)).headers.get("idempotent-replayed")).toBe("true");

    const res = await read(actors.operator, machine.id);
    expect(res.status).toBe(200);
    expect(res.body.events).toEqual([
      {
        id: expect.any(String),
        type: "resume",
        note: null,
        previousStatus: "breakdown",
        status: "idle",
        reportedBy: actors.planner.user.id,
        at: expect.any(String),
      },
      expect.objectContaining({ type: "breakdown", previousStatus: "idle", status: "breakdown" }),
    ]);
    expect((await read(actors.operator, machine.id, "?limit=1")).body.events).toHaveLength(1);
  });

  it.each([
    ["an operator of the machine's group → 200", "operator", "own", 200],
    ["an operator of another group → 403", "operator", "other", 403],
    ["a planner → 200", "planner", "other", 200],
    ["a manager → 200", "manager", "other", 200],
    ["an admin → 200", "admin", "other", 200],
    ["a buyer → 403", "purchasing", "own", 403],
  ] as const)("%s", async (_, role, where, status) => {
    const machine = await machineIn(where === "own" ? wc1 : wc2);
    const res = await read(actors[role], machine.id);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (status === 403) expect(res.body.error).toBe("forbidden");
  });

  it("answers 401 without a login, 404 for a machine that does not exist, 400 for a bad limit", async () => {
    const machine = await machineIn(wc1);
    expect((await read(undefined, machine.id)).status).toBe(401);
    expect(await read(actors.planner, 2_000_000_000)).toMatchObject({ status: 404, body: { error: "not_found" } });
    expect(await read(actors.planner, "abc")).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    expect(await read(actors.planner, machine.id, "?limit=0")).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
  });
});
