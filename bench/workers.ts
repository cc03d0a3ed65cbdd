import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Redis } from "ioredis";
import { track } from "./children";
import { stopGroup } from "./server";

// The real outbox worker (`node --import tsx workers/worker.ts`), one or
// more processes, each in its own process group. A worker is ready when its
// relay has subscribed to the wake-up channel: its loop starts right after.

/** Wall-clock milliseconds with a fraction, comparable with PostgreSQL's now() on this machine. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

export type Workers = {
  pids: number[];
  /** When the first and the last relay subscribed (epochMs). */
  firstReadyAt: number;
  allReadyAt: number;
  stop: () => Promise<void>;
  /** The last lines of every worker's output, for an error message. */
  tail: () => Promise<string>;
};

export function wakeChannel(redisPrefix: string): string {
  return `${redisPrefix}outbox:wake`;
}

export async function subscribers(client: Redis, redisPrefix: string): Promise<number> {
  const reply = (await client.call("PUBSUB", "NUMSUB", wakeChannel(redisPrefix))) as [string, number];
  return Number(reply[1]);
}

export async function startWorkers({
  root,
  count,
  env,
  logDir,
  redisUrl,
  redisPrefix,
  label,
}: {
  root: string;
  count: number;
  /** DATABASE_URL, REDIS_PREFIX, OUTBOX_* …: on top of this process's environment without its OUTBOX_* variables. */
  env: Record<string, string>;
  logDir: string;
  redisUrl: string;
  redisPrefix: string;
  label: string;
}): Promise<Workers> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OUTBOX_")));
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const children: { child: ChildProcess; exited: Promise<number>; logFile: string }[] = [];
  const stop = track(async () => {
    await Promise.all(children.map(({ child, exited }) => stopGroup(child, exited)));
  });
  const tail = async () => {
    const parts = await Promise.all(
      children.map(async ({ logFile, child }) => {
        const text = await readFile(logFile, "utf8").catch(() => "");
        return `--- worker ${child.pid} (${path.basename(logFile)}) ---\n${text.split("\n").slice(-20).join("\n")}`;
      }),
    );
    return parts.join("\n");
  };
  try {
    const before = await subscribers(redis, redisPrefix);
    if (before !== 0) throw new Error(`${before} relay(s) already subscribed to ${wakeChannel(redisPrefix)}`);
    for (let i = 0; i < count; i++) {
      const logFile = path.join(logDir, `worker-${label}-${i + 1}-${Date.now()}.log`);
      const log = createWriteStream(logFile);
      // BENCH_OUTBOX_CPU_PROF=<dir>: each worker writes a V8 CPU profile there when it stops.
      const profile = process.env.BENCH_OUTBOX_CPU_PROF;
      const nodeArgs = profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profile)}`] : [];
      const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "workers/worker.ts"], {
        cwd: root,
        env: {
          ...inherited,
          NODE_ENV: "production",
          ERP_SERVICE: "worker",
          WORKER_METRICS_PORT: "0",
          LOG_LEVEL: "warn",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
      const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
      children.push({ child, exited, logFile });
    }
    let firstReadyAt = 0;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const gone = children.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
      if (gone) throw new Error(`worker ${gone.child.pid} exited before its relay subscribed`);
      const ready = await subscribers(redis, redisPrefix);
      if (ready > 0 && !firstReadyAt) firstReadyAt = epochMs();
      if (ready >= count) {
        return {
          pids: children.map(({ child }) => child.pid ?? 0),
          firstReadyAt,
          allReadyAt: epochMs(),
          stop,
          tail,
        };
      }
      if (Date.now() > deadline) throw new Error(`only ${ready} of ${count} workers subscribed within 60 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } catch (error) {
    const output = await tail();
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  } finally {
    redis.disconnect();
  }
}
