import type { BurstResult } from "./hot-burst";
import { type HotConfig, hotRatioGoal, seedUpdatesPerDay } from "./hot-config";

// The HOT suite's results and their markdown.

export type HotResults = {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; loadAverageBefore: number[]; loadAverageAfter: number[] };
  postgres: string;
  config: HotConfig & { databaseUrl: string };
  rounds: BurstResult[];
  goal: { name: string; value: number; goal: string; met: boolean };
  pass: boolean;
};

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const kB = (bytes: number) => fmt(bytes / 1024);
const pct = (ratio: number) => `${fmt(ratio * 100, 1)} %`;

export function hotMarkdown(results: HotResults): string {
  const c = results.config;
  const lines = [
    `# HOT updates: fillfactor ${c.fillfactors.join(" vs ")} (${results.startedAt})`,
    "",
    `${results.postgres}; ${results.machine.cpus} cores, load average ${results.machine.loadAverageBefore.map((l) => fmt(l, 1)).join(" ")} before.`,
    `Each burst: ${fmt(c.machines)} machines per table, ${c.connections} connections aiming at ${fmt(c.rate)} status updates/s per table for ${c.seconds} s ` +
      `(the seed's 1.2 million a day is ${fmt(seedUpdatesPerDay / 86_400, 1)}/s). "reports (n)": n reports held a snapshot ${c.reportHoldSeconds} s out of every ${2 * c.reportHoldSeconds} s during the burst.`,
    "",
    "| round | scenario | fillfactor | updates (per row) | achieved /s (× the seed's rate) | HOT updates | HOT ratio | heap kB before → after | indexes kB before → after | dead tuples at end | autovacuums |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const seedPerSecond = seedUpdatesPerDay / 86_400;
  let round = 0;
  results.rounds.forEach((burst, i) => {
    if (i % c.scenarios.length === 0) round++;
    const scenario = burst.scenario === "reports" ? `reports (${burst.reports})` : burst.scenario;
    for (const t of burst.tables) {
      lines.push(
        `| ${round} | ${scenario} | ${t.fillfactor} | ${fmt(t.updates)} (${fmt(t.updates / c.machines, 1)}) | ${fmt(burst.perSecondPerTable)} (${fmt(burst.perSecondPerTable / seedPerSecond)}×) | ${fmt(t.hotUpdates)} | ${pct(t.hotRatio)} | ${kB(t.heapBytesBefore)} → ${kB(t.heapBytesAfter)} | ${kB(t.indexBytesBefore)} → ${kB(t.indexBytesAfter)} | ${fmt(t.deadTuples)} | ${t.autovacuums} |`,
      );
    }
  });
  const g = results.goal;
  lines.push(
    "",
    `Goal: ${g.name}: ${Number.isNaN(g.value) ? "no quiet burst run" : pct(g.value)} (${g.goal}): ${g.met ? "met" : "NOT met"}.`,
    "",
  );
  return lines.join("\n");
}

export { hotRatioGoal };
