import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import { createProxyServer } from "http-proxy-3";

// The stand-in for nginx when it is not installed (a fresh laptop): one
// origin that sends /ws/ to the realtime processes (WebSocket upgrades
// included) and everything else to web, with the same forwarded headers and
// security headers as deploy/nginx/erp.conf.template. It has no rate limits
// and is meant for trying the product, not for a factory network.

export type NodeProxySettings = {
  host: string;
  port: number;
  /** Base URLs of the web processes, e.g. http://127.0.0.1:3010. */
  webUpstreams: readonly string[];
  /** Base URLs of the realtime processes. */
  realtimeUpstreams: readonly string[];
  tls?: { certificate: string; key: string; httpRedirectPort?: number };
};

export type NodeProxy = { port: number; close(): Promise<void> };

/** As in the nginx config: refused here, before any upstream reads it. */
const maxBodyBytes = 1024 * 1024;

const securityHeaders = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
};

export async function startNodeProxy(settings: NodeProxySettings): Promise<NodeProxy> {
  const { tls } = settings;
  const scheme = tls ? "https" : "http";
  const headers: Record<string, string> = {
    ...securityHeaders,
    ...(tls && { "strict-transport-security": "max-age=31536000" }),
  };
  const proxy = createProxyServer({ xfwd: false, proxyTimeout: 60_000 });
  // Keepalive connections to web, as nginx's upstream keepalive (WebSocket
  // upgrades take a connection of their own).
  const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 32 });
  proxy.on("proxyRes", (upstream) => {
    for (const name of [...Object.keys(headers), "x-powered-by"]) delete upstream.headers[name];
    Object.assign(upstream.headers, headers);
  });
  proxy.on("error", (error, _req, res) => {
    if (res instanceof http.ServerResponse) {
      if (!res.headersSent) {
        reply(res, 502, {
          error: "bad_gateway",
          message: `The server behind the proxy did not answer: ${error.message}`,
        });
      } else {
        res.destroy();
      }
    } else {
      (res as Socket).destroy();
    }
  });

  // Long-polling needs every request of one Socket.IO session on the same
  // realtime process: pick it by client address, as nginx's `hash $remote_addr`.
  const targetFor = (req: http.IncomingMessage) => {
    const upstreams = req.url?.startsWith("/ws/") ? settings.realtimeUpstreams : settings.webUpstreams;
    const digest = createHash("sha1")
      .update(req.socket.remoteAddress ?? "")
      .digest();
    return upstreams[digest.readUInt32BE(0) % upstreams.length] as string;
  };
  const forwarded = (req: http.IncomingMessage) => {
    const address = req.socket.remoteAddress ?? "";
    req.headers["x-real-ip"] = address;
    req.headers["x-forwarded-for"] = address;
    req.headers["x-forwarded-proto"] = scheme;
    req.headers["x-forwarded-host"] = req.headers.host ?? "";
  };
  const reply = (res: http.ServerResponse, status: number, body: object) => {
    res.writeHead(status, { ...headers, "content-type": "application/json" });
    res.end(`${JSON.stringify(body)}\n`);
  };

  const handler: http.RequestListener = (req, res) => {
    if (Number(req.headers["content-length"] ?? 0) > maxBodyBytes) {
      reply(res, 413, { error: "payload_too_large", message: "The request body is larger than 1 MB." });
      req.resume();
      return;
    }
    if (req.url?.startsWith("/api/bench/")) {
      reply(res, 404, { error: "not_found", message: "No such route." });
      return;
    }
    forwarded(req);
    proxy.web(req, res, { target: targetFor(req), agent });
  };
  const server = tls
    ? https.createServer({ cert: await readFile(tls.certificate), key: await readFile(tls.key) }, handler)
    : http.createServer(handler);
  server.on("upgrade", (req, socket, head) => {
    forwarded(req);
    proxy.ws(req, socket as Socket, head, { target: targetFor(req) });
  });

  const servers: http.Server[] = [server];
  const port = await listen(server, settings.port, settings.host);
  if (tls?.httpRedirectPort) {
    const redirect = http.createServer((req, res) => {
      const host = (req.headers.host ?? settings.host).replace(/:\d+$/, "");
      const location = `https://${host}${port === 443 ? "" : `:${port}`}${req.url ?? "/"}`;
      res.writeHead(301, { location }).end();
    });
    await listen(redirect, tls.httpRedirectPort, settings.host);
    servers.push(redirect);
  }

  return {
    port,
    async close() {
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
      proxy.close();
      agent.destroy();
    },
  };
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}
