import { pool } from "../db";
import { healthThresholds, hotTables } from "./thresholds";

export type TableHealth = {
  table: string;
  updates: number;
  hotUpdates: number;
  /** hotUpdates / updates; null before the first update since the statistics were reset. */
  hotRatio: number | null;
  liveTuples: number;
  deadTuples: number;
  lastAutovacuum: string | null;
  lastVacuum: string | null;
  lastAutoanalyze: string | null;
  lastAnalyze: string | null;
  tableBytes: number;
  indexBytes: number;
  /** From the table's storage parameters; 100 (PostgreSQL's default) when it sets none. */
  fillfactor: number;
  /** Every storage parameter the table sets (fillfactor, autovacuum_*). */
  options: Record<string, string>;
  warnings: string[];
};

type Row = {
  table: string;
  n_tup_upd: string | null;
  n_tup_hot_upd: string | null;
  n_live_tup: string | null;
  n_dead_tup: string | null;
  last_autovacuum: Date | null;
  last_vacuum: Date | null;
  last_autoanalyze: Date | null;
  last_analyze: Date | null;
  table_bytes: string;
  index_bytes: string;
  reloptions: string[] | null;
};

/** Update, vacuum and size statistics of the hot tables, from pg_stat_user_tables and pg_class. */
export async function tableHealth(): Promise<TableHealth[]> {
  const { rows } = await pool().query<Row>(
    `SELECT c.relname AS table, s.n_tup_upd, s.n_tup_hot_upd, s.n_live_tup, s.n_dead_tup,
            s.last_autovacuum, s.last_vacuum, s.last_autoanalyze, s.last_analyze,
            pg_table_size(c.oid) AS table_bytes, pg_indexes_size(c.oid) AS index_bytes, c.reloptions
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
     WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY($1::text[])
     ORDER BY array_position($1::text[], c.relname::text)`,
    [hotTables],
  );
  return rows.map(toTableHealth);
}

function toTableHealth(row: Row): TableHealth {
  const updates = Number(row.n_tup_upd ?? 0);
  const hotUpdates = Number(row.n_tup_hot_upd ?? 0);
  const liveTuples = Number(row.n_live_tup ?? 0);
  const deadTuples = Number(row.n_dead_tup ?? 0);
  const options = Object.fromEntries(
    (row.reloptions ?? []).map((option) => {
      const eq = option.indexOf("=");
      return [option.slice(0, eq), option.slice(eq + 1)];
    }),
  );
  const health: TableHealth = {
    table: row.table,
    updates,
    hotUpdates,
    hotRatio: updates > 0 ? hotUpdates / updates : null,
    liveTuples,
    deadTuples,
    lastAutovacuum: row.last_autovacuum?.toISOString() ?? null,
    lastVacuum: row.last_vacuum?.toISOString() ?? null,
    lastAutoanalyze: row.last_autoanalyze?.toISOString() ?? null,
    lastAnalyze: row.last_analyze?.toISOString() ?? null,
    tableBytes: Number(row.table_bytes),
    indexBytes: Number(row.index_bytes),
    fillfactor: Number(options.fillfactor ?? 100),
    options,
    warnings: [],
  };
  health.warnings = tableWarnings(health);
  return health;
}

export function tableWarnings(
  t: Pick<
    TableHealth,
    "table" | "updates" | "hotRatio" | "liveTuples" | "deadTuples" | "fillfactor" | "lastAutovacuum"
  >,
): string[] {
  const warnings: string[] = [];
  const { minHotRatio, minUpdatesForHotRatio, maxDeadTupleRatio, minDeadTuples } = healthThresholds;
  if (t.hotRatio !== null && t.updates >= minUpdatesForHotRatio && t.hotRatio < minHotRatio) {
    warnings.push(
      `${t.table}: only ${percent(t.hotRatio)} of ${t.updates} updates were HOT (goal ${percent(minHotRatio)}).` +
        (t.fillfactor >= 100
          ? " The table has no free space per page (fillfactor 100)."
          : " Check for an index on a column that every update changes."),
    );
  }
  if (t.deadTuples >= minDeadTuples && t.deadTuples > t.liveTuples * maxDeadTupleRatio) {
    warnings.push(
      `${t.table}: ${t.deadTuples} dead row versions against ${t.liveTuples} live ones; autovacuum is not keeping up` +
        ` (last run ${t.lastAutovacuum ?? "never"}).`,
    );
  }
  return warnings;
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
