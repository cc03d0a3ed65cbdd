import os from "node:os";
import pg from "pg";
import type { MachineStatus, PlanInput, PlanMachine, PlanResult, PlanWorkOrder } from "../server/planning/plan-types";
import { type BenchConfig, benchCommandLine, type SuiteContext } from "./config";
import { dropDatabase, prepareDatabase } from "./database";
import { plannerMarkdown } from "./planner-report";
import { type Goal, writeSuiteResults } from "./results";
import { quantile, round } from "./stats";

// The planner suite (BENCH_SUITE=planner): how long a re-plan takes for a
// factory of 1,000 open work orders over 50 machines (issue #4's size),
// first the pure function (server/planning/plan-reroute.ts) over the same
// synthetic factory the unit tests use, then the whole re-plan as the worker
// runs it: read the factory in one snapshot, plan, write the result with its
// plan_changes and live events in one transaction. See README.md, "Planner".

export const plannerGoalMs = 100;

export type Timings = { runs: number; p50: number; p99: number; max: number; mean: number };

export type PlannerResults = {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; loadAverageBefore: number[]; loadAverageAfter: number[] };
  command: string;
  factory: { machines: number; workOrders: number; down: number };
  pure: { breakdown: Timings; resume: Timings; moves: { p50: number; max: number } };
  database: {
    breakdown: Timings;
    resume: Timings;
    /** The three steps of a breakdown's re-plan, each on its own. */
    steps: { load: Timings; plan: Timings; apply: Timings };
  } | null;
  goals: Goal[];
};

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be an integer >= 0, got "${raw}"`);
  return value;
}

function timings(values: number[]): Timings {
  const sorted = Float64Array.from(values).sort();
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return {
    runs: values.length,
    p50: round(quantile(sorted, 0.5), 2),
    p99: round(quantile(sorted, 0.99), 2),
    max: round(quantile(sorted, 1), 2),
    mean: round(mean, 2),
  };
}

/** The work orders with a plan's updates applied. */
function afterPlan(workOrders: readonly PlanWorkOrder[], plan: PlanResult): PlanWorkOrder[] {
  const moved = new Map(plan.updates.map((u) => [u.workOrderId, u]));
  return workOrders.map((o) => {
    const u = moved.get(o.id);
    return u ? { ...o, machineId: u.machineId, sequence: u.sequence } : o;
  });
}

/** The factory with machine `id` in `status`; the rest as they are. */
function withStatus(machines: readonly PlanMachine[], id: number, status: MachineStatus): PlanMachine[] {
  return machines.map((m) => (m.id === id ? { ...m, status } : m));
}

export async function runPlannerSuite({ config, log, cleanups }: SuiteContext): Promise<{ pass: boolean }> {
  const startedAt = new Date();
  const loadAverageBefore = os.loadavg();
  const machineCount = positiveInt("BENCH_PLANNER_MACHINES", 50);
  const orderCount = positiveInt("BENCH_PLANNER_ORDERS", 1_000);
  const pureRuns = positiveInt("BENCH_PLANNER_RUNS", 1_000);
  const databaseRuns = positiveInt("BENCH_PLANNER_DB_RUNS", 100);

  const { planReroute } = await import("../server/planning/plan-reroute");
  const { syntheticFactory } = await import("../server/planning/plan-fixtures");
  // As a running factory has it: already planned, nothing queued on a stopped machine that could move.
  const unplanned = syntheticFactory({ machineCount, orderCount });
  const factory = { machines: unplanned.machines, workOrders: afterPlan(unplanned.workOrders, planReroute(unplanned)) };
  const running = factory.machines.filter((m) => m.status === "running" || m.status === "idle");
  const down = factory.machines.length - running.length;
  log(`planner: ${machineCount} machines (${down} stopped), ${orderCount} open work orders`);

  // Pure: a breakdown of each available machine in turn, and its resume.
  const inputs = (i: number): { breakdown: PlanInput; resume: PlanInput } => {
    const m = running[i % running.length] as PlanMachine;
    const broken = withStatus(factory.machines, m.id, "breakdown");
    const breakdown = {
      machines: broken,
      workOrders: factory.workOrders,
      trigger: { machineId: m.id, type: "breakdown" },
    };
    // The resume starts from the factory as the breakdown's re-plan left it.
    const afterBreakdown = afterPlan(factory.workOrders, planReroute(breakdown));
    return {
      breakdown,
      resume: { machines: factory.machines, workOrders: afterBreakdown, trigger: { machineId: m.id, type: "resume" } },
    };
  };
  const prepared = Array.from({ length: Math.min(running.length, pureRuns) }, (_, i) => inputs(i));
  const pure = { breakdown: [] as number[], resume: [] as number[], moves: [] as number[] };
  const warmup = Math.min(100, pureRuns);
  for (let i = 0; i < warmup + pureRuns; i++) {
    const input = prepared[i % prepared.length];
    if (!input) break;
    for (const kind of ["breakdown", "resume"] as const) {
      const started = performance.now();
      const plan = planReroute(input[kind]);
      const ms = performance.now() - started;
      if (i < warmup) continue;
      pure[kind].push(ms);
      if (kind === "breakdown") pure.moves.push(plan.moves.length);
    }
  }
  const pureResult = {
    breakdown: timings(pure.breakdown),
    resume: timings(pure.resume),
    moves: { p50: quantile(Float64Array.from(pure.moves), 0.5), max: Math.max(0, ...pure.moves) },
  };
  log(
    `  pure planReroute: breakdown p50 ${pureResult.breakdown.p50} ms, p99 ${pureResult.breakdown.p99} ms; ` +
      `resume p50 ${pureResult.resume.p50} ms, p99 ${pureResult.resume.p99} ms (${pureRuns} runs each)`,
  );

  const database = databaseRuns > 0 ? await runWithDatabase({ config, factory, databaseRuns, log, cleanups }) : null;

  const dbP99 = database?.breakdown.p99 ?? null;
  const results: PlannerResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverageBefore, loadAverageAfter: os.loadavg() },
    command: benchCommandLine(),
    factory: { machines: machineCount, workOrders: orderCount, down },
    pure: pureResult,
    database,
    goals: [
      {
        name: "pure re-plan after a breakdown, p99 ms",
        value: pureResult.breakdown.p99,
        goal: `< ${plannerGoalMs}`,
        met: pureResult.breakdown.p99 < plannerGoalMs,
      },
      {
        name: "full re-plan after a breakdown (read, plan, write), p99 ms",
        value: dbP99,
        goal: `< ${plannerGoalMs}`,
        met: dbP99 === null ? null : dbP99 < plannerGoalMs,
      },
    ],
  };
  await writeSuiteResults("planner-latest", results, plannerMarkdown(results));
  log("planner results in bench/results/planner-latest.{json,md}");
  return { pass: true };
}

/**
 * The factory written to a fresh database, then, for each run, a breakdown
 * of one machine and later its resume, each re-planned as the worker does
 * it (replan-handler.ts): loadPlanningState, planReroute, applyPlan in a
 * transaction. The machine's status and its machine_events row are written
 * before the clock starts, as the machine-event route would have.
 */
async function runWithDatabase({
  config,
  factory,
  databaseRuns,
  log,
  cleanups,
}: {
  config: BenchConfig;
  factory: { machines: PlanMachine[]; workOrders: PlanWorkOrder[] };
  databaseRuns: number;
  log: (line: string) => void;
  cleanups: (() => Promise<unknown>)[];
}): Promise<NonNullable<PlannerResults["database"]>> {
  log(`  fresh database ${new URL(config.databaseUrl).pathname.slice(1)} for the full re-plan`);
  cleanups.push(() => (config.keepDatabase ? Promise.resolve() : dropDatabase(config.databaseUrl)));
  await prepareDatabase(config.databaseUrl);
  // server/db.ts reads DATABASE_URL at its first use: this suite's database.
  process.env.DATABASE_URL = config.databaseUrl;
  const { prisma, closeDb } = await import("../server/db");
  cleanups.push(() => closeDb());
  const { loadPlanningState } = await import("../server/planning/load-planning-state");
  const { planReroute } = await import("../server/planning/plan-reroute");
  const { applyPlan, applyPlanTransactionTimeoutMs } = await import("../server/planning/apply-plan");

  const client = new pg.Client({ connectionString: config.databaseUrl, application_name: "bench-planner" });
  await client.connect();
  try {
    const centers = [...new Set(factory.machines.map((m) => m.workCenterId))];
    await client.query(
      `INSERT INTO work_centers (id, code, name) SELECT id, 'WC-' || id, 'Work center ' || id FROM unnest($1::int[]) AS id`,
      [centers],
    );
    await client.query(
      `INSERT INTO machines (id, work_center_id, code, name, status, capabilities)
       SELECT (m->>'id')::int, (m->>'workCenterId')::int, 'M-' || (m->>'id'), m->>'name', m->>'status',
              ARRAY(SELECT jsonb_array_elements_text(m->'capabilities'))
       FROM jsonb_array_elements($1::jsonb) AS m`,
      [JSON.stringify(factory.machines)],
    );
    await client.query(
      `INSERT INTO work_orders (id, code, operation, quantity, priority, due_at, machine_id, sequence, status)
       SELECT (o->>'id')::int, o->>'code', o->>'operation', (o->>'quantity')::int, (o->>'priority')::int,
              (o->>'dueAt')::timestamptz, (o->>'machineId')::int, (o->>'sequence')::int, o->>'status'
       FROM jsonb_array_elements($1::jsonb) AS o`,
      [JSON.stringify(factory.workOrders)],
    );
    await client.query("SELECT setval('work_orders_id_seq', (SELECT max(id) FROM work_orders))");
    await client.query("ANALYZE");

    const available = factory.machines.filter((m) => m.status === "running" || m.status === "idle");
    const times = { breakdown: [] as number[], resume: [] as number[], load: [] as number[], plan: [] as number[] };
    const apply: number[] = [];
    const replan = async (machineId: number, type: "breakdown" | "resume", status: MachineStatus) => {
      const { rows } = await client.query<{ id: string }>(
        `WITH m AS (UPDATE machines SET status = $2, status_since = now() WHERE id = $1 RETURNING id)
         INSERT INTO machine_events (machine_id, type, status) SELECT id, $3, $2 FROM m RETURNING id::text`,
        [machineId, status, type],
      );
      const request = { machineId, type, eventId: rows[0]?.id ?? "0" };
      const started = performance.now();
      const state = await loadPlanningState();
      const loaded = performance.now();
      const plan = planReroute({ ...state, trigger: { machineId, type } });
      const planned = performance.now();
      await prisma().$transaction((tx) => applyPlan({ tx, request, plan, ...state }), {
        timeout: applyPlanTransactionTimeoutMs,
      });
      const done = performance.now();
      return { total: done - started, load: loaded - started, plan: planned - loaded, apply: done - planned };
    };
    const warmup = Math.min(10, databaseRuns);
    for (let i = 0; i < warmup + databaseRuns; i++) {
      const m = available[i % available.length] as PlanMachine;
      const broke = await replan(m.id, "breakdown", "breakdown");
      const resumed = await replan(m.id, "resume", m.status);
      if (i < warmup) continue;
      times.breakdown.push(broke.total);
      times.load.push(broke.load);
      times.plan.push(broke.plan);
      apply.push(broke.apply);
      times.resume.push(resumed.total);
    }
    const result = {
      breakdown: timings(times.breakdown),
      resume: timings(times.resume),
      steps: { load: timings(times.load), plan: timings(times.plan), apply: timings(apply) },
    };
    log(
      `  full re-plan: breakdown p50 ${result.breakdown.p50} ms, p99 ${result.breakdown.p99} ms ` +
        `(load ${result.steps.load.p50}, plan ${result.steps.plan.p50}, apply ${result.steps.apply.p50} at p50); ` +
        `resume p50 ${result.resume.p50} ms, p99 ${result.resume.p99} ms (${databaseRuns} runs each)`,
    );
    return result;
  } finally {
    await client.end().catch(() => {});
  }
}
