import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { environment, readUnit, type UnitFile, value, values, withDropIns } from "./unit-file";

// The systemd units in this folder, read as systemd reads them (each
// erp-*.service with the shared erp-.service.d/ drop-in), checked for what
// deploy/README.md promises: an unprivileged user, settings from a file
// outside the repository, restart policies, and the hardening options. Then
// systemd's own tools: `systemd-analyze verify` and the offline
// `systemd-analyze security` exposure score.

const run = promisify(execFile);
const here = import.meta.dirname;
const repoRoot = path.resolve(here, "../..");
const dropInDir = path.join(here, "erp-.service.d");
const dropIns = readdirSync(dropInDir)
  .filter((f) => f.endsWith(".conf"))
  .map((f) => readUnit(path.join(dropInDir, f)));
const unitNames = readdirSync(here).filter((f) => /\.(service|timer|target)$/.test(f));
const services = unitNames.filter((f) => f.endsWith(".service"));
const effective = (name: string): UnitFile => {
  const unit = readUnit(path.join(here, name));
  return name.startsWith("erp-") && name.endsWith(".service") ? withDropIns(unit, dropIns) : unit;
};

const longRunning = ["erp-web.service", "erp-realtime.service", "erp-worker.service"];
const oneShots = ["erp-migrate.service", "erp-outbox-sweep.service"];

const hardening: Record<string, string> = {
  NoNewPrivileges: "yes",
  CapabilityBoundingSet: "",
  AmbientCapabilities: "",
  ProtectSystem: "strict",
  ProtectHome: "yes",
  PrivateTmp: "yes",
  PrivateDevices: "yes",
  ProtectKernelTunables: "yes",
  ProtectKernelModules: "yes",
  ProtectKernelLogs: "yes",
  ProtectControlGroups: "yes",
  ProtectClock: "yes",
  ProtectHostname: "yes",
  RestrictAddressFamilies: "AF_INET AF_INET6 AF_UNIX",
  RestrictNamespaces: "yes",
  RestrictRealtime: "yes",
  RestrictSUIDSGID: "yes",
  LockPersonality: "yes",
  SystemCallArchitectures: "native",
  UMask: "0077",
};

