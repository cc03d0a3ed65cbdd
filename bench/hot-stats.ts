import pg from "pg";

// What PostgreSQL counts for the burst's tables: updates and HOT updates
// (pg_stat_user_tables), dead tuples, autovacuum runs, heap and index sizes.

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: "erp-bench-hot" });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export type Snapshot = Record<
  string,
  { updates: number; hot: number; heap: number; indexes: number; dead: number; autovacuums: number }
>;

export async function snapshot(url: string, tables: string[]): Promise<Snapshot> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{
      relname: string;
      n_tup_upd: string;
      n_tup_hot_upd: string;
      n_dead_tup: string;
      autovacuum_count: string;
      heap: string;
      indexes: string;
    }>(
      `SELECT relname, n_tup_upd, n_tup_hot_upd, n_dead_tup, autovacuum_count,
              pg_relation_size(relid) AS heap, pg_indexes_size(relid) AS indexes
       FROM pg_stat_user_tables WHERE relname = ANY($1)`,
      [tables],
    );
    return Object.fromEntries(
      rows.map((r) => [
        r.relname,
        {
          updates: Number(r.n_tup_upd),
          hot: Number(r.n_tup_hot_upd),
          heap: Number(r.heap),
          indexes: Number(r.indexes),
          dead: Number(r.n_dead_tup),
          autovacuums: Number(r.autovacuum_count),
        },
      ]),
    );
  });
}

/** Waits until the statistics show `expected` more updates on every table than `before` (backends flush them at exit). */
export async function settledSnapshot(
  url: string,
  tables: string[],
  before: Snapshot,
  expected: number,
): Promise<Snapshot> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const now = await snapshot(url, tables);
    const done = tables.every((t) => (now[t]?.updates ?? 0) - (before[t]?.updates ?? 0) >= expected);
    if (done || Date.now() > deadline) return now;
    await new Promise((r) => setTimeout(r, 250));
  }
}
