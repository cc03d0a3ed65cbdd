import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PlannedOrder, PlanView } from "./plan-queries";
import { assignLanes, barGeometry, hourTicks, lateBy, planWindow, timelineGroups, xPercent } from "./timeline-layout";

const hour = 3_600_000;
const now = Date.UTC(2026, 10, 25, 9, 30);
const iso = (t: number) => new Date(t).toISOString();

function order(id: number, start: number, end: number, due = end + hour): PlannedOrder {
  return {
    id,
    code: `WO-${id}`,
    operation: "press",
    quantity: 100,
    priority: 3,
    dueAt: iso(due),
    machineId: 1,
    workCenterId: 1,
    sequence: id,
    status: "queued",
    startedAt: null,
    finishedAt: null,
    estimatedMinutes: Math.round((end - start) / 60_000),
    plannedStart: iso(start),
    plannedEnd: iso(end),
    product: null,
  };
}

function machine(id: number, workCenterId: number, queue: PlannedOrder[]): PlanView["machines"][number] {
  return {
    id,
    code: `M-${id}`,
    name: `Machine ${id}`,
    workCenterId,
    status: "running",
    statusSince: iso(now),
    capabilities: ["press"],
    queue,
  };
}

describe("planWindow", () => {
  it("looks a fixed time ahead for 8 h and 24 h, with a little of the past", () => {
    const plan = { machines: [machine(1, 1, [order(1, now, now + 40 * hour)])] };
    expect(planWindow(plan, now, "8h")).toEqual({ start: now - hour, end: now + 8 * hour });
    expect(planWindow(plan, now, "24h")).toEqual({ start: now - 2 * hour, end: now + 24 * hour });
  });

  it("reaches the last planned end and back to a running order's start for the whole plan", () => {
    const plan = {
      machines: [
        machine(1, 1, [order(1, now - 3 * hour, now + hour), order(2, now + hour, now + 30 * hour)]),
        machine(2, 1, [order(3, now, now + 2 * hour)]),
      ],
    };
    const window = planWindow(plan, now, "all");
    expect(window.start).toBe(now - 3 * hour);
    expect(window.end).toBeGreaterThan(now + 30 * hour);
    expect(window.end).toBeLessThan(now + 31 * hour);
  });

  it("shows at least 8 hours ahead, no more than 12 hours back and two weeks ahead", () => {
    expect(planWindow({ machines: [] }, now, "all").start).toBe(now - hour);
    expect(planWindow({ machines: [] }, now, "all").end).toBeGreaterThanOrEqual(now + 8 * hour);
    const far = { machines: [machine(1, 1, [order(1, now - 48 * hour, now + 60 * 24 * hour)])] };
    const window = planWindow(far, now, "all");
    expect(window.start).toBe(now - 12 * hour);
    expect(window.end).toBeLessThan(now + 15 * 24 * hour);
  });
});

describe("xPercent and barGeometry", () => {
  const window = { start: now, end: now + 10 * hour };

  it("maps time linearly onto the track", () => {
    expect(xPercent(now, window)).toBe(0);
    expect(xPercent(now + 5 * hour, window)).toBe(50);
    expect(xPercent(now + 10 * hour, window)).toBe(100);
    expect(xPercent(now - hour, window)).toBe(-10);
  });

  it("places a bar inside the window as it is, and cuts one that sticks out", () => {
    expect(barGeometry(now + hour, now + 3 * hour, window)).toEqual({
      left: 10,
      width: 20,
      cutStart: false,
      cutEnd: false,
    });
    expect(barGeometry(now - 2 * hour, now + hour, window)).toEqual({
      left: 0,
      width: 10,
      cutStart: true,
      cutEnd: false,
    });
    expect(barGeometry(now + 9 * hour, now + 12 * hour, window)).toEqual({
      left: 90,
      width: 10,
      cutStart: false,
      cutEnd: true,
    });
  });

  it("draws nothing for a bar wholly outside the window", () => {
    expect(barGeometry(now - 3 * hour, now - hour, window)).toBeNull();
    expect(barGeometry(now + 10 * hour, now + 11 * hour, window)).toBeNull();
  });
});