const tempDirs: string[] = [];
afterAll(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

describe("the systemd units", () => {
  it("are all here: web, realtime, worker, migrate, the outbox sweep and its timer, erp.target", () => {
    expect(unitNames.sort()).toEqual([...longRunning, ...oneShots, "erp-outbox-sweep.timer", "erp.target"].sort());
  });

  it.each(services)("%s runs as erp, from /opt/erp/current, with settings from /etc/erp/erp.env", (name) => {
    const unit = effective(name);
    expect(value(unit, "Service", "User")).toBe("erp");
    expect(value(unit, "Service", "Group")).toBe("erp");
    expect(value(unit, "Service", "WorkingDirectory")).toBe("/opt/erp/current");
    expect(values(unit, "Service", "EnvironmentFile")).toEqual(["/etc/erp/erp.env"]);
    expect(environment(unit).get("NODE_ENV")).toBe("production");
  });

  it.each(services)("%s carries every hardening option, and not MemoryDenyWriteExecute", (name) => {
    const unit = effective(name);
    const inForce = Object.fromEntries(Object.keys(hardening).map((key) => [key, value(unit, "Service", key)]));
    expect(inForce).toEqual(hardening);
    expect(values(unit, "Service", "SystemCallFilter")).toEqual(["@system-service", "~@privileged"]);
    expect(value(unit, "Service", "ProtectProc")).toBe("invisible");
    // V8's JIT needs writable-then-executable memory: node aborts under it.
    expect(values(unit, "Service", "MemoryDenyWriteExecute")).toEqual([]);
    // Nothing is writable but what a unit names, and only below /opt/erp.
    for (const dir of values(unit, "Service", "ReadWritePaths")) {
      expect(dir.replace(/^-/, "")).toMatch(/^\/opt\/erp\/current\//);
    }
  });

  it("say why MemoryDenyWriteExecute is left off", () => {
    const text = readFileSync(path.join(dropInDir, "10-hardening.conf"), "utf8");
    expect(text).toMatch(/NOT MemoryDenyWriteExecute=yes: V8[\s\S]*JIT/);
  });

  it.each(longRunning)("%s restarts on any exit and gives up only after a burst of crashes", (name) => {
    const unit = effective(name);
    expect(value(unit, "Service", "Type")).toBe("exec");
    expect(value(unit, "Service", "Restart")).toBe("always");
    expect(Number(value(unit, "Service", "RestartSec"))).toBeGreaterThan(0);
    expect(Number(value(unit, "Unit", "StartLimitBurst"))).toBeGreaterThan(1);
    expect(value(unit, "Unit", "PartOf")).toBe("erp.target");
    expect(value(unit, "Install", "WantedBy")).toBe("erp.target");
  });

  it("web runs `next start` on its internal address, with defaults for the variables it uses", () => {
    const unit = effective("erp-web.service");
    const [command, script, ...args] = (value(unit, "Service", "ExecStart") ?? "").split(/\s+/);
    expect(command).toBe("node");
    expect(existsSync(path.join(repoRoot, script as string))).toBe(true);
    expect(script).toBe("node_modules/next/dist/bin/next");
    expect(args).toEqual(["start", "--hostname", `\${HOST}`, "--port", `\${PORT}`]);
    const env = environment(unit);
    expect(env.get("HOST")).toBe("127.0.0.1");
    expect(env.get("PORT")).toBe("3000");
    expect(values(unit, "Service", "ReadWritePaths")).toEqual(["-/opt/erp/current/.next/cache"]);
  });

  it.each(services.filter((s) => s !== "erp-web.service"))(
    "%s runs its script with node --import tsx, as the launcher does",
    (name) => {
      const [command, flag, loader, script, ...rest] = (value(effective(name), "Service", "ExecStart") ?? "").split(
        /\s+/,
      );
      expect([command, flag, loader]).toEqual(["node", "--import", "tsx"]);
      expect(rest).toEqual([]);
      expect(existsSync(path.join(repoRoot, script as string)), `${script} exists`).toBe(true);
    },
  );

  it("web and worker require the migration; the sweep's timer starts the sweep", () => {
    for (const name of ["erp-web.service", "erp-worker.service"]) {
      expect(values(effective(name), "Unit", "Requires")).toContain("erp-migrate.service");
      expect(value(effective(name), "Unit", "After")).toContain("erp-migrate.service");
    }
    expect(value(effective("erp-migrate.service"), "Service", "RemainAfterExit")).toBe("yes");
    const timer = effective("erp-outbox-sweep.timer");
    expect(value(timer, "Timer", "Unit")).toBe("erp-outbox-sweep.service");
    expect(value(timer, "Timer", "OnUnitActiveSec")).toBe("1min");
    expect(value(effective("erp-outbox-sweep.service"), "Service", "Type")).toBe("oneshot");
    expect(Number.parseInt(value(effective("erp-outbox-sweep.service"), "Service", "TimeoutStartSec") ?? "", 10)).toBe(
      300,
    );
  });

  it("erp.target pulls in every long-running service and the timer", () => {
    const wants = (value(effective("erp.target"), "Unit", "Wants") ?? "").split(/\s+/);
    expect(wants.sort()).toEqual([...longRunning, "erp-outbox-sweep.timer"].sort());
    for (const name of wants) expect(unitNames).toContain(name);
  });

  it("systemd-analyze verify finds nothing to say", async () => {
    await requireSystemdAnalyze();
    // SYSTEMD_UNIT_PATH with a trailing colon: this folder first, then the
    // system's units (so that the drop-in folder is read as installed).
    const { stdout, stderr } = await run("systemd-analyze", ["verify", ...unitNames.map((n) => path.join(here, n))], {
      env: { ...process.env, SYSTEMD_UNIT_PATH: `${here}:` },
    });
    expect(`${stdout}${stderr}`.trim()).toBe("");
  });

  it.each(services)("systemd-analyze security rates %s at 2.0 or less (OK)", async (name) => {
    await requireSystemdAnalyze();
    // Offline analysis reads the units from a root directory, as installed.
    const root = await mkdtemp(path.join(tmpdir(), "erp-units-"));
    tempDirs.push(root);
    const unitDir = path.join(root, "etc/systemd/system");
    await mkdir(unitDir, { recursive: true });
    await cp(here, unitDir, { recursive: true, filter: (src) => !src.endsWith(".ts") });
    const { stdout } = await run("systemd-analyze", ["security", "--offline=true", `--root=${root}`, name]);
    const score = /Overall exposure level for \S+: ([\d.]+)/.exec(stdout)?.[1];
    expect(score, stdout).toBeDefined();
    expect(Number(score)).toBeLessThanOrEqual(2.0);
  });
});

async function requireSystemdAnalyze(): Promise<void> {
  const found = await run("systemd-analyze", ["--version"]).catch(() => null);
  if (!found) {
    throw new Error(
      "systemd-analyze is not installed, so the units cannot be checked by systemd itself: apt-get install -y systemd",
    );
  }
}
