import { setTimeout as sleep } from "node:timers/promises";
import { io } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { login } from "../auth/login";
import { logout } from "../auth/logout";
import { prisma } from "../db";
import { createUser, createWorkCenter, testPassword } from "../testing/factories";
import { actor } from "../testing/http";
import { stopAllProcesses } from "../testing/processes";
import {
  appendLiveEvent,
  closeLiveClients,
  connectLive,
  machineStatusPayload,
  type RealtimeProcess,
  startRealtime,
} from "../testing/realtime";
import { waitFor } from "../testing/wait-for";

// Who may open a socket, and which rooms it ends up in: against the real
// realtime process, its real Redis and PostgreSQL.

let realtime: RealtimeProcess;

beforeAll(async () => {
  realtime = await startRealtime({ env: { REALTIME_REAUTH_MS: "300" } });
});
afterEach(() => closeLiveClients());
afterAll(async () => {
  closeLiveClients();
  await stopAllProcesses();
});

async function sessionCookieFor(role: "planner" | "purchasing") {
  const user = await createUser({ role });
  const { sessionToken } = await login({ username: user.username, password: testPassword, ip: "test" });
  return { user, sessionToken, cookie: `theme=dark; erp_session=${encodeURIComponent(sessionToken)}` };
}

describe("realtime: who may connect", () => {
  it.each([
    ["no credentials", {}],
    ["an unknown bearer token", { token: "erp_not-a-token" }],
    ["an unknown session cookie", { cookie: "erp_session=not-a-session" }],
    ["a cookie of another name", { cookie: "session=whatever" }],
  ])("refuses a socket with %s: connect_error unauthenticated", async (_, credentials) => {
    await expect(connectLive(realtime.url, credentials)).rejects.toThrow("unauthenticated");
  });

  it("refuses a revoked token and a logged-out session", async () => {
    const operator = await actor("operator");
    await prisma().apiToken.updateMany({ where: { userId: operator.user.id }, data: { revokedAt: new Date() } });
    await expect(connectLive(realtime.url, { token: operator.token })).rejects.toThrow("unauthenticated");

    const { sessionToken, cookie } = await sessionCookieFor("planner");
    await logout({ sessionToken });
    await expect(connectLive(realtime.url, { cookie })).rejects.toThrow("unauthenticated");
  });

  it("accepts the session cookie from login, over polling and WebSocket, and puts it in its rooms", async () => {
    const { cookie } = await sessionCookieFor("planner");
    for (const transports of [["polling"], ["websocket"]]) {
      const client = await connectLive(realtime.url, { cookie, options: { transports } });
      await waitFor("the ready message", () => client.readies[0]);
      expect(client.readies[0]).toEqual({ rooms: ["role:planner", "floor:all"], recovered: false });
    }
  });

  it("refuses a page of another site (cross-site WebSocket hijacking), accepts its own", async () => {
    const { cookie } = await sessionCookieFor("purchasing");
    const foreign = io(realtime.url, {
      path: "/ws/socket.io",
      transports: ["websocket"],
      extraHeaders: { cookie, origin: "https://evil.example" },
      reconnection: false,
      forceNew: true,
    });
    try {
      const outcome = await new Promise<string>((resolve) => {
        foreign.once("connect", () => resolve("connected"));
        foreign.once("connect_error", () => resolve("refused"));
      });
      expect(outcome).toBe("refused");
    } finally {
      foreign.disconnect();
    }
    const own = await connectLive(realtime.url, {
      cookie,
      options: { extraHeaders: { cookie, origin: realtime.url } },
    });
    expect(own.socket.connected).toBe(true);
  });

  it("closes a connected socket once its token is revoked, and the session cannot resume", async () => {
    const operator = await actor("operator");
    const client = await connectLive(realtime.url, { token: operator.token });
    const reason = new Promise((resolve) => client.socket.once("disconnect", resolve));
    await prisma().apiToken.updateMany({ where: { userId: operator.user.id }, data: { revokedAt: new Date() } });
    expect(await reason).toBe("io server disconnect");
    await expect(connectLive(realtime.url, { token: operator.token })).rejects.toThrow("unauthenticated");
  });
});

