import { describe, expect, it } from "vitest";
import { POST as reserve } from "@/app/api/reservations/route";
import { prisma } from "../db";
import { liveEventStream } from "../realtime/events";
import { redis } from "../redis";
import { createItem } from "../testing/factories";
import { actor, call } from "../testing/http";
import { claimMessages } from "./claim-messages";
import { OutboxRelay } from "./relay";
import { outboxSettings } from "./settings";

const settings = { ...outboxSettings(), OUTBOX_POLL_MS: 50, OUTBOX_RETRY_INITIAL_MS: 10 };

async function streamEvents() {
  const entries = await redis().xrange(liveEventStream, "-", "+");
  return entries.map(([, fields]) => {
    const f: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) f[fields[i] as string] = fields[i + 1] as string;
    return { type: f.type, outboxId: f.outboxId, payload: JSON.parse(f.payload ?? "null") };
  });
}

describe("outbox relay: live events", () => {
  it("puts each reservation's inventory.changed on the stream once, and marks it delivered", async () => {
    const buyer = await actor("purchasing");
    const item = await createItem({ stockQty: 50 });
    for (let i = 0; i < 5; i++) {
      const res = await call(reserve, {
        token: buyer.token,
        body: { orderRef: `SO-${i}`, lines: [{ itemId: item.id, qty: 2 }] },
      });
      expect(res.status).toBe(201);
    }
    const relay = new OutboxRelay(settings);
    const { delivered } = await relay.drain({ deadline: Date.now() + 10_000 });
    expect(delivered).toBe(5);

    const events = (await streamEvents()).filter((e) => e.type === "inventory.changed");
    expect(events).toHaveLength(5);
    expect(events.map((e) => e.payload.items[0].reservedQty)).toEqual([2, 4, 6, 8, 10]);
    expect(new Set(events.map((e) => e.outboxId)).size).toBe(5);
    expect(await prisma().outboxMessage.count({ where: { processedAt: null } })).toBe(0);
  });

  it("never hands out a later message of an aggregate before an earlier one is delivered", async () => {
    const rows = await prisma().outboxMessage.createManyAndReturn({
      data: [1, 2, 3].map((n) => ({
        aggregateType: "test",
        aggregateId: "order-A",
        eventType: "inventory.changed",
        payload: { reason: "adjust", items: [{ itemId: n, stockQty: n, reservedQty: 0, availableQty: n }] },
      })),
    });
    const first = await claimMessages({ limit: 10, leaseSeconds: 30, workerId: "w1" });
    const second = await claimMessages({ limit: 10, leaseSeconds: 30, workerId: "w2" });
    const mine = (batch: typeof first) => batch.filter((m) => m.aggregateId === "order-A").map((m) => m.id);
    expect(mine(first)).toEqual([String(rows[0]?.id)]);
    expect(mine(second)).toEqual([]);
  });

  it("dead-letters a live event whose payload breaks its schema, and delivers the rest", async () => {
    await prisma().outboxMessage.createMany({
      data: [
        { aggregateType: "test", aggregateId: "bad", eventType: "inventory.changed", payload: { nonsense: true } },
        {
          aggregateType: "test",
          aggregateId: "good",
          eventType: "inventory.changed",
          payload: { reason: "adjust", items: [] },
        },
      ],
    });
    await new OutboxRelay(settings).drain({ deadline: Date.now() + 10_000 });
    const bad = await prisma().outboxMessage.findFirstOrThrow({ where: { aggregateId: "bad" } });
    const good = await prisma().outboxMessage.findFirstOrThrow({ where: { aggregateId: "good" } });
    expect(bad.deadLetteredAt).not.toBeNull();
    expect(bad.lastError).toMatch(/payload does not match inventory.changed/);
    expect(good.processedAt).not.toBeNull();
  });

  it("dead-letters a message whose earlier attempts never finished (a worker that kept crashing)", async () => {
    const row = await prisma().outboxMessage.create({
      data: {
        aggregateType: "test",
        aggregateId: "crashy",
        eventType: "purchase_order.created",
        payload: { purchaseOrderId: "00000000-0000-4000-8000-000000000000" },
        attempts: settings.OUTBOX_MAX_ATTEMPTS,
      },
    });
    await new OutboxRelay(settings).drain({ deadline: Date.now() + 10_000 });
    const after = await prisma().outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.deadLetteredAt).not.toBeNull();
    expect(after.lastError).toMatch(/attempts exhausted/);
  });
});
