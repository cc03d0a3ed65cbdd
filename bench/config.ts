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
};

function int(name: string, fallback: number, min = 1): number {
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
  };
}
