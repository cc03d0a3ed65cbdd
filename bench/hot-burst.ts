import pg from "pg";
import type { HotConfig } from "./hot-config";

// One burst of machine status updates on copies of the machines table that
// differ only in fillfactor. Every connection sends the same update to each
// copy in turn (same machine, same status, a moment apart), so the copies
// see the same load at the same time, autovacuum included.

export type TableFigures = {
  table: string;
  fillfactor: number;
  updates: number;
  hotUpdates: number;
  hotRatio: number;
  heapBytesBefore: number;
  heapBytesAfter: number;
  indexBytesBefore: number;
  indexBytesAfter: number;
  deadTuples: number;
  autovacuums: number;
};

export type BurstResult = {
  seconds: number;
  updatesPerTable: number;
  perSecondPerTable: number;
  tables: TableFigures[];
};

const statuses = ["running", "idle", "breakdown", "material_shortage", "maintenance"];
const tableName = (fillfactor: number) => `bench_machines_ff${fillfactor}`;

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: "erp-bench-hot" });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Copies of `machines` (columns, defaults, checks, indexes), each with the
 * migration's storage parameters but its own fillfactor, filled with the same
 * rows, vacuumed and analysed.
 */
export async function createTables(url: string, config: HotConfig): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ reloptions: string[] | null }>(
      "SELECT reloptions FROM pg_class WHERE oid = 'machines'::regclass",
    );
    const inherited = (rows[0]?.reloptions ?? []).filter((o) => !o.startsWith("fillfactor="));
    const { rows: wc } = await client.query<{ id: number }>(
      "INSERT INTO work_centers (code, name) VALUES ('BENCH-HOT', 'Bench') ON CONFLICT (code) DO UPDATE SET name = 'Bench' RETURNING id",
    );
    const tables: string[] = [];
    for (const fillfactor of config.fillfactors) {
      const table = tableName(fillfactor);
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.query(
        `CREATE TABLE ${table} (LIKE machines INCLUDING ALL) WITH (${[...inherited, `fillfactor=${fillfactor}`].join(", ")})`,
      );
      await client.query(
        `INSERT INTO ${table} (id, work_center_id, code, name, status, capabilities)
         SELECT g, $1, 'M-' || lpad(g::text, 5, '0'), 'Machine ' || g, 'idle', '{cut,weld,drill}'
         FROM generate_series(1, $2) AS g`,
        [wc[0]?.id, config.machines],
      );
      await client.query(`VACUUM ANALYZE ${table}`);
      tables.push(table);
    }
    return tables;
  });
}

type Snapshot = Record<
  string,
  { updates: number; hot: number; heap: number; indexes: number; dead: number; autovacuums: number }
>;

async function snapshot(url: string, tables: string[]): Promise<Snapshot> {
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
async function settledSnapshot(url: string, tables: string[], before: Snapshot, expected: number): Promise<Snapshot> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const now = await snapshot(url, tables);
    const done = tables.every((t) => (now[t]?.updates ?? 0) - (before[t]?.updates ?? 0) >= expected);
    if (done || Date.now() > deadline) return now;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function runBurst(url: string, tables: string[], config: HotConfig): Promise<BurstResult> {
  const before = await snapshot(url, tables);
  const clients = await Promise.all(
    Array.from({ length: config.connections }, async () => {
      const client = new pg.Client({ connectionString: url, application_name: "erp-bench-hot" });
      await client.connect();
      // Commits without waiting for the WAL flush: what is measured is where
      // row versions land on the pages, which this does not change, and the
      // rate is then bound by the CPU rather than by a shared disk's fsync.
      await client.query("SET synchronous_commit = off");
      return client;
    }),
  );
  // What record-machine-status.ts writes on a status change.
  const statements = tables.map((table) => ({
    name: `hot-${table}`,
    text: `UPDATE ${table} SET status = $1, status_since = now(), updated_at = now() WHERE id = $2`,
  }));
  const startedAt = performance.now();
  const endsAt = startedAt + config.seconds * 1000;
  const intervalMs = (1000 * config.connections) / config.rate;
  let pairs = 0;
  await Promise.all(
    clients.map(async (client, index) => {
      let seed = index + 1;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      // Start staggered so the connections do not fire in lockstep.
      let due = startedAt + (intervalMs * index) / config.connections;
      while (due < endsAt) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const id = 1 + Math.floor(random() * config.machines);
        const status = statuses[Math.floor(random() * statuses.length)];
        for (const statement of statements) await client.query({ ...statement, values: [status, id] });
        pairs++;
        // Behind schedule: carry on at once, but never burst to catch up.
        due = Math.max(due + intervalMs, performance.now() - intervalMs);
      }
      await client.query("SELECT pg_stat_force_next_flush()").catch(() => {});
      await client.end();
    }),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  const after = await settledSnapshot(url, tables, before, pairs);
  const figures = tables.map((table, i) => {
    const b = before[table];
    const a = after[table];
    if (!a || !b) throw new Error(`no statistics for ${table}`);
    const updates = a.updates - b.updates;
    const hotUpdates = a.hot - b.hot;
    return {
      table,
      fillfactor: config.fillfactors[i] ?? 0,
      updates,
      hotUpdates,
      hotRatio: updates ? hotUpdates / updates : 0,
      heapBytesBefore: b.heap,
      heapBytesAfter: a.heap,
      indexBytesBefore: b.indexes,
      indexBytesAfter: a.indexes,
      deadTuples: a.dead,
      autovacuums: a.autovacuums - b.autovacuums,
    };
  });
  return { seconds, updatesPerTable: pairs, perSecondPerTable: pairs / seconds, tables: figures };
}
