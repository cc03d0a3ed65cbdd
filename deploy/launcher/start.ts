// `npm start` (and `npm run dev`, with --dev): the whole product on one
// machine. PostgreSQL (embedded unless DATABASE_URL is set), Redis, the
// migrations and the demo data, a production build of Next.js when the
// sources changed, then the worker, the realtime process(es) and web on
// internal ports, and nginx (or a built-in Node proxy when nginx is not
// installed) as the one origin on PORT, all supervised until Ctrl-C.
import { existsSync } from "node:fs";
import path from "node:path";
import { closeDb } from "../../server/db";
import { migrate } from "../../server/db/migrate";
import { seedDemoData } from "../../server/demo/seed-demo-data";
import { printBanner } from "./banner";
import { ensureProductionBuild } from "./build";
import { type LauncherConfig, projectRoot, readConfig } from "./config";
import { assertFrontDoorPortsFree, startFrontDoor } from "./front-door";
import { notGatewayError, waitForHttp } from "./health";
import { log, logError } from "./log";
import { freePort, isPortFree, preferredOrFreePort } from "./ports";
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
  await assertFrontDoorPortsFree(config);

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
  const realtimePorts = await startRealtime(config, childEnv, services);
  if (shuttingDown) return;

  const webPort = await internalPort(config.webPort, 3010, "WEB_PORT");
  supervisor.start({
    name: "web",
    command: nextBin,
    // On loopback only: nginx is the way in, and the app believes the
    // client address nginx passes in X-Real-IP (TRUST_PROXY).
    args: [config.dev ? "dev" : "start", "-p", String(webPort), "-H", "127.0.0.1"],
    cwd: config.root,
    env: {
      ...childEnv,
      PORT: String(webPort),
      ERP_SERVICE: "web",
      TRUST_PROXY: "true",
      // Behind HTTPS the session cookie is sent over TLS only.
      COOKIE_SECURE: childEnv.COOKIE_SECURE || String(config.tls),
    },
  });
  services.push(`Web (Next.js): http://127.0.0.1:${webPort} (internal)`);
  const stillWorthWaiting = () => !shuttingDown;
  await Promise.all([
    // A dev server compiles the route on its first request.
    waitForHttp(`http://127.0.0.1:${webPort}/api/health`, {
      timeoutMs: config.dev ? 300_000 : 120_000,
      stillWorthWaiting,
    }),
    ...realtimePorts.map((port) =>
      waitForHttp(`http://127.0.0.1:${port}/ws/health`, { timeoutMs: 60_000, stillWorthWaiting }),
    ),
  ]);
  if (shuttingDown) return;

  const frontDoor = await startFrontDoor({ config, supervisor, webPort, realtimePorts });
  cleanups.push({ name: "the front door", stop: frontDoor.stop });
  // Through the front door: nginx answers 502 until it reaches its upstreams.
  const [health] = await Promise.all([
    waitForHttp(`${frontDoor.url}/api/health`, { timeoutMs: 30_000, stillWorthWaiting, accept: notGatewayError }),
    waitForHttp(`${frontDoor.url}/ws/health`, { timeoutMs: 30_000, stillWorthWaiting, accept: (s) => s === 200 }),
  ]);
  if (shuttingDown) return;
  printBanner({
    url: `${frontDoor.url}/`,
    dev: config.dev,
    services: [...frontDoor.services, ...services],
    health,
  });
}

/** The port a setting names (it must be free), else the preferred one if free, else any. */
async function internalPort(explicit: number | undefined, preferred: number, name: string): Promise<number> {
  if (explicit === undefined) return preferredOrFreePort(preferred);
  if (!(await isPortFree(explicit)))
    throw new Error(`port ${explicit} (${name}) is in use: free it, or choose another`);
  return explicit;
}

/**
 * Node with tsx's loader: one process per service, so the signals the
 * supervisor sends reach the service itself (npx or the tsx command would
 * stand in between and relay them).
 */
const node = (script: string) => ({ command: process.execPath, args: ["--import", "tsx", script] });

