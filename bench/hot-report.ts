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
    `Each round: ${fmt(c.machines)} machines per table, ${c.connections} connections aiming at ${fmt(c.rate)} status updates/s per table for ${c.seconds} s.`,
    "",
    "| round | fillfactor | updates | achieved /s | = minutes of the seed's day | HOT updates | HOT ratio | heap kB before → after | indexes kB before → after | dead tuples at end | autovacuums |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  results.rounds.forEach((round, r) => {
    const dayMinutes = (round.updatesPerTable / seedUpdatesPerDay) * 24 * 60;
    for (const t of round.tables) {
      lines.push(
        `| ${r + 1} | ${t.fillfactor} | ${fmt(t.updates)} | ${fmt(round.perSecondPerTable)} | ${fmt(dayMinutes)} | ${fmt(t.hotUpdates)} | ${pct(t.hotRatio)} | ${kB(t.heapBytesBefore)} → ${kB(t.heapBytesAfter)} | ${kB(t.indexBytesBefore)} → ${kB(t.indexBytesAfter)} | ${fmt(t.deadTuples)} | ${t.autovacuums} |`,
      );
    }
  });
  const g = results.goal;
  lines.push("", `Goal: ${g.name}: ${pct(g.value)} (${g.goal}): ${g.met ? "met" : "NOT met"}.`, "");
  return lines.join("\n");
}

export { hotRatioGoal };
