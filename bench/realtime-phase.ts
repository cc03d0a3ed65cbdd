import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type pg from "pg";
import { type CpuSplit, cpuSplit } from "./cpu";
import { payload } from "./outbox-checks";
import type { LoadGenerator } from "./realtime-processes";
import { quantile, round } from "./stats";
import { epochMs } from "./workers";

// One measured phase of the realtime suite: events at a steady rate, each to
// every client (inventory.changed goes to the buyers' room, and every client
// is a buyer), either appended to the `events` stream by this process (the
// realtime process alone) or committed as outbox rows that the real worker
// relays (the whole path). Latency = a client's arrival time − when the
// event was sent (before XADD) or committed (the INSERT's answer), both on
// the machine's wall clock with a fraction (performance.timeOrigin + now()).

export type PathName = "stream" | "commit";

type Percentiles = { p50: number; p90: number; p99: number; max: number; mean: number };

export type PhaseResult = {
  path: PathName;
  rate: number;
  seconds: number;
  clients: number;
  events: number;
  /** Deliveries expected (events × clients) and got (by the time none had come for 15 s). */
  expected: number;
  delivered: number;
  missing: number;
  duplicates: number;
  gaps: number;
  disconnects: number;
  /** Arrival − send (stream) or − commit (commit), every delivery, ms. */
  latencyMs: Percentiles;
  /** Per event: its last client's arrival − send/commit, ms. */
  lastClientMs: Percentiles;
  maxScheduleLagMs: number;
  /** CPU µs per delivered message, by group. */
  cpu: CpuSplit;
};

function percentiles(values: Float64Array): Percentiles {
  values.sort();
  let sum = 0;
  for (const v of values) sum += v;
  const q = (p: number) => round(quantile(values, p), 1);
  return { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1), mean: round(sum / Math.max(1, values.length), 1) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends `rate` events a second for warm-up + measured seconds; returns the measured ones' send times. */
async function produce({
  rate,
  seconds,
  warmupSeconds,
  send,
}: {
  rate: number;
  seconds: number;
  warmupSeconds: number;
  send: (n: number) => Promise<{ id: string; at: number }>;
}) {
  const total = Math.round((warmupSeconds + seconds) * rate);
  const warm = Math.round(warmupSeconds * rate);
  const interval = 1000 / rate;
  const sent = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let maxLag = 0;
  let failures = 0;
  const start = performance.now();
  for (let n = 0; n < total; n++) {
    const wait = start + n * interval - performance.now();
    if (wait > 0) await sleep(wait);
    maxLag = Math.max(maxLag, performance.now() - (start + n * interval));
    const p = send(n)
      .then(({ id, at }) => {
        if (n >= warm) sent.set(id, at);
      })
      .catch(() => {
        failures++;
      });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }
  await Promise.all(inFlight);
  if (failures) throw new Error(`${failures} events could not be sent`);
  return { sent, total, maxLag };
}

export async function runPhase({
  path,
  rate,
  seconds,
  warmupSeconds,
  clients,
  generators,
  redis,
  streamKey,
  pool,
  wakeOutboxRelay,
  cpu,
}: {
  path: PathName;
  rate: number;
  seconds: number;
  warmupSeconds: number;
  clients: number;
  generators: LoadGenerator[];
  /** This process's own connection, for XADD. */
  redis: Redis;
  streamKey: string;
  pool: pg.Pool;
  wakeOutboxRelay: () => void;
  cpu: () => Promise<Parameters<typeof cpuSplit>[0]>;
}): Promise<PhaseResult> {
  await Promise.all(generators.map((g) => g.report(true)));
  const insert = {
    name: "bench-realtime-insert",
    text: `INSERT INTO outbox_messages (aggregate_type, aggregate_id, event_type, payload)
           VALUES ('inventory', $1, 'inventory.changed', $2) RETURNING id::text AS id`,
  };
  const send =
    path === "stream"
      ? async (n: number) => {
          const id = randomUUID();
          const at = epochMs();
          // As the relay writes it (server/outbox/publish-live-events.ts).
          await redis.xadd(
            streamKey,
            "*",
            "type",
            "inventory.changed",
            "payload",
            JSON.stringify(payload(n)),
            "at",
            new Date().toISOString(),
            "outboxId",
            id,
            "aggregate",
            `inventory:bench-${n}`,
          );
          return { id, at };
        }
      : async (n: number) => {
          const { rows } = await pool.query<{ id: string }>({
            ...insert,
            values: [`bench-${n}`, JSON.stringify(payload(n))],
          });
          const at = epochMs();
          // What the app does after its transaction commits.
          wakeOutboxRelay();
          return { id: rows[0]?.id ?? "", at };
        };

  const cpuStart = await cpu();
  const { sent, total, maxLag } = await produce({ rate, seconds, warmupSeconds, send });
  // A saturated server falls behind: wait for its backlog (so that the next
  // phase starts on an idle server) as long as deliveries keep coming.
  let arrived = 0;
  let progressAt = Date.now();
  while (arrived < total * clients && Date.now() - progressAt < 15_000) {
    await sleep(250);
    const now = (await Promise.all(generators.map((g) => g.count()))).reduce((a, b) => a + b, 0);
    if (now > arrived) progressAt = Date.now();
    arrived = now;
  }
  const cpuEnd = await cpu();
  const reports = await Promise.all(generators.map((g) => g.report(false)));

  const latencies: number[] = [];
  const last = new Map<string, number>();
  let duplicates = 0;
  for (const report of reports) {
    for (const [id, arrivals] of report.receipts) {
      const at = sent.get(id);
      if (at === undefined) continue;
      for (const arrival of arrivals) latencies.push(arrival - at);
      last.set(id, Math.max(last.get(id) ?? 0, ...arrivals.map((a) => a - at)));
    }
    duplicates += report.duplicates;
  }
  const delivered = latencies.length;
  const expected = sent.size * clients;
  const measuredMs = (cpuEnd.at - cpuStart.at) / 1000;
  return {
    path,
    rate,
    seconds,
    clients,
    events: sent.size,
    expected,
    delivered,
    missing: Math.max(0, expected - delivered),
    duplicates,
    gaps: reports.reduce((sum, r) => sum + r.gaps, 0),
    disconnects: reports.reduce((sum, r) => sum + r.disconnects, 0),
    latencyMs: percentiles(Float64Array.from(latencies)),
    lastClientMs: percentiles(Float64Array.from(last.values())),
    maxScheduleLagMs: round(maxLag, 1),
    cpu: cpuSplit(cpuStart, cpuEnd, delivered / Math.max(0.001, measuredMs)),
  };
}
