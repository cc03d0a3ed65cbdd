import { pool } from "../db";

/**
 * Deletes delivered messages older than the retention period, in small
 * batches so that no single statement holds many row locks or writes a burst
 * of WAL. Dead letters are kept until an admin deals with them, and the
 * delivery history lives on in delivery_attempts.
 */
export async function pruneDeliveredMessages({
  retentionDays,
  batchSize = 5000,
  deadline,
}: {
  retentionDays: number;
  batchSize?: number;
  deadline: number;
}): Promise<{ deleted: number }> {
  let deleted = 0;
  while (Date.now() < deadline) {
    const { rowCount } = await pool().query(
      `DELETE FROM outbox_messages WHERE id IN (
         SELECT id FROM outbox_messages
         WHERE processed_at < now() - make_interval(days => $1)
         ORDER BY processed_at LIMIT $2)`,
      [retentionDays, batchSize],
    );
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) break;
  }
  return { deleted };
}
