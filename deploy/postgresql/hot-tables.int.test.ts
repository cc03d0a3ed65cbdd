import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "../../server/db";

// The hot tables on the schema the migrations build (this file's own copy
// of the migrated template database): their storage parameters, read from
// pg_class.reloptions, and whether the updates the application makes on
// them are HOT, counted by PostgreSQL itself (pg_stat_xact_user_tables, for
// the transaction in hand). Everything runs in one transaction that is
// rolled back.

const hotTables = ["inventory_items", "machines", "outbox_messages", "purchase_orders", "work_orders"];

let client: pg.PoolClient;
beforeAll(async () => {
  client = await pool().connect();
});
afterAll(() => client.release());

async function counts(table: string): Promise<{ updates: number; hot: number }> {
  const { rows } = await client.query<{ n_tup_upd: string; n_tup_hot_upd: string }>(
    "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = $1",
    [table],
  );
  return { updates: Number(rows[0]?.n_tup_upd ?? 0), hot: Number(rows[0]?.n_tup_hot_upd ?? 0) };
}

/** Runs an update statement `times` times; how many of them were HOT. */
async function hotShare(table: string, sql: string, params: (i: number) => unknown[], times = 20) {
  const before = await counts(table);
  for (let i = 0; i < times; i++) await client.query(sql, params(i));
  const after = await counts(table);
  return { updates: after.updates - before.updates, hot: after.hot - before.hot };
}

describe("the hot tables", () => {
  it("have fillfactor 80 and autovacuum parameters of their own", async () => {
    const { rows } = await client.query<{ relname: string; reloptions: string[] | null }>(
      "SELECT relname, reloptions FROM pg_class WHERE relkind = 'r' AND relname = ANY($1) ORDER BY relname",
      [hotTables],
    );
    const options = Object.fromEntries(
      rows.map((r) => [r.relname, Object.fromEntries((r.reloptions ?? []).map((o) => o.split("=")))]),
    );
    const common = {
      fillfactor: "80",
      autovacuum_vacuum_cost_limit: "1000",
      autovacuum_vacuum_cost_delay: "10",
    };
    expect(options).toEqual({
      inventory_items: {
        ...common,
        autovacuum_vacuum_scale_factor: "0.05",
        autovacuum_analyze_scale_factor: "0.02",
      },
      machines: { ...common, autovacuum_vacuum_scale_factor: "0.05", autovacuum_analyze_scale_factor: "0.05" },
      outbox_messages: {
        ...common,
        autovacuum_vacuum_scale_factor: "0.02",
        autovacuum_analyze_scale_factor: "0.02",
      },
      purchase_orders: {
        ...common,
        autovacuum_vacuum_scale_factor: "0.05",
        autovacuum_analyze_scale_factor: "0.05",
      },
      work_orders: { ...common, autovacuum_vacuum_scale_factor: "0.05", autovacuum_analyze_scale_factor: "0.05" },
    });
  });

  describe("take the application's routine updates as HOT updates", () => {
    const ids: Record<string, string | number> = {};

    beforeAll(async () => {
      await client.query("BEGIN");
      const one = async (sql: string, params: unknown[] = []) =>
        (await client.query<{ id: string | number }>(sql, params)).rows[0]?.id as string | number;
      const tag = `hot-${process.pid}`;
      ids.workCenter = await one("INSERT INTO work_centers (code, name) VALUES ($1, $1) RETURNING id", [tag]);
      ids.machine = await one("INSERT INTO machines (work_center_id, code, name) VALUES ($1, $2, $2) RETURNING id", [
        ids.workCenter,
        `${tag}-m1`,
      ]);
      ids.otherMachine = await one(
        "INSERT INTO machines (work_center_id, code, name) VALUES ($1, $2, $2) RETURNING id",
        [ids.workCenter, `${tag}-m2`],
      );
      ids.item = await one("INSERT INTO inventory_items (sku, name, stock_qty) VALUES ($1, $1, 1000000) RETURNING id", [
        tag,
      ]);
      ids.user = await one(
        "INSERT INTO users (username, display_name, password_hash, role) VALUES ($1, $1, '!', 'purchasing') RETURNING id",
        [tag],
      );
      ids.supplier = await one("INSERT INTO suppliers (code, name) VALUES ($1, $1) RETURNING id", [tag]);
      ids.order = await one(
        `INSERT INTO purchase_orders (supplier_id, idempotency_key, created_by) VALUES ($1, gen_random_uuid(), $2) RETURNING id`,
        [ids.supplier, ids.user],
      );
      ids.workOrder = await one(
        `INSERT INTO work_orders (code, operation, quantity, due_at, machine_id) VALUES ($1, 'cut', 5, now(), $2) RETURNING id`,
        [tag, ids.machine],
      );
      ids.message = await one(
        `INSERT INTO outbox_messages (aggregate_type, aggregate_id, event_type, payload)
         VALUES ('machine', '1', 'machine.status', '{}') RETURNING id`,
      );
    });
    afterAll(() => client.query("ROLLBACK"));

    const statuses = ["running", "idle", "breakdown", "material_shortage", "maintenance"];
    // Nothing can be pruned inside one transaction, so every version of a row
    // must fit on its page. The outbox goes first: reserve_stock() below
    // writes outbox rows too, and would fill the message's page.

    it.each([
      [
        "outbox_messages: a claim by a worker (claim-messages.ts)",
        "outbox_messages",
        "UPDATE outbox_messages SET locked_until = now() + interval '30 seconds', locked_by = $1, attempts = attempts + 1 WHERE id = $2",
        (i: number) => [`worker-${i}`, ids.message],
      ],
      [
        "machines: a status change (record-machine-status.ts)",
        "machines",
        "UPDATE machines SET status = $1, status_since = now(), updated_at = now() WHERE id = $2",
        (i: number) => [statuses[i % statuses.length], ids.machine],
      ],
      [
        "inventory_items: a reservation, through reserve_stock()",
        "inventory_items",
        "SELECT reserve_stock('HOT-' || $1, jsonb_build_array(jsonb_build_object('itemId', $2::int, 'qty', 1)), $3, gen_random_uuid(), NULL)",
        (i: number) => [i, ids.item, ids.user],
      ],
      [
        "work_orders: start and finish (start-work-order.ts, finish-work-order.ts)",
        "work_orders",
        `UPDATE work_orders SET status = $1, started_at = now(), finished_at = CASE WHEN $1 = 'done' THEN now() END,
           updated_at = now() WHERE id = $2`,
        (i: number) => [i % 2 ? "done" : "running", ids.workOrder],
      ],
      [
        "purchase_orders: the supplier's answers (supplier-delivery-handler.ts)",
        "purchase_orders",
        `UPDATE purchase_orders SET status = $1, sent_at = now(), acknowledged_at = now(), supplier_reference = $1,
           updated_at = now() WHERE id = $2`,
        (i: number) => [i % 2 ? "ACKNOWLEDGED" : "SENT", ids.order],
      ],
    ])("%s", async (_what, table, sql, params) => {
      expect(await hotShare(table as string, sql as string, params as (i: number) => unknown[])).toEqual({
        updates: 20,
        hot: 20,
      });
    });

    it("work_orders: a re-plan to another machine is not HOT, as the migration says (machine_id is indexed)", async () => {
      const moved = await hotShare(
        "work_orders",
        "UPDATE work_orders SET machine_id = $1, sequence = $2, updated_at = now() WHERE id = $3",
        (i) => [i % 2 ? ids.machine : ids.otherMachine, i, ids.workOrder],
        4,
      );
      expect(moved).toEqual({ updates: 4, hot: 0 });
    });
  });
});
