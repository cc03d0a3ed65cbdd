import { execFile } from "node:child_process";
import { createPrivateKey, createPublicKey, diffieHellman } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// generate-configs.sh end to end: keys made (with OpenSSL's X25519, and with
// `wg` where wireguard-tools is installed), configs filled, permissions, keys
// kept on a second run, and keys kept out of the repository. Every key pair is
// checked with Node's own X25519, independently of the tool that made it.

const run = promisify(execFile);
const here = import.meta.dirname;
const script = path.join(here, "generate-configs.sh");
const repoRoot = path.resolve(here, "../..");
const hasWg = await run("wg", ["--version"]).then(
  () => true,
  () => false,
);

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const baseArgs = (out: string) => [
  ...["--out", out, "--endpoint", "vpn.example.com:51820", "--route", "192.168.10.50/32"],
  ...["--server-address", "10.8.0.1/24,fd00:8::1/64", "--warehouse", "north=10.8.0.10"],
  ...["--warehouse", "south=10.8.0.11,fd00:8::11"],
];
const generate = (args: string[], keygen: string) =>
  run("bash", [script, ...args], { env: { ...process.env, ERP_WG_KEYGEN: keygen } });

/** A WireGuard private key (raw X25519, base64) as a Node key object. */
function privateKey(base64: string) {
  const raw = Buffer.from(base64, "base64");
  expect(raw).toHaveLength(32);
  const header = Buffer.from("302e020100300506032b656e04220420", "hex");
  return createPrivateKey({ key: Buffer.concat([header, raw]), format: "der", type: "pkcs8" });
}
const publicOf = (base64: string) =>
  Buffer.from(createPublicKey(privateKey(base64)).export({ format: "jwk" }).x as string, "base64url").toString(
    "base64",
  );
const conf = (text: string, key: string) => [...text.matchAll(new RegExp(`^${key} = (.*)$`, "gm"))].map((m) => m[1]);

describe.each(hasWg ? ["openssl", "wg"] : ["openssl"])("generate-configs.sh with keys from %s", (keygen) => {
  let out = "";
  const read = (file: string) => readFileSync(path.join(out, file), "utf8");
  const key = (name: string) => read(`keys/${name}`).trim();

  beforeAll(async () => {
    out = path.join(await mkdtemp(path.join(tmpdir(), "erp-wg-")), "wireguard");
    dirs.push(path.dirname(out));
    const { stdout } = await generate(baseArgs(out), keygen);
    expect(stdout).toContain(`keys made with ${keygen}`);
  });

  it("writes every file 0600 and every directory 0700", () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? [full, ...walk(full)] : [full];
      });
    const modes = Object.fromEntries(
      [out, ...walk(out)].map((f) => [path.relative(out, f) || ".", (statSync(f).mode & 0o777).toString(8)]),
    );
    expect(modes).toEqual({
      ".": "700",
      keys: "700",
      server: "700",
      warehouses: "700",
      "warehouses/north": "700",
      "warehouses/south": "700",
      "server/wg0.conf": "600",
      "warehouses/north/wg0.conf": "600",
      "warehouses/south/wg0.conf": "600",
      ...Object.fromEntries(
        ["server.key", "server.pub", ...["north", "south"].flatMap((n) => [`${n}.key`, `${n}.pub`, `${n}.psk`])].map(
          (f) => [`keys/${f}`, "600"],
        ),
      ),
    });
  });

  it("makes real X25519 key pairs: each public key belongs to its private key, and both ends agree", () => {
    for (const name of ["server", "north", "south"]) expect(key(`${name}.pub`)).toBe(publicOf(key(`${name}.key`)));
    const shared = (mine: string, theirs: string) =>
      diffieHellman({ privateKey: privateKey(mine), publicKey: createPublicKey(privateKey(theirs)) });
    expect(shared(key("server.key"), key("north.key"))).toEqual(shared(key("north.key"), key("server.key")));
    expect(Buffer.from(key("north.psk"), "base64")).toHaveLength(32);
  });

  it("fills the central server's config: its key, and one peer per warehouse with its tunnel address only", () => {
    const server = read("server/wg0.conf");
    expect(server).not.toMatch(/@[A-Z_]+@/);
    expect(conf(server, "Address")).toEqual(["10.8.0.1/24, fd00:8::1/64"]);
    expect(conf(server, "ListenPort")).toEqual(["51820"]);
    expect(conf(server, "PrivateKey")).toEqual([key("server.key")]);
    expect(conf(server, "PublicKey")).toEqual([key("north.pub"), key("south.pub")]);
    expect(conf(server, "PresharedKey")).toEqual([key("north.psk"), key("south.psk")]);
    expect(conf(server, "AllowedIPs")).toEqual(["10.8.0.10/32", "10.8.0.11/32, fd00:8::11/128"]);
  });

  it("fills each warehouse's config: its own key, the server's public key, the endpoint and only the routes it needs", () => {
    const south = read("warehouses/south/wg0.conf");
    expect(south).not.toMatch(/@[A-Z_]+@/);
    expect(conf(south, "Address")).toEqual(["10.8.0.11/32, fd00:8::11/128"]);
    expect(conf(south, "PrivateKey")).toEqual([key("south.key")]);
    expect(conf(south, "PublicKey")).toEqual([key("server.pub")]);
    expect(conf(south, "PresharedKey")).toEqual([key("south.psk")]);
    expect(conf(south, "Endpoint")).toEqual(["vpn.example.com:51820"]);
    expect(conf(south, "AllowedIPs")).toEqual(["10.8.0.1/32, fd00:8::1/128, 192.168.10.50/32"]);
    expect(conf(south, "PersistentKeepalive")).toEqual(["25"]);
    // No other warehouse's secrets.
    expect(south).not.toContain(key("north.key"));
    expect(south).not.toContain(key("server.key"));
  });

  it("keeps every key when run again to add a warehouse", async () => {
    const before = Object.fromEntries(["server.key", "north.key", "north.psk"].map((f) => [f, key(f)]));
    await generate([...baseArgs(out), "--warehouse", "east=10.8.0.12"], keygen);
    expect(Object.fromEntries(Object.keys(before).map((f) => [f, key(f)]))).toEqual(before);
    expect(conf(read("server/wg0.conf"), "PublicKey")).toEqual([key("north.pub"), key("south.pub"), key("east.pub")]);
  });
});

describe("generate-configs.sh and the repository", () => {
  it("refuses to write keys where git would not ignore them, and writes nothing", async () => {
    const out = path.join(here, `not-ignored-${process.pid}`);
    const failed = await generate(baseArgs(out), "openssl").catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringMatching(/would not be ignored/) });
    expect(existsSync(out)).toBe(false);
  });

  it("has .gitignore cover its suggested directory and private keys anywhere", async () => {
    const files = ["keys/server.key", "keys/north.psk", "server/wg0.conf", "warehouses/north/wg0.conf"];
    const paths = files.map((f) => `deploy/wireguard/generated/${f}`);
    const { stdout } = await run("git", ["-C", repoRoot, "check-ignore", ...paths, "elsewhere/server.key"]);
    expect(stdout.trim().split("\n")).toEqual([...paths, "elsewhere/server.key"]);
  });

  it("keeps no key material in its templates", () => {
    const dir = path.join(here, "templates");
    for (const file of readdirSync(dir)) {
      const text = readFileSync(path.join(dir, file), "utf8");
      expect(text, file).not.toMatch(/[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=/);
      expect(text, file).toMatch(/@[A-Z_]+_KEY@/);
    }
  });
});
