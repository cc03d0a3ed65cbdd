import pg from "pg";
import type { HotConfig, HotScenario } from "./hot-config";
import { settledSnapshot, snapshot, withClient } from "./hot-stats";

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
  scenario: HotScenario;
  seconds: number;
  updatesPerTable: number;
  perSecondPerTable: number;
  /** Reports run during the burst (scenario "reports"), each holding its snapshot. */
  reports: number;
  tables: TableFigures[];
};

const statuses = ["running", "idle", "breakdown", "material_shortage", "maintenance"];
const tableName = (fillfactor: number) => `bench_machines_ff${fillfactor}`;

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

/**
 * A report as a planner's dashboard might run it: one REPEATABLE READ
 * snapshot over both tables, held for `holdSeconds`, then a pause as long;
 * until `endsAt`. While the snapshot is open, no row version it can see may be
 * removed, by page pruning or by vacuum.
 */
async function runReports(url: string, tables: string[], holdSeconds: number, endsAt: number): Promise<number> {
  const sleep = (ms: number) =>
    new Promise((r) => setTimeout(r, Math.max(0, Math.min(ms, endsAt - performance.now()))));
  return withClient(url, async (client) => {
    let reports = 0;
    while (performance.now() < endsAt) {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
      for (const table of tables) await client.query(`SELECT status, count(*) FROM ${table} GROUP BY status`);
      await sleep(holdSeconds * 1000);
      await client.query("COMMIT");
      reports++;
      await sleep(holdSeconds * 1000);
    }
    return reports;
  });
}

export async function runBurst(
  url: string,
  tables: string[],
  config: HotConfig,
  scenario: HotScenario,
): Promise<BurstResult> {
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
  const reports =
    scenario === "reports" ? runReports(url, tables, config.reportHoldSeconds, endsAt) : Promise.resolve(0);
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
  const reportCount = await reports;
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
  return {
    scenario,
    seconds,
    updatesPerTable: pairs,
    perSecondPerTable: pairs / seconds,
    reports: reportCount,
    tables: figures,
  };
}
