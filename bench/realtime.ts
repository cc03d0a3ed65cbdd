import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { benchCommandLine, type SuiteContext } from "./config";
import { cpuSnapshot } from "./cpu";
import { dropDatabase, prepareDatabase } from "./database";
import { payload, streamKey } from "./outbox-checks";
import { benchBackends } from "./phases";
import { type BaselineResult, measureRawFanout } from "./realtime-baseline";
import { type FanoutSummary, fanoutBetween, scrapeFanout } from "./realtime-fanout";
import { type PhaseResult, runPhase } from "./realtime-phase";
import { type LoadGenerator, startLoadGenerator, startNginx, startRealtimeProcess } from "./realtime-processes";
import { realtimeMarkdown } from "./realtime-report";
import { type Goal, writeSuiteResults } from "./results";
import { freePort } from "./server";
import { startWorkers } from "./workers";

// The realtime suite (BENCH_SUITE=realtime), issue #4: 2,000 socket.io
// clients through nginx (deploy/nginx's config) on one realtime process;
// push latency through the realtime process alone (stream entry appended →
// client) and from commit (outbox row committed, the real worker relaying
// it to the stream as in production → client), at a few event rates, each
// event to every client. Load generators, nginx, the realtime process, the
// worker, PostgreSQL and Redis share the machine's cores. See README.md,
// "Realtime".

/** Bytes of one inventory.changed push on the wire, as the realtime process frames it (WebSocket header, Engine.IO and Socket.IO prefixes, the adapter's offset). */
function pushFrameBytes(): number {
  const offset = "1795612445418-0";
  const message = {
    seq: offset,
    type: "inventory.changed",
    payload: payload(1),
    at: new Date().toISOString(),
    outboxId: "123456",
    aggregate: "inventory:1",
    roomSeq: { "role:purchasing": 123456 },
  };
  const body = `42${JSON.stringify(["event", message, offset])}`;
  return Buffer.byteLength(body) + (body.length < 126 ? 2 : 4);
}

export const realtimeGoals = { streamP99Ms: 50, commitP99Ms: 100 };

export type RealtimeResults = {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; loadAverageBefore: number[]; loadAverageAfter: number[]; openFilesLimit: number };
  command: string;
  settings: Settings;
  connect: { ms: number; failed: number; connectedAtEnd: number };
  baseline: BaselineResult;
  phases: (PhaseResult & { fanout: FanoutSummary })[];
  goals: Goal[];
  pass: boolean;
};

type Settings = {
  clients: number;
  generators: number;
  rates: number[];
  seconds: number;
  warmupSeconds: number;
  connectConcurrency: number;
  nginx: string;
};

function settingsFromEnv(): Settings {
  const int = (name: string, fallback: number) => {
    const raw = process.env[name];
    const value = raw ? Number(raw) : fallback;
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
    return value;
  };
  const rates = (process.env.BENCH_REALTIME_RATES ?? "2,5,10").split(",").map((r) => Number(r.trim()));
  if (rates.some((r) => !(r > 0))) throw new Error(`BENCH_REALTIME_RATES: "${process.env.BENCH_REALTIME_RATES}"`);
  return {
    clients: int("BENCH_REALTIME_CLIENTS", 2_000),
    generators: Math.max(1, int("BENCH_REALTIME_GENERATORS", 2)),
    rates,
    seconds: int("BENCH_REALTIME_SECONDS", 15),
    warmupSeconds: int("BENCH_REALTIME_WARMUP", 2),
    connectConcurrency: Math.max(1, int("BENCH_REALTIME_CONNECT_CONCURRENCY", 25)),
    nginx: process.env.BENCH_NGINX ?? "/usr/sbin/nginx",
  };
}

/** The soft limit on open files this process (and so its children) has. */
async function openFilesLimit(): Promise<number> {
  const limits = await readFile("/proc/self/limits", "utf8").catch(() => "");
  const line = limits.split("\n").find((l) => l.startsWith("Max open files"));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === "unlimited" || soft === undefined ? Number.POSITIVE_INFINITY : Number(soft);
}

