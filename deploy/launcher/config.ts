import path from "node:path";

// Everything the launcher can be told, from the environment and its one flag.
// Defaults make `npm start` work on a fresh clone with nothing else running.
export type LauncherConfig = {
  root: string;
  dev: boolean;
  port: number;
  host: string;
  dataDir: string;
  pgPort: number;
  databaseUrl?: string;
  redisUrl?: string;
  /** Demo mode runs the stand-ins for outside systems (the supplier portal) and points the product at them. */
  demo: boolean;
  supplierSimPort: number;
};

export const projectRoot = path.resolve(import.meta.dirname, "../..");

export function readConfig(argv = process.argv.slice(2), env = process.env): LauncherConfig {
  return {
    root: projectRoot,
    dev: argv.includes("--dev"),
    port: portFrom(env.PORT, 3000, "PORT"),
    host: env.HOST || "127.0.0.1",
    dataDir: path.resolve(projectRoot, env.ERP_DATA_DIR || ".data"),
    pgPort: portFrom(env.PGPORT, 5433, "PGPORT"),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    demo: env.ERP_DEMO !== "false",
    supplierSimPort: portFrom(env.SUPPLIER_SIM_PORT, 3002, "SUPPLIER_SIM_PORT"),
  };
}

function portFrom(value: string | undefined, fallback: number, name: string): number {
  if (!value) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name}=${value} is not a TCP port (1-65535)`);
  }
  return port;
}

/** The address to reach a server from this machine, whatever it listens on. */
export function localAddress(host: string): string {
  return host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
}
