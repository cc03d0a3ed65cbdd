// What every phase reports, whether HTTP through autocannon or SQL through pgbench.

export type PhaseResult = {
  name: string;
  kind: "http" | "pgbench";
  description: string;
  seconds: number;
  clients: number;
  /** Successful answers (2xx, or committed pgbench transactions) per second. */
  perSecond: number;
  /** Latency of the successful answers, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  ok: number;
  /** Status code → count for everything that was not a success, plus connection errors. */
  failures: Record<string, number>;
  /** Busy share of the machine and CPU ms per successful answer by process group (cpu.ts). */
  cpu?: { busyShare: number; msPerOk: Record<string, number> };
};

/** The q-quantile (0..1) of the values, nearest rank; sorts in place. */
export function quantile(values: Float64Array, q: number): number {
  if (values.length === 0) return Number.NaN;
  values.sort();
  const rank = Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1));
  return values[rank] ?? Number.NaN;
}

/** A growable list of latencies that does not box every number. */
export class LatencyLog {
  private values = new Float64Array(1 << 14);
  private count = 0;

  add(ms: number): void {
    if (this.count === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.count++] = ms;
  }

  get length(): number {
    return this.count;
  }

  addAll(other: LatencyLog): void {
    for (let i = 0; i < other.count; i++) this.add(other.values[i] ?? 0);
  }

  percentiles(): { p50: number; p99: number } {
    const values = this.values.subarray(0, this.count);
    return { p50: quantile(values, 0.5), p99: quantile(values, 0.99) };
  }
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** One phase over several rounds: every answer of every round counts once. */
export function combineRounds(results: PhaseResult[], latencies: LatencyLog): PhaseResult {
  const first = results[0];
  if (!first) throw new Error("no rounds to combine");
  const ok = results.reduce((sum, r) => sum + r.ok, 0);
  // pgbench's rate leaves out connection time, so the time each round took
  // to answer is ok ÷ rate rather than its nominal length.
  const busySeconds = results.reduce((sum, r) => sum + (r.perSecond > 0 ? r.ok / r.perSecond : r.seconds), 0);
  const failures: Record<string, number> = {};
  for (const r of results) {
    for (const [code, count] of Object.entries(r.failures)) failures[code] = (failures[code] ?? 0) + count;
  }
  const withCpu = results.filter((r) => r.cpu);
  const cpuOk = withCpu.reduce((sum, r) => sum + r.ok, 0);
  const msPerOk: Record<string, number> = {};
  for (const r of withCpu) {
    for (const [group, ms] of Object.entries(r.cpu?.msPerOk ?? {})) {
      msPerOk[group] = (msPerOk[group] ?? 0) + (ms * r.ok) / Math.max(1, cpuOk);
    }
  }
  const { p50, p99 } = latencies.percentiles();
  return {
    ...first,
    seconds: results.reduce((sum, r) => sum + r.seconds, 0),
    perSecond: busySeconds > 0 ? ok / busySeconds : 0,
    p50Ms: p50,
    p99Ms: p99,
    ok,
    failures,
    cpu: withCpu.length
      ? {
          busyShare: round(withCpu.reduce((sum, r) => sum + (r.cpu?.busyShare ?? 0), 0) / withCpu.length, 3),
          msPerOk: Object.fromEntries(Object.entries(msPerOk).map(([g, ms]) => [g, round(ms, 3)])),
        }
      : undefined,
  };
}
