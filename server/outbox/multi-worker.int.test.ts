import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool, prisma } from "../db";
import { redis } from "../redis";
import {
  allDelivered,
  createPendingOrders,
  deliveryStatus,
  deliveryViolations,
  liveEventOutboxIds,
  readLiveEvents,
  type StreamEntry,
} from "../testing/delivery";
import { createItem, createSupplier, createUser } from "../testing/factories";
import { type SupplierPortalProcess, startSupplierPortal, startWorker, stopAllProcesses } from "../testing/processes";
import { waitFor } from "../testing/wait-for";
import { enqueueLiveEvent } from "./enqueue-outbox-message";

// Three worker processes drain one outbox side by side (SKIP LOCKED). No
// order reaches the supplier twice, and the live events of one aggregate
// reach the stream in the order they were written, whichever worker
// carried each of them.

let portal: SupplierPortalProcess;

beforeAll(async () => {
  portal = await startSupplierPortal();
});

afterAll(async () => {
  await stopAllProcesses();
});

const chainLength = 15;

describe("several workers at once", () => {
  it("share 100 orders without a duplicate, and keep each aggregate's live events in order", async () => {
    const [buyer, item, ...suppliers] = await Promise.all([
      createUser({ role: "purchasing" }),
      createItem(),
      ...Array.from({ length: 4 }, () => createSupplier()),
    ]);
    const orderInput = { supplierIds: suppliers.map((s) => s.id), itemId: item.id, actorId: buyer.id };
    // Small batches and a little latency, so that every worker gets a share.
    await portal.setFaults({ delayMs: 20 });
    const workers = await Promise.all(
      [1, 2, 3].map(() => startWorker({ supplierUrl: portal.url, env: { OUTBOX_BATCH_SIZE: "10" } })),
    );

    // Four orders get, besides their own events, a chain of updates written
    // one after the other, interleaved between the four, while the other 96
    // orders are created and delivered.
    const chained = await createPendingOrders({ ...orderInput, count: 4 });
    const [rest] = await Promise.all([
      createPendingOrders({ ...orderInput, count: 96, concurrency: 6 }),
      writeChains(chained, suppliers[0]?.id ?? 0),
    ]);
    const ids = [...chained, ...rest];

    await waitFor("all 100 orders to be ACKNOWLEDGED and the outbox drained", () => allDelivered(ids), {
      timeoutMs: 60_000,
      status: () => deliveryStatus(ids, workers),
    });
    const taken = await portal.orders();
    expect(taken).toHaveLength(100);
    expect(await deliveryViolations(ids, taken)).toEqual([]);
    const { rows } = await pool().query<{ worker: string; n: number }>(
      `SELECT worker, count(*)::int AS n FROM delivery_attempts
       WHERE aggregate_type = 'supplier_delivery' AND outcome = 'delivered' GROUP BY worker`,
    );
    expect(rows.length, `deliveries per worker: ${JSON.stringify(rows)}`).toBeGreaterThanOrEqual(2);

    // Every live event is on the stream, and within each aggregate in
    // outbox-id order. At-least-once delivery allows a repeat (a consumer
    // drops it by outboxId), so the order is checked on first sightings.
    const events = await readLiveEvents(redis());
    const expected = await liveEventOutboxIds();
    const seen = new Set(events.map((e) => e.outboxId));
    expect(expected.filter((id) => !seen.has(id))).toEqual([]);
    expect(outOfOrder(events)).toEqual([]);
    for (const id of chained) {
      const markers = firstSightings(events)
        .filter((e) => e.aggregate === `purchase_order:${id}`)
        .map((e) => (e.payload as { attempt?: { number: number } }).attempt?.number)
        .filter((n) => n !== undefined && n >= 100);
      expect(markers, `the chain of order ${id}`).toEqual(Array.from({ length: chainLength }, (_, i) => 100 + i));
    }
  }, 120_000);
});

/**
 * Writes `chainLength` updates for each order, round-robin, each in its own
 * transaction after the previous one committed. Each locks its order's row
 * first, as every real producer of an order's events does (the relay's
 * status change updates that row): outbox ids are drawn at insert, not at
 * commit, so only writers that take turns on the aggregate get ids in
 * commit order. attempt.number (100, 101, ...) marks each update's place.
 */
async function writeChains(orderIds: string[], supplierId: number): Promise<void> {
  for (let n = 0; n < chainLength; n++) {
    for (const id of orderIds) {
      await prisma().$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM purchase_orders WHERE id = ${id}::uuid FOR UPDATE`;
        await enqueueLiveEvent({
          db: tx,
          type: "purchase_order.updated",
          aggregateType: "purchase_order",
          aggregateId: id,
          payload: {
            id,
            supplierId,
            status: "PENDING",
            attempt: { number: 100 + n, outcome: "retry", error: "test chain", nextAttemptAt: null },
          },
        });
      });
    }
  }
}

function firstSightings(events: StreamEntry[]): StreamEntry[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.outboxId) && seen.add(e.outboxId));
}

/** Each place where an aggregate's event follows a later one of the same aggregate. */
function outOfOrder(events: StreamEntry[]): string[] {
  const last = new Map<string, bigint>();
  const problems: string[] = [];
  for (const event of firstSightings(events)) {
    const id = BigInt(event.outboxId);
    const previous = last.get(event.aggregate);
    if (previous !== undefined && id < previous) {
      problems.push(`${event.aggregate}: outbox message ${id} on the stream after ${previous}`);
    }
    last.set(event.aggregate, id);
  }
  return problems;
}
