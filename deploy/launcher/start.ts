// `npm start` (and `npm run dev`, with --dev): the whole product on one
// machine. PostgreSQL (embedded unless DATABASE_URL is set), Redis, the
// migrations and the demo data, a production build of Next.js when the
// sources changed, then the web process, supervised until Ctrl-C.
import { existsSync } from "node:fs";
import path from "node:path";
import { closeDb } from "../../server/db";
import { migrate } from "../../server/db/migrate";
import { seedDemoData } from "../../server/demo/seed-demo-data";
import { printBanner } from "./banner";
import { ensureProductionBuild } from "./build";
import { type LauncherConfig, localAddress, readConfig } from "./config";
import { waitForHttp } from "./health";
import { log, logError } from "./log";
import { isPortFree } from "./ports";
import { type Database, externalDatabase, startEmbeddedPostgres } from "./postgres";
import { Supervisor } from "./processes";
import { resolveRedis } from "./redis";

// Stopped in reverse order after the supervised processes: the database last.
const cleanups: Array<{ name: string; stop: () => Promise<void> }> = [];
let shuttingDown = false;

const supervisor = new Supervisor((name, code, signal) => {
  void shutdown(1, `${name} exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`);
});

async function shutdown(exitCode: number, reason: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  (exitCode === 0 ? log : logError)(reason);
  log("stopping");
  await supervisor.stopAll();
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup.stop();
      log(`stopped ${cleanup.name}`);
    } catch (error) {
      logError(`stopping ${cleanup.name} failed: ${(error as Error).message}`);
    }
  }
  await closeDb().catch(() => {});
  process.exit(exitCode);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => void shutdown(0, `received ${signal}`));
}
process.on("uncaughtException", (error) => void shutdown(1, `internal error: ${error.stack ?? error}`));
process.on("unhandledRejection", (error) => void shutdown(1, `internal error: ${(error as Error)?.stack ?? error}`));

async function main(config: LauncherConfig): Promise<void> {
  log(`starting the factory ERP${config.dev ? " in development mode" : ""} from ${config.root}`);
  const nextBin = path.join(config.root, "node_modules", ".bin", "next");
  if (!existsSync(nextBin)) throw new Error(`${nextBin} is missing: run npm ci (or npm install) first`);
  if (!(await isPortFree(config.port, config.host))) {
    throw new Error(
      `port ${config.port} on ${config.host} is in use: stop what holds it, or choose another with PORT=`,
    );
  }

  const database = await openDatabase(config);
  const redis = await resolveRedis({ redisUrl: config.redisUrl, supervisor });
  // The demo seed and anything else in this process read these through server/env.ts.
  process.env.DATABASE_URL = database.databaseUrl;
  process.env.REDIS_URL = redis.redisUrl;

  const { applied } = await migrate({ databaseUrl: database.databaseUrl, log });
  log(applied.length ? `applied ${applied.length} migration(s)` : "database schema is up to date");
  const { seeded } = await seedDemoData();
  await closeDb();
  log(seeded ? "seeded the demo factory (first run)" : "the database already has users: demo data not seeded again");

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.databaseUrl,
    REDIS_URL: redis.redisUrl,
    NODE_ENV: config.dev ? "development" : "production",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  if (!config.dev) await ensureProductionBuild({ root: config.root, supervisor, env: childEnv });
  if (shuttingDown) return;

  const services = [`Database: ${database.description}`, `Redis: ${redis.description}`];
  await startBackgroundProcesses(config, childEnv, services);
  if (shuttingDown) return;

  supervisor.start({
    name: "web",
    command: nextBin,
    args: [config.dev ? "dev" : "start", "-p", String(config.port), "-H", config.host],
    cwd: config.root,
    env: { ...childEnv, PORT: String(config.port), ERP_SERVICE: "web" },
  });
  const url = `http://${urlHost(localAddress(config.host))}:${config.port}`;
  const health = await waitForHttp(`${url}/api/health`, {
    // A dev server compiles the route on its first request.
    timeoutMs: config.dev ? 300_000 : 120_000,
    stillWorthWaiting: () => !shuttingDown,
  });
  if (shuttingDown) return;
  printBanner({
    url: `${url}/`,
    dev: config.dev,
    services,
    health,
  });
}

/**
 * The processes beside the web app: in demo mode the supplier portal
 * stand-in (and the product is pointed at it, unless SUPPLIER_API_URL says
 * otherwise), then the outbox worker.
 */
async function startBackgroundProcesses(
  config: LauncherConfig,
  childEnv: NodeJS.ProcessEnv,
  services: string[],
): Promise<void> {
  // Node with tsx's loader: one process per service, so the signals the
  // supervisor sends reach the service itself (npx or the tsx command would
  // stand in between and relay them).
  const node = (script: string) => ({ command: process.execPath, args: ["--import", "tsx", script] });
  if (config.demo) {
    if (!(await isPortFree(config.supplierSimPort, "127.0.0.1"))) {
      throw new Error(
        `port ${config.supplierSimPort} (the supplier portal stand-in) is in use: free it, or set SUPPLIER_SIM_PORT=`,
      );
    }
    const simUrl = `http://127.0.0.1:${config.supplierSimPort}`;
    supervisor.start({
      name: "supplier-sim",
      ...node("workers/supplier-portal-sim.ts"),
      cwd: config.root,
      env: { ...childEnv, SUPPLIER_SIM_PORT: String(config.supplierSimPort), SUPPLIER_SIM_HOST: "127.0.0.1" },
    });
    await waitForHttp(`${simUrl}/health`, { timeoutMs: 30_000, stillWorthWaiting: () => !shuttingDown });
    childEnv.SUPPLIER_API_URL ||= simUrl;
    services.push(`Supplier portal stand-in (simulator): ${simUrl} (GET /orders, PUT /faults)`);
  }
  supervisor.start({
    name: "worker",
    ...node("workers/worker.ts"),
    cwd: config.root,
    env: { ...childEnv, ERP_SERVICE: "worker" },
  });
  services.push(`Outbox worker: metrics on http://127.0.0.1:${childEnv.WORKER_METRICS_PORT || 9464}/metrics`);
}

async function openDatabase(config: LauncherConfig): Promise<Database> {
  if (config.databaseUrl) return externalDatabase(config.databaseUrl);
  const database = await startEmbeddedPostgres({ dataDir: config.dataDir, preferredPort: config.pgPort });
  cleanups.push({ name: "PostgreSQL", stop: database.stop });
  // Delayed a moment: Ctrl-C on a terminal reaches PostgreSQL as well, and its
  // exit may be seen just before our own SIGINT handler runs.
  database.onUnexpectedExit(() => setTimeout(() => void shutdown(1, "PostgreSQL stopped unexpectedly"), 500));
  return database;
}

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

try {
  await main(readConfig());
} catch (error) {
  await shutdown(1, `could not start: ${(error as Error).message}`);
}
