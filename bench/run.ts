import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { stopChildren } from "./children";
import { readConfig, type SuiteContext } from "./config";
import { checkInvariant, dropDatabase, prepareDatabase } from "./database";
import { runHotSuite } from "./hot";
import { runOutboxSuite } from "./outbox";
import { writeScripts } from "./pgbench";
import { definePhases, type Phase, phaseNames } from "./phases";
import { runPlannerSuite } from "./planner";
import { runRealtimeSuite } from "./realtime";
import { type BenchResults, ratios, toMarkdown } from "./report";
import { writeSuiteResults } from "./results";
import { runRiskSuite } from "./risk";
import { ensureBuild, freePort, startServer } from "./server";
import { combineRounds, LatencyLog, type PhaseResult } from "./stats";

// `npm run bench`: the reservation route against a no-op route and against
// pgbench sending the same SQL, all in one run on one machine, so that the
// ratios mean something even when the absolute figures drift; then the
// outbox relay (outbox.ts), HOT updates on the machines table (hot.ts), the
// realtime process (realtime.ts), the planner (planner.ts) and the supplier
// risk decisions (risk.ts). BENCH_SUITE=reservations,outbox,hot,realtime,planner,risk
// picks some of them. See README.md.

const root = path.resolve(import.meta.dirname, "..");
const config = readConfig();
const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const startedAt = new Date();
// One Redis prefix for everything this run starts, and for this process's
// own use of server/ code (server/env.ts reads it once, at first use).
const redisPrefix = `erp-bench:${process.pid}-${startedAt.getTime()}:`;
process.env.REDIS_PREFIX = redisPrefix;
process.env.REDIS_URL = config.redisUrl;

const cleanups: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    await stopChildren();
    for (const step of cleanups.reverse()) await step().catch((e) => log(`cleanup: ${(e as Error).message}`));
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void cleanUp().then(() => process.exit(130));
  });
}

async function deleteRedisKeys(prefix: string): Promise<void> {
  const client = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

async function runRounds(phases: Phase[]) {
  const rounds: BenchResults["rounds"] = [];
  const byPhase = new Map<string, { results: PhaseResult[]; latencies: LatencyLog }>();
  for (let r = 0; r < config.rounds; r++) {
    const results: PhaseResult[] = [];
    for (const phase of phases) {
      log(`round ${r + 1}/${config.rounds}: ${phase.name}: ${phase.description}`);
      const { result, latencies } = await phase.run();
      const failures = Object.keys(result.failures).length ? ` not ok ${JSON.stringify(result.failures)}` : "";
      log(
        `  ${result.perSecond.toFixed(0)} ok/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms${failures}`,
      );
      results.push(result);
      const all = byPhase.get(phase.name) ?? { results: [], latencies: new LatencyLog() };
      all.results.push(result);
      all.latencies.addAll(latencies);
      byPhase.set(phase.name, all);
    }
    rounds.push({ phases: results, ratios: ratios(results) });
  }
  const combined = [...byPhase.values()].map(({ results, latencies }) => combineRounds(results, latencies));
  return { rounds, summary: { phases: combined, ratios: ratios(combined) } };
}

async function main(): Promise<void> {
  const unknown = config.phases?.filter((name) => !(phaseNames as readonly string[]).includes(name)) ?? [];
  if (unknown.length) throw new Error(`BENCH_PHASES: unknown ${unknown.join(", ")}; known: ${phaseNames.join(", ")}`);
  const workDir = await mkdtemp(path.join(os.tmpdir(), "erp-bench-"));
  cleanups.push(() => rm(workDir, { recursive: true, force: true }));
  cleanups.push(() => deleteRedisKeys(redisPrefix));
  let pass = true;
  if (config.suites.includes("reservations")) pass = (await runReservations(workDir)) && pass;
  const context: SuiteContext = { config, root, workDir, redisPrefix, log, cleanups };
  const suites = [
    ["outbox", runOutboxSuite],
    ["hot", runHotSuite],
    ["realtime", runRealtimeSuite],
    ["planner", runPlannerSuite],
    ["risk", runRiskSuite],
  ] as const;
  for (const [name, run] of suites) {
    if (config.suites.includes(name)) pass = (await run(context)).pass && pass;
  }
  if (!pass) process.exitCode = 1;
}

/** The reservation suite; true when the invariant holds afterwards. */
async function runReservations(workDir: string): Promise<boolean> {
  const loadAverageBefore = os.loadavg();
  log(`fresh database ${new URL(config.databaseUrl).pathname.slice(1)}: migrating, 1,000 items + 2 hot items`);
  cleanups.push(() => (config.keepDatabase ? Promise.resolve() : dropDatabase(config.databaseUrl)));
  const data = await prepareDatabase(config.databaseUrl);

  log("production build…");
  const build = await ensureBuild(root, config.build, workDir, log);
  log(`build: ${build}`);
  const server = await startServer({
    root,
    port: config.port ?? (await freePort()),
    logDir: workDir,
    env: {
      DATABASE_URL: config.databaseUrl,
      REDIS_URL: config.redisUrl,
      REDIS_PREFIX: redisPrefix,
      ERP_BENCH_ROUTES: "true",
      LOG_LEVEL: "warn",
    },
  });
  cleanups.push(server.stop);
  log(`next start on ${server.url} (pid ${server.pid})`);
  await writeScripts(workDir);

  let measured: Awaited<ReturnType<typeof runRounds>>;
  try {
    measured = await runRounds(definePhases(config, server, data, workDir));
  } catch (error) {
    const tail = (await readFile(server.logFile, "utf8").catch(() => "")).split("\n").slice(-30).join("\n");
    log(`the web server's last output:\n${tail}`);
    throw error;
  }
  await server.stop();

  const invariant = await checkInvariant(config.databaseUrl);
  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverageBefore },
    config: { ...config, databaseUrl: config.databaseUrl.replace(/\/\/[^@]*@/, "//…@") },
    build,
    ...measured,
    invariant,
  };
  await writeSuiteResults("latest", results, toMarkdown(results));
  log(`invariant ${invariant.pass ? "PASS" : "FAIL"}; results in bench/results/latest.{json,md}`);
  return invariant.pass;
}

main()
  .catch((error) => {
    process.stderr.write(`[bench] failed: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