describe("realtime: rooms", () => {
  it("gives an operator its own group's machine events only, a planner all, a buyer inventory and no machines", async () => {
    const [wc1, wc2] = [await createWorkCenter(), await createWorkCenter()];
    const [operator1, planner, buyer, admin] = await Promise.all([
      actor("operator", wc1.id),
      actor("planner"),
      actor("purchasing"),
      actor("admin"),
    ]);
    const connect = (a: { token: string }) => connectLive(realtime.url, { token: a.token });
    const [op1, plan, buy, adm] = await Promise.all([
      connect(operator1),
      connect(planner),
      connect(buyer),
      connect(admin),
    ]);

    // Each socket receives in stream order, so once a socket has an event,
    // it would already have any earlier one meant for it.
    const m2 = await appendLiveEvent("machine.status", machineStatusPayload({ machineId: 2, workCenterId: wc2.id }));
    const m1 = await appendLiveEvent("machine.status", machineStatusPayload({ machineId: 1, workCenterId: wc1.id }));
    const inventory = await appendLiveEvent("inventory.changed", { reason: "adjust", items: [] });
    const unknown = await appendLiveEvent("something.new", { secret: true });
    const m3 = await appendLiveEvent("work_order.updated", {
      workOrderId: 7,
      code: "WO-7",
      machineId: 1,
      workCenterId: wc1.id,
      status: "queued",
      sequence: 1,
    });
    const plan2 = await appendLiveEvent("plan.updated", { affectedWorkCenterIds: [wc2.id], moves: [] });
    const last = await appendLiveEvent("purchase_order.updated", { id: "po", supplierId: 1, status: "SENT" });

    await op1.waitForOutboxIds([m3]);
    await plan.waitForOutboxIds([plan2]);
    await buy.waitForOutboxIds([last]);
    await adm.waitForOutboxIds([last]);
    expect(op1.outboxIds()).toEqual([m1, m3]);
    expect(plan.outboxIds()).toEqual([m2, m1, m3, plan2]);
    expect(buy.outboxIds()).toEqual([inventory, last]);
    expect(adm.outboxIds()).toEqual([m2, m1, inventory, unknown, m3, plan2, last]);

    const [first, second] = op1.events;
    expect(first).toMatchObject({ type: "machine.status", payload: { workCenterId: wc1.id }, outboxId: m1 });
    expect(first?.seq).toMatch(/^\d+-\d+$/);
    expect(first?.at).toEqual(expect.any(String));
    // Consecutive numbers in the operator's group room: nothing was skipped.
    const room = `wc:${wc1.id}`;
    expect((second?.roomSeq[room] ?? 0) - (first?.roomSeq[room] ?? 0)).toBe(1);
    expect(op1.readies[0]?.rooms).toEqual(["role:operator", room]);
  });

  it("never lets an operator into another group's room, whatever it emits", async () => {
    const [wc1, wc2] = [await createWorkCenter(), await createWorkCenter()];
    const operator = await actor("operator", wc1.id);
    const client = await connectLive(realtime.url, { token: operator.token });
    const other = `wc:${wc2.id}`;
    for (const [event, arg] of [
      ["join", other],
      ["subscribe", { room: other }],
      ["subscribe", { workCenterId: wc2.id }],
      ["joinRoom", other],
      ["rooms", [other, "floor:all", "role:admin"]],
    ] as const) {
      client.socket.emit(event, arg);
    }
    await sleep(200);
    const theirs = await appendLiveEvent(
      "machine.status",
      machineStatusPayload({ machineId: 9, workCenterId: wc2.id }),
    );
    const floorOnly = await appendLiveEvent("plan.updated", { affectedWorkCenterIds: [], moves: [] });
    const adminsOnly = await appendLiveEvent("something.new", {});
    const ours = await appendLiveEvent("machine.status", machineStatusPayload({ machineId: 8, workCenterId: wc1.id }));
    await client.waitForOutboxIds([ours]);
    expect(client.outboxIds()).toEqual([ours]);
    expect(client.packetOutboxIds).not.toContain(theirs);
    expect([floorOnly, adminsOnly].some((id) => client.packetOutboxIds.includes(id))).toBe(false);
    expect(client.socket.connected).toBe(true);
  });
});
