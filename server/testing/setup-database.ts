import { afterAll, inject } from "vitest";
import { databaseUrl, testDatabaseName, withAdmin } from "./postgres-admin";

// Runs before each test file: the file gets a fresh database copied from the
// migrated template and its own Redis key prefix, so files never see each
// other's rows or keys and can run in parallel.
const name = testDatabaseName();
const template = inject("templateDatabase");

await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));

process.env.DATABASE_URL = databaseUrl(name);
process.env.REDIS_PREFIX = `erp-test:${name}:`;
process.env.LOG_LEVEL ??= "silent";

afterAll(async () => {
  const { closeDb } = await import("../db");
  const { closeRedis, redis } = await import("../redis");
  await closeDb();
  // Remove this file's keys.
  // KEYS takes the pattern as given, while DEL adds the prefix itself.
  const client = redis();
  const prefix = process.env.REDIS_PREFIX ?? "";
  const keys = await client.keys(`${prefix}*`);
  if (keys.length) await client.del(...keys.map((k) => k.slice(prefix.length)));
  await closeRedis();
  await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
});
