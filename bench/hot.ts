import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { BenchConfig } from "./config";
import { dropDatabase, prepareDatabase } from "./database";
import { createTables, runBurst } from "./hot-burst";
import { hotRatioGoal, readHotConfig } from "./hot-config";
import { type HotResults, hotMarkdown } from "./hot-report";

// The HOT suite (BENCH_SUITE=hot): a burst of machine status updates at the
// seed's scale (1.2 million a day, compressed into seconds) on copies of the
// machines table that differ only in fillfactor, in the same database and at
// the same moments; HOT-update ratio and table growth for each. See
// README.md, "HOT updates".

export async function runHotSuite({
  config,
  log,
  cleanups,
}: {
  config: BenchConfig;
  log: (line: string) => void;
  cleanups: (() => Promise<unknown>)[];
}): Promise<{ pass: boolean }> {
  const hot = readHotConfig();
  const startedAt = new Date();
  const loadAverageBefore = os.loadavg();
  log(`HOT suite: fresh database ${new URL(config.databaseUrl).pathname.slice(1)}, migrated`);
  cleanups.push(() => (config.keepDatabase ? Promise.resolve() : dropDatabase(config.databaseUrl)));
  await prepareDatabase(config.databaseUrl);

  const rounds: HotResults["rounds"] = [];
  for (let round = 1; round <= hot.rounds; round++) {
    // Each round on new tables, listed in turn first so neither always leads.
    const order = round % 2 ? hot.fillfactors : [...hot.fillfactors].reverse();
    const tables = await createTables(config.databaseUrl, { ...hot, fillfactors: order });
    log(
      `round ${round}/${hot.rounds}: ${tables.join(", ")} (${hot.machines} machines each); ` +
        `${hot.rate}/s per table for ${hot.seconds} s from ${hot.connections} connections`,
    );
    const result = await runBurst(config.databaseUrl, tables, { ...hot, fillfactors: order });
    result.tables.sort((a, b) => hot.fillfactors.indexOf(a.fillfactor) - hot.fillfactors.indexOf(b.fillfactor));
    for (const t of result.tables) {
      log(
        `  fillfactor ${t.fillfactor}: ${t.updates} updates, ${(t.hotRatio * 100).toFixed(1)} % HOT; ` +
          `heap ${t.heapBytesBefore / 1024} → ${t.heapBytesAfter / 1024} kB, indexes ${t.indexBytesBefore / 1024} → ${t.indexBytesAfter / 1024} kB`,
      );
    }
    rounds.push(result);
  }

  const migration = hot.fillfactors[0] ?? 80;
  const ratios = rounds.map((r) => r.tables.find((t) => t.fillfactor === migration)?.hotRatio ?? 0);
  const worst = Math.min(...ratios);
  const results: HotResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverageBefore, loadAverageAfter: os.loadavg() },
    postgres: await serverVersion(config.databaseUrl),
    config: { ...hot, databaseUrl: config.databaseUrl.replace(/\/\/[^@]*@/, "//…@") },
    rounds,
    goal: {
      name: `HOT ratio with fillfactor ${migration}, worst round`,
      value: worst,
      goal: `≥ ${hotRatioGoal * 100} %`,
      met: worst >= hotRatioGoal,
    },
    pass: rounds.every((r) => r.tables.every((t) => t.updates === r.updatesPerTable)),
  };
  const resultsDir = path.join(import.meta.dirname, "results");
  await mkdir(resultsDir, { recursive: true });
  await writeFile(path.join(resultsDir, "hot-latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = hotMarkdown(results);
  await writeFile(path.join(resultsDir, "hot-latest.md"), markdown);
  process.stdout.write(`\n${markdown}\n`);
  log(
    `HOT suite ${results.pass ? "PASS" : "FAIL"} (every update counted); results in bench/results/hot-latest.{json,md}`,
  );
  return { pass: results.pass };
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
