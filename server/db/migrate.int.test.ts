import { createHash } from "node:crypto";
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { databaseUrl, testDatabaseName, withAdmin } from "../testing/postgres-admin";
import { defaultMigrationsDir, MigrationError, migrate } from "./migrate";

// The project's own migrator, on databases made for each test: what it
// applies, what it records, and what it refuses.

const created: string[] = [];
const tempDirs: string[] = [];

/** A new empty database (named so that global-setup sweeps it up if this run is killed). */
async function freshDatabase(): Promise<string> {
  const name = testDatabaseName();
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}"`));
  created.push(name);
  return databaseUrl(name);
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

const recorded = (url: string) =>
  query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
    url,
    "SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name",
  );

const tableExists = async (url: string, table: string) =>
  (await query<{ found: string | null }>(url, "SELECT to_regclass($1)::text AS found", [table]))[0]?.found !== null;

/** A copy of prisma/migrations that a test may edit. */
async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "erp-migrations-"));
  tempDirs.push(dir);
  await cp(defaultMigrationsDir, dir, { recursive: true });
  return dir;
}

async function addMigration(dir: string, name: string, sql: string) {
  await mkdir(path.join(dir, name));
  await writeFile(path.join(dir, name, "migration.sql"), sql);
}

const names = async () =>
  (await readdir(defaultMigrationsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

afterAll(async () => {
  // In parallel: one at a time they took over a second each (each waits for a
  // checkpoint on PostgreSQL 15); at once they take about as long as one.
  await Promise.all(
    created.map((name) => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  );
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

describe("migrate()", () => {
  it("applies every migration to an empty database, records each like Prisma, then applies none", async () => {
    const url = await freshDatabase();
    const all = await names();
    expect(all.length).toBeGreaterThanOrEqual(2);

    expect(await migrate({ databaseUrl: url })).toEqual({ applied: all });
    const rows = await recorded(url);
    const checksums = await Promise.all(
      all.map(async (n) =>
        createHash("sha256")
          .update(await readFile(path.join(defaultMigrationsDir, n, "migration.sql")))
          .digest("hex"),
      ),
    );
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
      all.map((n, i) => [n, checksums[i], 1]),
    );
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);

    expect(await migrate({ databaseUrl: url })).toEqual({ applied: [] });
    expect(await recorded(url)).toEqual(rows);
  });

  it("refuses a migration that was edited after it was applied, and changes nothing", async () => {
    const url = await freshDatabase();
    await migrate({ databaseUrl: url });
    const before = await recorded(url);
    const [first] = await names();

    const dir = await copyOfMigrations();
    await appendFile(path.join(dir, first as string, "migration.sql"), "\n-- a harmless-looking edit\n");
    await addMigration(dir, "29990101000000_later", "CREATE TABLE later_table (id int);");

    const attempt = migrate({ databaseUrl: url, dir });
    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toThrow(
      new RegExp(
        `^Migration ${first} was changed after it was applied \\(checksum [0-9a-f]{12}… in the database, [0-9a-f]{12}… on disk\\)\\. Add a new migration instead of editing an applied one\\.$`,
      ),
    );
    expect(await recorded(url)).toEqual(before);
    expect(await tableExists(url, "later_table")).toBe(false);
  });

  it("rolls a failing migration back completely and does not record it", async () => {
    const url = await freshDatabase();
    await migrate({ databaseUrl: url });
    const before = await recorded(url);

    const dir = await copyOfMigrations();
    await addMigration(
      dir,
      "29990101000000_broken",
      "CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\nSELECT 1 / 0;\n",
    );
    await expect(migrate({ databaseUrl: url, dir })).rejects.toThrow(
      "Migration 29990101000000_broken failed: division by zero",
    );
    expect(await tableExists(url, "half_done")).toBe(false);
    expect(await recorded(url)).toEqual(before);

    // Fixed, it goes through on the next run.
    await writeFile(path.join(dir, "29990101000000_broken", "migration.sql"), "CREATE TABLE half_done (id int);\n");
    expect(await migrate({ databaseUrl: url, dir })).toEqual({ applied: ["29990101000000_broken"] });
    expect(await tableExists(url, "half_done")).toBe(true);
  });

  it("refuses to go on from a migration that Prisma recorded as started but not finished", async () => {
    const url = await freshDatabase();
    await migrate({ databaseUrl: url });
    await query(
      url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES (gen_random_uuid()::text, repeat('0', 64), '29990101000000_crashed', now(), 0)`,
    );
    const dir = await copyOfMigrations();
    await addMigration(dir, "29990101000001_next", "CREATE TABLE next_table (id int);");
    await expect(migrate({ databaseUrl: url, dir })).rejects.toThrow(
      "Migration 29990101000000_crashed started but did not finish. Fix the database by hand, then mark it rolled back.",
    );
    expect(await tableExists(url, "next_table")).toBe(false);
  });

  it("lets two processes migrate at once: both succeed and each migration runs once", async () => {
    const url = await freshDatabase();
    const all = await names();
    const results = await Promise.all([migrate({ databaseUrl: url }), migrate({ databaseUrl: url })]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(all);
    expect((await recorded(url)).map((r) => r.migration_name)).toEqual(all);
  });
});

describe("the migrated schema", () => {
  it("gives the hot tables fillfactor 80 and their own autovacuum settings", async () => {
    const url = await freshDatabase();
    await migrate({ databaseUrl: url });
    const rows = await query<{ relname: string; reloptions: string[] }>(
      url,
      "SELECT relname, reloptions FROM pg_class WHERE relname = ANY ($1) AND relkind = 'r' ORDER BY relname",
      [["inventory_items", "machines", "outbox_messages"]],
    );
    expect(rows.map((r) => r.relname)).toEqual(["inventory_items", "machines", "outbox_messages"]);
    for (const { relname, reloptions } of rows) {
      expect(reloptions, relname).toContain("fillfactor=80");
      expect(
        reloptions.find((o) => o.startsWith("autovacuum_vacuum_scale_factor=")),
        relname,
      ).toBeDefined();
      expect(
        reloptions.find((o) => o.startsWith("autovacuum_analyze_scale_factor=")),
        relname,
      ).toBeDefined();
      expect(reloptions, relname).toContain("autovacuum_vacuum_cost_limit=1000");
    }
  });

  it("refuses to store more reserved than in stock, or less than nothing, whatever the code does", async () => {
    const url = await freshDatabase();
    await migrate({ databaseUrl: url });
    await query(
      url,
      "INSERT INTO inventory_items (sku, name, stock_qty, reserved_qty) VALUES ('SKU-C', 'Check', 5, 5)",
    );
    for (const sql of [
      "UPDATE inventory_items SET reserved_qty = stock_qty + 1 WHERE sku = 'SKU-C'",
      "UPDATE inventory_items SET stock_qty = 4 WHERE sku = 'SKU-C'",
      "UPDATE inventory_items SET reserved_qty = -1 WHERE sku = 'SKU-C'",
    ]) {
      await expect(query(url, sql), sql).rejects.toMatchObject({
        code: "23514",
        constraint: "inventory_items_reserved_within_stock",
      });
    }
    expect(await query(url, "SELECT stock_qty, reserved_qty FROM inventory_items WHERE sku = 'SKU-C'")).toEqual([
      { stock_qty: 5, reserved_qty: 5 },
    ]);
  });
});
