import { describe, expect, it } from "vitest";
import { formatDuration, formatPlanTime, orderSubject } from "./plan-format";

describe("plan formats", () => {
  it("writes durations as a planner reads them", () => {
    const minute = 60_000;
    expect(formatDuration(45 * minute)).toBe("45 min");
    expect(formatDuration(60 * minute)).toBe("1 h");
    expect(formatDuration(130 * minute)).toBe("2 h 10 min");
    expect(formatDuration(47 * 60 * minute)).toBe("47 h");
    expect(formatDuration(76 * 60 * minute)).toBe("3 d 4 h");
    expect(formatDuration(72 * 60 * minute)).toBe("3 d");
  });

  it("gives the day only for another day than today", () => {
    const now = new Date(2026, 10, 25, 9, 0).getTime();
    expect(formatPlanTime(new Date(2026, 10, 25, 14, 30).getTime(), now)).toBe("14:30");
    expect(formatPlanTime(new Date(2026, 10, 26, 8, 5).getTime(), now)).toBe("Thu 08:05");
  });

  it("names the product before the operation when the order has one", () => {
    expect(orderSubject({ operation: "press", product: { sku: "PRT-BRK-100" } })).toBe("PRT-BRK-100 · press");
    expect(orderSubject({ operation: "press", product: null })).toBe("press");
  });
});
