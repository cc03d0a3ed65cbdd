import type pg from "pg";
import { pool } from "../db";
import { sqlState } from "../errors";

const insufficientPrivilege = "42501";

export type WalHealth = {
  /** Bytes in pg_wal now; null when this database user may not list it. */
  sizeBytes: number | null;
  segments: number | null;
  /** "pg_ls_waldir" when measured; otherwise why not. */
  sizeSource: "pg_ls_waldir" | "not_permitted";
  /** The max_wal_size setting, in bytes: WAL beyond it means checkpoints are behind. */
  maxWalSizeBytes: number;
  /** The current write position, and the bytes written since the cluster began (not what is on disk). */
  currentLsn: string | null;
  writtenSinceInitBytes: number | null;
  /** pg_stat_wal: records, full-page images and bytes since its last reset. */
  records: number | null;
  fullPageImages: number | null;
  statsBytes: number | null;
  statsSince: string | null;
};

/**
 * The WAL's size on disk needs pg_ls_waldir(), which only superusers and
 * members of pg_monitor may call. Without it the page says so, and still
 * shows the write position and pg_stat_wal, which everyone may read.
 */
export async function walHealth({ db = pool() }: { db?: pg.Pool | pg.ClientBase } = {}): Promise<WalHealth> {
  const [size, position, stats, setting] = await Promise.all([
    db
      .query<{ bytes: string; segments: number }>(
        "SELECT sum(size)::bigint AS bytes, count(*)::int AS segments FROM pg_ls_waldir()",
      )
      .then((r) => r.rows[0])
      .catch((error) => {
        if (sqlState(error) === insufficientPrivilege) return null;
        throw error;
      }),
    // A standby has no current write position (it replays someone else's).
    db
      .query<{ lsn: string; written: string }>(
        "SELECT pg_current_wal_lsn()::text AS lsn, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint AS written",
      )
      .then((r) => r.rows[0])
      .catch(() => null),
    db
      .query<{ wal_records: string; wal_fpi: string; wal_bytes: string; stats_reset: Date | null }>(
        "SELECT wal_records, wal_fpi, wal_bytes::bigint AS wal_bytes, stats_reset FROM pg_stat_wal",
      )
      .then((r) => r.rows[0])
      .catch(() => null),
    db.query<{ bytes: string }>("SELECT pg_size_bytes(current_setting('max_wal_size')) AS bytes"),
  ]);
  return {
    sizeBytes: size ? Number(size.bytes ?? 0) : null,
    segments: size ? size.segments : null,
    sizeSource: size ? "pg_ls_waldir" : "not_permitted",
    maxWalSizeBytes: Number(setting.rows[0]?.bytes ?? 0),
    currentLsn: position?.lsn ?? null,
    writtenSinceInitBytes: position ? Number(position.written) : null,
    records: stats ? Number(stats.wal_records) : null,
    fullPageImages: stats ? Number(stats.wal_fpi) : null,
    statsBytes: stats ? Number(stats.wal_bytes) : null,
    statsSince: stats?.stats_reset?.toISOString() ?? null,
  };
}
