import { mkdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { track } from "./children";
import type { BenchConfig } from "./config";
import type { BenchData } from "./database";
import { pendingCount } from "./outbox-checks";
import { definePhases } from "./phases";
import { freePort, startServer } from "./server";
import { type PhaseResult, round } from "./stats";
import { startWorkers } from "./workers";

// What the wake-up costs the writers: the reservation route (the http-many
// phase of the reservation suite, unchanged) with the web server started with
// OUTBOX_WAKE=off and with it on, alternating which goes first from round to
// round. By default a worker runs beside it as in production, so the relay's
// reaction to every wake-up (a claim per reservation rather than per poll)
// is part of what is measured.

export type WakeMode = "off" | "on";

export type WakeCostPhase = PhaseResult & {
  wake: WakeMode;
  /** Outbox rows the relay had not delivered when the load stopped (how far behind it ran). */
  pendingAtEnd: number | null;
};

export type WakeCostRound = { off: WakeCostPhase; on: WakeCostPhase; order: WakeMode[]; ratio: number };

export async function runWakeCost({
  config,
  root,
  workDir,
  data,
  redisPrefix,
  log,
}: {
  config: BenchConfig;
  root: string;
  workDir: string;
  data: BenchData;
  redisPrefix: string;
  log: (line: string) => void;
}): Promise<WakeCostRound[]> {
  const rounds: WakeCostRound[] = [];
  const admin = new pg.Client({ connectionString: config.databaseUrl, application_name: "bench-wake-cost" });
  await admin.connect();
  try {
    for (let r = 0; r < config.outbox.wakeRounds; r++) {
      const order: WakeMode[] = r % 2 === 0 ? ["off", "on"] : ["on", "off"];
      const byMode: Partial<Record<WakeMode, WakeCostPhase>> = {};
      for (const wake of order) {
        log(`wake-cost round ${r + 1}/${config.outbox.wakeRounds}: POST /api/reservations, OUTBOX_WAKE=${wake}`);
        byMode[wake] = await onePhase(wake, r);
        const p = byMode[wake];
        log(
          `  ${p.perSecond.toFixed(0)} ok/s, p50 ${p.p50Ms.toFixed(1)} ms, p99 ${p.p99Ms.toFixed(1)} ms, ` +
            `outbox pending at the end ${p.pendingAtEnd ?? "–"}`,
        );
      }
      const { off, on } = byMode as Record<WakeMode, WakeCostPhase>;
      rounds.push({ off, on, order, ratio: round(on.perSecond / off.perSecond, 3) });
      log(`  ratio on ÷ off: ${(on.perSecond / off.perSecond).toFixed(2)}`);
    }
  } finally {
    await admin.end();
  }
  return rounds;

  async function onePhase(wake: WakeMode, r: number): Promise<WakeCostPhase> {
    const logDir = path.join(workDir, `wake-${r + 1}-${wake}`);
    await mkdir(logDir, { recursive: true });
    const workers = config.outbox.wakeWithWorker
      ? await startWorkers({
          root,
          count: 1,
          env: { DATABASE_URL: config.databaseUrl, REDIS_URL: config.redisUrl, REDIS_PREFIX: redisPrefix },
          logDir,
          redisUrl: config.redisUrl,
          redisPrefix,
          label: `wake-${wake}`,
        })
      : undefined;
    try {
      const server = await startServer({
        root,
        port: config.port ?? (await freePort()),
        logDir,
        env: {
          DATABASE_URL: config.databaseUrl,
          REDIS_URL: config.redisUrl,
          REDIS_PREFIX: redisPrefix,
          ERP_BENCH_ROUTES: "true",
          LOG_LEVEL: "warn",
          OUTBOX_WAKE: wake,
        },
      });
      const stopServer = track(server.stop);
      try {
        const workerGroups = new Set(workers?.pids ?? []);
        const [phase] = definePhases(
          { ...config, phases: ["http-many"] },
          server,
          data,
          workDir,
          (_pid, _comm, pgrp) => (workerGroups.has(pgrp) ? "worker" : null),
        );
        if (!phase) throw new Error("the http-many phase is missing");
        const { result } = await phase.run();
        const pendingAtEnd = workers ? await pendingCount(admin) : null;
        return { ...result, name: `http-many-wake-${wake}`, wake, pendingAtEnd };
      } finally {
        await stopServer();
      }
    } catch (error) {
      if (workers) throw new Error(`${(error as Error).message}\n${await workers.tail()}`);
      throw error;
    } finally {
      await workers?.stop();
    }
  }
}
