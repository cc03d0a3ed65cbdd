import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../server/testing/wait-for";
import { freePort } from "../launcher/ports";
import { type NginxSettings, nginxArgs, writeNginxConfig } from "./render-config";
import {
  type Answer,
  send,
  socketRoundTrips,
  startRealtimeStandIn,
  startWebStandIn,
  type Upstream,
} from "./test-upstreams";

// The rendered configuration run by Debian's nginx in front of small
// stand-ins for web and two realtime instances: what a browser or a tablet
// would meet at the front door.

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "../..");

type Running = { url: string; stop(): Promise<void> };

async function startNginx(settings: NginxSettings, url: string): Promise<Running> {
  const file = await writeNginxConfig(settings);
  const output: string[] = [];
  const child: ChildProcess = spawn("nginx", nginxArgs(file, settings.runDir), { stdio: ["ignore", "pipe", "pipe"] });
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  await waitFor(
    `nginx on ${url}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${output.join("")}`);
      return send(`${url}/ws/health`).then(
        (answer) => answer.status === 200,
        () => false,
      );
    },
    { timeoutMs: 20_000 },
  );
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

const securityHeaders = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
};

function expectSecurityHeaders(answer: Answer, { tls }: { tls: boolean }) {
  expect(answer.headers).toMatchObject(securityHeaders);
  if (tls) expect(answer.headers["strict-transport-security"]).toBe("max-age=31536000");
  else expect(answer.headers["strict-transport-security"]).toBeUndefined();
  expect(answer.headers["x-powered-by"]).toBeUndefined();
  expect(answer.headers.server).toBe("nginx"); // no version
}

let web: Upstream;
let realtime: Upstream[];
const dirs: string[] = [];

beforeAll(async () => {
  web = await startWebStandIn();
  realtime = [await startRealtimeStandIn("a"), await startRealtimeStandIn("b")];
});

afterAll(async () => {
  for (const upstream of [web, ...realtime]) await upstream?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "erp-nginx-"));
  dirs.push(dir);
  return dir;
}

