import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Host, type ProbeResult, plan, TestNetwork } from "./test-network";

// The firewall script for real: inside a gateway namespace that routes
// between an ERP API host, a factory VLAN host, a VPN peer and a stranger
// (test-network.ts), with TCP listeners on the API host. It must let the
// factory VLAN and the VPN peer reach the API port and drop everything else,
// give the same rules when run twice, and leave the previous rules exactly as
// they were on --rollback. Needs root and Debian's iptables (.ci/run installs it).

const run = promisify(execFile);
const script = path.join(import.meta.dirname, "erp-firewall.sh");
const net = new TestNetwork();

const api4 = plan.api.v4.split("/")[0] as string;
const api6 = plan.api.v6.split("/")[0] as string;
const vpnPeer = plan.vpn.v4.split("/")[0] as string;
const vpnOther = plan.vpn.extra4.split("/")[0] as string;
const vpnPeer6 = plan.vpn.v6.split("/")[0] as string;
const otherPorts = [80, 22, 5432, 6379];

const args = [
  ...["--api-host", api4, "--api-host", api6, "--api-port", "443"],
  ...["--factory", "192.168.120.0/24", "--factory-if", plan.factory.gwIf],
  ...["--vpn-peer", `${vpnPeer}/32`, "--vpn-peer", `${vpnPeer6}/128`, "--vpn-if", plan.vpn.gwIf],
];

const firewall = (...extra: string[]) => net.exec(net.gw, "bash", [script, ...extra]);
/** iptables-save without its dated comments and packet counters. */
const saved = async (family: 4 | 6) =>
  (await net.exec(net.gw, family === 4 ? "iptables-save" : "ip6tables-save", []))
    .split("\n")
    .filter((line) => !line.startsWith("#"))
    .map((line) => line.replace(/\[\d+:\d+\]$/, "[0:0]"))
    .join("\n");

/** "connected" or "timeout" for each probe, keyed "from→target". */
async function reach(from: Host, targets: { host: string; port: number; source?: string }[]) {
  const results: ProbeResult[] = await net.probe(from, targets);
  return Object.fromEntries(
    results.map((r) => [`${r.from ?? from}→${r.target}`, r.outcome === "connected" ? r.reply : r.outcome]),
  );
}
const every = (host: string, ports: number[], source?: string) => ports.map((port) => ({ host, port, source }));

beforeAll(async () => {
  if (process.getuid?.() !== 0) {
    throw new Error("the firewall test builds network namespaces and must run as root; it did not run");
  }
  const iptables = await run("iptables", ["--version"]).catch(() => null);
  if (!iptables)
    throw new Error("iptables is not installed (apt-get install -y iptables); the firewall test did not run");
  await net.build();
  await net.assertIsolated();
  await net.listen([443, ...otherPorts]);
}, 120_000);

afterAll(async () => {
  await net.destroy();
  expect(await net.leftovers()).toEqual([]);
});