export async function runRealtimeSuite({
  config,
  root,
  workDir,
  redisPrefix,
  log,
  cleanups,
}: SuiteContext): Promise<{ pass: boolean }> {
  const startedAt = new Date();
  const loadAverageBefore = os.loadavg();
  const settings = settingsFromEnv();
  const fdLimit = await openFilesLimit();
  // The realtime process holds one descriptor per client, nginx two, each load generator its share.
  const needed = settings.clients + 500;
  if (fdLimit < needed) {
    throw new Error(
      `open files limit is ${fdLimit}, ${settings.clients} clients need ${needed}: raise it (ulimit -n 65536)`,
    );
  }

  // The machine's own price for the writes a fan-out is made of, while it is quiet.
  const frameBytes = pushFrameBytes();
  log(`baseline: one ${frameBytes}-byte write to each of ${settings.clients} loopback TCP sockets, in a bare loop…`);
  const baseline = await measureRawFanout({
    root,
    clients: settings.clients,
    rounds: 50,
    rate: Math.min(...settings.rates),
    frameBytes,
  });
  log(
    `  round p50 ${baseline.fanoutMs.p50} ms, p99 ${baseline.fanoutMs.p99} ms; ${baseline.cpuMicrosPerWrite} µs of CPU per write`,
  );

  log(`realtime suite: fresh database ${new URL(config.databaseUrl).pathname.slice(1)}`);
  cleanups.push(() => (config.keepDatabase ? Promise.resolve() : dropDatabase(config.databaseUrl)));
  const data = await prepareDatabase(config.databaseUrl);
  const services = { DATABASE_URL: config.databaseUrl, REDIS_URL: config.redisUrl, REDIS_PREFIX: redisPrefix };

  const realtime = await startRealtimeProcess({
    root,
    port: await freePort(),
    metricsPort: await freePort(),
    env: services,
    logDir: workDir,
  });
  cleanups.push(realtime.stop);
  const nginx = await startNginx({
    binary: settings.nginx,
    runDir: path.join(workDir, "nginx"),
    port: await freePort(),
    realtimeUpstream: new URL(realtime.url).host,
    logDir: workDir,
  });
  cleanups.push(nginx.stop);
  log(`realtime process ${realtime.pid} on ${realtime.url}, nginx ${nginx.pid} on ${nginx.url} (${nginx.configFile})`);

  const workers = await startWorkers({
    root,
    count: 1,
    env: services,
    logDir: workDir,
    redisUrl: config.redisUrl,
    redisPrefix,
    label: "realtime",
  });
  cleanups.push(workers.stop);

  const generators: LoadGenerator[] = Array.from({ length: settings.generators }, () => startLoadGenerator({ root }));
  for (const g of generators) cleanups.push(g.stop);
  log(`connecting ${settings.clients} clients through nginx (${settings.generators} load generators)…`);
  const share = (i: number) =>
    Math.floor(settings.clients / settings.generators) + (i < settings.clients % settings.generators ? 1 : 0);
  const connected = await Promise.all(
    generators.map((g, i) => g.connect(nginx.url, data.token, share(i), settings.connectConcurrency)),
  );
  const connect = {
    ms: Math.round(Math.max(...connected.map((c) => c.ms))),
    failed: connected.reduce((sum, c) => sum + c.failed, 0),
    connectedAtEnd: 0,
  };
  log(`  ${settings.clients - connect.failed} connected in ${connect.ms} ms, ${connect.failed} refused or failed`);

  // The app's wake-up, loaded now that REDIS_PREFIX is this run's (run.ts sets it first).
  const { wakeOutboxRelay } = await import("../server/outbox/wake");
  const { closeRedis } = await import("../server/redis");
  cleanups.push(() => closeRedis());
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  cleanups.push(async () => redis.disconnect());
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 8, application_name: "bench-realtime" });
  pool.on("error", () => {});
  cleanups.push(() => pool.end());
  await Promise.all(Array.from({ length: 8 }, () => pool.query("SELECT 1")));

  const groups = new Map<number, string>([
    [realtime.pid, "realtime"],
    [nginx.pid, "nginx"],
    ...workers.pids.map((pid) => [pid, "worker"] as [number, string]),
    ...generators.map((g) => [g.pid, "clients"] as [number, string]),
  ]);
  const cpu = async () => {
    const backends = await benchBackends(config.databaseUrl);
    return cpuSnapshot((pid, comm, pgrp) => {
      const named = groups.get(pgrp);
      if (named) return named;
      if (pid === process.pid) return "bench";
      if (backends.has(pid)) return "postgres";
      if (comm.startsWith("redis-server")) return "redis";
      return null;
    });
  };

  const phases: RealtimeResults["phases"] = [];
  for (const rate of settings.rates) {
    for (const which of ["stream", "commit"] as const) {
      log(
        `${which} → clients at ${rate} events/s × ${settings.clients} clients for ${settings.seconds} s (after ${settings.warmupSeconds} s)…`,
      );
      const fanoutBefore = await scrapeFanout(realtime.metricsUrl);
      const measured = await runPhase({
        path: which,
        rate,
        seconds: settings.seconds,
        warmupSeconds: settings.warmupSeconds,
        clients: settings.clients - connect.failed,
        generators,
        redis,
        streamKey: streamKey(redisPrefix),
        pool,
        wakeOutboxRelay,
        cpu,
      });
      const result = { ...measured, fanout: fanoutBetween(fanoutBefore, await scrapeFanout(realtime.metricsUrl)) };
      phases.push(result);
      const m = result.latencyMs;
      log(
        `  p50 ${m.p50} ms, p90 ${m.p90}, p99 ${m.p99}, max ${m.max}; last client p99 ${result.lastClientMs.p99} ms; ` +
          `realtime fan-out p99 ≤ ${result.fanout.p99AtMostMs} ms; ` +
          `${result.delivered}/${result.expected} delivered, ${result.duplicates} duplicates, ${result.gaps} gaps; busy ${Math.round(result.cpu.busyShare * 100)}%`,
      );
    }
  }
  const health = (await (await fetch(`${nginx.url}/ws/health`)).json()) as { connections: number };
  connect.connectedAtEnd = health.connections;

  const worst = (which: "stream" | "commit") => {
    const values = phases.filter((p) => p.path === which).map((p) => p.latencyMs.p99);
    return values.length ? Math.max(...values) : null;
  };
  const fanoutP99 = Math.max(...phases.map((p) => p.fanout.p99AtMostMs));
  const streamP99 = worst("stream");
  const commitP99 = worst("commit");
  const goals: RealtimeResults["goals"] = [
    {
      name: "in the realtime process (fan-out to every socket), p99 ms (worst rate), at most",
      value: fanoutP99,
      goal: `< ${realtimeGoals.streamP99Ms}`,
      met: fanoutP99 <= realtimeGoals.streamP99Ms,
    },
    {
      name: "stream entry → client, p99 ms (worst rate)",
      value: streamP99,
      goal: `< ${realtimeGoals.streamP99Ms}`,
      met: streamP99 === null ? null : streamP99 < realtimeGoals.streamP99Ms,
    },
    {
      name: "commit → client, p99 ms (worst rate)",
      value: commitP99,
      goal: `< ${realtimeGoals.commitP99Ms}`,
      met: commitP99 === null ? null : commitP99 < realtimeGoals.commitP99Ms,
    },
  ];
  const pass = connect.failed === 0 && phases.every((p) => p.missing === 0 && p.gaps === 0);
  const results: RealtimeResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverageBefore, loadAverageAfter: os.loadavg(), openFilesLimit: fdLimit },
    command: benchCommandLine(),
    settings,
    connect,
    baseline,
    phases,
    goals,
    pass,
  };
  for (const g of generators) await g.stop();
  await writeSuiteResults("realtime-latest", results, realtimeMarkdown(results));
  log(`realtime checks ${pass ? "PASS" : "FAIL"}; results in bench/results/realtime-latest.{json,md}`);
  return { pass };
}