describe("nginx with TLS", () => {
  let nginx: Running;
  let httpPort: number;
  let httpsPort: number;

  beforeAll(async () => {
    const dir = await tempDir();
    await run("bash", [path.join(repoRoot, "deploy/nginx/make-trial-cert.sh"), path.join(dir, "tls")]);
    [httpPort, httpsPort] = [await freePort(), await freePort()];
    nginx = await startNginx(
      {
        runDir: path.join(dir, "run"),
        listen: `127.0.0.1:${httpsPort}`,
        webUpstreams: [web.address],
        realtimeUpstreams: realtime.map((r) => r.address),
        tls: {
          certificate: path.join(dir, "tls/trial.crt"),
          key: path.join(dir, "tls/trial.key"),
          httpListen: `127.0.0.1:${httpPort}`,
          httpsPort,
        },
      },
      `https://127.0.0.1:${httpsPort}`,
    );
  });
  afterAll(() => nginx?.stop());

  it("serves pages over HTTPS with the security headers, and tells the app who asked", async () => {
    const answer = await send(`${nginx.url}/purchasing?tab=orders`);
    expect(answer.status).toBe(200);
    expectSecurityHeaders(answer, { tls: true });
    const seen = web.seen.findLast((r) => r.url === "/purchasing?tab=orders");
    expect(seen?.headers).toMatchObject({
      host: `127.0.0.1:${httpsPort}`,
      "x-real-ip": "127.0.0.1",
      "x-forwarded-proto": "https",
      "x-forwarded-host": `127.0.0.1:${httpsPort}`,
    });
  });

  it("passes a response larger than its buffers on whole", async () => {
    const answer = await send(`${nginx.url}/big`);
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body) as { padding: string }).padding).toHaveLength(300_000);
  });

  it("redirects plain HTTP to the same place over HTTPS", async () => {
    const answer = await send(`http://127.0.0.1:${httpPort}/floor?machine=3`);
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`https://127.0.0.1:${httpsPort}/floor?machine=3`);
  });

  it("refuses a body over 1 MB with 413 before the app sees it", async () => {
    const before = web.seen.length;
    const answer = await send(`${nginx.url}/api/reservations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ orderRef: "x".repeat(1_200_000), lines: [] }),
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: "payload_too_large", message: expect.any(String) });
    expectSecurityHeaders(answer, { tls: true });
    expect(web.seen.length).toBe(before);
    // Just under the limit goes through.
    const fits = await send(`${nginx.url}/api/reservations`, { method: "POST", body: "x".repeat(1_000_000) });
    expect(fits.status).toBe(200);
    expect(web.seen.at(-1)?.bodyBytes).toBe(1_000_000);
  });

  it("does not expose the benchmark's route", async () => {
    const before = web.seen.length;
    const answer = await send(`${nginx.url}/api/bench/noop`, { method: "POST", body: "{}" });
    expect(answer.status).toBe(404);
    expect(web.seen.length).toBe(before);
  });

  it("limits a flood of logins from one address with 429 and Retry-After", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        send(`${nginx.url}/api/auth/login`, { method: "POST", body: '{"username":"x","password":"y"}' }),
      ),
    );
    const passed = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    expect(passed.length + limited.length).toBe(40);
    // A burst of 20, and at 2 a second at most a few more while they arrive.
    expect(passed.length).toBeGreaterThanOrEqual(20);
    expect(passed.length).toBeLessThanOrEqual(25);
    const refusal = limited[0] as Answer;
    expect(JSON.parse(refusal.body)).toEqual({ error: "too_many_requests", message: expect.any(String) });
    expect(refusal.headers["retry-after"]).toBe("1");
    expectSecurityHeaders(refusal, { tls: true });
  });

  it("leaves the application's own 429 and its Retry-After alone", async () => {
    const answer = await send(`${nginx.url}/api/limited`);
    expect(answer.status).toBe(429);
    expect(answer.headers["retry-after"]).toBe("900");
    expect(answer.body).toBe('{"error":"too_many_requests"}');
  });

  it("limits a flood of writes, but not reads", async () => {
    const reads = await Promise.all(Array.from({ length: 80 }, () => send(`${nginx.url}/api/inventory/items`)));
    expect(reads.map((a) => a.status)).toEqual(reads.map(() => 200));
    const writes = await Promise.all(
      Array.from({ length: 80 }, () => send(`${nginx.url}/api/machines/1/events`, { method: "POST", body: "{}" })),
    );
    const passed = writes.filter((a) => a.status === 200).length;
    expect(writes.filter((a) => a.status !== 200 && a.status !== 429).map((a) => `${a.status} ${a.body}`)).toEqual([]);
    expect(passed).toBeGreaterThanOrEqual(50);
    expect(passed).toBeLessThan(80);
  });

  it("carries Socket.IO over WebSocket, and long-polling stays on one of two instances", async () => {
    for (const transport of ["websocket", "polling"] as const) {
      const answer = await socketRoundTrips(nginx.url, transport);
      expect(["a", "b"]).toContain(answer.instance);
      expect(answer).toMatchObject({ forwardedProto: "https", transport, echoed: [0, 1, 2, 3, 4] });
    }
  });
});

describe("nginx without TLS (npm start's default)", () => {
  let nginx: Running;

  beforeAll(async () => {
    const port = await freePort();
    nginx = await startNginx(
      {
        runDir: path.join(await tempDir(), "run"),
        listen: `127.0.0.1:${port}`,
        webUpstreams: [web.address],
        realtimeUpstreams: [realtime[0]?.address as string],
      },
      `http://127.0.0.1:${port}`,
    );
  });
  afterAll(() => nginx?.stop());

  it("serves plain HTTP with the security headers but no HSTS", async () => {
    const answer = await send(`${nginx.url}/login`);
    expect(answer.status).toBe(200);
    expectSecurityHeaders(answer, { tls: false });
    expect(web.seen.findLast((r) => r.url === "/login")?.headers["x-forwarded-proto"]).toBe("http");
  });

  it("answers 503 in the API's format while web is down", async () => {
    const port = await freePort();
    const down = await startNginx(
      {
        runDir: path.join(await tempDir(), "run"),
        listen: `127.0.0.1:${port}`,
        webUpstreams: [`127.0.0.1:${await freePort()}`],
        realtimeUpstreams: [realtime[0]?.address as string],
      },
      `http://127.0.0.1:${port}`,
    );
    try {
      const answer = await send(`${down.url}/api/health`);
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toEqual({ error: "unavailable", message: expect.any(String) });
      expect(answer.headers["x-frame-options"]).toBe("DENY");
    } finally {
      await down.stop();
    }
  });

  it("upgrades /ws/ to a WebSocket", async () => {
    expect(await socketRoundTrips(nginx.url, "websocket")).toMatchObject({
      forwardedProto: "http",
      transport: "websocket",
    });
  });
});
