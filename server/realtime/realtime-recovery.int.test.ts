import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createWorkCenter } from "../testing/factories";
import { actor } from "../testing/http";
import { stopAllProcesses } from "../testing/processes";
import {
  appendLiveEvent,
  closeLiveClients,
  connectLive,
  type LiveClient,
  machineStatusPayload,
  type RealtimeProcess,
  startRealtime,
} from "../testing/realtime";
import { waitFor } from "../testing/wait-for";

// A tablet that drops off the Wi-Fi for a few seconds resumes its session:
// it gets what it missed, once, in order, without refetching. Unless its
// token was revoked or its group changed meanwhile: then it gets nothing it
// may no longer see.

let realtime: RealtimeProcess;

beforeAll(async () => {
  realtime = await startRealtime(); // the default recovery window: 2 minutes
});
afterEach(() => closeLiveClients());
afterAll(async () => {
  closeLiveClients();
  await stopAllProcesses();
});

/** Cuts the client's connection the way a dropped Wi-Fi does; it reconnects by itself after `awayMs`. */
async function dropFor(client: LiveClient, awayMs: number) {
  client.socket.io.reconnectionDelay(awayMs);
  client.socket.io.reconnectionDelayMax(awayMs);
  client.socket.io.randomizationFactor(0);
  const back = client.nextConnect(awayMs + 15_000);
  client.socket.io.engine.close();
  await waitFor("the client to notice", () => !client.socket.connected, { intervalMs: 5 });
  return { back }; // wrapped: an async function's returned promise would be awaited with it
}

async function machineEvent(workCenterId: number) {
  return appendLiveEvent("machine.status", machineStatusPayload({ machineId: 1, workCenterId }));
}

describe("realtime: connection state recovery", () => {
  it("gives a client away for 5 s every event it missed, once and in order, with recovered === true", async () => {
    const wc = await createWorkCenter();
    const operator = await actor("operator", wc.id);
    const [tablet, steady] = await Promise.all([
      connectLive(realtime.url, { token: operator.token }),
      connectLive(realtime.url, { token: operator.token }),
    ]);
    const before = await machineEvent(wc.id);
    await tablet.waitForOutboxIds([before]);

    const { back } = await dropFor(tablet, 5000);
    const missed: string[] = [];
    for (let i = 0; i < 5; i++) {
      missed.push(await machineEvent(wc.id));
      await sleep(400);
    }
    await steady.waitForOutboxIds(missed);
    expect(tablet.socket.connected).toBe(false);
    await back;
    expect(tablet.socket.recovered).toBe(true);
    expect(tablet.connections).toEqual([false, true]);

    const after = await machineEvent(wc.id);
    await tablet.waitForOutboxIds([after]);
    await steady.waitForOutboxIds([after]);
    expect(tablet.outboxIds()).toEqual([before, ...missed, after]);
    expect(tablet.outboxIds()).toEqual(steady.outboxIds());
    // The numbering in the group's room has no hole either.
    const room = `wc:${wc.id}`;
    const numbers = tablet.events.map((e) => e.roomSeq[room] ?? 0);
    expect(numbers).toEqual(numbers.map((_, i) => (numbers[0] ?? 0) + i));
  });

  it("hands the session over to a client that comes back while its old connection still looks alive", async () => {
    const wc = await createWorkCenter();
    const operator = await actor("operator", wc.id);
    const old = await connectLive(realtime.url, { token: operator.token });
    const first = await machineEvent(wc.id);
    await old.waitForOutboxIds([first]);

    // A tablet that switched access points: it connects again with its
    // session's ids before the server has seen the old connection drop.
    const { id, _pid: pid, _lastOffset: offset } = old.socket as unknown as Record<string, string>;
    let oldEnded: string | undefined;
    old.socket.once("disconnect", (reason) => {
      oldEnded = reason;
    });
    const fresh = await connectLive(realtime.url, { options: { auth: { token: operator.token, pid, offset } } });
    // (socket.recovered stays false on this client object: it is not the one that had the session.)
    await waitFor("the ready message", () => fresh.readies[0]);
    expect(fresh.readies[0]?.recovered).toBe(true);
    expect(fresh.socket.id).toBe(id);
    expect(await waitFor("the old connection to be closed", () => oldEnded, { timeoutMs: 5000 })).toBe(
      "io server disconnect",
    );
    old.close(); // had the server kept it, its cleanup would now take the session's rooms away

    const next = await machineEvent(wc.id);
    await fresh.waitForOutboxIds([next]);
    await sleep(200);
    expect(fresh.outboxIds()).toEqual([next]);
  });

  it("does not resume a session whose token was revoked meanwhile, and sends it nothing missed", async () => {
    const wc = await createWorkCenter();
    const operator = await actor("operator", wc.id);
    const tablet = await connectLive(realtime.url, { token: operator.token });
    const before = await machineEvent(wc.id);
    await tablet.waitForOutboxIds([before]);

    const refused = new Promise<Error>((resolve) => tablet.socket.once("connect_error", resolve));
    const { back: never } = await dropFor(tablet, 1500);
    never.catch(() => {}); // it will not connect again
    await prisma().apiToken.updateMany({ where: { userId: operator.user.id }, data: { revokedAt: new Date() } });
    const missed = await machineEvent(wc.id);
    expect((await refused).message).toBe("unauthenticated");
    await sleep(300);
    expect(tablet.packetOutboxIds).toEqual([before]);
    expect(tablet.events.map((e) => e.outboxId)).not.toContain(missed);
  });

  it("starts a new session, in the new group's rooms only, for an operator moved to another group meanwhile", async () => {
    const [wc1, wc2] = [await createWorkCenter(), await createWorkCenter()];
    const operator = await actor("operator", wc1.id);
    const tablet = await connectLive(realtime.url, { token: operator.token });
    const before = await machineEvent(wc1.id);
    await tablet.waitForOutboxIds([before]);

    const { back } = await dropFor(tablet, 1500);
    await prisma().user.update({ where: { id: operator.user.id }, data: { workCenterId: wc2.id } });
    const oldGroup = await machineEvent(wc1.id);
    await back;
    expect(tablet.socket.recovered).toBe(false);
    await waitFor("the second ready message", () => tablet.readies[1]);
    expect(tablet.readies[1]).toEqual({ rooms: ["role:operator", `wc:${wc2.id}`], recovered: false });

    const oldAgain = await machineEvent(wc1.id);
    const newGroup = await machineEvent(wc2.id);
    await tablet.waitForOutboxIds([newGroup]);
    expect(tablet.outboxIds()).toEqual([before, newGroup]);
    expect(tablet.packetOutboxIds).not.toContain(oldGroup);
    expect(tablet.packetOutboxIds).not.toContain(oldAgain);
  });
});
