import path from "node:path";
import type { NginxRateLimits } from "../nginx/render-config";
import { type LauncherConfig, localAddress, urlHost } from "./config";
import { log } from "./log";
import { findNginx, nginxInstallHint, startNginx } from "./nginx";
import { startNodeProxy } from "./node-proxy";
import { isPortFree } from "./ports";
import type { Supervisor } from "./processes";
import { resolveTlsFiles } from "./tls";

export type FrontDoor = {
  /** The one URL people open. */
  url: string;
  /** Lines for the banner. */
  services: string[];
  /** Stops the built-in proxy; nginx is stopped by the supervisor. */
  stop(): Promise<void>;
};

/** Checked before anything starts, so a busy port costs no database start-up. */
export async function assertFrontDoorPortsFree(config: LauncherConfig): Promise<void> {
  const ports: Array<[number | undefined, string]> = [
    [config.port, "PORT"],
    [config.tls ? (config.httpRedirectPort ?? (config.port === 443 ? 80 : undefined)) : undefined, "ERP_HTTP_PORT"],
  ];
  for (const [port, name] of ports) {
    if (port !== undefined && !(await isPortFree(port, config.host))) {
      throw new Error(`port ${port} on ${config.host} is in use: stop what holds it, or choose another with ${name}=`);
    }
  }
}

/**
 * The single origin on PORT: nginx with the project's config (TLS when
 * ERP_TLS=on) in front of web and the realtime processes, or, when nginx is
 * not installed, the launcher's own Node proxy doing the same routing.
 */
export async function startFrontDoor({
  config,
  supervisor,
  webPort,
  realtimePorts,
}: {
  config: LauncherConfig;
  supervisor: Supervisor;
  webPort: number;
  realtimePorts: number[];
}): Promise<FrontDoor> {
  const tls = config.tls
    ? await resolveTlsFiles({
        root: config.root,
        dataDir: config.dataDir,
        certificate: config.tlsCertificate,
        key: config.tlsKey,
      })
    : undefined;
  const scheme = tls ? "https" : "http";
  const url = `${scheme}://${urlHost(localAddress(config.host))}:${config.port}`;
  const services = tls ? [`TLS: ${tls.description}`] : [];
  const httpListen = tls ? redirectListen(config) : undefined;
  if (httpListen) services.push(`Plain HTTP on ${httpListen} redirects to ${url}`);

  const nginx = config.proxy === "node" ? undefined : findNginx();
  if (nginx) {
    // One run directory per port, so two launchers in one checkout do not meet.
    const runDir = path.join(config.dataDir, `nginx-${config.port}`);
    const configFile = await startNginx({
      supervisor,
      binary: nginx,
      settings: {
        runDir,
        listen: `${urlHost(config.host)}:${config.port}`,
        webUpstreams: [`127.0.0.1:${webPort}`],
        realtimeUpstreams: realtimePorts.map((port) => `127.0.0.1:${port}`),
        rateLimits: rateLimitsFromEnv(),
        tls: tls && {
          certificate: tls.certificate,
          key: tls.key,
          httpListen,
          httpsPort: config.port,
        },
      },
    });
    services.unshift(`Front door: nginx (${nginx}), config ${path.relative(config.root, configFile)}`);
    return { url, services, stop: async () => {} };
  }
  if (config.proxy === "nginx") throw new Error(`ERP_PROXY=nginx, but nginx is not installed: ${nginxInstallHint}`);

  if (config.proxy === "auto")
    log(`nginx not found: serving through the launcher's built-in Node proxy; ${nginxInstallHint}`);
  const proxy = await startNodeProxy({
    host: config.host,
    port: config.port,
    webUpstreams: [`http://127.0.0.1:${webPort}`],
    realtimeUpstreams: realtimePorts.map((port) => `http://127.0.0.1:${port}`),
    tls: tls && {
      certificate: tls.certificate,
      key: tls.key,
      httpRedirectPort: httpListen ? Number(httpListen.slice(httpListen.lastIndexOf(":") + 1)) : undefined,
    },
  });
  services.unshift("Front door: the launcher's built-in Node proxy (no rate limits; nginx not in use)");
  return { url, services, stop: () => proxy.close() };
}

/** ERP_HTTP_PORT; HTTPS on 443 implies the redirect on 80, as on a server. */
function redirectListen(config: LauncherConfig): string | undefined {
  const port = config.httpRedirectPort ?? (config.port === 443 ? 80 : undefined);
  return port === undefined ? undefined : `${urlHost(config.host)}:${port}`;
}

/**
 * NGINX_LOGIN_RATE, NGINX_LOGIN_BURST, NGINX_WRITES_RATE, NGINX_WRITES_BURST
 * override nginx's per-address limits (the e2e suite logs in hundreds of
 * times from one address); unset: the production defaults.
 */
function rateLimitsFromEnv(env = process.env): Partial<NginxRateLimits> {
  const limits: Partial<NginxRateLimits> = {};
  const names = {
    loginPerSecond: "NGINX_LOGIN_RATE",
    loginBurst: "NGINX_LOGIN_BURST",
    writesPerSecond: "NGINX_WRITES_RATE",
    writesBurst: "NGINX_WRITES_BURST",
  } as const;
  for (const [key, variable] of Object.entries(names) as [keyof NginxRateLimits, string][]) {
    const value = env[variable];
    if (!value) continue;
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) throw new Error(`${variable}=${value} is not a positive integer`);
    limits[key] = number;
  }
  return limits;
}
