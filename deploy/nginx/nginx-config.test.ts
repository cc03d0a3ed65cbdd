import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { renderNginxConfig, writeNginxConfig } from "./render-config";

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("the nginx configuration", () => {
  it("passes nginx -t once rendered", async () => {
    const runDir = await mkdtemp(path.join(tmpdir(), "erp-nginx-"));
    dirs.push(runDir);
    const file = await writeNginxConfig({
      runDir,
      listen: "127.0.0.1:18080",
      webUpstream: "127.0.0.1:13000",
      realtimeUpstream: "127.0.0.1:13001",
    });
    // nginx -t writes its verdict on stderr and exits non-zero on any error.
    const { stderr } = await run("nginx", ["-t", "-c", file, "-p", runDir, "-e", path.join(runDir, "error.log")]);
    expect(stderr).toMatch(/test is successful/);
  });

  it("carries the seed's WebSocket settings on /ws/", async () => {
    const config = await renderNginxConfig({
      runDir: "/run/erp",
      listen: "443",
      webUpstream: "127.0.0.1:3010",
      realtimeUpstream: "127.0.0.1:3001",
    });
    const ws = config.slice(config.indexOf("location /ws/"), config.indexOf("location / {"));
    for (const directive of [
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
    expect(config).toMatch(/upstream erp_realtime \{[^}]*keepalive 64;/s);
  });

  it("refuses a setting that would inject a directive", async () => {
    await expect(
      renderNginxConfig({
        runDir: "/tmp/x",
        listen: "80; include /etc/passwd",
        webUpstream: "127.0.0.1:1",
        realtimeUpstream: "127.0.0.1:2",
      }),
    ).rejects.toThrow(/not allowed/);
  });
});
