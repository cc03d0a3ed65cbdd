import { pool } from "../db";

export type OutboxStats = {
  pending: number;
  retrying: number;
  oldestPendingSeconds: number;
  deliveredLastMinute: number;
  deadLettered: number;
  perMinute: { minute: string; delivered: number }[];
  deadLetters: {
    id: string;
    eventType: string;
    aggregate: string;
    attempts: number;
    lastError: string | null;
    createdAt: string;
    deadLetteredAt: string;
  }[];
};

/** What the admin's outbox page shows: backlog, lag, throughput and dead letters. */
export async function getOutboxStats(): Promise<OutboxStats> {
  const [summary, perMinute, deadLetters] = await Promise.all([
    pool().query<{
      pending: string;
      retrying: string;
      oldest: number | null;
      last_minute: string;
      dead: string;
    }>(`
      SELECT
        (SELECT count(*) FROM outbox_messages WHERE processed_at IS NULL AND dead_lettered_at IS NULL) AS pending,
        (SELECT count(*) FROM outbox_messages
          WHERE processed_at IS NULL AND dead_lettered_at IS NULL AND attempts > 0) AS retrying,
        (SELECT extract(epoch FROM now() - min(created_at))::float8 FROM outbox_messages
          WHERE processed_at IS NULL AND dead_lettered_at IS NULL) AS oldest,
        (SELECT count(*) FROM outbox_messages WHERE processed_at > now() - interval '1 minute') AS last_minute,
        (SELECT count(*) FROM outbox_messages WHERE dead_lettered_at IS NOT NULL) AS dead`),
    pool().query<{ minute: Date; delivered: string }>(`
      SELECT date_trunc('minute', processed_at) AS minute, count(*) AS delivered
      FROM outbox_messages WHERE processed_at > now() - interval '15 minutes'
      GROUP BY 1 ORDER BY 1`),
    pool().query<{
      id: string;
      event_type: string;
      aggregate_type: string;
      aggregate_id: string;
      attempts: number;
      last_error: string | null;
      created_at: Date;
      dead_lettered_at: Date;
    }>(`
      SELECT id::text, event_type, aggregate_type, aggregate_id, attempts, last_error, created_at, dead_lettered_at
      FROM outbox_messages WHERE dead_lettered_at IS NOT NULL
      ORDER BY dead_lettered_at DESC LIMIT 100`),
  ]);
  const s = summary.rows[0];
  return {
    pending: Number(s?.pending ?? 0),
    retrying: Number(s?.retrying ?? 0),
    oldestPendingSeconds: Math.round((s?.oldest ?? 0) * 10) / 10,
    deliveredLastMinute: Number(s?.last_minute ?? 0),
    deadLettered: Number(s?.dead ?? 0),
    perMinute: perMinute.rows.map((r) => ({ minute: r.minute.toISOString(), delivered: Number(r.delivered) })),
    deadLetters: deadLetters.rows.map((r) => ({
      id: r.id,
      eventType: r.event_type,
      aggregate: `${r.aggregate_type}:${r.aggregate_id}`,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at.toISOString(),
      deadLetteredAt: r.dead_lettered_at.toISOString(),
    })),
  };
}
