import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send, socketRoundTrips, startRealtimeStandIn, startWebStandIn, type Upstream } from "../nginx/test-upstreams";
import { type NodeProxy, startNodeProxy } from "./node-proxy";
import { freePort } from "./ports";

// The launcher's stand-in for nginx on a machine without it: the same
// routing, forwarded headers and security headers, WebSockets included.

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "../..");

let web: Upstream;
let realtime: Upstream[];
let proxy: NodeProxy;
let dir: string;
let redirectPort: number;

beforeAll(async () => {
  web = await startWebStandIn();
  realtime = [await startRealtimeStandIn("a"), await startRealtimeStandIn("b")];
  dir = await mkdtemp(path.join(tmpdir(), "erp-node-proxy-"));
  await run("bash", [path.join(repoRoot, "deploy/nginx/make-trial-cert.sh"), dir]);
  redirectPort = await freePort();
  proxy = await startNodeProxy({
    host: "127.0.0.1",
    port: 0,
    webUpstreams: [`http://${web.address}`],
    realtimeUpstreams: realtime.map((r) => `http://${r.address}`),
    tls: { certificate: path.join(dir, "trial.crt"), key: path.join(dir, "trial.key"), httpRedirectPort: redirectPort },
  });
});

afterAll(async () => {
  await proxy?.close();
  for (const upstream of [web, ...realtime]) await upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

const url = () => `https://127.0.0.1:${proxy.port}`;

describe("the launcher's Node proxy", () => {
  it("sends pages and the API to web with the client's address and the security headers", async () => {
    const answer = await send(`${url()}/api/inventory/items?q=bolt`);
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "strict-origin-when-cross-origin",
      "strict-transport-security": "max-age=31536000",
    });
    expect(answer.headers["x-powered-by"]).toBeUndefined();
    expect(web.seen.at(-1)).toMatchObject({
      url: "/api/inventory/items?q=bolt",
      headers: { "x-real-ip": "127.0.0.1", "x-forwarded-proto": "https" },
    });
  });

  it("does not believe a forwarded address the client made up", async () => {
    await send(`${url()}/login`, { headers: { "x-real-ip": "10.9.9.9", "x-forwarded-for": "10.9.9.9" } });
    expect(web.seen.at(-1)?.headers).toMatchObject({ "x-real-ip": "127.0.0.1", "x-forwarded-for": "127.0.0.1" });
  });

  it("refuses a body over 1 MB with 413", async () => {
    const before = web.seen.length;
    const answer = await send(`${url()}/api/reservations`, { method: "POST", body: "x".repeat(1_100_000) });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: "payload_too_large" });
    expect(web.seen.length).toBe(before);
  });

  it("redirects plain HTTP to HTTPS", async () => {
    const answer = await send(`http://127.0.0.1:${redirectPort}/floor?x=1`);
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`https://127.0.0.1:${proxy.port}/floor?x=1`);
  });

  it("carries Socket.IO over WebSocket, and long-polling stays on one of two instances", async () => {
    for (const transport of ["websocket", "polling"] as const) {
      expect(await socketRoundTrips(url(), transport)).toMatchObject({
        forwardedProto: "https",
        transport,
        echoed: [0, 1, 2, 3, 4],
      });
    }
  });

  it("answers 502 in the API's format when web is down", async () => {
    const down = await startNodeProxy({
      host: "127.0.0.1",
      port: 0,
      webUpstreams: [`http://127.0.0.1:${await freePort()}`],
      realtimeUpstreams: [`http://${realtime[0]?.address}`],
    });
    try {
      const answer = await send(`http://127.0.0.1:${down.port}/api/health`);
      expect(answer.status).toBe(502);
      expect(JSON.parse(answer.body)).toMatchObject({ error: "bad_gateway" });
    } finally {
      await down.close();
    }
  });
});
