import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { walHealth } from "@/server/db-health/wal-health";
import { env } from "@/server/env";
import { createItem, createMachine, createWorkCenter } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import { GET as dbHealth } from "./route";

// The database health page's numbers come from PostgreSQL's statistics. The
// tests make the conditions for real: status updates that stay HOT (no index
// on machines.status), name updates that cannot (inventory_items has an
// index on lower(name)), an outbox message left waiting, and a database user
// without the right to list the WAL directory.

let admin: Awaited<ReturnType<typeof actor>>;
let client: pg.Client;

/** Runs statements on a connection of its own and makes its statistics visible to others at once. */
async function onOwnConnection(statements: (c: pg.Client) => Promise<void>) {
  await statements(client);
  await client.query("SELECT pg_stat_force_next_flush()");
  await client.query("SELECT 1");
}

beforeAll(async () => {
  admin = await actor("admin");
  client = new pg.Client({ connectionString: env().DATABASE_URL });
  await client.connect();
});
afterAll(() => client.end());

type TableRow = { table: string; updates: number; hotRatio: number | null; fillfactor: number; warnings: string[] };
const health = async () => {
  const res = await call(dbHealth, { token: admin.token });
  expect(res.status).toBe(200);
  return res.body;
};
const tableOf = (body: { tables: TableRow[] }, name: string) => body.tables.find((t) => t.table === name) as TableRow;

describe("the hot tables", () => {
  it("shows status updates on machines as HOT, with the fillfactor and autovacuum settings of the migration", async () => {
    const machine = await createMachine({ workCenterId: (await createWorkCenter()).id });
    const statuses = ["running", "idle", "breakdown", "running", "material_shortage", "idle"];
    await onOwnConnection(async (c) => {
      for (let i = 0; i < 300; i++) {
        await c.query("UPDATE machines SET status = $2, status_since = now(), updated_at = now() WHERE id = $1", [
          machine.id,
          statuses[i % statuses.length],
        ]);
      }
    });
    const body = await health();
    const machines = body.tables.find((t: TableRow) => t.table === "machines");
    expect(machines).toMatchObject({
      fillfactor: 80,
      options: { fillfactor: "80", autovacuum_vacuum_scale_factor: "0.05" },
      warnings: [],
    });
    expect(machines.updates).toBeGreaterThanOrEqual(300);
    expect(machines.hotRatio).toBeGreaterThan(0.9);
    expect(machines.tableBytes).toBeGreaterThan(0);
    expect(machines.indexBytes).toBeGreaterThan(0);
    expect(body.tables.map((t: TableRow) => t.table)).toEqual([
      "inventory_items",
      "reservations",
      "machines",
      "work_orders",
      "outbox_messages",
      "purchase_orders",
      "purchase_order_lines",
      "sessions",
      "api_tokens",
    ]);
  });

  it("warns when updates stop being HOT because they change an indexed column", async () => {
    const item = await createItem();
    await onOwnConnection(async (c) => {
      for (let i = 0; i < 300; i++) {
        await c.query("UPDATE inventory_items SET name = $2 WHERE id = $1", [
          item.id,
          `Renamed ${i} ${randomBytes(2).toString("hex")}`,
        ]);
      }
    });
    const body = await health();
    const items = tableOf(body, "inventory_items");
    expect(items.hotRatio).toBeLessThan(0.9);
    expect(items.warnings).toEqual([
      expect.stringMatching(
        /^inventory_items: only \d+\.\d % of \d+ updates were HOT \(goal 90\.0 %\)\. Check for an index on a column that every update changes\.$/,
      ),
    ]);
    expect(body.warnings).toEqual(expect.arrayContaining(items.warnings));
  });
});

describe("the outbox lag", () => {
  it("reports the oldest undelivered message and warns past a minute", async () => {
    await client.query(
      `INSERT INTO outbox_messages (aggregate_type, aggregate_id, event_type, payload, created_at)
       VALUES ('test', 'lag', 'test.lag', '{}', now() - interval '5 minutes')`,
    );
    const body = await health();
    expect(body.outbox.pending).toBeGreaterThanOrEqual(1);
    expect(body.outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(299);
    expect(body.warnings).toContainEqual(
      expect.stringMatching(/^outbox: the oldest of \d+ undelivered messages has waited \d+ s/),
    );
    expect(body.thresholds).toMatchObject({ minHotRatio: 0.9, maxOutboxLagSeconds: 60 });
  });
});

describe("the WAL", () => {
  it("measures pg_wal where the database user may list it", async () => {
    const body = await health();
    expect(body.wal).toMatchObject({
      sizeSource: "pg_ls_waldir",
      currentLsn: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/),
    });
    expect(body.wal.sizeBytes).toBeGreaterThan(0);
    expect(body.wal.maxWalSizeBytes).toBeGreaterThan(0);
  });

  it("says 'not permitted' to a user without pg_monitor, and still shows the write position", async () => {
    const role = `erp_test_no_monitor_${randomBytes(4).toString("hex")}`;
    const limited = new pg.Client({ connectionString: env().DATABASE_URL });
    await limited.connect();
    try {
      await limited.query(`CREATE ROLE ${role}`);
      await limited.query(`SET ROLE ${role}`);
      const wal = await walHealth({ db: limited });
      expect(wal).toMatchObject({ sizeBytes: null, segments: null, sizeSource: "not_permitted" });
      expect(wal.writtenSinceInitBytes).toBeGreaterThan(0);
    } finally {
      await limited.query("RESET ROLE").catch(() => {});
      await limited.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
      await limited.end();
    }
  });
});
