import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

// How erp-firewall.sh reads its settings (a --dry-run needs neither root nor
// iptables). What the rules do to traffic is erp-firewall.test.ts's part.

const run = promisify(execFile);
const here = import.meta.dirname;
const script = path.join(here, "erp-firewall.sh");
// No ERP_FW_* of the caller's may leak in.
const cleanEnv: NodeJS.ProcessEnv = { ...process.env };
for (const name of Object.keys(cleanEnv)) if (name.startsWith("ERP_FW_")) delete cleanEnv[name];
const dryRun = (args: string[], env: Record<string, string> = {}) =>
  run("bash", [script, "--dry-run", ...args], { env: { ...cleanEnv, ...env } });
const accepts = (out: string) => out.split("\n").filter((l) => l.includes("--ctstate NEW") && l.endsWith("-j ACCEPT"));

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("erp-firewall.sh settings", () => {
  it("reads firewall.env.example: the factory VLAN and the warehouse peer to 192.168.10.50:443", async () => {
    const { stdout } = await dryRun(["--config", path.join(here, "firewall.env.example")]);
    expect(accepts(stdout)).toEqual([
      '-A ERP-FORWARD -i vlan120 -s 192.168.120.0/24 -d 192.168.10.50 -p tcp -m tcp --dport 443 -m conntrack --ctstate NEW -m comment --comment "erp: factory VLAN to the API port" -j ACCEPT',
      '-A ERP-FORWARD -i wg0 -s 10.8.0.10/32 -d 192.168.10.50 -p tcp -m tcp --dport 443 -m conntrack --ctstate NEW -m comment --comment "erp: VPN peer to the API port" -j ACCEPT',
    ]);
    // No IPv6 API host: the IPv6 chain lets replies through and drops the rest.
    const v6 = stdout.slice(stdout.indexOf("# IPv6"));
    expect(accepts(v6)).toEqual([]);
    expect(v6).toContain('-A ERP-FORWARD -m comment --comment "erp: everything else" -j DROP');
  });

  it("takes the environment over the file, and flags on top of both", async () => {
    const { stdout } = await dryRun(
      ["--config", path.join(here, "firewall.env.example"), "--vpn-peer", "10.8.0.11/32"],
      { ERP_FW_API_HOSTS: "192.168.10.60", ERP_FW_ALLOW_FROM: "192.168.10.0/24" },
    );
    const rules = accepts(stdout).map((l) => l.replace(/ -m conntrack.*/, ""));
    expect(rules).toEqual([
      "-A ERP-FORWARD -i vlan120 -s 192.168.120.0/24 -d 192.168.10.60 -p tcp -m tcp --dport 443",
      "-A ERP-FORWARD -i wg0 -s 10.8.0.11/32 -d 192.168.10.60 -p tcp -m tcp --dport 443",
      "-A ERP-FORWARD -i wg0 -s 10.8.0.10/32 -d 192.168.10.60 -p tcp -m tcp --dport 443",
      "-A ERP-FORWARD -s 192.168.10.0/24",
    ]);
  });

  it("never runs what the settings file says", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "erp-fw-"));
    dirs.push(dir);
    const marker = path.join(dir, "ran");
    const file = path.join(dir, "firewall.env");
    await writeFile(file, `ERP_FW_API_HOSTS=192.168.10.50\nERP_FW_VPN_PEERS=$(touch ${marker})\n`);
    const failed = await dryRun(["--config", file]).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringMatching(/not an IPv4 address/) });
    await expect(run("test", ["-e", marker])).rejects.toMatchObject({ code: 1 });
  });
});
