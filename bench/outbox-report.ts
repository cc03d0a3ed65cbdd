import type { InvariantReport } from "./database";
import type { DrainResult } from "./outbox-drain";
import type { LatencyResult } from "./outbox-latency";
import type { WakeCostRound } from "./outbox-wake-cost";
import { type Goal, goalsTable } from "./results";

// The outbox suite's results and their markdown.

export type OutboxResults = {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; loadAverageBefore: number[]; loadAverageAfter: number[] };
  command: string;
  config: Record<string, unknown>;
  build: string | null;
  drain: { round: number; result: DrainResult }[];
  latency: { round: number; result: LatencyResult }[];
  wakeCost: WakeCostRound[];
  invariant: InvariantReport | null;
  goals: Goal[];
  pass: boolean;
};

export const drainGoalPerSecond = 5_000;
export const latencyGoalP99Ms = 100;

export function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const fmt = (n: number | null | undefined, digits = 0) =>
  n !== null && n !== undefined && Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "–";

const groups = ["worker", "web", "postgres", "redis", "bench", "loadgen", "other"];

/** CPU per unit by group, in the unit given (1 = ms, 1000 = µs), leaving out groups absent from the split. */
function cpuCell(msPerOk: Record<string, number> | undefined, scale: number): string {
  if (!msPerOk) return "–";
  return groups
    .filter((g) => msPerOk[g] !== undefined)
    .map((g) => `${g} ${fmt((msPerOk[g] ?? 0) * scale, scale === 1 ? 2 : 0)}`)
    .join(" · ");
}

/** CPU ms per ok of the processes the run started or loads (everything but `other`). */
export function ownCpu(phase: { cpu?: { msPerOk: Record<string, number> } }): number {
  const msPerOk = phase.cpu?.msPerOk;
  if (!msPerOk) return Number.NaN;
  return Object.entries(msPerOk)
    .filter(([group]) => group !== "other" && group !== "total")
    .reduce((sum, [, ms]) => sum + ms, 0);
}

function drainDescription(d: DrainResult): string {
  const v = d.variant;
  const aggregates = v.aggregates > 0 ? `${fmt(v.aggregates)} shared aggregates` : "one aggregate each";
  return `${v.workers} worker${v.workers > 1 ? "s" : ""}, batch ${fmt(v.batchSize)}, ${aggregates}`;
}

