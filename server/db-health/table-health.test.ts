import { describe, expect, it } from "vitest";
import { tableWarnings } from "./table-health";

// The thresholds the database page warns at (server/db-health/thresholds.ts).
const table = {
  table: "machines",
  updates: 10_000,
  hotRatio: 0.97,
  liveTuples: 5_000,
  deadTuples: 100,
  fillfactor: 80,
  lastAutovacuum: "2026-11-25T10:00:00.000Z",
};

describe("table warnings", () => {
  it.each([
    ["a healthy table", {}, []],
    [
      "a HOT ratio under 90 %",
      { hotRatio: 0.85 },
      [
        "machines: only 85.0 % of 10000 updates were HOT (goal 90.0 %). Check for an index on a column that every update changes.",
      ],
    ],
    [
      "a low ratio on a table without free space",
      { hotRatio: 0.5, fillfactor: 100 },
      [
        "machines: only 50.0 % of 10000 updates were HOT (goal 90.0 %). The table has no free space per page (fillfactor 100).",
      ],
    ],
    ["a low ratio over too few updates to mean anything", { hotRatio: 0.1, updates: 199 }, []],
    ["no updates yet", { hotRatio: null, updates: 0 }, []],
    [
      "dead rows above 20 % of the live ones",
      { deadTuples: 1_200, liveTuples: 5_000 },
      [
        "machines: 1200 dead row versions against 5000 live ones; autovacuum is not keeping up (last run 2026-11-25T10:00:00.000Z).",
      ],
    ],
    ["many dead rows on a big table, under 20 %", { deadTuples: 50_000, liveTuples: 1_000_000 }, []],
    ["a few dead rows on a tiny table", { deadTuples: 999, liveTuples: 10 }, []],
  ] as const)("%s", (_, change, expected) => {
    expect(tableWarnings({ ...table, ...change })).toEqual(expected);
  });
});
