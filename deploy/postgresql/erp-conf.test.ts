import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parsePostgresConf } from "../launcher/postgres-settings";

// What the files in this folder say, read as text: the seed article's
// settings, each with its reason, and the pg_hba example in step with its
// script. The server's own reading of them is postgresql-server.test.ts.

const run = promisify(execFile);
const here = import.meta.dirname;
const confText = readFileSync(path.join(here, "conf.d/erp.conf"), "utf8");

// The seed's postgresql.conf block, as written there.
const seed = {
  wal_level: "replica",
  max_wal_size: "16GB",
  min_wal_size: "2GB",
  checkpoint_completion_target: "0.9",
  autovacuum: "on",
  autovacuum_max_workers: "5",
  autovacuum_vacuum_scale_factor: "0.05",
  autovacuum_vacuum_cost_limit: "1000",
  autovacuum_vacuum_cost_delay: "10ms",
};

describe("deploy/postgresql/conf.d/erp.conf", () => {
  it("carries the seed's WAL, checkpoint and autovacuum settings", () => {
    const settings = parsePostgresConf(confText);
    expect(Object.fromEntries(Object.keys(seed).map((name) => [name, settings.get(name)]))).toEqual(seed);
  });

  it("says why on every setting's line", () => {
    const uncommented = confText
      .split("\n")
      .filter((line) => /^[a-z_]+\s*=/.test(line))
      .filter((line) => !/#\s*\S.{8,}/.test(line));
    expect(uncommented).toEqual([]);
  });

  it("listens on loopback only; the core address is added by the administrator, never '*'", () => {
    expect(parsePostgresConf(confText).get("listen_addresses")).toBe("127.0.0.1");
    expect(confText).toMatch(/Never '\*', never an address on the factory VLAN/);
  });
});

describe("render-pg-hba.sh", () => {
  const render = (...args: string[]) => run("bash", [path.join(here, "render-pg-hba.sh"), ...args]);

  it("matches pg_hba.conf.example for the seed's API host", async () => {
    const { stdout } = await render("--app-host", "192.168.10.50");
    expect(stdout).toBe(readFileSync(path.join(here, "pg_hba.conf.example"), "utf8"));
  });

  it("allows the application user from the application hosts only, with scram-sha-256, and rejects the rest", async () => {
    const { stdout } = await render(
      "--app-host",
      "192.168.10.50",
      "--app-host",
      "fd00:10::50",
      "--app-host",
      "192.168.10.64/28",
    );
    const rows = stdout
      .split("\n")
      .filter((line) => line && !line.startsWith("#"))
      .map((line) => line.split(/\s+/).join(" "));
    expect(rows).toEqual([
      "local all postgres peer",
      "local erp erp scram-sha-256",
      "host erp erp 127.0.0.1/32 scram-sha-256",
      "host erp erp ::1/128 scram-sha-256",
      "hostssl erp erp 192.168.10.50/32 scram-sha-256",
      "hostssl erp erp fd00:10::50/128 scram-sha-256",
      "hostssl erp erp 192.168.10.64/28 scram-sha-256",
      "local all all reject",
      "host all all 0.0.0.0/0 reject",
      "host all all ::/0 reject",
    ]);
  });

  it("without application hosts, lets the application in from this host only", async () => {
    const { stdout } = await render();
    expect(stdout).not.toMatch(/^hostssl/m);
    expect(stdout).toMatch(/^host +erp +erp +127\.0\.0\.1\/32 +scram-sha-256$/m);
    expect(stdout).toMatch(/^host +all +all +0\.0\.0\.0\/0 +reject$/m);
  });

  it.each([
    [["--app-host", "0.0.0.0/0x"], /not an IPv4 or IPv6 address/],
    [["--app-host", "192.168.10.50", "--user", "postgres"], /must not connect as the superuser/],
    [["--user", "Erp"], /--user/],
    [["--app-host", "192.168.10.50", "--database", "erp; DROP"], /--database/],
  ])("refuses %j", async (args, message) => {
    await expect(render(...args)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(message) });
  });
});
