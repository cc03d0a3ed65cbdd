import type { Redis } from "ioredis";
import pg from "pg";
import type { DrainVariant } from "./config";
import { type CpuSplit, cpuSplit } from "./cpu";
import {
  checkStream,
  type OutboxState,
  outboxCpuSnapshot,
  outboxState,
  payloadSql,
  pendingCount,
  type StreamCheck,
  streamKey,
} from "./outbox-checks";
import { round } from "./stats";
import { epochMs, startWorkers } from "./workers";

// Draining a backlog: the outbox holds N live events (written in one INSERT …
// SELECT generate_series, then analysed as autovacuum would), the real worker
// processes start, and the clock runs from the moment the first relay is
// ready (subscribed; its loop starts right after) until no row is pending,
// polled every 100 ms. This is the relay coming back after an outage.

export type DrainResult = {
  variant: DrainVariant;
  messages: number;
  /** Writing the backlog (one statement) and analysing it. */
  insertMs: number;
  /** From spawning the workers to the first relay ready (tsx, imports, connections). */
  startupMs: number;
  /** From the first relay ready to the last (several workers start side by side). */
  allReadyMs: number;
  /** From the first relay ready to the poll that found nothing pending (100 ms resolution). */
  seconds: number;
  perSecond: number;
  /** The same up to the last row's processed_at, without the poll's resolution. */
  exactSeconds: number | null;
  exactPerSecond: number | null;
  timedOut: boolean;
  /** Mean messages per delivered batch (rows ÷ distinct processed_at). */
  meanBatch: number;
  outbox: OutboxState;
  stream: StreamCheck;
  /** CPU ms per message by group: worker, postgres, redis, bench (this process polling), other. */
  cpu: CpuSplit;
  pass: boolean;
};

export async function runDrain({
  variant,
  messages,
  timeoutSeconds,
  databaseUrl,
  redis,
  redisUrl,
  redisPrefix,
  root,
  logDir,
  log,
}: {
  variant: DrainVariant;
  messages: number;
  timeoutSeconds: number;
  databaseUrl: string;
  redis: Redis;
  redisUrl: string;
  redisPrefix: string;
  root: string;
  logDir: string;
  log: (line: string) => void;
}): Promise<DrainResult> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "bench-drain" });
  await client.connect();
  try {
    await client.query("TRUNCATE outbox_messages, delivery_attempts RESTART IDENTITY");
    await redis.del(streamKey(redisPrefix));

    const insertStarted = performance.now();
    const aggregate = variant.aggregates > 0 ? `'bench-' || (g % ${variant.aggregates})` : `'bench-' || g`;
    await client.query(
      `INSERT INTO outbox_messages (aggregate_type, aggregate_id, event_type, payload)
       SELECT 'inventory', ${aggregate}, 'inventory.changed', ${payloadSql}
       FROM generate_series(1, $1::int) AS g`,
      [messages],
    );
    await client.query("ANALYZE outbox_messages");
    const insertMs = performance.now() - insertStarted;

    const spawnedAt = epochMs();
    const workers = await startWorkers({
      root,
      count: variant.workers,
      env: {
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: redisPrefix,
        OUTBOX_BATCH_SIZE: String(variant.batchSize),
      },
      logDir,
      redisUrl,
      redisPrefix,
      label: variant.name,
    });
    const t0 = workers.firstReadyAt;
    let cpu: CpuSplit;
    let endedAt = 0;
    let delivered = messages;
    let timedOut = false;
    try {
      const cpuStart = await outboxCpuSnapshot(databaseUrl, workers.pids);
      let lastReport = t0;
      for (;;) {
        const pending = await pendingCount(client);
        const now = epochMs();
        if (pending === 0) {
          endedAt = now;
          break;
        }
        if (now - t0 > timeoutSeconds * 1000) {
          endedAt = now;
          timedOut = true;
          log(`    timed out after ${timeoutSeconds} s with ${pending.toLocaleString("en-US")} pending`);
          break;
        }
        if (now - lastReport >= 5_000) {
          log(`    ${pending.toLocaleString("en-US")} pending after ${((now - t0) / 1000).toFixed(1)} s`);
          lastReport = now;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      const cpuEnd = await outboxCpuSnapshot(databaseUrl, workers.pids);
      if (timedOut) delivered = messages - (await pendingCount(client));
      // cpuSplit divides by rate × its own window: give it the delivered count over that window.
      cpu = cpuSplit(cpuStart, cpuEnd, (delivered * 1000) / Math.max(1, cpuEnd.at - cpuStart.at));
    } catch (error) {
      const tail = await workers.tail();
      await workers.stop();
      throw new Error(`${(error as Error).message}\n${tail}`);
    }
    await workers.stop();

    const outbox = await outboxState(client);
    const stream = await checkStream(redis, streamKey(redisPrefix), messages);
    const seconds = (endedAt - t0) / 1000;
    const exactSeconds = outbox.lastProcessedMs === null || timedOut ? null : (outbox.lastProcessedMs - t0) / 1000;
    // Correctness, whether or not the drain finished in time: every processed
    // row is on the stream exactly once, nothing else is, nothing was
    // dead-lettered, each aggregate kept its order; and when it finished,
    // every row was processed.
    const pass =
      (timedOut || (outbox.processed === messages && outbox.pending === 0)) &&
      outbox.deadLettered === 0 &&
      stream.length === outbox.processed &&
      stream.distinct === outbox.processed &&
      stream.duplicates === 0 &&
      stream.unexpected === 0 &&
      stream.outOfOrderAggregates === 0;
    return {
      variant,
      messages,
      insertMs: round(insertMs, 0),
      startupMs: round(t0 - spawnedAt, 0),
      allReadyMs: round(workers.allReadyAt - t0, 0),
      seconds: round(seconds, 3),
      perSecond: round(delivered / seconds, 0),
      exactSeconds: exactSeconds === null ? null : round(exactSeconds, 3),
      exactPerSecond: exactSeconds === null ? null : round(messages / exactSeconds, 0),
      timedOut,
      meanBatch: round(outbox.processed / Math.max(1, outbox.batches), 1),
      outbox,
      stream,
      cpu,
      pass,
    };
  } finally {
    await client.end();
  }
}
