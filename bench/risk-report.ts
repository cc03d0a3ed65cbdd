// Figures and the Markdown table of the risk suite (risk.ts).

export type Decision = { ms: number; source: string };

export type Summary = {
  decisions: number;
  firstMs: number;
  p50Ms: number;
  maxMs: number;
  withinGoal: number;
  /** Who decided, e.g. "groq ×8, model ×2"; "none" is the seed loop giving up without an answer. */
  sources: string;
  all: Decision[];
};

export type MixResult = { mix: string; description: string; ours: Summary; seed: Summary };

export type RiskResults = {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; loadAverageBefore: number[]; loadAverageAfter: number[] };
  config: Record<string, number>;
  mixes: MixResult[];
  goalMs: number;
  pass: boolean;
};

const goalMs = 5000;

export function summarise(decisions: Decision[]): Summary {
  const sorted = decisions.map((d) => d.ms).sort((a, b) => a - b);
  const counts = new Map<string, number>();
  for (const d of decisions) counts.set(d.source, (counts.get(d.source) ?? 0) + 1);
  return {
    decisions: decisions.length,
    firstMs: decisions[0]?.ms ?? 0,
    p50Ms: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0,
    maxMs: sorted[sorted.length - 1] ?? 0,
    withinGoal: decisions.filter((d) => d.ms <= goalMs && d.source !== "none").length,
    sources: [...counts].map(([source, n]) => `${source} ×${n}`).join(", "),
    all: decisions,
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

export function riskMarkdown(results: RiskResults): string {
  const c = results.config;
  const rows = results.mixes.flatMap((m) => [
    `| ${m.mix} | chain | ${m.ours.decisions} | ${seconds(m.ours.firstMs)} | ${seconds(m.ours.p50Ms)} | ${seconds(m.ours.maxMs)} | ${m.ours.withinGoal}/${m.ours.decisions} | ${m.ours.sources} |`,
    `| | seed loop | ${m.seed.decisions} | ${seconds(m.seed.firstMs)} | ${seconds(m.seed.p50Ms)} | ${seconds(m.seed.maxMs)} | ${m.seed.withinGoal}/${m.seed.decisions} | ${m.seed.sources} |`,
  ]);
  return [
    `## Supplier risk: time to a decision (${results.startedAt})`,
    "",
    `${results.machine.cpus} CPUs, load average ${results.machine.loadAverageBefore.map((l) => l.toFixed(1)).join(" / ")} before. ` +
      `Stand-in answers take ${c.latencyMs} ms. Chain: ${c.attemptTimeoutMs} ms per attempt, ${c.deadlineMs} ms per decision, ` +
      `${c.maxRounds} passes, breaker opens after ${c.breakerThreshold} failures for ${c.breakerCooldownMs} ms (fresh per mix).`,
    "",
    "| mix | loop | decisions | first s | p50 s | max s | within 5 s with an answer | decided by |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `Every decision of the chain within ${results.goalMs / 1000} s: **${results.pass ? "yes" : "no"}**.`,
    "",
  ].join("\n");
}
