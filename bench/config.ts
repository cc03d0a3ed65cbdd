// Every knob of `npm run bench`, read once from the environment.

export type BenchConfig = {
  /** Measured seconds per phase. */
  seconds: number;
  /** Unmeasured seconds before each phase (JIT, pools, caches). */
  warmupSeconds: number;
  /** HTTP connections and pgbench clients: the same number for every phase. */
  connections: number;
  /** pgbench threads (-j). */
  pgbenchThreads: number;
  /** How many times the whole set of phases runs, interleaved. */
  rounds: number;
  databaseUrl: string;
  redisUrl: string;
  /** Fixed port for the web server; a free one when unset. */
  port: number | undefined;
  /** auto: build when .next is missing or older than the sources. */
  build: "auto" | "always" | "never";
  pgbench: string;
  keepDatabase: boolean;
  /** Only these phases (names as in the results), or all of them. */
  phases: string[] | null;
  /** Which suites run: the reservation phases, the outbox relay's, the HOT updates (hot-config.ts has its knobs), the risk decisions (risk.ts reads its own). */
  suites: Suite[];
  outbox: OutboxConfig;
};

/** What every suite is run with (bench/run.ts makes one for the whole run). */
export type SuiteContext = {
  config: BenchConfig;
  /** The project's root. */
  root: string;
  /** This run's temporary directory (logs, nginx configs). */
  workDir: string;
  /** This run's Redis key prefix. */
  redisPrefix: string;
  log: (line: string) => void;
  /** Run at the end of the run, or on failure: what a suite started or created. */
  cleanups: (() => Promise<unknown>)[];
};

export const suiteNames = ["reservations", "outbox", "hot", "realtime", "planner", "risk"] as const;
export type Suite = (typeof suiteNames)[number];

export const outboxPartNames = ["drain", "latency", "wake-cost"] as const;
export type OutboxPart = (typeof outboxPartNames)[number];

/** One drain: how many worker processes, their OUTBOX_BATCH_SIZE, and how many aggregates share the backlog (0: each message its own). */
export type DrainVariant = { name: string; workers: number; batchSize: number; aggregates: number };

export type OutboxConfig = {
  parts: OutboxPart[];
  /** Messages in the backlog each drain starts from. */
  drainMessages: number;
  drainVariants: DrainVariant[];
  /** How many times every drain variant runs (interleaved). */
  drainRounds: number;
  /** A drain still running after this long is stopped and reported as such. */
  drainTimeoutSeconds: number;
  /** Steady commit rate of the latency phase, rows a second, and how long it lasts (after the warm-up). */
  latencyRate: number;
  latencySeconds: number;
  latencyWarmupSeconds: number;
  /** A second, low rate at which the relay idles between messages (0: skip it). */
  latencyLowRate: number;
  latencyLowSeconds: number;
  /** How many times the latency runs repeat (interleaved: wake-up on, off, …). */
  latencyRounds: number;
  /** Rounds of the wake-up cost comparison (each: the reservation route with the wake-up off and on). */
  wakeRounds: number;
  /** Whether a worker drains the outbox during the wake-up cost phases, as in production. */
  wakeWithWorker: boolean;
};

function list<T extends string>(name: string, known: readonly T[], fallback: readonly T[]): T[] {
  const raw = process.env[name];
  if (!raw || raw === "all") return [...fallback];
  const values = raw.split(",").map((v) => v.trim());
  const unknown = values.filter((v) => !(known as readonly string[]).includes(v));
  if (unknown.length) throw new Error(`${name}: unknown ${unknown.join(", ")}; known: ${known.join(", ")}, all`);
  return values as T[];
}

/** "w1-b500" = 1 worker, batch 500; "w1-b500-a100" = the same over 100 shared aggregates. */
export function parseDrainVariant(spec: string): DrainVariant {
  const match = /^w(\d+)-b(\d+)(?:-a(\d+))?$/.exec(spec.trim());
  if (!match) throw new Error(`BENCH_OUTBOX_DRAIN: "${spec}" is not like w1-b500 or w1-b500-a100`);
  const [, workers, batchSize, aggregates] = match;
  return {
    name: spec.trim(),
    workers: Number(workers),
    batchSize: Number(batchSize),
    aggregates: Number(aggregates ?? 0),
  };
}

const defaultDrainVariants = "w1-b500,w2-b500,w1-b1000,w1-b2000,w1-b500-a100";

export function int(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

export function readConfig(): BenchConfig {
  const build = process.env.BENCH_BUILD ?? "auto";
  if (build !== "auto" && build !== "always" && build !== "never") {
    throw new Error(`BENCH_BUILD must be auto, always or never, got "${build}"`);
  }
  return {
    seconds: int("BENCH_SECONDS", 10),
    warmupSeconds: int("BENCH_WARMUP_SECONDS", 3, 0),
    connections: int("BENCH_CONNECTIONS", 16),
    pgbenchThreads: int("BENCH_PGBENCH_THREADS", 2),
    rounds: int("BENCH_ROUNDS", 2),
    databaseUrl: process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/erp_bench",
    redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    port: process.env.BENCH_PORT ? int("BENCH_PORT", 0) : undefined,
    build,
    pgbench: process.env.BENCH_PGBENCH ?? "pgbench",
    keepDatabase: process.env.BENCH_KEEP_DATABASE === "true",
    phases: process.env.BENCH_PHASES ? process.env.BENCH_PHASES.split(",").map((p) => p.trim()) : null,
    suites: list("BENCH_SUITE", suiteNames, suiteNames),
    outbox: {
      parts: list("BENCH_OUTBOX_PARTS", outboxPartNames, outboxPartNames),
      drainMessages: int("BENCH_OUTBOX_MESSAGES", 50_000),
      drainVariants: (process.env.BENCH_OUTBOX_DRAIN || defaultDrainVariants).split(",").map(parseDrainVariant),
      drainRounds: int("BENCH_OUTBOX_DRAIN_ROUNDS", 1),
      drainTimeoutSeconds: int("BENCH_OUTBOX_DRAIN_TIMEOUT", 20),
      latencyRate: int("BENCH_OUTBOX_RATE", 500),
      latencySeconds: int("BENCH_OUTBOX_LATENCY_SECONDS", 20),
      latencyWarmupSeconds: int("BENCH_OUTBOX_LATENCY_WARMUP", 2, 0),
      latencyLowRate: int("BENCH_OUTBOX_LOW_RATE", 20, 0),
      latencyLowSeconds: int("BENCH_OUTBOX_LOW_SECONDS", 10),
      latencyRounds: int("BENCH_OUTBOX_LATENCY_ROUNDS", 1),
      wakeRounds: int("BENCH_OUTBOX_WAKE_ROUNDS", 3),
      wakeWithWorker: process.env.BENCH_OUTBOX_WAKE_WORKER !== "false",
    },
  };
}

/** The BENCH_* variables this run was given, as the command line that repeats it. */
export function benchCommandLine(env = process.env): string {
  const vars = Object.entries(env)
    .filter(([name]) => name.startsWith("BENCH_"))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${value}`);
  return [...vars, "npm run bench"].join(" ");
}
