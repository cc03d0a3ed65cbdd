import path from "node:path";

// Everything the launcher can be told, from the environment and its one flag.
// Defaults make `npm start` work on a fresh clone with nothing else running.
export type LauncherConfig = {
  root: string;
  dev: boolean;
  /** The one origin people open: nginx (or the built-in proxy) listens here. */
  port: number;
  host: string;
  /** The web process's own port, on 127.0.0.1 behind the proxy; unset: 3010 if free, else any. */
  webPort?: number;
  /** The first realtime process's port (the others take the next free ones); set: must be free. */
  realtimePort?: number;
  realtimeInstances: number;
  /** Prometheus metrics of realtime instance i on this port + i; 0 turns them off. */
  realtimeMetricsPort: number;
  /** HTTPS on `port` (nginx terminates TLS); plain HTTP otherwise. */
  tls: boolean;
  tlsCertificate?: string;
  tlsKey?: string;
  /** With TLS: plain HTTP here answers with a redirect to HTTPS. */
  httpRedirectPort?: number;
  /** nginx when installed (auto), or insist on one of the two. */
  proxy: "auto" | "nginx" | "node";
  dataDir: string;
  pgPort: number;
  databaseUrl?: string;
  redisUrl?: string;
  /** Demo mode runs the stand-ins for outside systems (the supplier portal) and points the product at them. */
  demo: boolean;
  supplierSimPort: number;
  llmSimPort: number;
};

export const projectRoot = path.resolve(import.meta.dirname, "../..");

export function readConfig(argv = process.argv.slice(2), env = process.env): LauncherConfig {
  const tls = choice(env.ERP_TLS, ["off", "on"], "ERP_TLS") === "on";
  const tlsCertificate = env.ERP_TLS_CERT ? path.resolve(projectRoot, env.ERP_TLS_CERT) : undefined;
  const tlsKey = env.ERP_TLS_KEY ? path.resolve(projectRoot, env.ERP_TLS_KEY) : undefined;
  if (Boolean(tlsCertificate) !== Boolean(tlsKey)) throw new Error("ERP_TLS_CERT and ERP_TLS_KEY go together");
  return {
    root: projectRoot,
    dev: argv.includes("--dev"),
    port: portFrom(env.PORT, 3000, "PORT"),
    host: env.HOST || "127.0.0.1",
    webPort: optionalPort(env.WEB_PORT, "WEB_PORT"),
    realtimePort: optionalPort(env.REALTIME_PORT, "REALTIME_PORT"),
    realtimeInstances: countFrom(env.REALTIME_INSTANCES, 1, 8, "REALTIME_INSTANCES"),
    realtimeMetricsPort:
      env.REALTIME_METRICS_PORT === "0" ? 0 : portFrom(env.REALTIME_METRICS_PORT, 9465, "REALTIME_METRICS_PORT"),
    tls,
    tlsCertificate,
    tlsKey,
    httpRedirectPort: optionalPort(env.ERP_HTTP_PORT, "ERP_HTTP_PORT"),
    proxy: choice(env.ERP_PROXY, ["auto", "nginx", "node"], "ERP_PROXY"),
    dataDir: path.resolve(projectRoot, env.ERP_DATA_DIR || ".data"),
    pgPort: portFrom(env.PGPORT, 5433, "PGPORT"),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    demo: env.ERP_DEMO !== "false",
    supplierSimPort: portFrom(env.SUPPLIER_SIM_PORT, 3002, "SUPPLIER_SIM_PORT"),
    llmSimPort: portFrom(env.LLM_SIM_PORT, 3003, "LLM_SIM_PORT"),
  };
}

function portFrom(value: string | undefined, fallback: number, name: string): number {
  return optionalPort(value, name) ?? fallback;
}

function optionalPort(value: string | undefined, name: string): number | undefined {
  if (!value) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name}=${value} is not a TCP port (1-65535)`);
  }
  return port;
}

function countFrom(value: string | undefined, fallback: number, max: number, name: string): number {
  if (!value) return fallback;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > max)
    throw new Error(`${name}=${value} is not a number from 1 to ${max}`);
  return count;
}

function choice<T extends string>(value: string | undefined, options: readonly [T, ...T[]], name: string): T {
  if (!value) return options[0];
  if ((options as readonly string[]).includes(value)) return value as T;
  throw new Error(`${name}=${value}: use one of ${options.join(", ")}`);
}

/** The address to reach a server from this machine, whatever it listens on. */
export function localAddress(host: string): string {
  return host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
}

/** A host as it stands in a URL or an nginx listen directive: IPv6 in brackets. */
export function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
