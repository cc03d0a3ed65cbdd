import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io } from "socket.io-client";

// Small stand-ins for the web and realtime processes, for the tests of what
// stands in front of them (nginx, the launcher's Node proxy): they record
// what reached them and say which instance answered.

export type SeenRequest = { method: string; url: string; headers: http.IncomingHttpHeaders; bodyBytes: number };

export type Upstream = { port: number; address: string; seen: SeenRequest[]; close(): Promise<void> };

/** Answers every request with JSON describing it; sets headers nginx must replace or drop. */
export async function startWebStandIn(): Promise<Upstream> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    let bodyBytes = 0;
    req.on("data", (chunk: Buffer) => {
      bodyBytes += chunk.length;
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, bodyBytes });
      // Larger than nginx's proxy buffers: it must still arrive whole.
      const padding = req.url === "/big" ? "x".repeat(300_000) : "";
      if (req.url === "/api/limited") {
        // The application's own refusal, with its own Retry-After.
        res.writeHead(429, { "content-type": "application/json", "retry-after": "900" });
        res.end('{"error":"too_many_requests"}');
        return;
      }
      res.writeHead(200, {
        "content-type": "application/json",
        "x-frame-options": "SAMEORIGIN",
        "x-powered-by": "stand-in",
      });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, bodyBytes, padding }));
    });
  });
  return listen(server, seen, async () => {});
}

/** A Socket.IO server on /ws/socket.io that greets each socket with its instance name. */
export async function startRealtimeStandIn(name: string): Promise<Upstream> {
  const seen: SeenRequest[] = [];
  const server = http.createServer();
  server.on("request", (req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, bodyBytes: 0 });
    if (req.url === "/ws/health") res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    else res.writeHead(404).end();
  });
  const io = new Server(server, { path: "/ws/socket.io", serveClient: false, transports: ["polling", "websocket"] });
  io.on("connection", (socket) => {
    socket.emit("hello", { instance: name, forwardedProto: socket.handshake.headers["x-forwarded-proto"] ?? null });
    socket.on("echo", (value: unknown, ack: (value: unknown) => void) => ack(value));
  });
  return listen(server, seen, () => new Promise((resolve) => io.close(() => resolve())));
}

function listen(server: http.Server, seen: SeenRequest[], closeMore: () => Promise<void>): Promise<Upstream> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        address: `127.0.0.1:${port}`,
        seen,
        async close() {
          await closeMore();
          server.closeAllConnections();
          await new Promise((r) => server.close(r));
        },
      });
    });
  });
}

export type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request over HTTP or HTTPS (the trial certificate is not checked), with an optional body. */
export function send(
  url: string,
  {
    method = "GET",
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  const client = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method, headers, rejectUnauthorized: false, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

export type Hello = { instance: string; forwardedProto: string | null };

/**
 * A Socket.IO client through `url` on one transport only: waits for a
 * realtime stand-in's hello, then makes five round trips. When polling, each
 * is new HTTP requests, which fail unless they all reach the instance that
 * holds the session. Resolves with the hello and the transport in use.
 */
export async function socketRoundTrips(
  url: string,
  transport: "websocket" | "polling",
): Promise<Hello & { transport: string; echoed: unknown[] }> {
  const socket = io(url, {
    path: "/ws/socket.io",
    transports: [transport],
    upgrade: false,
    reconnection: false,
    rejectUnauthorized: false,
  });
  try {
    const hello = await new Promise<Hello>((resolve, reject) => {
      socket.once("hello", resolve);
      socket.once("connect_error", reject);
    });
    const echoed: unknown[] = [];
    for (let i = 0; i < 5; i++) echoed.push(await socket.timeout(5000).emitWithAck("echo", i));
    return { ...hello, transport: socket.io.engine.transport.name, echoed };
  } finally {
    socket.disconnect();
  }
}
