import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * The PostgreSQL server the tests use: TEST_DATABASE_URL, else the local
 * server these machines run on 127.0.0.1:5432. Tests create and drop their
 * own databases on it and never touch any other.
 */
export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const testDatabasePrefix = "erp_test_f_";

/**
 * A name for a test's own database: erp_test_f_<creation time, base 36>_<random>.
 * The time lets global-setup tell a database left by a killed run from one
 * that a run in progress elsewhere (another engineer, CI) is using but
 * happens to hold no connection to at that moment.
 */
export function testDatabaseName(): string {
  return `${testDatabasePrefix}${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
}

/** Whether a test database is old enough that no run can still be using it. */
export function isAbandonedTestDatabase(name: string, now = Date.now()): boolean {
  if (!name.startsWith(testDatabasePrefix)) return false;
  const match = name.slice(testDatabasePrefix.length).match(/^([0-9a-z]{8,9})_[0-9a-f]+/);
  // Names from before the time was in them: the old rule (no connection) decides.
  if (!match?.[1]) return true;
  return now - Number.parseInt(match[1], 36) > 6 * 3600_000;
}
