/**
 * SUPPLIER PORTAL SIMULATOR: a stand-in for an EXTERNAL system, a supplier's
 * order API, for demos and tests only. It is not part of the ERP and must
 * never run in production. The ERP talks to it exactly as to a real supplier
 * (only the configured URL differs), and it can be told to misbehave the way
 * real ones do: slow answers, 503s, permanent refusals, and an order taken
 * whose response is lost on the way back.
 *
 *   POST   /orders   take an order (Idempotency-Key required; Bearer token if configured)
 *   GET    /orders   every order taken, in order
 *   DELETE /orders   forget the orders and the stored keys
 *   GET    /faults   the fault mix in force
 *   PUT    /faults   change part of it: {failRate, dropResponseRate, delayMs, rejectRate}
 *   GET    /health
 *
 * Keys, orders and faults live in Redis under `prefix`, so that several
 * instances on one prefix agree and tests on different prefixes do not meet.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Redis } from "ioredis";
import pino, { type Logger } from "pino";
import { readFaults, updateFaults } from "./faults";
import { answerFailure, HttpError, readJson, sendJson } from "./http-io";
import { clearOrders, listOrders } from "./order-store";
import { postOrder } from "./post-order";
import { faultsUpdateSchema } from "./schemas";

export type SupplierPortalOptions = {
  /** A client without keyPrefix: the portal puts `prefix` in front of its keys itself. Owned by the caller. */
  redis: Redis;
  prefix: string;
  /** When set, POST /orders needs `Authorization: Bearer <token>`. */
  token?: string;
  logger?: Logger;
};

export type SupplierPortal = { server: Server; close(): Promise<void> };

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<string>;

export function createSupplierPortal({ redis, prefix, token, logger }: SupplierPortalOptions): SupplierPortal {
  if (redis.options.keyPrefix) {
    // SCAN and Lua scripts would see other keys than GET and SET do.
    throw new Error("createSupplierPortal needs a Redis client without keyPrefix; pass the prefix as `prefix`.");
  }
  const log = logger ?? pino({ level: process.env.LOG_LEVEL ?? "info", base: { service: "supplier-portal-sim" } });
  const store = { redis, prefix };
  const shutdown = new AbortController();
  const inFlight = new Set<Promise<void>>();

  const routes: Record<string, Record<string, Route>> = {
    "/health": {
      GET: async (_req, res) => {
        sendJson(res, 200, { status: "ok" });
        return "ok";
      },
    },
    "/orders": {
      POST: async (req, res) => {
        checkToken(req, token);
        return postOrder(req, res, { ...store, shutdown: shutdown.signal });
      },
      GET: async (_req, res) => {
        sendJson(res, 200, { orders: await listOrders(store) });
        return "listed";
      },
      DELETE: async (_req, res) => {
        await clearOrders(store);
        sendJson(res, 204, null);
        return "cleared";
      },
    },
    "/faults": {
      GET: async (_req, res) => {
        sendJson(res, 200, await readFaults(store));
        return "shown";
      },
      PUT: async (req, res) => {
        const update = faultsUpdateSchema.safeParse(await readJson(req, "invalid_faults"));
        if (!update.success) {
          sendJson(res, 400, { error: "invalid_faults", message: update.error.message, issues: update.error.issues });
          return "invalid_faults";
        }
        sendJson(res, 200, await updateFaults({ ...store, update: update.data }));
        return "updated";
      },
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "http://portal").pathname;
    const key = req.headers["idempotency-key"];
    let outcome: string;
    try {
      const methods = routes[path];
      if (!methods) throw new HttpError(404, "not_found", `No route ${path}.`);
      const route = methods[method];
      if (!route) {
        throw new HttpError(405, "method_not_allowed", `${method} is not allowed on ${path}.`, {
          allow: Object.keys(methods).join(", "),
        });
      }
      outcome = await route(req, res);
    } catch (error) {
      outcome = answerFailure(res, error, { log, service: "supplier portal", method, path });
    }
    const status = res.headersSent ? res.statusCode : undefined;
    log.info({ method, path, key, outcome, status, ms: Math.round(performance.now() - started) }, "request");
  }

  const server = createServer((req, res) => {
    const done = handle(req, res).finally(() => inFlight.delete(done));
    inFlight.add(done);
  });

  async function close(): Promise<void> {
    // Stop taking connections, wake requests sleeping on a fault delay (they
    // release their key and answer 503), then wait for every request to end.
    shutdown.abort();
    // server.close calls back with ERR_SERVER_NOT_RUNNING if it never listened: fine too.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await Promise.allSettled([...inFlight]);
    server.closeAllConnections();
    await closed;
  }

  return { server, close };
}

function checkToken(req: IncomingMessage, token: string | undefined): void {
  if (!token) return;
  const header = req.headers.authorization ?? "";
  const given = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
  // Compare digests: equal lengths for timingSafeEqual, and no timing hint about the token.
  const digest = (text: string) => createHash("sha256").update(text).digest();
  if (!given || !timingSafeEqual(digest(given), digest(token))) {
    throw new HttpError(401, "unauthorized", "Send Authorization: Bearer <token>.", { "www-authenticate": "Bearer" });
  }
}
