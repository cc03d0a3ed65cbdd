import type { TestProject } from "vitest/node";
import { migrate, readMigrations } from "../db/migrate";
import { databaseUrl, isAbandonedTestDatabase, withAdmin } from "./postgres-admin";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

// Migrates one template database per set of migrations; each test file then
// gets a copy of it (CREATE DATABASE ... TEMPLATE), which takes milliseconds.
export default async function setup(project: TestProject) {
  const migrations = await readMigrations();
  const fingerprint = migrations
    .map((m) => m.checksum.slice(0, 6))
    .join("")
    .slice(-24);
  const template = `erp_test_template_${fingerprint}`;

  await withAdmin(async (admin) => {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE "${template}"`);
      try {
        await migrate({ databaseUrl: databaseUrl(template) });
      } catch (error) {
        await admin.query(`DROP DATABASE IF EXISTS "${template}"`);
        throw error;
      }
    }
    // Databases left by test runs that were killed before their teardown.
    // Not merely those without a connection: a run in progress elsewhere may
    // hold none for a moment (between two tests, or while its pool is closed).
    const stale = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'erp\\_test\\_f\\_%'
         AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = pg_database.datname)`,
    );
    for (const { datname } of stale.rows) {
      if (isAbandonedTestDatabase(datname)) await admin.query(`DROP DATABASE IF EXISTS "${datname}"`);
    }
  });

  project.provide("templateDatabase", template);
}
