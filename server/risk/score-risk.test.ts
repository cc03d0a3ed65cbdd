import { describe, expect, it } from "vitest";
import { levelOf } from "./risk-level";
import { type RiskFigures, scoreRisk, standardDeviation } from "./score-risk";

// Every expected figure here was worked out by hand from the table in
// score-risk.ts; the arithmetic is in the comments.

function figures(overrides: Partial<RiskFigures> = {}): RiskFigures {
  return {
    supplierId: 1,
    supplierName: "Test supplier",
    promisedLeadTimeDays: 10,
    windowDays: 180,
    ordersInWindow: 0,
    deliveriesDue: 0,
    deliveredOnTime: 0,
    leadTimesDays: [],
    failedOrders: 0,
    openOrderValue: 0,
    allOpenOrderValue: 0,
    singleSourceItems: 0,
    itemsSupplied: 0,
    ...overrides,
  };
}

const byKey = (result: ReturnType<typeof scoreRisk>) =>
  Object.fromEntries(result.factors.map((f) => [f.key, { value: f.value, contribution: f.contribution }]));

describe("the deterministic risk model", () => {
  it("gives a supplier without history 0 points, low", () => {
    const result = scoreRisk(figures());
    expect(result.score).toBe(0);
    expect(result.level).toBe("low");
    expect(byKey(result)).toEqual({
      on_time_rate: { value: 1, contribution: 0 },
      lead_time_variability: { value: 0, contribution: 0 },
      failed_deliveries: { value: 0, contribution: 0 },
      open_exposure: { value: 0, contribution: 0 },
      single_source_items: { value: 0, contribution: 0 },
    });
    expect(result.factors.map((f) => f.weight)).toEqual([35, 15, 20, 15, 15]);
  });

  it("scores a mixed record: 41, medium", () => {
    const result = scoreRisk(
      figures({
        // 8 of 10 on time: 35 × (0.2 / 0.5) = 14
        deliveriesDue: 10,
        deliveredOnTime: 8,
        // lead times 8, 10, 12, 14 days: mean 11, squares 9+1+1+9 = 20, σ = √5 = 2.2361;
        // 15 × 2.2361 / (10 × 0.5) = 6.7082
        leadTimesDays: [8, 10, 12, 14],
        // 1 of 12 orders failed: 20 × (0.08333 / 0.25) = 6.6667
        ordersInWindow: 12,
        failedOrders: 1,
        // 3,000 of 12,000 open: 15 × (0.25 / 0.5) = 7.5
        openOrderValue: 3000,
        allOpenOrderValue: 12000,
        // 2 items from no one else: 15 × 2 / 5 = 6
        singleSourceItems: 2,
        itemsSupplied: 5,
      }),
    );
    // 14 + 6.7082 + 6.6667 + 7.5 + 6 = 40.8749 → 41
    expect(byKey(result)).toEqual({
      on_time_rate: { value: 0.8, contribution: 14 },
      lead_time_variability: { value: 2.24, contribution: 6.71 },
      failed_deliveries: { value: 1, contribution: 6.67 },
      open_exposure: { value: 0.25, contribution: 7.5 },
      single_source_items: { value: 2, contribution: 6 },
    });
    expect(result.score).toBe(41);
    expect(result.level).toBe("medium");
  });

  it("gives an on-time rate of 0.82 its 12.6 points", () => {
    // 41 of 50: 35 × (0.18 / 0.5) = 12.6
    const result = scoreRisk(figures({ deliveriesDue: 50, deliveredOnTime: 41 }));
    expect(byKey(result).on_time_rate).toEqual({ value: 0.82, contribution: 12.6 });
    expect(result.score).toBe(13);
  });

  it("caps every factor at its weight: 100, critical", () => {
    const result = scoreRisk(
      figures({
        deliveriesDue: 10,
        deliveredOnTime: 2, // 0.8 late > 0.5
        leadTimesDays: [2, 30], // σ = 14 > 5
        ordersInWindow: 10,
        failedOrders: 5, // 0.5 > 0.25
        openOrderValue: 900,
        allOpenOrderValue: 1000, // 0.9 > 0.5
        singleSourceItems: 9, // > 5
      }),
    );
    expect(result.factors.map((f) => f.contribution)).toEqual([35, 15, 20, 15, 15]);
    expect(result.score).toBe(100);
    expect(result.level).toBe("critical");
  });

  it("reaches high at exactly 50 points", () => {
    // half late: 35; half the open value: 15
    const result = scoreRisk(
      figures({ deliveriesDue: 4, deliveredOnTime: 2, openOrderValue: 500, allOpenOrderValue: 1000 }),
    );
    expect(result.score).toBe(50);
    expect(result.level).toBe("high");
  });

  it("measures spread against at least one promised day", () => {
    // promised 0 days counts as 1: saturation 0.5 day; σ of [0, 1] = 0.5 → the full 15
    const result = scoreRisk(figures({ promisedLeadTimeDays: 0, leadTimesDays: [0, 1] }));
    expect(byKey(result).lead_time_variability).toEqual({ value: 0.5, contribution: 15 });
  });

  it("ignores the spread of a single delivery", () => {
    expect(standardDeviation([12])).toBe(0);
    expect(standardDeviation([])).toBe(0);
    expect(standardDeviation([1, 3])).toBe(1);
  });

  it.each([
    [0, "low"],
    [24, "low"],
    [25, "medium"],
    [49, "medium"],
    [50, "high"],
    [74, "high"],
    [75, "critical"],
    [100, "critical"],
  ] as const)("puts %i in %s", (score, level) => {
    expect(levelOf(score)).toBe(level);
  });
});
