/**
 * Runs the supplier portal SIMULATOR (server/simulators/supplier-portal): a
 * stand-in for a supplier's external order API, for demos and tests only.
 *
 *   SUPPLIER_SIM_PORT          port, default 3002 (0 picks a free one)
 *   SUPPLIER_SIM_HOST          address, default 127.0.0.1
 *   SUPPLIER_SIM_REDIS_URL     Redis, else REDIS_URL, else redis://127.0.0.1:6379
 *   SUPPLIER_SIM_REDIS_PREFIX  key prefix, default "supplier-sim:"
 *   SUPPLIER_SIM_TOKEN         when set, POST /orders needs this bearer token
 *   LOG_LEVEL                  pino level, default info
 */
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import pino from "pino";
import { z } from "zod";
import { createSupplierPortal } from "../server/simulators/supplier-portal/app";

const settings = z
  .object({
    SUPPLIER_SIM_PORT: z.coerce.number().int().min(0).max(65_535).default(3002),
    SUPPLIER_SIM_HOST: z.string().min(1).default("127.0.0.1"),
    SUPPLIER_SIM_REDIS_URL: z.string().min(1).optional(),
    REDIS_URL: z.string().min(1).optional(),
    SUPPLIER_SIM_REDIS_PREFIX: z.string().default("supplier-sim:"),
    SUPPLIER_SIM_TOKEN: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .parse(process.env);

const log = pino({ level: settings.LOG_LEVEL, base: { service: "supplier-portal-sim" } });
const redisUrl = settings.SUPPLIER_SIM_REDIS_URL ?? settings.REDIS_URL ?? "redis://127.0.0.1:6379";
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 2000 });
redis.on("error", (err) => log.warn({ err: err.message }, "redis error"));

const portal = createSupplierPortal({
  redis,
  prefix: settings.SUPPLIER_SIM_REDIS_PREFIX,
  token: settings.SUPPLIER_SIM_TOKEN,
  logger: log,
});

portal.server.on("error", (err) => {
  log.fatal({ err }, "supplier portal simulator cannot listen");
  redis.disconnect();
  process.exit(1);
});

portal.server.listen(settings.SUPPLIER_SIM_PORT, settings.SUPPLIER_SIM_HOST, () => {
  const { address, port } = portal.server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  // Plain stdout as well as the log line: the launcher and people read this.
  console.log(`supplier portal simulator listening on http://${host}:${port}`);
  log.info({ port, prefix: settings.SUPPLIER_SIM_REDIS_PREFIX, auth: Boolean(settings.SUPPLIER_SIM_TOKEN) }, "ready");
});

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "stopping");
  await portal.close();
  await redis.quit().catch(() => redis.disconnect());
  process.exit(0);
}

process.on("SIGTERM", stop);
process.on("SIGINT", stop);
