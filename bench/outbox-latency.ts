import { Redis } from "ioredis";
import pg from "pg";
import { type CpuSplit, cpuSplit } from "./cpu";
import { outboxCpuSnapshot, outboxState, payload, pendingCount, streamKey } from "./outbox-checks";
import { quantile, round } from "./stats";
import { startWorkers } from "./workers";

// Commit → stream latency. One worker with the default settings (batch 500,
// poll 1,000 ms) runs; this process commits one outbox row per transaction at
// a steady rate, each followed by the writers' wake-up publish
// (server/outbox/wake.ts, the function the app calls after its commit), and
// notes when each commit returned. A separate Redis connection reads the
// stream with XREAD BLOCK and notes when each outboxId arrived. Both clocks
// are this process's performance.now(). With the wake-up off, only the
// relay's poll finds the rows.

export type LatencyVariant = { name: string; wake: boolean; rate: number; seconds: number; warmupSeconds: number };

type Percentiles = { min: number; p50: number; p95: number; p99: number; max: number; mean: number };

export type LatencyResult = {
  name: string;
  wake: boolean;
  targetRate: number;
  seconds: number;
  /** Rows committed in the measured window ÷ its length. */
  achievedRate: number;
  /** Rows committed in the measured window (after the warm-up), and how many of them reached the stream. */
  committed: number;
  received: number;
  missing: number;
  duplicates: number;
  insertErrors: number;
  /** Batches the relay delivered (distinct processed_at) and the mean rows per batch, warm-up included. */
  batches: number;
  meanBatch: number;
  /** Receive time − commit time, ms. */
  latencyMs: Percentiles;
  /** The producer: from its scheduled start to the commit's answer, ms. */
  commitMs: Percentiles;
  /** How late the producer started a row against its schedule, at worst (a busy event loop), ms. */
  maxScheduleLagMs: number;
  /** CPU ms per event by group: worker, postgres, redis, bench (producer and consumer), other. */
  cpu: CpuSplit;
};

