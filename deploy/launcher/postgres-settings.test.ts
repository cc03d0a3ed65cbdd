import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  laptopOverrides,
  laptopPostgresSettings,
  parsePostgresConf,
  postgresFlags,
  productionConfFile,
  readLaptopPostgresSettings,
} from "./postgres-settings";

// The embedded PostgreSQL of `npm start` takes its settings from the
// production file, so the two cannot drift apart. (That the server accepts
// them is deploy/postgresql/postgresql-server.test.ts's part.)

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function confFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "erp-pgsettings-"));
  dirs.push(dir);
  const file = path.join(dir, "erp.conf");
  await writeFile(file, text);
  return file;
}

describe("the laptop's PostgreSQL settings", () => {
  it("are every setting of deploy/postgresql/conf.d/erp.conf, with only the laptop overrides changed", async () => {
    const { readFile } = await import("node:fs/promises");
    const production = parsePostgresConf(await readFile(productionConfFile, "utf8"));
    expect(Object.keys(laptopPostgresSettings).sort()).toEqual([...production.keys()].sort());
    for (const [name, value] of production) {
      expect(laptopPostgresSettings[name], name).toBe(laptopOverrides[name] ?? value);
    }
    expect(laptopPostgresSettings).toMatchObject({
      max_wal_size: "1GB",
      autovacuum_vacuum_scale_factor: "0.05",
      autovacuum_vacuum_cost_limit: "1000",
      autovacuum_vacuum_cost_delay: "10ms",
      checkpoint_completion_target: "0.9",
      listen_addresses: "127.0.0.1",
    });
  });

  it("follow a setting added to the production file", async () => {
    const file = await confFile(
      "listen_addresses = '127.0.0.1, 192.168.10.20'\nmax_connections = 200\nmax_wal_size = 16GB\n" +
        "min_wal_size = 2GB\nautovacuum_max_workers = 5\nwork_mem = 8MB   # new\n",
    );
    expect(readLaptopPostgresSettings(file)).toEqual({
      listen_addresses: "127.0.0.1",
      max_connections: "100",
      max_wal_size: "1GB",
      min_wal_size: "128MB",
      autovacuum_max_workers: "3",
      work_mem: "8MB",
    });
  });

  it("refuse an override for a setting the production file no longer has", async () => {
    const file = await confFile("listen_addresses = '127.0.0.1'\nmax_connections = 200\n");
    expect(() => readLaptopPostgresSettings(file)).toThrow(/has no max_wal_size, min_wal_size, autovacuum_max_workers/);
  });

  it("read postgresql.conf's syntax: comments, quotes, optional '='", () => {
    expect(
      Object.fromEntries(
        parsePostgresConf(
          "# a comment\n\nsearch_path = '\"$user\", public'  # why\nlog_line_prefix='it''s %m '\nport 5432\nCheckpoint_Timeout = 15min\n",
        ),
      ),
    ).toEqual({
      search_path: '"$user", public',
      log_line_prefix: "it's %m ",
      port: "5432",
      checkpoint_timeout: "15min",
    });
    expect(() => parsePostgresConf("max_wal_size = = 1GB\n")).toThrow(/cannot read/);
  });

  it("become -c flags", () => {
    expect(postgresFlags({ max_wal_size: "1GB", listen_addresses: "127.0.0.1" })).toEqual([
      "-c",
      "max_wal_size=1GB",
      "-c",
      "listen_addresses=127.0.0.1",
    ]);
  });
});