export function outboxMarkdown(results: OutboxResults): string {
  const lines: string[] = [
    `# Outbox relay benchmark (${results.startedAt})`,
    "",
    `Command: \`${results.command}\`. Machine: ${results.machine.cpus} CPUs, load average before ${results.machine.loadAverageBefore.map((l) => l.toFixed(2)).join(" / ")}, after ${results.machine.loadAverageAfter.map((l) => l.toFixed(2)).join(" / ")}.`,
    "",
  ];

  if (results.drain.length) {
    const first = results.drain[0]?.result;
    lines.push(
      `## Draining a backlog of ${fmt(first?.messages)} live events`,
      "",
      "| variant | what | round | drained in s | messages/s | to the last processed_at: messages/s | mean batch | stream: XLEN · distinct · duplicates | left: pending · dead | CPU µs per message | check |",
      "|---|---|---:|---:|---:|---:|---:|---|---|---|---|",
      ...results.drain.map(({ round, result: d }) => {
        const s = d.stream;
        return `| ${d.variant.name} | ${drainDescription(d)} | ${round} | ${fmt(d.seconds, 2)}${d.timedOut ? " (timed out)" : ""} | ${fmt(d.perSecond)} | ${fmt(d.exactPerSecond)} | ${fmt(d.meanBatch, 1)} | ${fmt(s.length)} · ${fmt(s.distinct)} · ${fmt(s.duplicates)} | ${fmt(d.outbox.pending)} · ${fmt(d.outbox.deadLettered)} | ${cpuCell(d.cpu.msPerOk, 1000)} | ${d.pass ? "PASS" : "FAIL"} |`;
      }),
      "",
      "messages/s: backlog ÷ the time from the first relay ready (subscribed to its wake-up channel; its loop starts right after) to the poll (every 100 ms) that found no row pending. The next column stops the clock at the last row's processed_at instead. Mean batch: rows ÷ distinct processed_at (one per delivered batch). Check: every row processed, none pending or dead-lettered, the stream holds exactly one entry per row, and each aggregate's entries are in outbox order.",
      "",
    );
    const names = [...new Set(results.drain.map((d) => d.result.variant.name))];
    const rounds = new Set(results.drain.map((d) => d.round)).size;
    if (rounds > 1) {
      lines.push(
        "| variant | messages/s per round | median |",
        "|---|---|---:|",
        ...names.map((name) => {
          const values = results.drain.filter((d) => d.result.variant.name === name).map((d) => d.result.perSecond);
          return `| ${name} | ${values.map((v) => fmt(v)).join(" / ")} | ${fmt(median(values))} |`;
        }),
        "",
      );
    }
  }

  if (results.latency.length) {
    lines.push(
      "## Commit → stream latency",
      "",
      "| run | wake-up | round | target rows/s | achieved rows/s | events | p50 ms | p95 ms | p99 ms | max ms | missing · duplicates | commit p50 · p99 ms | relay's mean batch | CPU µs per event |",
      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---|",
      ...results.latency.map(({ round, result: l }) => {
        const m = l.latencyMs;
        return `| ${l.name} | ${l.wake ? "on" : "off (poll only)"} | ${round} | ${fmt(l.targetRate)} | ${fmt(l.achievedRate, 1)} | ${fmt(l.committed)} | ${fmt(m.p50, 1)} | ${fmt(m.p95, 1)} | ${fmt(m.p99, 1)} | ${fmt(m.max, 1)} | ${l.missing} · ${l.duplicates} | ${fmt(l.commitMs.p50, 1)} · ${fmt(l.commitMs.p99, 1)} | ${fmt(l.meanBatch, 1)} | ${cpuCell(l.cpu.msPerOk, 1000)} |`;
      }),
      "",
      "Latency: from the moment this process got the answer to its one-row INSERT (autocommit: one transaction) to the moment its XREAD BLOCK on the stream returned the entry with that outboxId; one worker with the default settings (batch 500, poll 1,000 ms). commit: from the row's scheduled start to that answer. The warm-up's rows are left out of the latencies and the CPU. Relay's mean batch: rows ÷ delivered batches (distinct processed_at).",
      "",
    );
  }

  if (results.wakeCost.length) {
    const ratios = results.wakeCost.map((r) => r.ratio);
    const cpuRatios = results.wakeCost.map((r) => ownCpu(r.off) / ownCpu(r.on));
    lines.push(
      "## What the wake-up costs writers: POST /api/reservations with OUTBOX_WAKE=off and on",
      "",
      "| round | order | off: ok/s · p50 · p99 ms | on: ok/s · p50 · p99 ms | on ÷ off | our CPU ms per ok: off · on (÷) | outbox pending at the end: off · on | CPU ms per ok, off | CPU ms per ok, on |",
      "|---:|---|---|---|---:|---|---|---|---|",
      ...results.wakeCost.map((r, i) => {
        const cell = (p: WakeCostRound["off"]) => `${fmt(p.perSecond)} · ${fmt(p.p50Ms, 1)} · ${fmt(p.p99Ms, 1)}`;
        return `| ${i + 1} | ${r.order.join(", ")} | ${cell(r.off)} | ${cell(r.on)} | ${r.ratio.toFixed(2)} | ${fmt(ownCpu(r.off), 2)} · ${fmt(ownCpu(r.on), 2)} (${fmt(cpuRatios[i], 2)}) | ${fmt(r.off.pendingAtEnd)} · ${fmt(r.on.pendingAtEnd)} | ${cpuCell(r.off.cpu?.msPerOk, 1)} | ${cpuCell(r.on.cpu?.msPerOk, 1)} |`;
      }),
      `| median | | ${fmt(median(results.wakeCost.map((r) => r.off.perSecond)))} | ${fmt(median(results.wakeCost.map((r) => r.on.perSecond)))} | **${median(ratios).toFixed(2)}** | (${fmt(median(cpuRatios), 2)}) | | | |`,
      "",
      "Each run: the reservation suite's http-many phase (16 connections, a random item of 1,000) against a web server started afresh with that OUTBOX_WAKE, a worker draining the outbox beside it unless BENCH_OUTBOX_WAKE_WORKER=false. Our CPU: web + worker + postgres (the benchmark database's backends) + redis + loadgen per reservation, leaving out `other` (the neighbours); (÷) = off ÷ on, the ratio the two would reach if CPU alone limited them, which the neighbours disturb far less than the rates.",
      "",
    );
  }

  if (results.invariant) {
    const inv = results.invariant;
    lines.push(
      `Invariant after the wake-up runs: **${inv.pass ? "PASS" : "FAIL"}** (${fmt(inv.items)} items, ${fmt(inv.reservations)} reservations; mismatches ${inv.reservedMismatches} · ${inv.ledgerMismatches}, oversold ${inv.oversold}).`,
      "",
    );
  }
  lines.push(
    ...goalsTable(results.goals, (v) => fmt(v, v >= 100 ? 0 : 2)),
    "",
    `Checks: **${results.pass ? "PASS" : "FAIL"}**.`,
    "",
  );
  return lines.join("\n");
}