describe("hourTicks", () => {
  it("puts ticks on whole hours inside the window, evenly spaced, no more than asked", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 24 * 60 }),
        fc.integer({ min: 1, max: 14 * 24 * 60 }),
        fc.integer({ min: 2, max: 30 }),
        (offsetMinutes, spanMinutes, maxTicks) => {
          const start = Date.UTC(2026, 0, 1) + offsetMinutes * 60_000;
          const window = { start, end: start + spanMinutes * 60_000 };
          const ticks = hourTicks(window, maxTicks);
          // One more than asked at most: ticks on both ends of an exact multiple.
          expect(ticks.length).toBeLessThanOrEqual(maxTicks + 1);
          for (const tick of ticks) {
            expect(tick.at).toBeGreaterThanOrEqual(window.start);
            expect(tick.at).toBeLessThanOrEqual(window.end);
            expect(new Date(tick.at).getMinutes()).toBe(0);
            expect(tick.x).toBeCloseTo(xPercent(tick.at, window));
          }
          const gaps = new Set(ticks.slice(1).map((tick, i) => tick.at - (ticks[i] as { at: number }).at));
          // Daylight saving may stretch or shrink one gap by an hour; the step is the common one.
          expect(gaps.size).toBeLessThanOrEqual(3);
        },
      ),
    );
  });

  it("chooses a wider step for a longer window and marks the start of a day", () => {
    const start = new Date(2026, 10, 25, 9, 30).getTime();
    const hourly = hourTicks({ start, end: start + 6 * hour }, 12);
    expect(hourly.map((t) => new Date(t.at).getHours())).toEqual([10, 11, 12, 13, 14, 15]);
    expect(hourly.map((t) => t.label)).toEqual(["10:00", "11:00", "12:00", "13:00", "14:00", "15:00"]);

    const twoDays = hourTicks({ start, end: start + 40 * hour }, 8);
    expect(twoDays.map((t) => new Date(t.at).getHours())).toEqual([12, 18, 0, 6, 12, 18, 0]);
    expect(twoDays.filter((t) => t.newDay).map((t) => t.label)).toEqual(["Thu 00:00", "Fri 00:00"]);
  });
});

describe("assignLanes", () => {
  it("keeps back-to-back orders in one lane and stacks overlapping ones", () => {
    const back = [
      { start: 0, end: 10 },
      { start: 10, end: 20 },
      { start: 20, end: 25 },
    ];
    expect(assignLanes(back)).toEqual({ lanes: [0, 0, 0], count: 1 });
    const overlapping = [
      { start: 0, end: 10 },
      { start: 5, end: 15 },
      { start: 12, end: 20 },
    ];
    expect(assignLanes(overlapping)).toEqual({ lanes: [0, 1, 0], count: 2 });
    expect(assignLanes([])).toEqual({ lanes: [], count: 1 });
  });

  it("never overlaps two bars in a lane, and uses as many lanes as bars overlap at most", () => {
    const interval = fc
      .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 200 }))
      .map(([start, length]) => ({ start, end: start + length }));
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 40 }), (bars) => {
        const { lanes, count } = assignLanes(bars);
        for (let a = 0; a < bars.length; a++) {
          for (let b = a + 1; b < bars.length; b++) {
            const [x, y] = [bars[a] as (typeof bars)[number], bars[b] as (typeof bars)[number]];
            if (lanes[a] === lanes[b]) expect(x.end <= y.start || y.end <= x.start).toBe(true);
          }
        }
        const depth = Math.max(
          1,
          ...bars.map((bar) => bars.filter((o) => o.start <= bar.start && o.end > bar.start).length),
        );
        expect(count).toBe(depth);
      }),
    );
  });
});

describe("lateBy and timelineGroups", () => {
  it("counts how far the planned end passes the due date", () => {
    expect(lateBy(order(1, now, now + 2 * hour, now + hour))).toBe(hour);
    expect(lateBy(order(1, now, now + 2 * hour, now + 3 * hour))).toBe(0);
  });

  it("groups machines by work center in the plan's order, with lanes and lateness per bar", () => {
    const plan = {
      workCenters: [
        { id: 1, code: "PRS", name: "Pressing" },
        { id: 2, code: "MCH", name: "Machining" },
      ],
      machines: [
        machine(10, 1, [order(1, now, now + hour), order(2, now + hour, now + 3 * hour, now + 2 * hour)]),
        machine(11, 1, []),
        machine(20, 2, [order(3, now - hour, now + hour), order(4, now, now + 2 * hour)]),
        machine(30, 9, []),
      ],
    };
    const groups = timelineGroups(plan);
    expect(groups.map((g) => [g.workCenter.name, g.rows.map((r) => r.machine.id)])).toEqual([
      ["Pressing", [10, 11]],
      ["Machining", [20]],
      ["Work center 9", [30]],
    ]);
    const [press] = groups[0]?.rows ?? [];
    expect(press?.bars.map((b) => [b.order.code, b.lane, b.lateMs])).toEqual([
      ["WO-1", 0, 0],
      ["WO-2", 0, hour],
    ]);
    expect(groups[1]?.rows[0]).toMatchObject({ lanes: 2, bars: [{ lane: 0 }, { lane: 1 }] });
  });
});
