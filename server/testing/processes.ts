import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pool } from "../db";
import { jsonClient } from "./json-client";
import { ProcessGroup, repoRoot } from "./process-group";
import { waitFor } from "./wait-for";

// The product's own processes for failure tests: the worker and the
// supplier portal simulator, started with `tsx` as the systemd units do,
// on the test file's database and Redis prefix.

const tsx = path.join(repoRoot, "node_modules/.bin/tsx");

export { stopAllProcesses } from "./process-group";

/** The test file's own settings, which every process started here inherits. */
export function testFileEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL, REDIS_PREFIX } = process.env;
  if (!DATABASE_URL || !REDIS_PREFIX)
    throw new Error("processes: run inside a test file (setup-database.ts sets DATABASE_URL)");
  return {
    ...process.env,
    DATABASE_URL,
    REDIS_PREFIX,
    REDIS_URL: mainRedisUrl(),
    LOG_LEVEL: "warn",
    ...overrides,
  };
}

export function mainRedisUrl(): string {
  return process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
}

let workerCount = 0;

export type WorkerProcess = ProcessGroup & {
  /** ERP_SERVICE, hence the application_name (erp-<service>) of its database sessions. */
  readonly service: string;
};

/**
 * Starts `tsx workers/worker.ts` with short retries and leases, and resolves
 * once it has opened its database session: it has then subscribed to the
 * wake-up channel and is making its first claim.
 */
export async function startWorker({
  supplierUrl,
  env = {},
  timeoutMs = 30_000,
}: {
  supplierUrl: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<WorkerProcess> {
  workerCount++;
  const service = `test-worker-${process.pid}-${workerCount}`;
  const group = new ProcessGroup(
    service,
    tsx,
    ["workers/worker.ts"],
    testFileEnv({
      ERP_SERVICE: service,
      SUPPLIER_API_URL: supplierUrl,
      WORKER_METRICS_PORT: "0",
      OUTBOX_RETRY_INITIAL_MS: "50",
      OUTBOX_RETRY_MAX_MS: "500",
      OUTBOX_POLL_MS: "100",
      OUTBOX_LEASE_SECONDS: "5",
      SUPPLIER_TIMEOUT_MS: "3000",
      // No scheduled risk checks and no AI providers unless a test asks for them
      // (the risk tests start the LLM stand-in and point RISK_PROVIDERS at it).
      RISK_SCHEDULE_INTERVAL_MS: "0",
      RISK_PROVIDERS: "[]",
      ...env,
    }),
  );
  const worker = Object.assign(group, { service });
  await waitFor(
    `${service} to connect to the database`,
    async () => {
      if (group.hasExited()) throw new Error(`the worker died while starting: ${group.describe()}`);
      const { rowCount } = await pool().query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1",
        [`erp-${service}`],
      );
      return (rowCount ?? 0) > 0;
    },
    { timeoutMs, intervalMs: 25, status: () => group.describe() },
  );
  return worker;
}

export type Faults = { failRate?: number; dropResponseRate?: number; delayMs?: number; rejectRate?: number };
export type SupplierOrder = { purchaseOrderId: string; idempotencyKey: string; supplierReference: string };

/**
 * Starts `tsx workers/supplier-portal-sim.ts` on a port of its choosing
 * (SUPPLIER_SIM_PORT=0: no race for a free port) and a key prefix of its
 * own under the test file's, on the main Redis whatever the worker uses.
 */
export async function startSupplierPortal({ timeoutMs = 30_000 } = {}) {
  const prefix = `${process.env.REDIS_PREFIX}supplier-sim:${process.pid}-${Date.now().toString(36)}:`;
  const group = new ProcessGroup(
    "supplier-portal-sim",
    tsx,
    ["workers/supplier-portal-sim.ts"],
    testFileEnv({
      SUPPLIER_SIM_PORT: "0",
      SUPPLIER_SIM_HOST: "127.0.0.1",
      SUPPLIER_SIM_REDIS_URL: mainRedisUrl(),
      SUPPLIER_SIM_REDIS_PREFIX: prefix,
    }),
  );
  const [, url] = await group.waitForLine(/listening on (http:\/\/\S+)/, timeoutMs);
  const base = url as string;

  const request = jsonClient(base, "supplier portal");

  return {
    process: group,
    url: base,
    prefix,
    setFaults: (faults: Faults) => request("PUT", "/faults", faults),
    clearFaults: () => request("PUT", "/faults", { failRate: 0, dropResponseRate: 0, delayMs: 0, rejectRate: 0 }),
    /** What the supplier says it accepted, in the order it accepted them. */
    orders: async () => ((await request("GET", "/orders")) as { orders: SupplierOrder[] }).orders,
    clearOrders: () => request("DELETE", "/orders"),
  };
}

export type SupplierPortalProcess = Awaited<ReturnType<typeof startSupplierPortal>>;

/** A random pause in [minMs, maxMs]. */
export function randomPause(minMs: number, maxMs: number): Promise<void> {
  return sleep(minMs + Math.floor(Math.random() * (maxMs - minMs + 1)));
}
