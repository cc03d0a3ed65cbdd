import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

export type NginxTls = {
  /** PEM certificate (chain) and its key, absolute paths. */
  certificate: string;
  key: string;
  /** Where plain HTTP is answered with a redirect to HTTPS, e.g. "80" or "127.0.0.1:3108"; unset: nowhere. */
  httpListen?: string;
  /** The HTTPS port the redirect points to; 443 leaves it out of the URL. */
  httpsPort: number;
};

export type NginxSettings = {
  /** Where nginx writes its temporary files, and by default its pid and logs (created if missing). */
  runDir: string;
  /** Default: runDir/nginx.pid (Debian's nginx.service expects /run/nginx.pid). */
  pidFile?: string;
  /** error.log and access.log go here; default: runDir. */
  logDir?: string;
  /** The listen directive's argument, e.g. "127.0.0.1:3000" or "443". */
  listen: string;
  /** host:port of each web (Next.js) process. */
  webUpstreams: readonly string[];
  /** host:port of each realtime (Socket.IO) process. */
  realtimeUpstreams: readonly string[];
  /** HTTPS on `listen`, plain HTTP redirected; without it, plain HTTP on `listen`. */
  tls?: NginxTls;
  /** Requests a second per client address, and the burst allowed above it; defaults in `defaultRateLimits`. */
  rateLimits?: Partial<NginxRateLimits>;
};

export type NginxRateLimits = {
  loginPerSecond: number;
  loginBurst: number;
  writesPerSecond: number;
  writesBurst: number;
};

/** A person or a tablet logs in a few times a day, and writes far below these. */
export const defaultRateLimits: NginxRateLimits = {
  loginPerSecond: 2,
  loginBurst: 20,
  writesPerSecond: 10,
  writesBurst: 50,
};

const templatePath = path.join(import.meta.dirname, "erp.conf.template");
const allowed = /^[\w./:[\]-]+$/;

/** Fills in the template; refuses a value that could smuggle in a directive. */
export async function renderNginxConfig(settings: NginxSettings): Promise<string> {
  const { tls } = settings;
  const values: Record<string, string> = {
    RUN_DIR: settings.runDir,
    PID_FILE: settings.pidFile ?? path.join(settings.runDir, "nginx.pid"),
    LOG_DIR: settings.logDir ?? settings.runDir,
    LISTEN: settings.listen,
    ...(tls && { TLS_CERT: tls.certificate, TLS_KEY: tls.key }),
    ...(tls?.httpListen && { HTTP_LISTEN: tls.httpListen }),
  };
  for (const [name, value] of Object.entries(values)) check(name, value);
  const limits = { ...defaultRateLimits, ...settings.rateLimits };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`nginx rate limit ${name}=${value} is not a positive integer`);
  }
  values.LOGIN_RATE = String(limits.loginPerSecond);
  values.LOGIN_BURST = String(limits.loginBurst);
  values.WRITES_RATE = String(limits.writesPerSecond);
  values.WRITES_BURST = String(limits.writesBurst);
  const servers = (name: string, addresses: readonly string[]) => {
    if (addresses.length === 0) throw new Error(`nginx setting ${name} needs at least one upstream`);
    for (const address of addresses) check(name, address);
    return addresses.map((address) => `    server ${address};`).join("\n");
  };
  values.WEB_SERVERS = servers("WEB_SERVERS", settings.webUpstreams);
  values.REALTIME_SERVERS = servers("REALTIME_SERVERS", settings.realtimeUpstreams);
  if (tls) {
    if (!Number.isInteger(tls.httpsPort) || tls.httpsPort < 1 || tls.httpsPort > 65535) {
      throw new Error(`nginx setting HTTPS_PORT=${tls.httpsPort} is not a TCP port`);
    }
    values.HTTPS_PORT_SUFFIX = tls.httpsPort === 443 ? "" : `:${tls.httpsPort}`;
  }

  const template = await readFile(templatePath, "utf8");
  return keepSections(template, { tls: Boolean(tls), redirect: Boolean(tls?.httpListen) }).replace(
    /\{\{([A-Z_]+)\}\}/g,
    (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`the nginx template names {{${name}}}, which has no value`);
      return value;
    },
  );
}

function check(name: string, value: string): void {
  if (!allowed.test(value)) throw new Error(`nginx setting ${name}=${JSON.stringify(value)} is not allowed`);
}

/**
 * Keeps the lines between `{{#flag}}` and `{{/flag}}` when the flag is on,
 * those between `{{^flag}}` and `{{/flag}}` when it is off; the marker
 * lines themselves go. Sections do not nest.
 */
function keepSections(template: string, flags: Record<string, boolean>): string {
  const kept: string[] = [];
  let open: { flag: string; keep: boolean } | undefined;
  for (const line of template.split("\n")) {
    const marker = line.trim().match(/^\{\{([#^/])(\w+)\}\}$/);
    if (!marker) {
      if (!open || open.keep) kept.push(line);
      continue;
    }
    const [, kind, flag = ""] = marker;
    if (!(flag in flags)) throw new Error(`the nginx template names an unknown section {{${kind}${flag}}}`);
    if (kind === "/") {
      if (open?.flag !== flag) throw new Error(`the nginx template closes {{/${flag}}}, which is not open`);
      open = undefined;
    } else {
      if (open) throw new Error(`the nginx template opens {{${kind}${flag}}} inside {{#${open.flag}}}`);
      open = { flag, keep: kind === "#" ? Boolean(flags[flag]) : !flags[flag] };
    }
  }
  if (open) throw new Error(`the nginx template never closes {{${open.flag}}}`);
  return kept.join("\n");
}

/** Renders the config into runDir/nginx.conf and returns its path. */
export async function writeNginxConfig(settings: NginxSettings): Promise<string> {
  await mkdir(settings.runDir, { recursive: true });
  const file = path.join(settings.runDir, "nginx.conf");
  await writeFile(file, await renderNginxConfig(settings));
  return file;
}

/** The arguments that run nginx in the foreground on a rendered config. */
export function nginxArgs(configFile: string, runDir: string): string[] {
  // Errors go to stderr as well as to the run directory's error.log (-e:
  // also those before the config is read, which would otherwise go to
  // /var/log/nginx, where a normal user cannot write).
  return ["-c", configFile, "-p", runDir, "-e", "stderr", "-g", "daemon off; error_log stderr warn;"];
}
