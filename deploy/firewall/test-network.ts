import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

// A small network of its own for the firewall test, built from network
// namespaces joined by veth pairs: a gateway routing between the ERP API host
// (the core network), a factory VLAN host, a WireGuard peer and a stranger.
// The namespaces have no link to the machine's own network, so nothing sent
// between them can leave; every address used lives inside them. Names carry
// a random suffix, so parallel runs never meet.

const run = promisify(execFile);

export type Host = "api" | "factory" | "vpn" | "stranger";

/** The seed article's addresses (its VLAN 10 core, VLAN 120 factory, 10.8.0.0/24 VPN), plus IPv6 ones. */
export const plan = {
  api: { gwIf: "to-api", v4: "192.168.10.50/24", gw4: "192.168.10.1/24", v6: "fd00:10::50/64", gw6: "fd00:10::1/64" },
  factory: { gwIf: "to-factory", v4: "192.168.120.20/24", gw4: "192.168.120.1/24" },
  // 10.8.0.10 is the warehouse peer the rules name; 10.8.0.20 is on the VPN but not a listed peer.
  vpn: {
    gwIf: "wg0",
    v4: "10.8.0.10/24",
    extra4: "10.8.0.20/24",
    gw4: "10.8.0.1/24",
    v6: "fd00:8::10/64",
    gw6: "fd00:8::1/64",
  },
  stranger: {
    gwIf: "to-stranger",
    v4: "192.168.99.20/24",
    gw4: "192.168.99.1/24",
    v6: "fd00:99::20/64",
    gw6: "fd00:99::1/64",
  },
} as const;

const hosts = Object.keys(plan) as Host[];
const bare = (cidr: string) => cidr.split("/")[0] as string;

export type ProbeResult = {
  target: string;
  from?: string;
  outcome: "connected" | "timeout" | "refused" | string;
  reply?: string;
};

export class TestNetwork {
  readonly gw: string;
  readonly names: Record<Host, string>;
  private listener: ChildProcess | undefined;
  private created: string[] = [];

  constructor() {
    const suffix = `${process.pid}-${randomBytes(3).toString("hex")}`;
    this.gw = `erpfw-gw-${suffix}`;
    this.names = Object.fromEntries(hosts.map((h) => [h, `erpfw-${h}-${suffix}`])) as Record<Host, string>;
  }

  /** Runs a command inside a namespace of this network (and nowhere else). */
  async exec(ns: string, command: string, args: string[], input?: string): Promise<string> {
    if (!this.created.includes(ns)) throw new Error(`${ns} is not a namespace of this test network`);
    const child = run("ip", ["netns", "exec", ns, command, ...args], { maxBuffer: 4 << 20 });
    if (input !== undefined) child.child.stdin?.end(input);
    return (await child).stdout;
  }

  async build(): Promise<void> {
    for (const ns of [this.gw, ...Object.values(this.names)]) {
      await run("ip", ["netns", "add", ns]);
      this.created.push(ns);
      await run("ip", ["-n", ns, "link", "set", "lo", "up"]);
    }
    for (const host of hosts) {
      const ns = this.names[host];
      const p = plan[host];
      // Created inside the gateway with its peer placed straight into the
      // host's namespace: no interface ever appears in the machine's own.
      await run("ip", ["-n", this.gw, "link", "add", p.gwIf, "type", "veth", "peer", "name", "eth0", "netns", ns]);
      await run("ip", ["-n", this.gw, "addr", "add", p.gw4, "dev", p.gwIf]);
      await run("ip", ["-n", ns, "addr", "add", p.v4, "dev", "eth0"]);
      if ("extra4" in p) await run("ip", ["-n", ns, "addr", "add", p.extra4, "dev", "eth0"]);
      if ("v6" in p) {
        await run("ip", ["-n", this.gw, "addr", "add", p.gw6, "dev", p.gwIf, "nodad"]);
        await run("ip", ["-n", ns, "addr", "add", p.v6, "dev", "eth0", "nodad"]);
      }
      await run("ip", ["-n", this.gw, "link", "set", p.gwIf, "up"]);
      await run("ip", ["-n", ns, "link", "set", "eth0", "up"]);
      await run("ip", ["-n", ns, "route", "add", "default", "via", bare(p.gw4)]);
      if ("v6" in p) await run("ip", ["-n", ns, "-6", "route", "add", "default", "via", bare(p.gw6)]);
    }
    await this.exec(this.gw, "sysctl", ["-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"]);
  }

