import { pool } from "../db";
import { type TableHealth, tableHealth } from "./table-health";
import { healthThresholds } from "./thresholds";
import { type WalHealth, walHealth } from "./wal-health";

export type OutboxLag = { pending: number; oldestPendingSeconds: number; deadLettered: number };

export type DbHealth = {
  checkedAt: string;
  /** Since when the table counters run (pg_stat_database.stats_reset); null: since the server started. */
  statsSince: string | null;
  tables: TableHealth[];
  wal: WalHealth;
  outbox: OutboxLag;
  thresholds: typeof healthThresholds;
  /** Every warning of the tables, the WAL and the outbox, in words. */
  warnings: string[];
};

/** What the admin's database page shows: the hot tables, the WAL and the outbox lag, with warnings. */
export async function getDbHealth(): Promise<DbHealth> {
  const [tables, wal, outbox, statsSince] = await Promise.all([tableHealth(), walHealth(), outboxLag(), statsReset()]);
  const warnings = tables.flatMap((t) => t.warnings);
  if (outbox.oldestPendingSeconds > healthThresholds.maxOutboxLagSeconds) {
    warnings.push(
      `outbox: the oldest of ${outbox.pending} undelivered messages has waited ${Math.round(outbox.oldestPendingSeconds)} s` +
        ` (more than ${healthThresholds.maxOutboxLagSeconds} s). Is a worker running?`,
    );
  }
  if (wal.sizeBytes !== null && wal.maxWalSizeBytes > 0 && wal.sizeBytes > wal.maxWalSizeBytes) {
    warnings.push(
      `WAL: ${mebibytes(wal.sizeBytes)} on disk, above max_wal_size (${mebibytes(wal.maxWalSizeBytes)}): checkpoints are falling behind the writes.`,
    );
  }
  return {
    checkedAt: new Date().toISOString(),
    statsSince,
    tables,
    wal,
    outbox,
    thresholds: healthThresholds,
    warnings,
  };
}

async function outboxLag(): Promise<OutboxLag> {
  // The pending rows are found through the partial index on unprocessed messages.
  const { rows } = await pool().query<{ pending: string; oldest: number | null; dead: string }>(`
    SELECT
      (SELECT count(*) FROM outbox_messages WHERE processed_at IS NULL AND dead_lettered_at IS NULL) AS pending,
      (SELECT extract(epoch FROM now() - min(created_at))::float8 FROM outbox_messages
        WHERE processed_at IS NULL AND dead_lettered_at IS NULL) AS oldest,
      (SELECT count(*) FROM outbox_messages WHERE dead_lettered_at IS NOT NULL) AS dead`);
  const row = rows[0];
  return {
    pending: Number(row?.pending ?? 0),
    oldestPendingSeconds: Math.max(0, row?.oldest ?? 0),
    deadLettered: Number(row?.dead ?? 0),
  };
}

async function statsReset(): Promise<string | null> {
  const { rows } = await pool().query<{ stats_reset: Date | null }>(
    "SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()",
  );
  return rows[0]?.stats_reset?.toISOString() ?? null;
}

const mebibytes = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;
