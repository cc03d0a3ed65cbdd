import type { PlannerResults, Timings } from "./planner";
import { goalsTable } from "./results";

// The planner suite's markdown (bench/results/planner-latest.md).

const row = (what: string, t: Timings) =>
  `| ${what} | ${t.runs.toLocaleString("en-US")} | ${t.p50} | ${t.p99} | ${t.max} | ${t.mean} |`;

export function plannerMarkdown(results: PlannerResults): string {
  const { factory, pure, database } = results;
  const lines = [
    `# Planner benchmark (${results.startedAt})`,
    "",
    `Command: \`${results.command}\`. Machine: ${results.machine.cpus} CPUs, load average before ${results.machine.loadAverageBefore.map((l) => l.toFixed(2)).join(" / ")}, after ${results.machine.loadAverageAfter.map((l) => l.toFixed(2)).join(" / ")}.`,
    "",
    `Factory: ${factory.machines} machines (${factory.down} stopped at the start), ${factory.workOrders.toLocaleString("en-US")} open work orders (server/planning/plan-fixtures.ts syntheticFactory). A breakdown of each available machine in turn, then its resume.`,
    "",
    "| re-plan | runs | p50 ms | p99 ms | max ms | mean ms |",
    "|---|---:|---:|---:|---:|---:|",
    row("pure planReroute, breakdown", pure.breakdown),
    row("pure planReroute, resume", pure.resume),
    ...(database
      ? [
          row("full, breakdown: read + plan + write", database.breakdown),
          row("  read (loadPlanningState, one round trip)", database.steps.load),
          row("  plan (planReroute)", database.steps.plan),
          row("  write (applyPlan: lock, update, plan_changes, outbox)", database.steps.apply),
          row("full, resume: read + plan + write", database.resume),
        ]
      : []),
    "",
    `Moves per breakdown: median ${pure.moves.p50}, at most ${pure.moves.max}.`,
    "",
    ...goalsTable(results.goals),
    "",
  ];
  return lines.join("\n");
}
