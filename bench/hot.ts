import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../deploy/launcher/postgres";
import type { SuiteContext } from "./config";
import { dropDatabase, prepareDatabase } from "./database";
import { createTables, runBurst } from "./hot-burst";
import { hotRatioGoal, readHotConfig } from "./hot-config";
import { type HotResults, hotMarkdown } from "./hot-report";
import { writeSuiteResults } from "./results";

// The HOT suite (BENCH_SUITE=hot): a burst of machine status updates at the
// seed's scale (1.2 million a day, compressed into seconds) on copies of the
// machines table that differ only in fillfactor, in the same database and at
// the same moments; HOT-update ratio and table growth for each. See
// README.md, "HOT updates".

export async function runHotSuite({ config, log, cleanups }: SuiteContext): Promise<{ pass: boolean }> {
  const hot = readHotConfig();
  const startedAt = new Date();
  const loadAverageBefore = os.loadavg();
  const databaseUrl = hot.server === "private" ? await privateServer(cleanups) : config.databaseUrl;
  log(`HOT suite: fresh database ${new URL(databaseUrl).pathname.slice(1)} on the ${hot.server} server, migrated`);
  cleanups.push(() => (config.keepDatabase ? Promise.resolve() : dropDatabase(databaseUrl)));
  await prepareDatabase(databaseUrl);

  const rounds: HotResults["rounds"] = [];
  for (let round = 1; round <= hot.rounds; round++) {
    for (const scenario of hot.scenarios) {
      // Each burst on new tables, listed in turn first so neither always leads.
      const order = round % 2 ? hot.fillfactors : [...hot.fillfactors].reverse();
      const tables = await createTables(databaseUrl, { ...hot, fillfactors: order });
      log(
        `round ${round}/${hot.rounds}, ${scenario}: ${tables.join(", ")} (${hot.machines} machines each); ` +
          `${hot.rate}/s per table for ${hot.seconds} s from ${hot.connections} connections` +
          (scenario === "reports"
            ? `; a report holds its snapshot ${hot.reportHoldSeconds} s out of ${2 * hot.reportHoldSeconds}`
            : ""),
      );
      const result = await runBurst(databaseUrl, tables, { ...hot, fillfactors: order }, scenario);
      result.tables.sort((a, b) => hot.fillfactors.indexOf(a.fillfactor) - hot.fillfactors.indexOf(b.fillfactor));
      for (const t of result.tables) {
        log(
          `  fillfactor ${t.fillfactor}: ${t.updates} updates, ${(t.hotRatio * 100).toFixed(1)} % HOT; ` +
            `heap ${t.heapBytesBefore / 1024} → ${t.heapBytesAfter / 1024} kB, indexes ${t.indexBytesBefore / 1024} → ${t.indexBytesAfter / 1024} kB`,
        );
      }
      rounds.push(result);
    }
  }

  const migration = hot.fillfactors[0] ?? 80;
  // The goal is for the server as production runs it: no report pinning old versions.
  const ratios = rounds
    .filter((r) => r.scenario === "quiet")
    .map((r) => r.tables.find((t) => t.fillfactor === migration)?.hotRatio ?? 0);
  const worst = ratios.length ? Math.min(...ratios) : Number.NaN;
  const results: HotResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverageBefore, loadAverageAfter: os.loadavg() },
    postgres: `${await serverVersion(databaseUrl)}, ${hot.server} server`,
    config: { ...hot, databaseUrl: databaseUrl.replace(/\/\/[^@]*@/, "//…@") },
    rounds,
    goal: {
      name: `HOT ratio with fillfactor ${migration}, worst quiet burst`,
      value: worst,
      goal: `≥ ${hotRatioGoal * 100} %`,
      met: worst >= hotRatioGoal,
    },
    pass: rounds.every((r) => r.tables.every((t) => t.updates === r.updatesPerTable)),
  };
  await writeSuiteResults("hot-latest", results, hotMarkdown(results));
  log(
    `HOT suite ${results.pass ? "PASS" : "FAIL"} (every update counted); results in bench/results/hot-latest.{json,md}`,
  );
  return { pass: results.pass };
}

/**
 * The launcher's embedded PostgreSQL in a temporary directory, with the
 * settings `npm start` gives it (deploy/postgresql/conf.d/erp.conf at laptop
 * size): on a server of its own, no other database's open transaction holds
 * back what the burst's page pruning may remove.
 */
async function privateServer(cleanups: (() => Promise<unknown>)[]): Promise<string> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "erp-bench-hot-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const server = await startEmbeddedPostgres({ dataDir, preferredPort: 5499 });
  cleanups.push(() => server.stop());
  const url = new URL(server.databaseUrl);
  url.pathname = "/erp_bench_hot";
  return url.toString();
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("SELECT split_part(version(), ' on ', 1) AS v");
    return rows[0]?.v ?? "PostgreSQL";
  } finally {
    await client.end();
  }
}