describe("deploy/firewall/erp-firewall.sh on a gateway", () => {
  let before4 = "";
  let before6 = "";

  it("starts from an open network: every host reaches every port of the API host", async () => {
    await net.assertIsolated();
    expect(await reach("stranger", every(api4, [443, 5432]))).toEqual({
      [`stranger→${api4}:443`]: "api:443",
      [`stranger→${api4}:5432`]: "api:5432",
    });
    expect(await reach("factory", every(api4, [443, 5432]))).toEqual({
      [`factory→${api4}:443`]: "api:443",
      [`factory→${api4}:5432`]: "api:5432",
    });
    // Rules that were there before the ERP firewall, to find again after --rollback.
    await net.exec(net.gw, "iptables", ["-A", "FORWARD", "-s", "198.51.100.0/24", "-j", "ACCEPT"]);
    await net.exec(net.gw, "ip6tables", ["-A", "FORWARD", "-s", "2001:db8::/32", "-j", "ACCEPT"]);
    before4 = await saved(4);
    before6 = await saved(6);
  });

  it("--dry-run prints the rules and changes nothing", async () => {
    const printed = await firewall("--dry-run", ...args);
    expect(printed).toContain(
      `-A ERP-FORWARD -i to-factory -s 192.168.120.0/24 -d ${api4} -p tcp -m tcp --dport 443 -m conntrack --ctstate NEW`,
    );
    expect(printed).toContain(`-A ERP-FORWARD -i wg0 -s ${vpnPeer}/32 -d ${api4} -p tcp -m tcp --dport 443`);
    expect(printed).toContain(`-A ERP-FORWARD -i wg0 -s ${vpnPeer6}/128 -d ${api6} -p tcp -m tcp --dport 443`);
    expect(printed).toMatch(/-A ERP-FORWARD -m comment --comment "erp: everything else" -j DROP\nCOMMIT/);
    expect(await saved(4)).toBe(before4);
    expect(await saved(6)).toBe(before6);
  });

  it("lets the factory VLAN and the VPN peer reach the API port, and drops the stranger and every other port", async () => {
    await firewall(...args);
    await net.assertIsolated();
    const dropped = Object.fromEntries(otherPorts.map((p) => [p, "timeout"]));
    const expectFrom = (from: string, host: string, open: boolean) =>
      Object.fromEntries([
        [`${from}→${host}:443`, open ? "api:443" : "timeout"],
        ...otherPorts.map((p) => [`${from}→${host}:${p}`, dropped[p]]),
      ]);
    const all = [443, ...otherPorts];
    // All at once: a dropped connection costs a whole timeout.
    const [factory, peer, peer6, notPeer, stranger, stranger6] = await Promise.all([
      reach("factory", every(api4, all)),
      reach("vpn", every(api4, all, vpnPeer)),
      reach("vpn", every(api6, all, vpnPeer6)),
      // On the VPN, but not a listed peer.
      reach("vpn", every(api4, all, vpnOther)),
      reach("stranger", every(api4, all)),
      reach("stranger", every(api6, all)),
    ]);
    expect(factory).toEqual(expectFrom("factory", api4, true));
    expect(peer).toEqual(expectFrom(vpnPeer, api4, true));
    expect(peer6).toEqual(expectFrom(vpnPeer6, api6, true));
    expect(notPeer).toEqual(expectFrom(vpnOther, api4, false));
    expect(stranger).toEqual(expectFrom("stranger", api4, false));
    expect(stranger6).toEqual(expectFrom("stranger", api6, false));
  });

  it("gives the same rules when run twice", async () => {
    const once4 = await saved(4);
    const once6 = await saved(6);
    await firewall(...args);
    expect(await saved(4)).toBe(once4);
    expect(await saved(6)).toBe(once6);
    expect(once4.match(/-j ERP-FORWARD/g)).toHaveLength(1);
    // The rules that were there before are kept, below the jump.
    expect(once4).toMatch(/-A FORWARD -j ERP-FORWARD\n-A FORWARD -s 198\.51\.100\.0\/24 -j ACCEPT/);
  });

  it("--rollback restores the previous rules, and the stranger gets through again", async () => {
    await firewall("--rollback");
    expect(await saved(4)).toBe(before4);
    expect(await saved(6)).toBe(before6);
    await net.assertIsolated();
    expect(await reach("stranger", every(api4, [443, 5432]))).toEqual({
      [`stranger→${api4}:443`]: "api:443",
      [`stranger→${api4}:5432`]: "api:5432",
    });
  });

  it("refuses settings that are not addresses or ports, and changes nothing", async () => {
    for (const bad of [
      ["--api-host", "192.168.10.500", "--factory", "192.168.120.0/24"],
      ["--api-host", api4, "--factory", "192.168.120.0/33"],
      ["--api-host", api4, "--factory", "192.168.120.0/24", "--api-port", "70000"],
      ["--api-host", api4],
      ["--api-host", api4, "--vpn-peer", "10.8.0.10; reboot"],
    ]) {
      const failed = await firewall(...bad).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed?.code, bad.join(" ")).toBe(2);
      expect(failed?.stderr).toMatch(/^erp-firewall: /);
    }
    expect(await saved(4)).toBe(before4);
  });
});
