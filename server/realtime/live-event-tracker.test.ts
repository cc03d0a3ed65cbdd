import { describe, expect, it } from "vitest";
import { compareSeq, LiveEventTracker } from "./live-event-tracker";

const event = (outboxId: string, seq: string, roomSeq: Record<string, number>) => ({ outboxId, seq, roomSeq });

describe("LiveEventTracker", () => {
  it("orders stream ids by time, then by number", () => {
    expect(compareSeq("1700000000000-2", "1700000000000-10")).toBeLessThan(0);
    expect(compareSeq("1700000000001-0", "1700000000000-99")).toBeGreaterThan(0);
    expect(compareSeq("5-5", "5-5")).toBe(0);
  });

  it("follows the numbering of its own rooms only, and sees a skipped number as a gap", () => {
    const tracker = new LiveEventTracker();
    tracker.setRooms(["role:planner", "floor:all"]);
    expect(tracker.track(event("a", "1-0", { "wc:1": 7, "floor:all": 10 }))).toEqual({ duplicate: false, gap: false });
    // wc:2 is not one of ours: its numbers jump as they like.
    expect(tracker.track(event("b", "2-0", { "wc:2": 3, "floor:all": 11 }))).toEqual({ duplicate: false, gap: false });
    expect(tracker.track(event("c", "3-0", { "wc:1": 9, "floor:all": 13 }))).toEqual({ duplicate: false, gap: true });
    expect(tracker.track(event("d", "4-0", { "floor:all": 14 }))).toEqual({ duplicate: false, gap: false });
    expect(tracker.lastSeq).toBe("4-0");
  });

  it("drops an event seen before, even under new numbers, and keeps the last seq", () => {
    const tracker = new LiveEventTracker();
    tracker.setRooms(["wc:1"]);
    tracker.track(event("a", "1-0", { "wc:1": 1 }));
    tracker.track(event("b", "2-0", { "wc:1": 2 }));
    expect(tracker.track(event("b", "3-0", { "wc:1": 3 }))).toEqual({ duplicate: true, gap: false });
    expect(tracker.track(event("c", "4-0", { "wc:1": 4 }))).toEqual({ duplicate: false, gap: false });
    expect(tracker.lastSeq).toBe("4-0");
  });

  it("starts numbering afresh after a resync or when its rooms change", () => {
    const tracker = new LiveEventTracker();
    tracker.setRooms(["wc:1"]);
    tracker.track(event("a", "1-0", { "wc:1": 1 }));
    tracker.restartNumbering();
    expect(tracker.track(event("b", "2-0", { "wc:1": 40 })).gap).toBe(false);
    tracker.setRooms(["wc:2"]);
    expect(tracker.track(event("c", "3-0", { "wc:2": 17 })).gap).toBe(false);
    expect(tracker.track(event("d", "4-0", { "wc:1": 99, "wc:2": 18 })).gap).toBe(false);
  });

  it("checks nothing before it knows its rooms", () => {
    const tracker = new LiveEventTracker();
    expect(tracker.track(event("a", "1-0", { "wc:1": 1 })).gap).toBe(false);
    expect(tracker.track(event("b", "2-0", { "wc:1": 5 })).gap).toBe(false);
  });

  it("forgets the oldest outboxIds past its memory", () => {
    const tracker = new LiveEventTracker(2);
    for (const id of ["a", "b", "c"]) tracker.track(event(id, "1-0", {}));
    expect(tracker.track(event("a", "1-0", {})).duplicate).toBe(false);
    expect(tracker.track(event("c", "1-0", {})).duplicate).toBe(true);
  });
});
