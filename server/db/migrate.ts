import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

// Applies prisma/migrations/*/migration.sql without Prisma's schema engine,
// which cannot be downloaded on machines without internet access. It keeps
// the books exactly as `prisma migrate deploy` does (the _prisma_migrations
// table, sha256 checksums of each file), so either tool can take over from
// the other.

export const defaultMigrationsDir = path.resolve(import.meta.dirname, "../../prisma/migrations");

// Prisma Migrate's own DDL for its bookkeeping table.
const createBookkeeping = `
  CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`;

export class MigrationError extends Error {}

type LocalMigration = { name: string; sql: string; checksum: string };

export async function readMigrations(dir = defaultMigrationsDir): Promise<LocalMigration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/**
 * Brings the database up to date. Re-running is a no-op; a migration whose
 * file changed after it was applied is refused, as is a database left with a
 * failed migration. Several processes may call this at once: an advisory
 * lock lets one work while the others wait and then find nothing to do.
 */
export async function migrate({
  databaseUrl,
  dir = defaultMigrationsDir,
  log = () => {},
}: {
  databaseUrl: string;
  dir?: string;
  log?: (line: string) => void;
}): Promise<{ applied: string[] }> {
  const local = await readMigrations(dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('erp:migrate'))");
    await client.query(createBookkeeping);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>("SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at");

    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      throw new MigrationError(
        `Migration ${failed.migration_name} started but did not finish. Fix the database by hand, then mark it rolled back.`,
      );
    }
    const appliedByName = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r]));
    for (const migration of local) {
      const applied = appliedByName.get(migration.name);
      if (applied && applied.checksum !== migration.checksum) {
        throw new MigrationError(
          `Migration ${migration.name} was changed after it was applied (checksum ${applied.checksum.slice(0, 12)}… in the database, ${migration.checksum.slice(0, 12)}… on disk). Add a new migration instead of editing an applied one.`,
        );
      }
    }

    const appliedNow: string[] = [];
    for (const migration of local) {
      if (appliedByName.has(migration.name)) continue;
      log(`applying migration ${migration.name}`);
      // The migration and its bookkeeping row commit together or not at all.
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
      appliedNow.push(migration.name);
    }
    return { applied: appliedNow };
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('erp:migrate'))").catch(() => {});
    await client.end();
  }
}
