import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as reserve } from "@/app/api/reservations/route";
import { listItems } from "../inventory/list-items";
import { OutboxRelay } from "../outbox/relay";
import { outboxSettings } from "../outbox/settings";
import { createItem } from "../testing/factories";
import { actor, call } from "../testing/http";
import { stopAllProcesses } from "../testing/processes";
import {
  closeLiveClients,
  connectLive,
  type LiveClient,
  type RealtimeProcess,
  startRealtime,
} from "../testing/realtime";
import { waitFor } from "../testing/wait-for";
import type { LiveMessage } from "./live-message";

// A client away longer than the recovery window cannot resume: its session
// and the events it missed are no longer kept for it. It comes back with
// `recovered === false` and must refetch what it shows (the pages invalidate
// their queries: components/use-live-events.ts calls onResync); then it
// shows the same as a client that never dropped.

const recoveryMs = 1500;
let realtime: RealtimeProcess;
const relay = new OutboxRelay({ ...outboxSettings(), OUTBOX_POLL_MS: 50 });

beforeAll(async () => {
  realtime = await startRealtime({ env: { REALTIME_RECOVERY_MS: String(recoveryMs) } });
});
afterEach(() => closeLiveClients());
afterAll(async () => {
  closeLiveClients();
  await stopAllProcesses();
});

/** The stock page's state: loaded from the database, then patched by each inventory.changed. */
class StockView {
  readonly reserved = new Map<number, number>();
  refetches = 0;
  refetching?: Promise<void>;

  constructor(readonly client: LiveClient) {
    client.socket.on("event", (event: LiveMessage) => {
      if (event.type !== "inventory.changed") return;
      for (const item of (event as LiveMessage<"inventory.changed">).payload.items) {
        this.reserved.set(item.itemId, item.reservedQty);
      }
    });
    client.socket.on("connect", () => {
      if (!client.socket.recovered) this.refetching = this.refetch();
    });
  }

  async refetch() {
    for (const item of await listItems({ limit: 500 })) this.reserved.set(item.id, item.reservedQty);
    this.refetches++;
  }
}

describe("realtime: past the recovery window", () => {
  it("a client is not recovered, refetches, and ends with the same state as one that never dropped", async () => {
    const buyer = await actor("purchasing");
    const [bolt, nut] = [await createItem({ stockQty: 100 }), await createItem({ stockQty: 100 })];
    async function reserveAndPublish(itemId: number, qty: number) {
      const res = await call(reserve, { token: buyer.token, body: { orderRef: "SO", lines: [{ itemId, qty }] } });
      expect(res.status).toBe(201);
      await relay.drain({ deadline: Date.now() + 10_000 });
    }

    const steady = new StockView(await connectLive(realtime.url, { token: buyer.token }));
    const tablet = new StockView(await connectLive(realtime.url, { token: buyer.token }));
    await Promise.all([steady.refetch(), tablet.refetch()]);
    await reserveAndPublish(bolt.id, 3);
    await waitFor(
      "the first event on both",
      () => steady.client.events.length === 1 && tablet.client.events.length === 1,
    );

    // Away for twice the window, while stock moves.
    tablet.client.socket.io.reconnectionDelay(2 * recoveryMs);
    tablet.client.socket.io.reconnectionDelayMax(2 * recoveryMs);
    tablet.client.socket.io.randomizationFactor(0);
    const back = tablet.client.nextConnect(15_000);
    tablet.client.socket.io.engine.close();
    await reserveAndPublish(bolt.id, 2);
    await reserveAndPublish(nut.id, 5);
    await waitFor("the steady client to see both", () => steady.client.events.length === 3);
    const missed = steady.client.outboxIds().slice(1);
    await back;

    expect(tablet.client.socket.recovered).toBe(false);
    expect(tablet.client.connections).toEqual([false, false]);
    await tablet.refetching;
    expect(tablet.refetches).toBe(2);
    await sleep(200);
    for (const id of missed) expect(tablet.client.packetOutboxIds).not.toContain(id);

    await reserveAndPublish(nut.id, 1);
    await waitFor(
      "the last event on both",
      () => steady.client.events.length === 4 && tablet.client.events.length === 2,
    );
    const truth = new Map((await listItems({ limit: 500 })).map((i) => [i.id, i.reservedQty]));
    expect(truth.get(bolt.id)).toBe(5);
    expect(truth.get(nut.id)).toBe(6);
    expect(Object.fromEntries(tablet.reserved)).toEqual(Object.fromEntries(truth));
    expect(Object.fromEntries(steady.reserved)).toEqual(Object.fromEntries(truth));
  });
});
