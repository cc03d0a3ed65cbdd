import { int } from "./config";

// The knobs of the HOT suite (BENCH_SUITE=hot), read once from the environment.

export type HotConfig = {
  /** Rows in each copy of the machines table. */
  machines: number;
  /** Updates per second per table that the burst aims at (both tables get the same). */
  rate: number;
  /** How long the burst lasts. */
  seconds: number;
  /** Client connections, each updating both tables in turn. */
  connections: number;
  /** How many bursts, each on freshly made tables. */
  rounds: number;
  /** The fillfactors compared; the first is the migration's. */
  fillfactors: number[];
  /**
   * private: a PostgreSQL of the bench's own (the launcher's embedded one,
   * with deploy/postgresql's settings), where nothing else runs; shared: the
   * server at BENCH_DATABASE_URL, with whatever else it is doing.
   */
  server: "private" | "shared";
  /**
   * quiet: nothing but the updates; reports: besides them, a report holds a
   * snapshot open for reportHoldSeconds out of every 2 × reportHoldSeconds,
   * so that page pruning may not remove the versions it can still see.
   */
  scenarios: HotScenario[];
  reportHoldSeconds: number;
};

export const hotScenarios = ["quiet", "reports"] as const;
export type HotScenario = (typeof hotScenarios)[number];

/** The seed's table: about 1.2 million status updates a day. */
export const seedUpdatesPerDay = 1_200_000;
/** The goal: at least this share of the updates HOT with the migration's fillfactor. */
export const hotRatioGoal = 0.9;

export function readHotConfig(): HotConfig {
  const fillfactors = (process.env.BENCH_HOT_FILLFACTORS || "80,100").split(",").map((f) => Number(f.trim()));
  if (fillfactors.some((f) => !Number.isInteger(f) || f < 10 || f > 100)) {
    throw new Error(
      `BENCH_HOT_FILLFACTORS must be integers from 10 to 100, got "${process.env.BENCH_HOT_FILLFACTORS}"`,
    );
  }
  const server = process.env.BENCH_HOT_SERVER || "private";
  if (server !== "private" && server !== "shared") {
    throw new Error(`BENCH_HOT_SERVER must be private or shared, got "${server}"`);
  }
  const scenarios = (process.env.BENCH_HOT_SCENARIOS || hotScenarios.join(",")).split(",").map((s) => s.trim());
  const unknown = scenarios.filter((s) => !(hotScenarios as readonly string[]).includes(s));
  if (unknown.length)
    throw new Error(`BENCH_HOT_SCENARIOS: unknown ${unknown.join(", ")}; known: ${hotScenarios.join(", ")}`);
  return {
    server,
    scenarios: scenarios as HotScenario[],
    reportHoldSeconds: int("BENCH_HOT_REPORT_HOLD_SECONDS", 5),
    machines: int("BENCH_HOT_MACHINES", 500),
    rate: int("BENCH_HOT_RATE", 1000),
    seconds: int("BENCH_HOT_SECONDS", 60),
    connections: int("BENCH_HOT_CONNECTIONS", 4),
    rounds: int("BENCH_HOT_ROUNDS", 1),
    fillfactors,
  };
}