  /**
   * Before any traffic: the namespaces exist, the gateway's only links are
   * its loopback and the four veths, each host has only loopback and its
   * veth to the gateway, and the addresses probed are the hosts' own.
   */
  async assertIsolated(): Promise<void> {
    const listed = (await run("ip", ["netns", "list"])).stdout;
    for (const ns of this.created) {
      if (!new RegExp(`^${ns}( |$)`, "m").test(listed)) throw new Error(`namespace ${ns} is missing`);
    }
    const links = async (ns: string) =>
      (await run("ip", ["-n", ns, "-o", "link", "show"])).stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => (line.split(": ")[1] ?? "").split("@")[0])
        .sort();
    const gwLinks = await links(this.gw);
    const expected = ["lo", ...hosts.map((h) => plan[h].gwIf)].sort();
    if (JSON.stringify(gwLinks) !== JSON.stringify(expected)) throw new Error(`gateway links: ${gwLinks}`);
    for (const host of hosts) {
      const own = await links(this.names[host]);
      if (JSON.stringify(own) !== JSON.stringify(["eth0", "lo"])) throw new Error(`${host} links: ${own}`);
    }
    const apiAddresses = (await run("ip", ["-n", this.names.api, "-o", "addr", "show", "dev", "eth0"])).stdout;
    for (const address of [bare(plan.api.v4), bare(plan.api.v6)]) {
      if (!apiAddresses.includes(` ${address}/`)) throw new Error(`${address} is not the API host's`);
    }
  }

  /** TCP listeners in the API host on these ports, answering "api:<port>". */
  async listen(ports: number[]): Promise<void> {
    const script = `
      const net = require("node:net");
      const ports = ${JSON.stringify(ports)};
      let up = 0;
      for (const port of ports) {
        net.createServer((s) => s.end("api:" + port + "\\n")).listen({ port, host: "::" }, () => {
          if (++up === ports.length) console.log("ready");
        });
      }`;
    const listener = spawn("ip", ["netns", "exec", this.names.api, process.execPath, "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    this.listener = listener;
    await new Promise<void>((resolve, reject) => {
      listener.stdout?.on("data", (chunk) => String(chunk).includes("ready") && resolve());
      listener.once("exit", (code) => reject(new Error(`the API host's listener exited (${code})`)));
    });
  }

  /** TCP connections from one host, all at once; a dropped one times out. */
  async probe(
    from: Host,
    targets: { host: string; port: number; source?: string }[],
    timeoutMs = 3000,
  ): Promise<ProbeResult[]> {
    const script = `
      const net = require("node:net");
      const targets = ${JSON.stringify(targets)};
      Promise.all(targets.map((t) => new Promise((resolve) => {
        const result = { target: t.host + ":" + t.port, from: t.source, outcome: "timeout" };
        const socket = net.connect({ host: t.host, port: t.port, localAddress: t.source });
        const done = (outcome) => { result.outcome = outcome; socket.destroy(); resolve(result); };
        const timer = setTimeout(() => done("timeout"), ${timeoutMs});
        let reply = "";
        socket.on("data", (d) => { reply += d; });
        socket.on("end", () => { clearTimeout(timer); result.reply = reply.trim(); done("connected"); });
        socket.on("error", (e) => { clearTimeout(timer); done(e.code === "ECONNREFUSED" ? "refused" : e.code); });
      }))).then((r) => console.log(JSON.stringify(r)));`;
    return JSON.parse(await this.exec(this.names[from], process.execPath, ["-e", script])) as ProbeResult[];
  }

  /** Stops the listener and deletes every namespace; safe to call twice or after a failed build. */
  async destroy(): Promise<void> {
    if (this.listener?.pid && this.listener.exitCode === null) {
      const exited = new Promise((resolve) => this.listener?.once("exit", resolve));
      this.listener.kill("SIGTERM");
      await exited;
    }
    for (const ns of this.created.splice(0).reverse()) {
      await run("ip", ["netns", "del", ns]).catch(() => {});
    }
  }

  /** Whether any of this network's namespaces is still there. */
  async leftovers(): Promise<string[]> {
    const listed = (await run("ip", ["netns", "list"])).stdout;
    return [this.gw, ...Object.values(this.names)].filter((ns) => new RegExp(`^${ns}( |$)`, "m").test(listed));
  }
}
