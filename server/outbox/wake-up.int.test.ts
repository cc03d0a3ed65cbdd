import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as reserve } from "@/app/api/reservations/route";
import { redis } from "../redis";
import { readLiveEvents } from "../testing/delivery";
import { createItem } from "../testing/factories";
import { actor, call } from "../testing/http";
import {
  randomPause,
  type SupplierPortalProcess,
  startSupplierPortal,
  startWorker,
  stopAllProcesses,
} from "../testing/processes";
import { waitFor } from "../testing/wait-for";

// A committed outbox row wakes the worker through Redis pub/sub: with a
// poll of 5 s, only the wake-up can bring an event to the stream within a
// second. A functional check with a generous bound, not a benchmark
// (bench/ measures latency).

let portal: SupplierPortalProcess;

beforeAll(async () => {
  portal = await startSupplierPortal();
});

afterAll(async () => {
  await stopAllProcesses();
});

const pollMs = 5000;
const boundMs = 1500;

describe("waking the worker", () => {
  it("puts a reservation's inventory.changed on the stream within a second, although the worker polls every 5 s", async () => {
    const buyer = await actor("purchasing");
    const item = await createItem({ stockQty: 100 });
    await startWorker({ supplierUrl: portal.url, env: { OUTBOX_POLL_MS: String(pollMs) } });

    // Three times, at random moments of the poll cycle: polling alone would
    // take 2.5 s on average, and all three under the bound 3% of the time.
    const latencies: number[] = [];
    for (let i = 0; i < 3; i++) {
      await randomPause(200, 800);
      const started = performance.now();
      const res = await call(reserve, {
        token: buyer.token,
        body: { orderRef: `SO-wake-${i}`, lines: [{ itemId: item.id, qty: 1 }] },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      await waitFor(
        `the inventory.changed of reservation ${res.body.id} on the stream`,
        async () =>
          (await readLiveEvents(redis())).some(
            (e) =>
              e.type === "inventory.changed" &&
              String((e.payload as { reservationId?: unknown }).reservationId) === String(res.body.id),
          ),
        { timeoutMs: pollMs * 2, intervalMs: 10 },
      );
      latencies.push(Math.round(performance.now() - started));
    }
    expect(
      latencies.every((ms) => ms < boundMs),
      `from the request to the event on the stream: ${latencies.join(", ")} ms`,
    ).toBe(true);
  }, 60_000);
});
