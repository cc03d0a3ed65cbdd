// GET /api/admin/db-health, as the database page reads it (server/db-health/get-db-health.ts).
export type TableHealthRow = {
  table: string;
  updates: number;
  hotUpdates: number;
  hotRatio: number | null;
  liveTuples: number;
  deadTuples: number;
  lastAutovacuum: string | null;
  lastVacuum: string | null;
  lastAutoanalyze: string | null;
  lastAnalyze: string | null;
  tableBytes: number;
  indexBytes: number;
  fillfactor: number;
  options: Record<string, string>;
  warnings: string[];
};

export type DbHealthAnswer = {
  checkedAt: string;
  statsSince: string | null;
  tables: TableHealthRow[];
  wal: {
    sizeBytes: number | null;
    segments: number | null;
    sizeSource: "pg_ls_waldir" | "not_permitted";
    maxWalSizeBytes: number;
    currentLsn: string | null;
    writtenSinceInitBytes: number | null;
    records: number | null;
    fullPageImages: number | null;
    statsBytes: number | null;
    statsSince: string | null;
  };
  outbox: { pending: number; oldestPendingSeconds: number; deadLettered: number };
  thresholds: {
    minHotRatio: number;
    minUpdatesForHotRatio: number;
    maxDeadTupleRatio: number;
    minDeadTuples: number;
    maxOutboxLagSeconds: number;
  };
  warnings: string[];
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export const formatPercent = (ratio: number | null) => (ratio === null ? "—" : `${(ratio * 100).toFixed(1)} %`);
