import type { PlannedOrder, PlanView } from "./plan-queries";

// The timeline's geometry, kept apart from React so that it can be tested:
// which stretch of time the chart shows, where a moment falls on it, where
// the hour ticks go, and which lane each bar takes when bars on one machine
// overlap (a running order that overran, or two orders started by hand).

export type TimeWindow = { start: number; end: number };

export type TimeRange = "8h" | "24h" | "all";

const hour = 3_600_000;

/** How far back the chart looks: enough to see the running orders begin, not a day of history. */
const historyShown = { "8h": 1 * hour, "24h": 2 * hour, all: 12 * hour } as const;
/** The whole plan, but never less than this ahead of now nor more than two weeks. */
const shortestAhead = 8 * hour;
const longestAhead = 14 * 24 * hour;

/**
 * The stretch of time to draw. "8h" and "24h" look that far ahead of now;
 * "all" reaches the last planned end (with a little room after it), and
 * back to the earliest start of a running order, at most 12 hours ago.
 */
export function planWindow(plan: Pick<PlanView, "machines">, now: number, range: TimeRange): TimeWindow {
  if (range !== "all") {
    const ahead = range === "8h" ? 8 * hour : 24 * hour;
    return { start: now - historyShown[range], end: now + ahead };
  }
  let first = now - hour;
  let last = now + shortestAhead;
  for (const machine of plan.machines) {
    for (const order of machine.queue) {
      first = Math.min(first, Date.parse(order.plannedStart));
      last = Math.max(last, Date.parse(order.plannedEnd));
    }
  }
  const start = Math.max(first, now - historyShown.all);
  const end = Math.min(last, now + longestAhead);
  return { start, end: end + (end - start) * 0.02 };
}

/** Where a moment falls across the window, in percent (outside 0..100 when outside the window). */
export function xPercent(at: number, window: TimeWindow): number {
  return ((at - window.start) / (window.end - window.start)) * 100;
}

export type BarGeometry = {
  left: number;
  width: number;
  /** The bar begins before the window (or ends after it): drawn cut, with a marker. */
  cutStart: boolean;
  cutEnd: boolean;
};

/** A bar's place in percent of the track, cut to the window; null when it lies wholly outside. */
export function barGeometry(start: number, end: number, window: TimeWindow): BarGeometry | null {
  if (end <= window.start || start >= window.end) return null;
  const left = Math.max(0, xPercent(start, window));
  const right = Math.min(100, xPercent(end, window));
  return { left, width: Math.max(right - left, 0), cutStart: start < window.start, cutEnd: end > window.end };
}

const tickSteps = [1, 2, 3, 4, 6, 12, 24, 48, 168].map((h) => h * hour);

export type Tick = { at: number; x: number; label: string; newDay: boolean };

/**
 * Hour ticks on local-time hour boundaries, at the smallest step (1, 2, 3, 4,
 * 6, 12, 24, 48 hours or a week) that keeps them to `maxTicks`. A tick that starts a
 * new day says so, so that a two-day chart reads "Tue 00:00".
 */
export function hourTicks(
  window: TimeWindow,
  maxTicks: number,
  format: (at: number, newDay: boolean) => string = defaultTickLabel,
): Tick[] {
  const span = window.end - window.start;
  const step = tickSteps.find((s) => span / s <= Math.max(maxTicks, 1)) ?? (tickSteps.at(-1) as number);
  const stepHours = step / hour;
  const first = new Date(window.start);
  first.setMinutes(0, 0, 0);
  if (first.getTime() < window.start) first.setHours(first.getHours() + 1);
  // Align to the step within the day (00:00, 06:00, 12:00 … for a 6-hour step; midnight past a day).
  while (first.getHours() % Math.min(stepHours, 24) !== 0) first.setHours(first.getHours() + 1);
  const ticks: Tick[] = [];
  let previousDay = new Date(window.start).toDateString();
  for (const at = first; at.getTime() <= window.end; at.setHours(at.getHours() + stepHours)) {
    const t = at.getTime();
    const newDay = at.toDateString() !== previousDay;
    previousDay = at.toDateString();
    ticks.push({ at: t, x: xPercent(t, window), label: format(t, newDay), newDay });
  }
  return ticks;
}

const timeOfDay = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });
const dayName = new Intl.DateTimeFormat("en-GB", { weekday: "short" });

function defaultTickLabel(at: number, newDay: boolean): string {
  return newDay ? `${dayName.format(at)} ${timeOfDay.format(at)}` : timeOfDay.format(at);
}

/**
 * Greedy interval partitioning: each bar takes the first lane whose last
 * bar has ended by the time it starts, so bars in one lane never overlap and
 * a machine whose orders follow one another keeps a single lane.
 */
export function assignLanes<T extends { start: number; end: number }>(
  bars: readonly T[],
): { lanes: number[]; count: number } {
  const order = bars.map((_, index) => index).sort((a, b) => (bars[a] as T).start - (bars[b] as T).start || a - b);
  const laneEnds: number[] = [];
  const lanes = new Array<number>(bars.length).fill(0);
  for (const index of order) {
    const bar = bars[index] as T;
    let lane = laneEnds.findIndex((end) => end <= bar.start);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = bar.end;
    lanes[index] = lane;
  }
  return { lanes, count: Math.max(laneEnds.length, 1) };
}

/** Milliseconds by which an order's planned end passes its due date (0 when on time). */
export function lateBy(order: Pick<PlannedOrder, "plannedEnd" | "dueAt">): number {
  return Math.max(0, Date.parse(order.plannedEnd) - Date.parse(order.dueAt));
}

export type TimelineBar = { order: PlannedOrder; start: number; end: number; lane: number; lateMs: number };
export type TimelineMachine = PlanView["machines"][number];
export type TimelineRow = { machine: TimelineMachine; bars: TimelineBar[]; lanes: number };
export type TimelineGroup = { workCenter: { id: number; code: string; name: string }; rows: TimelineRow[] };

/**
 * Rows of the chart: one per machine, grouped by work center in the order
 * the plan lists them, each machine's orders with their lane and lateness.
 */
export function timelineGroups(plan: Pick<PlanView, "machines" | "workCenters">): TimelineGroup[] {
  const byId = new Map(plan.workCenters.map((wc) => [wc.id, wc]));
  const groups = new Map<number, TimelineGroup>();
  for (const machine of plan.machines) {
    let group = groups.get(machine.workCenterId);
    if (!group) {
      const workCenter = byId.get(machine.workCenterId) ?? {
        id: machine.workCenterId,
        code: String(machine.workCenterId),
        name: `Work center ${machine.workCenterId}`,
      };
      group = { workCenter, rows: [] };
      groups.set(machine.workCenterId, group);
    }
    const spans = machine.queue.map((order) => ({
      order,
      start: Date.parse(order.plannedStart),
      end: Date.parse(order.plannedEnd),
    }));
    const { lanes, count } = assignLanes(spans);
    group.rows.push({
      machine,
      lanes: count,
      bars: spans.map((span, index) => ({ ...span, lane: lanes[index] ?? 0, lateMs: lateBy(span.order) })),
    });
  }
  return [...groups.values()];
}
