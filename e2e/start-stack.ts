// Playwright's webServer: a fresh database for this run, then the whole stack
// through the same launcher as `npm start` (it migrates and seeds the demo
// factory itself): Debian's nginx with the project's config, over HTTPS with
// the trial certificate, in front of web and two realtime instances. Every
// port derives from E2E_PORT (e2e/stack-ports.ts). Signals are passed on so
// the launcher can stop cleanly.
import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { e2eTls, stackPorts } from "./stack-ports";

const ports = stackPorts();
const adminUrl = process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
const databaseName = process.env.E2E_DATABASE || `erp_e2e_${ports.front}`;
const root = path.resolve(import.meta.dirname, "..");

if (!/^[a-z_][a-z0-9_]*$/.test(databaseName)) {
  console.error(`E2E_DATABASE=${databaseName} is not a plain database name`);
  process.exit(2);
}

async function recreateDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // FORCE ends the sessions a previous, killed run may have left behind.
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${databaseName}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

const databaseUrl = await recreateDatabase();
console.log(`[e2e] fresh database ${databaseName}; starting the stack`);

// Node with tsx's loader rather than the tsx command: the command relays
// signals to its child and kills it when the child is slow to acknowledge,
// which on a loaded machine cut the launcher's shutdown short.
const launcher = spawn(process.execPath, ["--import", "tsx", "deploy/launcher/start.ts"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL || "redis://127.0.0.1:6379",
    // Login failure counters and idempotency keys from earlier runs (or other
    // checkouts sharing this Redis) must not leak into this one.
    REDIS_PREFIX: `erp-e2e-${process.pid}-${Date.now()}:`,
    // The simulators keep their own keys; this run's must not meet another's.
    SUPPLIER_SIM_REDIS_PREFIX: `supplier-sim-e2e-${process.pid}-${Date.now()}:`,
    // Ports of their own, so a developer's `npm start` (and other checkouts'
    // suites) can run beside the tests.
    HOST: "127.0.0.1",
    PORT: String(ports.front),
    WEB_PORT: String(ports.web),
    REALTIME_PORT: String(ports.realtime),
    REALTIME_METRICS_PORT: String(ports.realtimeMetrics),
    SUPPLIER_SIM_PORT: String(ports.supplierSim),
    LLM_SIM_PORT: String(ports.llmSim),
    WORKER_METRICS_PORT: String(ports.workerMetrics),
    // The way a factory runs it: nginx (never the Node fallback), TLS with
    // plain HTTP redirected, several realtime instances behind it.
    ERP_PROXY: "nginx",
    // The suite logs in and writes hundreds of times from one address, far
    // above a person's rate; the limits themselves are tested in deploy/nginx.
    NGINX_LOGIN_RATE: "100",
    NGINX_LOGIN_BURST: "1000",
    NGINX_WRITES_RATE: "200",
    NGINX_WRITES_BURST: "2000",
    ERP_TLS: e2eTls() ? "on" : "off",
    ERP_HTTP_PORT: String(ports.httpRedirect),
    REALTIME_INSTANCES: process.env.E2E_REALTIME_INSTANCES || "2",
    // Retries a person can watch within a test's time.
    OUTBOX_RETRY_INITIAL_MS: "500",
    OUTBOX_RETRY_MAX_MS: "4000",
  },
});

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => launcher.kill(signal));
}
launcher.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
