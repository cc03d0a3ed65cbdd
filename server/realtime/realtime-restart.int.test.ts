import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { redis } from "../redis";
import { createWorkCenter } from "../testing/factories";
import { actor } from "../testing/http";
import { freePort } from "../testing/process-group";
import { stopAllProcesses } from "../testing/processes";
import {
  appendLiveEvent,
  closeLiveClients,
  connectLive,
  type LiveClient,
  machineStatusPayload,
  startRealtime,
} from "../testing/realtime";
import { waitFor } from "../testing/wait-for";
import { liveEventStream } from "./events";
import { feedGroup } from "./live-event-feed";

// The realtime process killed (SIGKILL: no goodbye, no session stored at
// the last moment) and started again on the same port: events put on the
// stream while it was down, or read by it and never emitted, all reach the
// clients once they are back, and the clients resume their sessions.

afterEach(async () => {
  closeLiveClients();
  await stopAllProcesses();
});
afterAll(() => stopAllProcesses());

async function pendingInGroup(): Promise<number> {
  const [count] = (await redis().xpending(liveEventStream, feedGroup)) as [number];
  return Number(count);
}

/** Distinct outboxIds in order of first arrival: what a client shows after dropping duplicates. */
function distinct(client: LiveClient): string[] {
  return [...new Set(client.outboxIds())];
}

/** For a failure message: how much is missing, where, and how the client reconnected. */
function describeMissing(client: LiveClient, sent: string[]): string {
  const seen = new Set(client.outboxIds());
  const missing = sent.flatMap((id, i) => (seen.has(id) ? [] : [i]));
  return `${seen.size} distinct of ${sent.length}; missing positions ${missing[0]}..${missing.at(-1)} (${missing.length}); connections ${JSON.stringify(client.connections)}; ${client.events.length} received`;
}

describe("realtime: killed and restarted", () => {
  it("delivers what was put on the stream while it was down, and what a dead feeder had read, to the resumed clients", async () => {
    const port = await freePort();
    let realtime = await startRealtime({ port });
    const wc = await createWorkCenter();
    const [operator, planner] = await Promise.all([actor("operator", wc.id), actor("planner")]);
    const [tablet, desk] = await Promise.all([
      connectLive(realtime.url, { token: operator.token }),
      connectLive(realtime.url, { token: planner.token }),
    ]);
    const event = () => appendLiveEvent("machine.status", machineStatusPayload({ machineId: 3, workCenterId: wc.id }));

    const before = await event();
    await tablet.waitForOutboxIds([before]);
    await desk.waitForOutboxIds([before]);
    await waitFor("the feeder to acknowledge it", async () => (await pendingInGroup()) === 0);

    await realtime.kill();
    // A feeder that read these and died before emitting them: they wait in
    // the group, pending under its name, for someone to claim them. (The
    // killed process may have left one of its own: Redis can hand an entry
    // to a blocked read whose client died a moment before.)
    const readByTheDead = [await event(), await event()];
    await redis().xreadgroup("GROUP", feedGroup, "dead-feeder", "COUNT", 2, "STREAMS", liveEventStream, ">");
    // Both wait unacknowledged in the group, under "dead-feeder" or the killed process's name.
    expect(await redis().xpending(liveEventStream, feedGroup, "-", "+", 10)).toHaveLength(2);
    const whileDown = [await event(), await event(), await event()];

    realtime = await startRealtime({ port });
    const expected = [before, ...readByTheDead, ...whileDown];
    await tablet.waitForOutboxIds(expected, 20_000);
    await desk.waitForOutboxIds(expected, 20_000);
    for (const client of [tablet, desk]) {
      expect(client.outboxIds()).toEqual(expected);
      expect(client.connections).toEqual([false, true]);
    }
    await waitFor("the claimed entries to be acknowledged", async () => (await pendingInGroup()) === 0);

    // A client that connects after the restart gets what follows.
    const late = await connectLive(realtime.url, { token: operator.token });
    const after = await event();
    await late.waitForOutboxIds([after]);
    await tablet.waitForOutboxIds([after]);
    expect(late.outboxIds()).toEqual([after]);
  });

  it("loses nothing when killed in the middle of a stream of events; duplicates carry the same outboxId", async () => {
    const port = await freePort();
    let realtime = await startRealtime({ port });
    const wc = await createWorkCenter();
    const operator = await actor("operator", wc.id);
    const tablet = await connectLive(realtime.url, { token: operator.token });

    // Events every 2 ms for 3 s; the process dies after one second of it.
    const sent: string[] = [];
    let appending = true;
    const appender = (async () => {
      while (appending) {
        const id = randomUUID();
        sent.push(id);
        await appendLiveEvent("machine.status", machineStatusPayload({ machineId: 4, workCenterId: wc.id }), id);
        await sleep(2);
      }
    })();
    await sleep(1000);
    await realtime.kill();
    const receivedBeforeKill = tablet.events.length;
    realtime = await startRealtime({ port });
    await sleep(2000);
    appending = false;
    await appender;

    await waitFor(
      `all ${sent.length} events`,
      () => {
        const seen = new Set(tablet.outboxIds());
        return sent.every((id) => seen.has(id));
      },
      { timeoutMs: 30_000, status: () => describeMissing(tablet, sent) },
    );
    expect(receivedBeforeKill).toBeGreaterThan(0);
    expect(receivedBeforeKill).toBeLessThan(sent.length);
    expect(tablet.connections).toEqual([false, true]);
    // In stream order once duplicates are dropped (a duplicate is an event
    // emitted just before the kill and never acknowledged).
    expect(distinct(tablet)).toEqual(sent);
  });
});
