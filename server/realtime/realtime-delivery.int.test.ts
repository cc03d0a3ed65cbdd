import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as reserve } from "@/app/api/reservations/route";
import { OutboxRelay } from "../outbox/relay";
import { outboxSettings } from "../outbox/settings";
import { createItem, createWorkCenter } from "../testing/factories";
import { actor, call } from "../testing/http";
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

// From a committed transaction to the sockets allowed to hear it: the
// reservation route writes the change and its outbox row, the outbox relay
// (in this process) puts the event on the stream, the realtime process
// emits it.

let realtime: RealtimeProcess;
const relaySettings = { ...outboxSettings(), OUTBOX_POLL_MS: 50 };

beforeAll(async () => {
  realtime = await startRealtime();
});
afterEach(() => closeLiveClients());
afterAll(async () => {
  closeLiveClients();
  await stopAllProcesses();
});

describe("realtime: events committed in PostgreSQL", () => {
  it("reach the buyers and managers, in commit order, and nobody else", async () => {
    const wc = await createWorkCenter();
    const [buyer, manager, planner, operator] = await Promise.all([
      actor("purchasing"),
      actor("manager"),
      actor("planner"),
      actor("operator", wc.id),
    ]);
    const connect = (a: { token: string }) => connectLive(realtime.url, { token: a.token });
    const [buy, man, plan, op] = await Promise.all([
      connect(buyer),
      connect(manager),
      connect(planner),
      connect(operator),
    ]);
    const item = await createItem({ stockQty: 20 });
    for (const qty of [3, 4]) {
      const res = await call(reserve, {
        token: buyer.token,
        body: { orderRef: `SO-${qty}`, lines: [{ itemId: item.id, qty }] },
      });
      expect(res.status).toBe(201);
    }
    const { delivered } = await new OutboxRelay(relaySettings).drain({ deadline: Date.now() + 10_000 });
    expect(delivered).toBeGreaterThanOrEqual(2);
    const marker = await appendLiveEvent("machine.status", machineStatusPayload({ machineId: 1, workCenterId: wc.id }));

    for (const client of [buy, man]) {
      await waitForTypes(client, "inventory.changed", 2);
      const reserved = client.events
        .filter((e) => e.type === "inventory.changed")
        .map((e) => (e.payload as { items: { itemId: number; reservedQty: number }[] }).items);
      expect(reserved).toEqual([
        [expect.objectContaining({ itemId: item.id, reservedQty: 3, availableQty: 17 })],
        [expect.objectContaining({ itemId: item.id, reservedQty: 7, availableQty: 13 })],
      ]);
    }
    // The marker came after the inventory events: had they been sent to
    // the planner or the operator, they would have arrived before it.
    await plan.waitForOutboxIds([marker]);
    await op.waitForOutboxIds([marker]);
    expect(plan.events.map((e) => e.type)).toEqual(["machine.status"]);
    expect(op.events.map((e) => e.type)).toEqual(["machine.status"]);
  });
});

async function waitForTypes(client: LiveClient, type: string, count: number) {
  await waitFor(`${count} ${type} events`, () => client.events.filter((e) => e.type === type).length >= count, {
    timeoutMs: 10_000,
    intervalMs: 20,
    status: () => JSON.stringify(client.events.map((e) => e.type)),
  });
}
