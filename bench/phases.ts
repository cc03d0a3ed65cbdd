import path from "node:path";
import pg from "pg";
import type { BenchConfig } from "./config";
import { cpuSnapshot, cpuSplit } from "./cpu";
import type { BenchData } from "./database";
import { httpResult, noopRequests, reservationRequests, runHttp } from "./http-load";
import { pgbenchResult, readTransactionLog, runPgbench, type ScriptName } from "./pgbench";
import type { WebServer } from "./server";
import type { LatencyLog, PhaseResult } from "./stats";

// The phases of one round, in the order they run: the HTTP routes first,
// then pgbench, each at the same concurrency.

export type Phase = {
  name: string;
  description: string;
  run: () => Promise<{ result: PhaseResult; latencies: LatencyLog }>;
};

export const phaseNames = [
  "noop",
  "http-many",
  "http-hot",
  "pg-reserve-many",
  "pg-reserve-hot",
  "pg-notify-many",
  "pg-seed-many",
  "pg-seed-hot",
] as const;

/** Names a process's CPU group (cpu.ts), or null to leave it to the defaults. */
export type Classify = (pid: number, comm: string, pgrp: number) => string | null;

export function definePhases(
  config: BenchConfig,
  server: WebServer,
  data: BenchData,
  workDir: string,
  /** More process groups for the CPU split (the outbox suite's workers). */
  extraGroups?: Classify,
): Phase[] {
  const base = (name: string, description: string) => ({
    name,
    description,
    seconds: config.seconds,
    clients: config.connections,
  });

  const http = (name: string, description: string, urlPath: string, next: () => { body: string }): Phase => ({
    name,
    description,
    run: async () => {
      const load = { url: server.url, path: urlPath, connections: config.connections, next };
      const headers = { authorization: `Bearer ${data.token}` };
      if (config.warmupSeconds) await runHttp({ ...load, headers, seconds: config.warmupSeconds });
      const cpu = measureCpu(config, server, extraGroups);
      const outcome = await runHttp({ ...load, headers, seconds: config.seconds });
      const result = httpResult(base(name, description), outcome);
      return { result: { ...result, cpu: await cpu(result.perSecond) }, latencies: outcome.latencies };
    },
  });

  const pgbench = (name: string, description: string, script: ScriptName, itemIds: number[]): Phase => ({
    name,
    description,
    run: async () => {
      const run = {
        pgbench: config.pgbench,
        databaseUrl: config.databaseUrl,
        dir: workDir,
        script,
        clients: config.connections,
        threads: config.pgbenchThreads,
        itemIds,
        actorId: data.userId,
      };
      if (config.warmupSeconds) await runPgbench({ ...run, seconds: config.warmupSeconds });
      const logPrefix = path.join(workDir, `${name}-${Date.now()}`);
      const cpu = measureCpu(config, server, extraGroups);
      const { tps, aborted } = await runPgbench({ ...run, seconds: config.seconds, logPrefix });
      const txLog = await readTransactionLog(workDir, logPrefix);
      const result = pgbenchResult(base(name, description), tps, txLog, aborted);
      return { result: { ...result, cpu: await cpu(result.perSecond) }, latencies: txLog.latencies };
    },
  });

  const many = data.manyItemIds;
  const hot = data.hotItemIds;
  const all = [
    http("noop", "no-op route: parse the JSON body, answer 201", "/api/bench/noop", noopRequests(many)),
    http("http-many", "POST /api/reservations, random item of 1,000", "/api/reservations", reservationRequests(many)),
    http("http-hot", "POST /api/reservations, 2 hot items", "/api/reservations", reservationRequests(hot)),
    pgbench("pg-reserve-many", "pgbench: SELECT reserve_stock(…), 1,000 items", "reserve-stock.sql", many),
    pgbench("pg-reserve-hot", "pgbench: SELECT reserve_stock(…), 2 hot items", "reserve-stock.sql", hot),
    pgbench("pg-notify-many", "pgbench: reserve_stock + pg_notify, 1,000 items", "reserve-stock-notify.sql", many),
    pgbench("pg-seed-many", "pgbench: the seed's transaction, 1,000 items", "seed-transaction.sql", many),
    pgbench("pg-seed-hot", "pgbench: the seed's transaction, 2 hot items", "seed-transaction.sql", hot),
  ];
  return all.filter((p) => !config.phases || config.phases.includes(p.name));
}

/** Backends connected to the benchmark's database: other databases' work on this server is not ours. */
export async function benchBackends(databaseUrl: string): Promise<Set<number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    return new Set(rows.map((r) => r.pid));
  } finally {
    await client.end();
  }
}

/**
 * Starts a CPU measurement now and ends it half a second before the phase
 * does, while pgbench and its backends still exist (cpu.ts).
 */
function measureCpu(config: BenchConfig, server: WebServer, extraGroups?: Classify) {
  const snapshot = async () => {
    const backends = await benchBackends(config.databaseUrl);
    return cpuSnapshot((pid, comm, pgrp) => {
      if (pgrp === server.pid) return "web";
      const extra = extraGroups?.(pid, comm, pgrp);
      if (extra) return extra;
      if (pid === process.pid || comm === "pgbench") return "loadgen";
      if (backends.has(pid)) return "postgres";
      if (comm.startsWith("redis-server")) return "redis";
      return null;
    });
  };
  const start = snapshot();
  const end = new Promise((r) => setTimeout(r, Math.max(500, config.seconds * 1000 - 500))).then(snapshot);
  return async (perSecond: number) => cpuSplit(await start, await end, perSecond);
}
