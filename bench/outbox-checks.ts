import type { Redis } from "ioredis";
import type pg from "pg";
import { cpuSnapshot } from "./cpu";
import { benchBackends } from "./phases";

// What the outbox phases share: the live-event rows they write, the state of
// the outbox table, what reached the Redis stream, and the CPU split.

/** The Redis stream the relay writes (server/realtime/events.ts liveEventStream, after REDIS_PREFIX). */
export const streamKey = (redisPrefix: string) => `${redisPrefix}events`;

/**
 * An `inventory.changed` payload that passes server/realtime/events.ts, about
 * the size of the one reserve_stock writes for a one-line reservation.
 */
export const payloadSql = `jsonb_build_object(
  'reason', 'reserve', 'reservationId', 'bench-' || g,
  'items', jsonb_build_array(jsonb_build_object(
    'itemId', g, 'stockQty', 1000000, 'reservedQty', 1, 'availableQty', 999999)))`;

export function payload(n: number) {
  return {
    reason: "reserve",
    reservationId: `bench-${n}`,
    items: [{ itemId: n, stockQty: 1_000_000, reservedQty: 1, availableQty: 999_999 }],
  };
}

export type OutboxState = {
  rows: number;
  processed: number;
  pending: number;
  deadLettered: number;
  /** Rows claimed more than once (a lease that ran out, a failed publish). */
  retried: number;
  /** Distinct processed_at values: each delivered batch of live events shares one (markLiveDelivered). */
  batches: number;
  firstProcessedMs: number | null;
  lastProcessedMs: number | null;
};

export async function outboxState(client: pg.ClientBase): Promise<OutboxState> {
  const { rows } = await client.query(`
    SELECT count(*)::int AS rows,
           count(*) FILTER (WHERE processed_at IS NOT NULL)::int AS processed,
           count(*) FILTER (WHERE processed_at IS NULL AND dead_lettered_at IS NULL)::int AS pending,
           count(*) FILTER (WHERE dead_lettered_at IS NOT NULL)::int AS dead,
           count(*) FILTER (WHERE attempts > 1)::int AS retried,
           count(DISTINCT processed_at)::int AS batches,
           extract(epoch FROM min(processed_at)) * 1000 AS first_ms,
           extract(epoch FROM max(processed_at)) * 1000 AS last_ms
    FROM outbox_messages`);
  const r = rows[0];
  return {
    rows: r.rows,
    processed: r.processed,
    pending: r.pending,
    deadLettered: r.dead,
    retried: r.retried,
    batches: r.batches,
    firstProcessedMs: r.first_ms === null ? null : Number(r.first_ms),
    lastProcessedMs: r.last_ms === null ? null : Number(r.last_ms),
  };
}

/** Pending rows only, through the partial index: cheap enough to ask every 100 ms. */
export async function pendingCount(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM outbox_messages WHERE processed_at IS NULL AND dead_lettered_at IS NULL",
  );
  return rows[0]?.n ?? 0;
}

export type StreamCheck = {
  /** XLEN. */
  length: number;
  /** Entries whose outboxId is one of the expected rows, counted once. */
  distinct: number;
  duplicates: number;
  /** Expected outbox ids that never reached the stream. */
  missing: number;
  /** Entries with an outboxId that is not one of the expected rows. */
  unexpected: number;
  /** Aggregates whose entries are not in increasing outboxId order (must be 0). */
  outOfOrderAggregates: number;
};

/** Reads the whole stream and checks it against the outbox ids 1..expected. */
export async function checkStream(redis: Redis, key: string, expected: number): Promise<StreamCheck> {
  const length = await redis.xlen(key);
  const seen = new Uint8Array(expected + 1);
  const lastByAggregate = new Map<string, number>();
  const outOfOrder = new Set<string>();
  let duplicates = 0;
  let unexpected = 0;
  let distinct = 0;
  let start = "-";
  for (;;) {
    const entries = await redis.xrange(key, start, "+", "COUNT", 10_000);
    for (const [, fields] of entries) {
      const field = (name: string) => fields[fields.indexOf(name) + 1];
      const id = Number(field("outboxId"));
      const aggregate = field("aggregate") ?? "";
      if (!Number.isInteger(id) || id < 1 || id > expected) {
        unexpected++;
        continue;
      }
      if (seen[id]) duplicates++;
      else {
        seen[id] = 1;
        distinct++;
      }
      const last = lastByAggregate.get(aggregate);
      if (last !== undefined && last > id) outOfOrder.add(aggregate);
      lastByAggregate.set(aggregate, id);
    }
    if (entries.length < 10_000) break;
    const lastId = entries[entries.length - 1]?.[0] ?? "";
    start = `(${lastId}`;
  }
  return {
    length,
    distinct,
    duplicates,
    missing: expected - distinct,
    unexpected,
    outOfOrderAggregates: outOfOrder.size,
  };
}

/** A CPU snapshot that names the workers, this process, the benchmark database's backends and Redis. */
export async function outboxCpuSnapshot(databaseUrl: string, workerPids: number[], more?: Map<number, string>) {
  const backends = await benchBackends(databaseUrl);
  const workers = new Set(workerPids);
  return cpuSnapshot((pid, comm, pgrp) => {
    const named = more?.get(pgrp);
    if (named) return named;
    if (workers.has(pgrp)) return "worker";
    if (pid === process.pid) return "bench";
    if (backends.has(pid)) return "postgres";
    if (comm.startsWith("redis-server")) return "redis";
    return null;
  });
}