/**
 * The realtime (Socket.IO) processes, REALTIME_INSTANCES of them (one by
 * default), each on its own loopback port behind the front door, with
 * metrics on REALTIME_METRICS_PORT + i. Resolves with their ports.
 */
async function startRealtime(
  config: LauncherConfig,
  childEnv: NodeJS.ProcessEnv,
  services: string[],
): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < config.realtimeInstances; i++) {
    let port = await internalPort(
      i === 0 ? config.realtimePort : undefined,
      (ports.at(-1) ?? 3000) + 1,
      "REALTIME_PORT",
    );
    // The instances before may not listen yet, so the kernel could offer their ports again.
    while (ports.includes(port)) port = await freePort();
    ports.push(port);
    const metricsPort = config.realtimeMetricsPort === 0 ? 0 : config.realtimeMetricsPort + i;
    const name = i === 0 ? "realtime" : `realtime-${i + 1}`;
    supervisor.start({
      name,
      ...node("workers/realtime.ts"),
      cwd: config.root,
      env: {
        ...childEnv,
        ERP_SERVICE: name,
        REALTIME_PORT: String(port),
        REALTIME_HOST: "127.0.0.1",
        REALTIME_METRICS_PORT: String(metricsPort),
      },
    });
    const metrics = metricsPort ? `, metrics on http://127.0.0.1:${metricsPort}/metrics` : "";
    services.push(`Realtime (Socket.IO): http://127.0.0.1:${port}/ws/ (internal)${metrics}`);
  }
  return ports;
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
  if (config.demo) {
    const supplierSim = await startStandIn({
      name: "supplier-sim",
      script: "workers/supplier-portal-sim.ts",
      what: "the supplier portal stand-in",
      port: config.supplierSimPort,
      env: { ...childEnv, SUPPLIER_SIM_PORT: String(config.supplierSimPort), SUPPLIER_SIM_HOST: "127.0.0.1" },
      portVariable: "SUPPLIER_SIM_PORT",
    });
    childEnv.SUPPLIER_API_URL ||= supplierSim;
    services.push(`Supplier portal stand-in (simulator): ${supplierSim} (GET /orders, PUT /faults)`);
    // With no AI provider key set, the risk checks ask this stand-in (server/risk/provider-settings.ts).
    const llmSim = await startStandIn({
      name: "llm-sim",
      script: "workers/llm-sim.ts",
      what: "the AI provider stand-in",
      port: config.llmSimPort,
      env: { ...childEnv, LLM_SIM_PORT: String(config.llmSimPort), LLM_SIM_HOST: "127.0.0.1" },
      portVariable: "LLM_SIM_PORT",
    });
    childEnv.LLM_SIM_PORT = String(config.llmSimPort);
    services.push(`AI provider stand-in (simulator): ${llmSim} (PUT /faults per provider)`);
  }
  supervisor.start({
    name: "worker",
    ...node("workers/worker.ts"),
    cwd: config.root,
    env: { ...childEnv, ERP_SERVICE: "worker" },
  });
  services.push(`Outbox worker: metrics on http://127.0.0.1:${childEnv.WORKER_METRICS_PORT || 9464}/metrics`);
}

/** Starts a stand-in for an outside system on 127.0.0.1:port; resolves to its URL once /health answers. */
async function startStandIn(standIn: {
  name: string;
  script: string;
  what: string;
  port: number;
  env: NodeJS.ProcessEnv;
  portVariable: string;
}): Promise<string> {
  if (!(await isPortFree(standIn.port, "127.0.0.1"))) {
    throw new Error(`port ${standIn.port} (${standIn.what}) is in use: free it, or set ${standIn.portVariable}=`);
  }
  const url = `http://127.0.0.1:${standIn.port}`;
  supervisor.start({ name: standIn.name, ...node(standIn.script), cwd: projectRoot, env: standIn.env });
  await waitForHttp(`${url}/health`, { timeoutMs: 30_000, stillWorthWaiting: () => !shuttingDown });
  return url;
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

try {
  await main(readConfig());
} catch (error) {
  await shutdown(1, `could not start: ${(error as Error).message}`);
}