function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const q = (p: number) => round(quantile(sorted, p), 1);
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return { min: q(0), p50: q(0.5), p95: q(0.95), p99: q(0.99), max: q(1), mean: round(mean, 1) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLatency({
  variant,
  databaseUrl,
  redisUrl,
  redisPrefix,
  root,
  logDir,
  wakeOutboxRelay,
  log,
}: {
  variant: LatencyVariant;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  root: string;
  logDir: string;
  /** server/outbox/wake.ts's, loaded with this run's REDIS_PREFIX. */
  wakeOutboxRelay: () => void;
  log: (line: string) => void;
}): Promise<LatencyResult> {
  const admin = new pg.Client({ connectionString: databaseUrl, application_name: "bench-latency" });
  await admin.connect();
  const consumer = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 8, application_name: "bench-producer" });
  pool.on("error", () => {});
  const key = streamKey(redisPrefix);
  const wakeBefore = process.env.OUTBOX_WAKE;
  let workers: Awaited<ReturnType<typeof startWorkers>> | undefined;
  let consuming: Promise<void> | undefined;
  let stopConsumer = false;
  try {
    await admin.query("TRUNCATE outbox_messages, delivery_attempts RESTART IDENTITY");
    await consumer.del(key);
    // Open the producer's connections before the clock starts.
    await Promise.all(Array.from({ length: 8 }, () => pool.query("SELECT 1")));

    workers = await startWorkers({
      root,
      count: 1,
      env: { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: redisPrefix },
      logDir,
      redisUrl,
      redisPrefix,
      label: variant.name,
    });

    const receivedAt = new Map<string, number>();
    let duplicates = 0;
    consuming = (async () => {
      let lastId = "0-0";
      while (!stopConsumer) {
        const reply = (await consumer.xread("COUNT", 1000, "BLOCK", 200, "STREAMS", key, lastId)) as
          | [string, [string, string[]][]][]
          | null;
        const at = performance.now();
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            lastId = id;
            const outboxId = fields[fields.indexOf("outboxId") + 1] ?? "";
            if (receivedAt.has(outboxId)) duplicates++;
            else receivedAt.set(outboxId, at);
          }
        }
      }
    })();

    process.env.OUTBOX_WAKE = variant.wake ? "on" : "off";
    const total = Math.round((variant.warmupSeconds + variant.seconds) * variant.rate);
    const warmCount = Math.round(variant.warmupSeconds * variant.rate);
    const interval = 1000 / variant.rate;
    const commits: { id: string; at: number; measured: boolean }[] = [];
    const commitMs: number[] = [];
    let insertErrors = 0;
    let maxLag = 0;
    const inFlight = new Set<Promise<void>>();
    const insert = {
      name: "bench-outbox-insert",
      text: `INSERT INTO outbox_messages (aggregate_type, aggregate_id, event_type, payload)
             VALUES ('inventory', $1, 'inventory.changed', $2) RETURNING id::text AS id`,
    };
    // CPU is counted from the end of the warm-up: the worker's first claims
    // load Prisma and compile code, which a running relay has long done.
    let cpuStart: ReturnType<typeof outboxCpuSnapshot> | undefined;
    const start = performance.now();
    let issued = 0;
    while (issued < total) {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - start) / interval) + 1);
      for (; issued < due; issued++) {
        const n = issued;
        if (n === warmCount) cpuStart = outboxCpuSnapshot(databaseUrl, workers.pids);
        const scheduled = start + n * interval;
        maxLag = Math.max(maxLag, performance.now() - scheduled);
        const query = pool
          .query<{ id: string }>({ ...insert, values: [`latency-${n}`, JSON.stringify(payload(n))] })
          .then(({ rows }) => {
            const at = performance.now();
            // What the app does after its transaction commits.
            wakeOutboxRelay();
            const id = rows[0]?.id ?? "";
            commits.push({ id, at, measured: n >= warmCount });
            if (n >= warmCount) commitMs.push(at - scheduled);
          })
          .catch(() => {
            insertErrors++;
          });
        inFlight.add(query);
        void query.finally(() => inFlight.delete(query));
      }
      await sleep(Math.max(1, Math.min(50, start + issued * interval - performance.now())));
    }
    await Promise.all(inFlight);

    // Wait for the stragglers: at most a few poll intervals.
    const measured = commits.filter((c) => c.measured);
    const waitUntil = performance.now() + 5_000;
    while (performance.now() < waitUntil && commits.some((c) => !receivedAt.has(c.id))) await sleep(20);
    const cpuEnd = await outboxCpuSnapshot(databaseUrl, workers.pids);
    const cpuFrom = await (cpuStart ?? outboxCpuSnapshot(databaseUrl, workers.pids));
    stopConsumer = true;
    await consuming;
    const pendingLeft = await pendingCount(admin);
    if (pendingLeft) log(`    ${pendingLeft} rows still pending at the end`);
    const state = await outboxState(admin);

    const latencies = measured.flatMap((c) => {
      const got = receivedAt.get(c.id);
      return got === undefined ? [] : [got - c.at];
    });
    const windowStart = start + warmCount * interval;
    const lastCommit = measured.reduce((m, c) => Math.max(m, c.at), windowStart);
    return {
      name: variant.name,
      wake: variant.wake,
      targetRate: variant.rate,
      seconds: variant.seconds,
      achievedRate: round(measured.length / ((lastCommit - windowStart) / 1000), 1),
      committed: measured.length,
      received: latencies.length,
      missing: measured.length - latencies.length,
      duplicates,
      insertErrors,
      batches: state.batches,
      meanBatch: round(state.processed / Math.max(1, state.batches), 1),
      latencyMs: percentiles(latencies),
      commitMs: percentiles(commitMs),
      maxScheduleLagMs: round(maxLag, 1),
      cpu: cpuSplit(cpuFrom, cpuEnd, (measured.length * 1000) / Math.max(1, cpuEnd.at - cpuFrom.at)),
    };
  } finally {
    if (wakeBefore === undefined) delete process.env.OUTBOX_WAKE;
    else process.env.OUTBOX_WAKE = wakeBefore;
    stopConsumer = true;
    await consuming?.catch(() => {});
    await workers?.stop();
    consumer.disconnect();
    await pool.end().catch(() => {});
    await admin.end().catch(() => {});
  }
}
