import type { InvariantReport } from "./database";
import { type PhaseResult, round } from "./stats";

// Ratios between phases of the same round, and the markdown table.

export type Ratio = { name: string; value: number; goal?: number };

const ratioDefinitions: { name: string; numerator: string; denominator: string; goal?: number }[] = [
  { name: "reservation route (1,000 items) ÷ no-op route", numerator: "http-many", denominator: "noop", goal: 0.8 },
  { name: "reservation route (2 hot items) ÷ no-op route", numerator: "http-hot", denominator: "noop" },
  {
    name: "reservation route ÷ pgbench reserve_stock (1,000 items)",
    numerator: "http-many",
    denominator: "pg-reserve-many",
    goal: 0.7,
  },
  {
    name: "reservation route ÷ pgbench reserve_stock (2 hot items)",
    numerator: "http-hot",
    denominator: "pg-reserve-hot",
    goal: 0.7,
  },
  { name: "no-op route ÷ pgbench reserve_stock (1,000 items)", numerator: "noop", denominator: "pg-reserve-many" },
  {
    name: "pgbench reserve_stock with pg_notify ÷ without (1,000 items)",
    numerator: "pg-notify-many",
    denominator: "pg-reserve-many",
  },
  {
    name: "pgbench reserve_stock ÷ seed transaction (1,000 items)",
    numerator: "pg-reserve-many",
    denominator: "pg-seed-many",
  },
  {
    name: "pgbench reserve_stock ÷ seed transaction (2 hot items)",
    numerator: "pg-reserve-hot",
    denominator: "pg-seed-hot",
  },
];

export function ratios(phases: PhaseResult[]): Ratio[] {
  const rate = new Map(phases.map((p) => [p.name, p.perSecond]));
  return ratioDefinitions.flatMap(({ name, numerator, denominator, goal }) => {
    const a = rate.get(numerator);
    const b = rate.get(denominator);
    return a === undefined || b === undefined || b === 0 ? [] : [{ name, value: round(a / b, 3), goal }];
  });
}

export type BenchResults = {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; loadAverageBefore: number[] };
  config: Record<string, unknown>;
  build: string;
  rounds: { phases: PhaseResult[]; ratios: Ratio[] }[];
  /** Every round's answers together (the same as the one round when there is one). */
  summary: { phases: PhaseResult[]; ratios: Ratio[] };
  invariant: InvariantReport;
};

const fmt = (n: number, digits = 1) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "–";

/** The median of the rounds' ratios: one disturbed round does not move it. */
function median(values: (number | undefined)[]): number {
  const sorted = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function failures(phase: PhaseResult): string {
  const entries = Object.entries(phase.failures);
  return entries.length ? entries.map(([k, v]) => `${k}: ${v}`).join(", ") : "0";
}

function cpu(phase: PhaseResult): string {
  if (!phase.cpu) return "–";
  const { msPerOk, busyShare } = phase.cpu;
  const parts = ["web", "loadgen", "postgres", "redis", "other"].map((g) => `${g} ${fmt(msPerOk[g] ?? 0, 2)}`);
  return `${parts.join(" · ")} (busy ${Math.round(busyShare * 100)} %)`;
}

export function toMarkdown(results: BenchResults): string {
  const { phases, ratios: summaryRatios } = results.summary;
  const rounds = results.rounds.length;
  const lines = [
    `# Benchmark results (${results.startedAt})`,
    "",
    `Machine: ${results.machine.cpus} CPUs, load average before the run ${results.machine.loadAverageBefore.map((l) => l.toFixed(2)).join(" / ")}. ` +
      `${results.config.connections} connections / pgbench clients; ${rounds} round${rounds > 1 ? "s" : ""} of ${results.config.seconds} s per phase, each after ${results.config.warmupSeconds} s of warm-up. Build: ${results.build}.`,
    "",
    "| phase | what | ok/s | p50 ms | p99 ms | not ok | CPU ms per ok: web · loadgen · postgres · redis · other |",
    "|---|---|---:|---:|---:|---|---|",
    ...phases.map(
      (p) =>
        `| ${p.name} | ${p.description} | ${fmt(p.perSecond, 0)} | ${fmt(p.p50Ms, 2)} | ${fmt(p.p99Ms, 2)} | ${failures(p)} | ${cpu(p)} |`,
    ),
    "",
    `| ratio of ok/s in the same run | ${rounds > 1 ? `${results.rounds.map((_, i) => `round ${i + 1} | `).join("")}median of rounds | all rounds pooled` : "value"} | goal |`,
    `|---|${"---:|".repeat(rounds > 1 ? rounds + 2 : 1)}---:|`,
    ...summaryRatios.map((r) => {
      const values = results.rounds.map((round) => round.ratios.find((x) => x.name === r.name)?.value);
      const perRound =
        rounds > 1 ? [...values.map((v) => `${v?.toFixed(2) ?? "–"} | `), `${median(values).toFixed(2)} | `] : [];
      return `| ${r.name} | ${perRound.join("")}${r.value.toFixed(2)} | ${r.goal === undefined ? "" : `≥ ${r.goal}`} |`;
    }),
    "",
  ];
  const inv = results.invariant;
  lines.push(
    `Invariant after the run: **${inv.pass ? "PASS" : "FAIL"}**: ${inv.items} items; reserved_qty ≠ active reservation lines: ${inv.reservedMismatches}; reserved_qty outside 0..stock_qty: ${inv.oversold}; ledger ≠ reserved_qty: ${inv.ledgerMismatches}; ${inv.reservations.toLocaleString("en-US")} reservations, ${inv.reservedUnits.toLocaleString("en-US")} units reserved.`,
    "",
    "CPU ms per ok: CPU time of each group during the phase ÷ answers. web = the Next.js server; loadgen = autocannon (this process) or pgbench; postgres = backends of the benchmark's database; other = everything else on the machine (other databases' backends, PostgreSQL's background processes, other people's work). busy = share of both cores in use.",
    "",
  );
  return lines.join("\n");
}
