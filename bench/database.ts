import pg from "pg";
import { migrate } from "../server/db/migrate";

// The benchmark's own database: dropped and created fresh on every run, so
// it must be one whose name says it is a benchmark's.

export const manyItemCount = 1_000;
export const hotItemCount = 2;
// Large enough that no phase runs out, so every answer is a 201 and the
// hot-item phases measure lock contention rather than 409s.
const manyItemStock = 1_000_000;
const hotItemStock = 100_000_000;

export type BenchData = {
  manyItemIds: number[];
  hotItemIds: number[];
  userId: number;
  token: string;
};

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/bench/.test(name) || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error(`Refusing to drop and recreate database "${name}": its name must contain "bench" ([a-z0-9_]).`);
  }
  return name;
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const adminUrl = new URL(url);
  adminUrl.pathname = "/postgres";
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await withAdmin(url, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A fresh, migrated database with the items, a purchasing user and its bearer token. */
export async function prepareDatabase(url: string): Promise<BenchData> {
  const name = databaseName(url);
  await withAdmin(url, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  await migrate({ databaseUrl: url });

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let manyItemIds: number[];
  let hotItemIds: number[];
  let userId: number;
  try {
    const insertItems = `
      INSERT INTO inventory_items (sku, name, unit, stock_qty)
      SELECT $1 || lpad(g::text, 4, '0'), $2 || g, 'pcs', $3 FROM generate_series(1, $4) AS g
      RETURNING id`;
    const many = await client.query<{ id: number }>(insertItems, [
      "BENCH-",
      "Bench item ",
      manyItemStock,
      manyItemCount,
    ]);
    const hot = await client.query<{ id: number }>(insertItems, ["HOT-", "Hot item ", hotItemStock, hotItemCount]);
    manyItemIds = many.rows.map((r) => r.id).sort((a, b) => a - b);
    hotItemIds = hot.rows.map((r) => r.id).sort((a, b) => a - b);

    // The seed's plain transaction updates reserved_qty without writing
    // reservation lines, so it runs on a copy of the items: the invariant
    // checked on inventory_items afterwards stays meaningful.
    await client.query(`
      CREATE TABLE bench_seed_items (LIKE inventory_items INCLUDING ALL) WITH (fillfactor = 80);
      INSERT INTO bench_seed_items SELECT * FROM inventory_items;`);

    const user = await client.query<{ id: number }>(
      // No password can match this hash: the user only ever calls with its token.
      `INSERT INTO users (username, display_name, password_hash, role)
       VALUES ('bench-buyer', 'Benchmark buyer', '!no-login', 'purchasing') RETURNING id`,
    );
    userId = user.rows[0]?.id ?? 0;
    await client.query("VACUUM ANALYZE");
  } finally {
    await client.end();
  }

  // The product's own token issuing, so the route authenticates the way it
  // does in production. server/db reads DATABASE_URL at first use.
  process.env.DATABASE_URL = url;
  const { createApiToken } = await import("../server/auth/create-api-token");
  const { closeDb } = await import("../server/db");
  try {
    const { token } = await createApiToken({ userId, name: "benchmark" });
    return { manyItemIds, hotItemIds, userId, token };
  } finally {
    await closeDb();
  }
}

export type InvariantReport = {
  pass: boolean;
  items: number;
  /** Items whose reserved_qty differs from the sum of their active reservation lines. */
  reservedMismatches: number;
  /** Items with reserved_qty outside 0..stock_qty (the CHECK makes this impossible). */
  oversold: number;
  /** Items whose reserve/release ledger does not add up to reserved_qty. */
  ledgerMismatches: number;
  reservations: number;
  reservedUnits: number;
};

export async function checkInvariant(url: string): Promise<InvariantReport> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`
      WITH active AS (
        SELECT l.item_id, sum(l.qty)::bigint AS qty
        FROM reservation_lines l JOIN reservations r ON r.id = l.reservation_id
        WHERE r.status = 'active' GROUP BY l.item_id
      ), ledger AS (
        SELECT item_id,
               sum(CASE kind WHEN 'reserve' THEN qty WHEN 'release' THEN -qty WHEN 'consume' THEN -qty ELSE 0 END)::bigint AS qty
        FROM inventory_movements GROUP BY item_id
      )
      SELECT count(*)::int AS items,
             count(*) FILTER (WHERE i.reserved_qty <> coalesce(a.qty, 0))::int AS reserved_mismatches,
             count(*) FILTER (WHERE i.reserved_qty < 0 OR i.reserved_qty > i.stock_qty)::int AS oversold,
             count(*) FILTER (WHERE i.reserved_qty <> coalesce(g.qty, 0))::int AS ledger_mismatches,
             (SELECT count(*) FROM reservations)::int AS reservations,
             coalesce(sum(i.reserved_qty), 0)::bigint AS reserved_units
      FROM inventory_items i
      LEFT JOIN active a ON a.item_id = i.id
      LEFT JOIN ledger g ON g.item_id = i.id`);
    const r = rows[0];
    const report = {
      items: r.items,
      reservedMismatches: r.reserved_mismatches,
      oversold: r.oversold,
      ledgerMismatches: r.ledger_mismatches,
      reservations: r.reservations,
      reservedUnits: Number(r.reserved_units),
    };
    return {
      pass: report.reservedMismatches === 0 && report.oversold === 0 && report.ledgerMismatches === 0,
      ...report,
    };
  } finally {
    await client.end();
  }
}
