import { type ChildProcess, fork, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { nginxArgs, writeNginxConfig } from "../deploy/nginx/render-config";
import { track } from "./children";
import { stopGroup } from "./server";

// The processes of the realtime suite: the real realtime process, nginx on
// the project's own config, and the load generators. Each in its own
// process group, stopped by the run's cleanup if the suite fails.

export type Started = { pid: number; stop: () => Promise<void>; logFile: string };

function spawnLogged(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logDir: string },
) {
  const logFile = path.join(options.logDir, `${name}-${Date.now()}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
  return { child, exited, logFile, stop: track(() => stopGroup(child, exited)) };
}

async function tail(logFile: string): Promise<string> {
  return (await readFile(logFile, "utf8").catch(() => "")).split("\n").slice(-20).join("\n");
}

async function waitUntil(what: string, check: () => Promise<boolean>, exited: Promise<number>, timeoutMs = 60_000) {
  let gone: number | undefined;
  void exited.then((code) => {
    gone = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`${what}: the process exited with code ${gone}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
}

async function health(url: string): Promise<{ feeding?: boolean; connections?: number } | null> {
  const response = await fetch(`${url}/ws/health`, { signal: AbortSignal.timeout(2_000) });
  return response.status === 200 ? ((await response.json()) as { feeding?: boolean; connections?: number }) : null;
}

/** `node --import tsx workers/realtime.ts`, as the launcher runs it; resolves once it feeds the stream. */
export async function startRealtimeProcess({
  root,
  port,
  metricsPort,
  env,
  logDir,
}: {
  root: string;
  port: number;
  /** Its Prometheus endpoint, on loopback, for the fan-out histogram. */
  metricsPort: number;
  env: Record<string, string>;
  logDir: string;
}): Promise<Started & { url: string; metricsUrl: string }> {
  const started = spawnLogged("realtime", process.execPath, ["--import", "tsx", "workers/realtime.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      ERP_SERVICE: "realtime",
      REALTIME_HOST: "127.0.0.1",
      REALTIME_PORT: String(port),
      REALTIME_METRICS_HOST: "127.0.0.1",
      REALTIME_METRICS_PORT: String(metricsPort),
      LOG_LEVEL: "warn",
      ...env,
    },
    logDir,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil("the realtime process feeding", async () => (await health(url))?.feeding === true, started.exited);
  } catch (error) {
    await started.stop();
    throw new Error(`${(error as Error).message}\n--- realtime output ---\n${await tail(started.logFile)}`);
  }
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  return { pid: started.child.pid ?? 0, stop: started.stop, logFile: started.logFile, url, metricsUrl };
}

/** nginx on deploy/nginx's config (plain HTTP on `port`), in front of the realtime process. */
export async function startNginx({
  binary,
  runDir,
  port,
  realtimeUpstream,
  logDir,
}: {
  binary: string;
  runDir: string;
  port: number;
  realtimeUpstream: string;
  logDir: string;
}): Promise<Started & { url: string; configFile: string }> {
  // No web process in this suite: nginx needs an upstream for the pages all the same, never asked.
  const configFile = await writeNginxConfig({
    runDir,
    listen: `127.0.0.1:${port}`,
    webUpstreams: ["127.0.0.1:9"],
    realtimeUpstreams: [realtimeUpstream],
  });
  const started = spawnLogged("nginx", binary, nginxArgs(configFile, runDir), {
    cwd: runDir,
    env: process.env,
    logDir,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil("nginx answering /ws/health", async () => (await health(url)) !== null, started.exited, 20_000);
  } catch (error) {
    await started.stop();
    throw new Error(`${(error as Error).message}\n--- nginx output ---\n${await tail(started.logFile)}`);
  }
  return { pid: started.child.pid ?? 0, stop: started.stop, logFile: started.logFile, url, configFile };
}

export type ClientsReport = { receipts: [string, number[]][]; gaps: number; duplicates: number; disconnects: number };

export type LoadGenerator = {
  pid: number;
  connect: (url: string, token: string, count: number, concurrency: number) => Promise<{ ms: number; failed: number }>;
  /** Arrivals since the last reset. */
  count: () => Promise<number>;
  report: (reset: boolean) => Promise<ClientsReport>;
  stop: () => Promise<void>;
};

/** A forked bench/realtime-clients.ts. */
export function startLoadGenerator({ root }: { root: string }): LoadGenerator {
  const child: ChildProcess = fork(path.join(root, "bench/realtime-clients.ts"), [], {
    cwd: root,
    execArgv: ["--import", "tsx"],
    env: { ...process.env, NODE_ENV: "production" },
    detached: true,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
  const next = <T>(key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>) => {
        if (!(key in message)) return;
        child.off("message", onMessage);
        resolve(message[key] as T);
      };
      child.on("message", onMessage);
      void exited.then((code) => reject(new Error(`load generator ${child.pid} exited with code ${code}`)));
    });
  const stop = track(async () => {
    if (child.connected) child.send({ close: true });
    const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 3_000))]);
    if (!done) await stopGroup(child, exited);
  });
  return {
    pid: child.pid ?? 0,
    connect(url, token, count, concurrency) {
      const answer = next<{ ms: number; failed: number }>("connected");
      child.send({ connect: { url, token, count, concurrency } });
      return answer;
    },
    count() {
      const answer = next<number>("counted");
      child.send({ count: true });
      return answer;
    },
    report(reset) {
      const answer = next<ClientsReport>("report");
      child.send({ report: true, reset });
      return answer;
    },
    stop,
  };
}
