import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type AssessmentOutcome, ReassessmentTracker, type TrackerCallbacks } from "./reassessment-tracker";

const timings = { pushGraceMs: 10_000, checkEveryMs: 3_000, giveUpMs: 60_000 };
const supplier = { id: 7, name: "Vertex Fasteners s.r.o." };
const requestedAt = "2026-11-25T10:00:00.000Z";
const at = (seconds: number) => new Date(Date.parse(requestedAt) + seconds * 1000).toISOString();
const outcome = (assessedAt: string | null, level = "high"): AssessmentOutcome => ({
  level,
  score: 64,
  source: "groq",
  assessedAt,
});

function setup(check: TrackerCallbacks["check"] = async () => null) {
  const calls = {
    check: vi.fn(check),
    onResult: vi.fn(),
    onStillRunning: vi.fn(),
    onChange: vi.fn(),
  };
  const tracker = new ReassessmentTracker(() => calls, timings);
  return { tracker, calls };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date(requestedAt));
});
afterEach(() => vi.useRealTimers());

describe("ReassessmentTracker", () => {
  it("settles on the first push made at or after the request, and ignores older ones", () => {
    const { tracker, calls } = setup();
    expect(tracker.begin(supplier)).toBe(true);
    expect(tracker.pendingIds()).toEqual(new Set([7]));
    tracker.accepted(7, requestedAt);

    tracker.push(7, outcome(at(-5), "low")); // an assessment that was already running
    tracker.push(8, outcome(at(1))); // another supplier
    expect(calls.onResult).not.toHaveBeenCalled();

    tracker.push(7, outcome(at(1.2)));
    expect(calls.onResult).toHaveBeenCalledExactlyOnceWith(supplier, outcome(at(1.2)));
    expect(tracker.pendingIds()).toEqual(new Set());
    expect(calls.onChange).toHaveBeenLastCalledWith(new Set());

    vi.advanceTimersByTime(120_000);
    expect(calls.check).not.toHaveBeenCalled(); // the fallback timer was cleared
  });

  it("takes one request per supplier at a time", () => {
    const { tracker } = setup();
    expect(tracker.begin(supplier)).toBe(true);
    expect(tracker.begin(supplier)).toBe(false);
    expect(tracker.begin({ id: 8, name: "Other" })).toBe(true);
    expect(tracker.pendingIds()).toEqual(new Set([7, 8]));
  });

  it("keeps a push that beat the 202 and settles on it once the request time is known", () => {
    const { tracker, calls } = setup();
    tracker.begin(supplier);
    tracker.push(7, outcome(at(0.05)));
    expect(calls.onResult).not.toHaveBeenCalled();
    tracker.accepted(7, requestedAt);
    expect(calls.onResult).toHaveBeenCalledExactlyOnceWith(supplier, outcome(at(0.05)));
  });

  it("asks the API when no push came within 10 s, then every 3 s until the answer is there", async () => {
    const answers: (AssessmentOutcome | null)[] = [outcome(at(-60)), null, outcome(at(11))];
    const { tracker, calls } = setup(async () => {
      const next = answers.shift() ?? null;
      if (next === null) throw new Error("network");
      return next;
    });
    tracker.begin(supplier);
    tracker.accepted(7, requestedAt);

    await vi.advanceTimersByTimeAsync(9_999);
    expect(calls.check).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.check).toHaveBeenCalledTimes(1); // the old assessment: not the answer
    await vi.advanceTimersByTimeAsync(3_000);
    expect(calls.check).toHaveBeenCalledTimes(2); // an error: asks again
    expect(calls.onResult).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(calls.check).toHaveBeenCalledTimes(3);
    expect(calls.onResult).toHaveBeenCalledExactlyOnceWith(supplier, outcome(at(11)));
    expect(tracker.pendingIds()).toEqual(new Set());
  });

  it("stops waiting after a minute and says the assessment is still running", async () => {
    const { tracker, calls } = setup(async () => outcome(at(-1)));
    tracker.begin(supplier);
    tracker.accepted(7, requestedAt);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(calls.onStillRunning).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(calls.onStillRunning).toHaveBeenCalledExactlyOnceWith(supplier);
    expect(calls.onResult).not.toHaveBeenCalled();
    expect(tracker.pendingIds()).toEqual(new Set());
    const checks = calls.check.mock.calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.check).toHaveBeenCalledTimes(checks);
  });

  it("does not report twice when a push arrives while the API is being asked", async () => {
    let answer: (value: AssessmentOutcome) => void = () => {};
    const { tracker, calls } = setup(() => new Promise((resolve) => (answer = resolve)));
    tracker.begin(supplier);
    tracker.accepted(7, requestedAt);
    await vi.advanceTimersByTimeAsync(10_000);
    tracker.push(7, outcome(at(10.5)));
    answer(outcome(at(10.5)));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.onResult).toHaveBeenCalledTimes(1);
  });

  it("forgets a request that failed", () => {
    const { tracker, calls } = setup();
    tracker.begin(supplier);
    tracker.failed(7);
    expect(tracker.pendingIds()).toEqual(new Set());
    tracker.push(7, outcome(at(1)));
    expect(calls.onResult).not.toHaveBeenCalled();
  });
});
