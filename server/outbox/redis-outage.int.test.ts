import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as reserve } from "@/app/api/reservations/route";
import { pool } from "../db";
import { liveEventSchemas } from "../realtime/events";
import {
  allDelivered,
  attemptOutcomeCounts,
  createPendingOrders,
  deliveryStatus,
  deliveryViolations,
  liveEventOutboxIds,
  readLiveEvents,
} from "../testing/delivery";
import { createItem, createSupplier } from "../testing/factories";
import { actor, call } from "../testing/http";
import { type PrivateRedis, startPrivateRedis } from "../testing/private-redis";
import { type SupplierPortalProcess, startSupplierPortal, startWorker, stopAllProcesses } from "../testing/processes";
import { waitFor } from "../testing/wait-for";

// The worker's Redis (its event stream and wake-ups) goes away for two
// seconds in the middle of the work and comes back on the same port. Orders
// keep reaching the supplier meanwhile (that path needs no Redis), and the
// live events that could not be published are published once it is back.
// Only the worker uses the private Redis; the supplier simulator and this
// test's requests stay on the main one.

let portal: SupplierPortalProcess;
let privateRedis: PrivateRedis;

beforeAll(async () => {
  [portal, privateRedis] = await Promise.all([startSupplierPortal(), startPrivateRedis()]);
});

afterAll(async () => {
  await stopAllProcesses();
  await privateRedis?.close();
});

describe("the worker's Redis stopped and started during delivery", () => {
  it("delivers every order once, and publishes every live event once Redis is back", async () => {
    const buyer = await actor("purchasing");
    const [item, ...suppliers] = await Promise.all([
      createItem({ stockQty: 100_000 }),
      createSupplier(),
      createSupplier(),
    ]);
    const orderInput = { supplierIds: suppliers.map((s) => s.id), itemId: item.id, actorId: buyer.user.id };
    const worker = await startWorker({ supplierUrl: portal.url, env: { REDIS_URL: privateRedis.url } });

    const ids: string[] = [];
    let reservations = 0;
    // Orders (a supplier delivery and live events each) and reservations
    // (a live event each), a few at a time.
    async function work(count: number) {
      for (let i = 0; i < count; i++) {
        ids.push(...(await createPendingOrders({ ...orderInput, count: 1 })));
        const res = await call(reserve, {
          token: buyer.token,
          body: { orderRef: `SO-${++reservations}`, lines: [{ itemId: item.id, qty: 1 }] },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
    }

    await work(10);
    await privateRedis.stop();
    const stoppedAt = new Date();
    await work(10);
    await sleep(Math.max(0, 2000 - (Date.now() - stoppedAt.getTime())));
    // Deliveries go on without Redis: the supplier acknowledges orders before it is back.
    await waitFor(
      "an order to be acknowledged while the worker's Redis is down",
      async () => {
        const { rows } = await pool().query<{ n: number }>(
          "SELECT count(*)::int AS n FROM purchase_orders WHERE id = ANY($1::uuid[]) AND acknowledged_at > $2",
          [ids, stoppedAt],
        );
        return (rows[0]?.n ?? 0) > 0;
      },
      { timeoutMs: 15_000, status: () => deliveryStatus(ids, [worker, portal.process]) },
    );
    const restartingAt = new Date();
    await privateRedis.start();
    await work(10);

    await waitFor("all 30 orders to be ACKNOWLEDGED and the outbox drained", () => allDelivered(ids), {
      timeoutMs: 60_000,
      status: () => deliveryStatus(ids, [worker, portal.process]),
    });
    const taken = await portal.orders();
    expect(taken).toHaveLength(30);
    expect(await deliveryViolations(ids, taken)).toEqual([]);

    // Every live event of the outbox is on the stream (at least once: a
    // consumer drops repeats by outboxId); a row is marked delivered only
    // once Redis has taken its event.
    const stream = privateRedis.client(process.env.REDIS_PREFIX ?? "");
    const expected = await liveEventOutboxIds();
    expect(expected.length).toBeGreaterThanOrEqual(30 * 2 + 30);
    const seen = new Set((await readLiveEvents(stream)).map((e) => e.outboxId));
    expect(expected.filter((id) => !seen.has(id))).toEqual([]);
    // Those written while Redis was down went out after it was back. Whether
    // an attempt failed and was retried, or waited in the client's offline
    // queue until Redis answered, depends on the moment; both are fine.
    const { rows: writtenDuringOutage } = await pool().query<{ id: string; processed_at: Date }>(
      `SELECT id::text, processed_at FROM outbox_messages
       WHERE event_type = ANY($1::text[]) AND created_at > $2 AND created_at < $3`,
      [Object.keys(liveEventSchemas), stoppedAt, restartingAt],
    );
    expect(writtenDuringOutage.length).toBeGreaterThanOrEqual(10);
    expect(writtenDuringOutage.filter((row) => row.processed_at < restartingAt)).toEqual([]);
    expect(await attemptOutcomeCounts("supplier_delivery")).toEqual({ delivered: 30 });
  }, 120_000);
});
