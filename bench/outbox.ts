import os from "node:os";
import { Redis } from "ioredis";
import { benchCommandLine, type SuiteContext } from "./config";
import { checkInvariant, dropDatabase, prepareDatabase } from "./database";
import { runDrain } from "./outbox-drain";
import { type LatencyVariant, runLatency } from "./outbox-latency";
import { drainGoalPerSecond, latencyGoalP99Ms, median, type OutboxResults, outboxMarkdown } from "./outbox-report";
import { runWakeCost } from "./outbox-wake-cost";
import { writeSuiteResults } from "./results";
import { ensureBuild } from "./server";
import { wakeChannel } from "./workers";

// The outbox suite (BENCH_SUITE=outbox): draining a backlog, commit → stream
// latency with and without the wake-up, and what the wake-up costs the
// reservation route. See README.md, "Outbox relay".

export async function runOutboxSuite({
  config,
  root,
  workDir,
  redisPrefix,
  log,
  cleanups,
}: SuiteContext): Promise<{ pass: boolean }> {
  const startedAt = new Date();
  const loadAverageBefore = os.loadavg();
  const ob = config.outbox;
  const parts = new Set(ob.parts);

  log(`outbox suite: fresh database ${new URL(config.databaseUrl).pathname.slice(1)}`);
  cleanups.push(() => (config.keepDatabase ? Promise.resolve() : dropDatabase(config.databaseUrl)));
  const data = await prepareDatabase(config.databaseUrl);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  cleanups.push(async () => redis.disconnect());

  const common = {
    databaseUrl: config.databaseUrl,
    redisUrl: config.redisUrl,
    redisPrefix,
    root,
    logDir: workDir,
    log,
  };

  const drain: OutboxResults["drain"] = [];
  if (parts.has("drain")) {
    for (let round = 1; round <= ob.drainRounds; round++) {
      for (const variant of ob.drainVariants) {
        log(
          `drain ${variant.name} (round ${round}/${ob.drainRounds}): ${ob.drainMessages.toLocaleString("en-US")} messages, ` +
            `${variant.workers} worker(s), batch ${variant.batchSize}, ${variant.aggregates || "distinct"} aggregates`,
        );
        const result = await runDrain({
          ...common,
          variant,
          messages: ob.drainMessages,
          timeoutSeconds: ob.drainTimeoutSeconds,
          redis,
        });
        drain.push({ round, result });
        log(
          `  ${result.perSecond.toLocaleString("en-US")} messages/s (${result.seconds} s; startup ${result.startupMs} ms; ` +
            `mean batch ${result.meanBatch}); stream ${result.stream.length} entries, ${result.stream.duplicates} duplicates; ` +
            `${result.pass ? "PASS" : "FAIL"}`,
        );
      }
    }
  }

  const latency: OutboxResults["latency"] = [];
  if (parts.has("latency")) {
    // The app's own wake-up, loaded now that REDIS_PREFIX is this run's (run.ts sets it before anything reads it).
    const wake = await import("../server/outbox/wake");
    const { closeRedis } = await import("../server/redis");
    cleanups.push(() => closeRedis());
    if (wake.outboxWakeChannel() !== wakeChannel(redisPrefix)) {
      throw new Error(
        `the app's wake-up goes to ${wake.outboxWakeChannel()}, the workers listen on ${wakeChannel(redisPrefix)}`,
      );
    }
    const variants: LatencyVariant[] = [];
    for (const wakeOn of [true, false]) {
      variants.push({
        name: `steady-${ob.latencyRate}-wake-${wakeOn ? "on" : "off"}`,
        wake: wakeOn,
        rate: ob.latencyRate,
        seconds: ob.latencySeconds,
        warmupSeconds: ob.latencyWarmupSeconds,
      });
    }
    if (ob.latencyLowRate > 0) {
      for (const wakeOn of [true, false]) {
        variants.push({
          name: `steady-${ob.latencyLowRate}-wake-${wakeOn ? "on" : "off"}`,
          wake: wakeOn,
          rate: ob.latencyLowRate,
          seconds: ob.latencyLowSeconds,
          warmupSeconds: Math.min(1, ob.latencyWarmupSeconds),
        });
      }
    }
    for (let round = 1; round <= ob.latencyRounds; round++) {
      for (const variant of variants) {
        log(
          `latency ${variant.name} (round ${round}/${ob.latencyRounds}): ${variant.rate} commits/s for ${variant.seconds} s ` +
            `after ${variant.warmupSeconds} s, wake-up ${variant.wake ? "on" : "off"}`,
        );
        const result = await runLatency({ ...common, variant, wakeOutboxRelay: wake.wakeOutboxRelay });
        latency.push({ round, result });
        const m = result.latencyMs;
        log(
          `  ${result.achievedRate}/s achieved; latency p50 ${m.p50} ms, p95 ${m.p95}, p99 ${m.p99}, max ${m.max}; ` +
            `${result.missing} missing, ${result.duplicates} duplicates`,
        );
      }
    }
  }

  let build: string | null = null;
  let wakeCost: OutboxResults["wakeCost"] = [];
  let invariant: OutboxResults["invariant"] = null;
  if (parts.has("wake-cost")) {
    log("production build…");
    build = await ensureBuild(root, config.build, workDir, log);
    log(`build: ${build}`);
    wakeCost = await runWakeCost({ config, root, workDir, data, redisPrefix, log });
    invariant = await checkInvariant(config.databaseUrl);
  }

  const baseline = drain.filter((d) => d.result.variant.name === "w1-b500").map((d) => d.result.perSecond);
  const steady = latency
    .filter((l) => l.result.wake && l.result.targetRate === ob.latencyRate)
    .map((l) => l.result.latencyMs.p99);
  const drainRate = baseline.length ? median(baseline) : null;
  const p99 = steady.length ? median(steady) : null;
  const ratio = wakeCost.length ? median(wakeCost.map((r) => r.ratio)) : null;
  const goals: OutboxResults["goals"] = [
    {
      name: "drain, 1 worker, batch 500, one aggregate per message: messages/s (median of rounds)",
      value: drainRate,
      goal: `≥ ${drainGoalPerSecond.toLocaleString("en-US")}`,
      met: drainRate === null ? null : drainRate >= drainGoalPerSecond,
    },
    {
      name: `commit → stream p99 at ${ob.latencyRate}/s with the wake-up, ms (median of rounds)`,
      value: p99,
      goal: `< ${latencyGoalP99Ms}`,
      met: p99 === null ? null : p99 < latencyGoalP99Ms,
    },
    {
      name: "reservation route with the wake-up ÷ without (median of rounds)",
      value: ratio,
      goal: "report",
      met: null,
    },
  ];
  const pass =
    drain.every((d) => d.result.pass) &&
    latency.every((l) => l.result.missing === 0 && l.result.duplicates === 0 && l.result.insertErrors === 0) &&
    (invariant?.pass ?? true);

  const results: OutboxResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverageBefore, loadAverageAfter: os.loadavg() },
    command: benchCommandLine(),
    config: {
      ...ob,
      databaseUrl: config.databaseUrl.replace(/\/\/[^@]*@/, "//…@"),
      seconds: config.seconds,
      warmupSeconds: config.warmupSeconds,
      connections: config.connections,
    },
    build,
    drain,
    latency,
    wakeCost,
    invariant,
    goals,
    pass,
  };
  await writeSuiteResults("outbox-latest", results, outboxMarkdown(results));
  log(`outbox checks ${pass ? "PASS" : "FAIL"}; results in bench/results/outbox-latest.{json,md}`);
  return { pass };
}
