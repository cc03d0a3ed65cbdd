import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { laptopPostgresSettings, postgresFlags } from "../launcher/postgres-settings";
import { TestCluster } from "./test-cluster";

// The production configuration on a real server: conf.d/erp.conf and a
// pg_hba.conf from render-pg-hba.sh, installed into a fresh cluster of
// Debian's PostgreSQL as the README says. The settings must be in force
// (none rejected), and only the application user from the application hosts
// may log in. Then the same cluster with the laptop's flags instead, as
// `npm start` passes them.

const run = promisify(execFile);
const here = import.meta.dirname;
const cluster = new TestCluster();
const password = `erp-${process.pid}-secret`;

beforeAll(async () => {
  await cluster.create();
  await cluster.addConf("erp.conf", { file: path.join(here, "conf.d/erp.conf") });
  const { stdout: hba } = await run("bash", [
    path.join(here, "render-pg-hba.sh"),
    ...["--app-host", "127.0.0.2", "--app-host", "127.0.0.3/32"],
  ]);
  await cluster.writeHba(hba);
  await cluster.start();
  await cluster.psql(`CREATE ROLE erp LOGIN PASSWORD '${password}'`);
  await cluster.psql("CREATE DATABASE erp OWNER erp");
}, 180_000);

afterAll(async () => {
  await cluster.destroy();
});

const show = async (names: string[]) =>
  Object.fromEntries(
    (
      await cluster.psql(
        `SELECT name || '=' || setting || coalesce(unit, '') FROM pg_settings WHERE name IN (${names.map((n) => `'${n}'`).join(",")}) ORDER BY name`,
      )
    )
      .split("\n")
      .map((line) => line.split("=") as [string, string]),
  );

describe("conf.d/erp.conf on PostgreSQL", () => {
  it("is read without a single rejected line", async () => {
    expect(await cluster.psql("SELECT count(*) FROM pg_file_settings WHERE error IS NOT NULL")).toBe("0");
    expect(
      await cluster.psql("SELECT count(*) FROM pg_file_settings WHERE sourcefile LIKE '%/erp.conf' AND applied"),
    ).not.toBe("0");
  });

  it("puts the seed's WAL, checkpoint and autovacuum settings in force", async () => {
    // pg_settings shows each in its base unit: 8 kB blocks, MB, ms.
    expect(
      await show([
        "wal_level",
        "max_wal_size",
        "min_wal_size",
        "checkpoint_completion_target",
        "autovacuum",
        "autovacuum_max_workers",
        "autovacuum_vacuum_scale_factor",
        "autovacuum_vacuum_cost_limit",
        "autovacuum_vacuum_cost_delay",
        "listen_addresses",
        "password_encryption",
      ]),
    ).toEqual({
      wal_level: "replica",
      max_wal_size: "16384MB",
      min_wal_size: "2048MB",
      checkpoint_completion_target: "0.9",
      autovacuum: "on",
      autovacuum_max_workers: "5",
      autovacuum_vacuum_scale_factor: "0.05",
      autovacuum_vacuum_cost_limit: "1000",
      autovacuum_vacuum_cost_delay: "10ms",
      listen_addresses: "127.0.0.1",
      password_encryption: "scram-sha-256",
    });
  });
});

describe("pg_hba.conf from render-pg-hba.sh", () => {
  const login = (
    from: string,
    overrides: Partial<{ user: string; password: string; database: string; ssl: boolean }> = {},
  ) => cluster.tryLogin({ from, user: "erp", password, database: "erp", ssl: true, ...overrides });

  it("lets the application user in from an application host, over TLS, with its password", async () => {
    expect(await login("127.0.0.2")).toBe("ok");
    expect(await login("127.0.0.3")).toBe("ok");
  });

  it("lets an application process on the database host itself in", async () => {
    expect(await login("127.0.0.1", { ssl: false })).toBe("ok");
  });

  it.each([
    [
      "a host that is not an application host",
      "127.0.0.4",
      {},
      /rejects connection for host "127\.0\.0\.4", user "erp", database "erp"/,
    ],
    ["an application host without TLS", "127.0.0.2", { ssl: false }, /no encryption/],
    ["a wrong password", "127.0.0.2", { password: "guess" }, /password authentication failed for user "erp"/],
    [
      "the superuser from an application host",
      "127.0.0.2",
      { user: "postgres" },
      /rejects connection for host "127\.0\.0\.2", user "postgres"/,
    ],
    ["the superuser over TCP on the host itself", "127.0.0.1", { user: "postgres", ssl: false }, /rejects connection/],
    [
      "the application user on another database",
      "127.0.0.2",
      { database: "postgres" },
      /rejects connection for host "127\.0\.0\.2", user "erp", database "postgres"/,
    ],
  ] as const)("refuses %s", async (_what, from, overrides, refusal) => {
    expect(await login(from, overrides)).toMatch(refusal);
  });
});

describe("the laptop's settings (deploy/launcher/postgres-settings.ts)", () => {
  it("start the same server, and every one of them is in force", async () => {
    await cluster.stop();
    await cluster.start(postgresFlags());
    const names = Object.keys(laptopPostgresSettings);
    // Every flag won over the conf.d file that is still installed...
    const sources = await cluster.psql(
      `SELECT name || ':' || source FROM pg_settings WHERE name IN (${names.map((n) => `'${n}'`).join(",")}) ORDER BY name`,
    );
    expect(sources.split("\n")).toEqual(names.sort().map((n) => `${n}:command line`));
    // ...and the laptop sizes are the ones in force.
    expect(await show(["max_wal_size", "min_wal_size", "max_connections", "autovacuum_max_workers"])).toEqual({
      max_wal_size: "1024MB",
      min_wal_size: "128MB",
      max_connections: "100",
      autovacuum_max_workers: "3",
    });
  });
});
