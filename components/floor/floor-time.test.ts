import { describe, expect, it } from "vitest";
import { formatDue, formatDuration } from "./floor-time";

describe("formatDuration", () => {
  it.each([
    [-5_000, "0 s"],
    [45_000, "45 s"],
    [12 * 60_000 + 59_000, "12 min"],
    [(2 * 60 + 5) * 60_000, "2 h 05 min"],
    [(3 * 24 + 4) * 3_600_000, "3 d 4 h"],
  ])("%i ms → %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe("formatDue", () => {
  // Local times, whatever the machine's zone: built with the Date constructor.
  const now = new Date(2026, 10, 25, 10, 30);
  it.each([
    [new Date(2026, 10, 25, 14, 0), "today 14:00"],
    [new Date(2026, 10, 26, 8, 0), "tomorrow 08:00"],
    [new Date(2026, 10, 27, 14, 0), "Fri 14:00"],
    [new Date(2026, 10, 25, 10, 0), "overdue since 10:00"],
    [new Date(2026, 10, 24, 16, 0), "overdue since Tue 16:00"],
  ])("%s", (due, text) => expect(formatDue(due.toISOString(), now)).toBe(text));
});
