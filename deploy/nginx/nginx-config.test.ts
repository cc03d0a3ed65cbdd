import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { type NginxSettings, type NginxTls, renderNginxConfig, writeNginxConfig } from "./render-config";

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "../..");
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const plain: NginxSettings = {
  runDir: "/run/erp",
  listen: "127.0.0.1:3000",
  webUpstreams: ["127.0.0.1:3010"],
  realtimeUpstreams: ["127.0.0.1:3001", "127.0.0.1:3003"],
};
const tls = (dir: string): NginxTls => ({
  certificate: path.join(dir, "trial.crt"),
  key: path.join(dir, "trial.key"),
  httpListen: "80",
  httpsPort: 443,
});

/** The text of one block, from its opening line to its matching brace. */
function block(config: string, opening: string): string {
  const start = config.indexOf(opening);
  expect(start, opening).toBeGreaterThanOrEqual(0);
  let depth = 0;
  for (let i = config.indexOf("{", start); i < config.length; i++) {
    if (config[i] === "{") depth++;
    if (config[i] === "}" && --depth === 0) return config.slice(start, i + 1);
  }
  throw new Error(`${opening} is not closed`);
}

describe("the nginx configuration", () => {
  it.each(["plain HTTP", "TLS"])("passes nginx -t once rendered (%s)", async (mode) => {
    const runDir = await mkdtemp(path.join(tmpdir(), "erp-nginx-"));
    dirs.push(runDir);
    let settings: NginxSettings = { ...plain, runDir, listen: "127.0.0.1:18080" };
    if (mode === "TLS") {
      await run("bash", [path.join(repoRoot, "deploy/nginx/make-trial-cert.sh"), runDir]);
      settings = { ...settings, tls: { ...tls(runDir), httpListen: "127.0.0.1:18081" } };
    }
    const file = await writeNginxConfig(settings);
    // nginx -t writes its verdict on stderr and exits non-zero on any error.
    const { stderr } = await run("nginx", ["-t", "-c", file, "-p", runDir, "-e", "stderr"]);
    expect(stderr).toMatch(/test is successful/);
  });

  it("renders for a server from the command line (deploy/README.md), and nginx -t passes", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "erp-nginx-"));
    dirs.push(dir);
    await run("bash", [path.join(repoRoot, "deploy/nginx/make-trial-cert.sh"), dir]);
    const { stdout } = await run(process.execPath, [
      "--import",
      "tsx",
      path.join(repoRoot, "deploy/nginx/render.ts"),
      ...["--listen", "127.0.0.1:18443", "--http-listen", "127.0.0.1:18080"],
      ...["--cert", path.join(dir, "trial.crt"), "--key", path.join(dir, "trial.key")],
      ...["--web", "127.0.0.1:13000", "--realtime", "127.0.0.1:13001", "--realtime", "127.0.0.1:13011"],
      ...["--run-dir", path.join(dir, "run"), "--pid-file", path.join(dir, "nginx.pid"), "--log-dir", dir],
    ]);
    expect(stdout).toContain(`pid ${path.join(dir, "nginx.pid")};`);
    expect(stdout).toContain("server 127.0.0.1:13011;");
    expect(stdout).toContain("return 301 https://$host:18443$request_uri;");
    const file = path.join(dir, "nginx.conf");
    await writeFile(file, stdout);
    await mkdir(path.join(dir, "run"));
    const { stderr } = await run("nginx", ["-t", "-c", file, "-p", dir, "-e", "stderr"]);
    expect(stderr).toMatch(/test is successful/);
  });

  it("carries the seed's WebSocket settings on /ws/", async () => {
    const config = await renderNginxConfig(plain);
    const ws = block(config, "location /ws/");
    for (const directive of [
      "proxy_pass http://erp_realtime;",
      "proxy_http_version 1.1;",
      "proxy_set_header Upgrade $http_upgrade;",
      "proxy_set_header Connection $connection_upgrade;",
      "proxy_read_timeout 3600s;",
      "proxy_send_timeout 3600s;",
      "proxy_buffering off;",
      "proxy_socket_keepalive on;",
    ]) {
      expect(ws).toContain(directive);
    }
  });

  it("routes each realtime client to one instance, keeping connections to them open", async () => {
    const upstream = block(await renderNginxConfig(plain), "upstream erp_realtime");
    expect(upstream).toContain("hash $remote_addr consistent;");
    expect(upstream).toContain("server 127.0.0.1:3001;");
    expect(upstream).toContain("server 127.0.0.1:3003;");
    expect(upstream).toContain("keepalive 64;");
  });

  it("listens only where told, and proxies only to web and realtime", async () => {
    const withoutTls = await renderNginxConfig(plain);
    expect(withoutTls.match(/^\s*listen .*;$/gm)).toEqual(["    listen 127.0.0.1:3000;"]);
    expect(withoutTls).not.toContain("add_header Strict-Transport-Security");
    expect(withoutTls).not.toContain("ssl_certificate");

    const withTls = await renderNginxConfig({ ...plain, listen: "443", tls: tls("/etc/erp/tls") });
    expect(withTls.match(/^\s*listen .*;$/gm)).toEqual(["    listen 80;", "    listen 443 ssl;"]);
    expect(block(withTls, "location / {")).toContain("return 301 https://$host$request_uri;");
    expect(withTls).toContain('add_header Strict-Transport-Security "max-age=31536000" always;');

    const targets = new Set(withTls.match(/proxy_pass \S+;/g));
    expect([...targets].sort()).toEqual(["proxy_pass http://erp_realtime;", "proxy_pass http://erp_web;"]);
    const locations = withTls.match(/^\s*location \S+( \S+)? \{/gm)?.map((l) => l.trim());
    expect(locations).toEqual([
      "location / {", // the redirect server's only location
      "location @erp_too_large {",
      "location @erp_too_many {",
      "location @erp_unavailable {",
      "location /ws/ {",
      "location = /api/auth/login {",
      "location /api/ {",
      "location /api/bench/ {",
      "location /_next/ {",
      "location ~ ^/_next/(webpack-)?hmr$ {",
      "location / {",
    ]);
  });

  it("puts the HTTPS port into the redirect unless it is 443", async () => {
    const config = await renderNginxConfig({ ...plain, tls: { ...tls("/tls"), httpListen: "8080", httpsPort: 8443 } });
    expect(config).toContain("return 301 https://$host:8443$request_uri;");
    const noRedirect = await renderNginxConfig({ ...plain, tls: { ...tls("/tls"), httpListen: undefined } });
    expect(noRedirect).not.toContain("return 301");
  });

  it.each([
    ["listen", { listen: "80; include /etc/passwd" }],
    ["an upstream", { webUpstreams: ["127.0.0.1:1; }"] }],
    ["the certificate", { tls: { ...tls("/x"), certificate: "/x/a.crt;\nload_module" } }],
  ])("refuses a setting that would inject a directive (%s)", async (_, bad) => {
    await expect(renderNginxConfig({ ...plain, ...(bad as Partial<NginxSettings>) })).rejects.toThrow(/not allowed/);
  });

  it("refuses to render without an upstream", async () => {
    await expect(renderNginxConfig({ ...plain, realtimeUpstreams: [] })).rejects.toThrow(/at least one upstream/);
  });
});
