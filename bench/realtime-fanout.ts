// The realtime process's own share of a push: its `realtime_fanout_seconds`
// histogram (server/realtime/metrics.ts), from taking an event off the stream
// to its last write to the process's sockets. Scraped before and after a
// phase; the difference is that phase's events. A histogram gives buckets,
// not values, so a quantile is reported as the bucket it falls in: "≤ 40 ms"
// means the quantile is above the next lower bound and at most 40 ms.

export type FanoutSnapshot = { buckets: Map<number, number>; count: number };

export type FanoutSummary = {
  events: number;
  /** Upper bound of the bucket holding each quantile, ms (Infinity above the last bound). */
  p50AtMostMs: number;
  p99AtMostMs: number;
  maxAtMostMs: number;
  /** Share of events handed to every socket within 50 ms. */
  within50Ms: number;
};

const metric = "realtime_fanout_seconds";

/** Reads the histogram from Prometheus text (cumulative buckets by `le`). */
export function parseFanout(text: string): FanoutSnapshot {
  const buckets = new Map<number, number>();
  let count = 0;
  for (const line of text.split("\n")) {
    const bucket = line.match(new RegExp(`^${metric}_bucket\\{le="([^"]+)"\\} (\\d+)`));
    if (bucket) buckets.set(bucket[1] === "+Inf" ? Infinity : Number(bucket[1]), Number(bucket[2]));
    const total = line.match(new RegExp(`^${metric}_count (\\d+)`));
    if (total) count = Number(total[1]);
  }
  if (buckets.size === 0) throw new Error(`no ${metric} histogram in the realtime process's metrics`);
  return { buckets, count };
}

export function fanoutBetween(before: FanoutSnapshot, after: FanoutSnapshot): FanoutSummary {
  const bounds = [...after.buckets.keys()].sort((a, b) => a - b);
  const cumulative = bounds.map((le) => (after.buckets.get(le) ?? 0) - (before.buckets.get(le) ?? 0));
  const events = after.count - before.count;
  const atMost = (q: number) => {
    const wanted = Math.ceil(q * events);
    const i = cumulative.findIndex((c) => c >= wanted);
    return i === -1 ? Infinity : (bounds[i] as number) * 1000;
  };
  const i50 = bounds.indexOf(0.05);
  return {
    events,
    p50AtMostMs: atMost(0.5),
    p99AtMostMs: atMost(0.99),
    maxAtMostMs: atMost(1),
    within50Ms: events > 0 && i50 !== -1 ? (cumulative[i50] as number) / events : 0,
  };
}

export async function scrapeFanout(metricsUrl: string): Promise<FanoutSnapshot> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`${metricsUrl} answered ${response.status}`);
  return parseFanout(await response.text());
}
