import { pool } from "../db";

export type ClaimedMessage = {
  id: string;
  aggregateType: string;
  aggregateId: string;
  eventType: string;
  payload: unknown;
  /** This attempt's number, counted when claimed (so a crash counts too). */
  attempts: number;
  createdAt: Date;
};

// A message is claimable when it is due, not leased to a live worker, and
// the first undelivered message of its aggregate: a later message of the
// same order never overtakes an earlier one, even across workers (the
// earlier row stays "undelivered" until its worker marks it, whoever holds
// it). SKIP LOCKED lets several workers claim side by side without waiting.
const claimSql = `
  WITH candidates AS (
    SELECT m.id
    FROM outbox_messages m
    WHERE m.processed_at IS NULL
      AND m.dead_lettered_at IS NULL
      AND m.next_attempt_at <= now()
      AND (m.locked_until IS NULL OR m.locked_until < now())
      AND NOT EXISTS (
        SELECT 1 FROM outbox_messages e
        WHERE e.aggregate_type = m.aggregate_type
          AND e.aggregate_id = m.aggregate_id
          AND e.id < m.id
          AND e.processed_at IS NULL
          AND e.dead_lettered_at IS NULL)
    ORDER BY m.next_attempt_at, m.id
    LIMIT $1
    FOR UPDATE SKIP LOCKED
  )
  UPDATE outbox_messages m
  SET locked_until = now() + make_interval(secs => $2), locked_by = $3, attempts = m.attempts + 1
  FROM candidates c
  WHERE m.id = c.id
  RETURNING m.id::text AS id, m.aggregate_type, m.aggregate_id, m.event_type, m.payload, m.attempts, m.created_at`;

type Row = {
  id: string;
  aggregate_type: string;
  aggregate_id: string;
  event_type: string;
  payload: unknown;
  attempts: number;
  created_at: Date;
};

/** Leases up to `limit` due messages to `workerId`, oldest first. */
export async function claimMessages({
  limit,
  leaseSeconds,
  workerId,
}: {
  limit: number;
  leaseSeconds: number;
  workerId: string;
}): Promise<ClaimedMessage[]> {
  const { rows } = await pool().query<Row>({
    name: "outbox-claim",
    text: claimSql,
    values: [limit, leaseSeconds, workerId],
  });
  return rows
    .map((r) => ({
      id: r.id,
      aggregateType: r.aggregate_type,
      aggregateId: r.aggregate_id,
      eventType: r.event_type,
      payload: r.payload,
      attempts: r.attempts,
      createdAt: r.created_at,
    }))
    .sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
}
