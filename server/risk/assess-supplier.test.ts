import { describe, expect, it } from "vitest";
import { modelAnalysis } from "./assess-supplier";
import { type RiskFigures, scoreRisk } from "./score-risk";

const quiet: RiskFigures = {
  supplierId: 1,
  supplierName: "Vertex Fasteners",
  promisedLeadTimeDays: 7,
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
};

describe("the built-in model's written analysis", () => {
  it("names the three largest factors with their points, and why the model answered", () => {
    const baseline = scoreRisk({
      ...quiet,
      deliveriesDue: 4,
      deliveredOnTime: 2,
      singleSourceItems: 1,
      itemsSupplied: 3,
    });
    expect(
      modelAnalysis(baseline, "the deadline is near", [
        { provider: "openrouter", round: 1, outcome: "timeout", ms: 3500 },
        { provider: "groq", round: 1, outcome: "breaker_open", ms: 0 },
      ]),
    ).toBe(
      "Built-in model: 38/100, medium risk, driven by on-time delivery rate (2 of 4 deliveries due in 180 days came on time: 35 points); " +
        "single-source items (1 of the 3 items ordered from it in 180 days came from no one else: 3 points). " +
        "No AI provider gave a usable answer in time (1 call failed; 1 provider skipped, circuit open; the deadline is near), so the built-in model answered.",
    );
  });

  it("says so when nothing points to a problem, and when no provider is configured", () => {
    expect(modelAnalysis(scoreRisk(quiet), null, [])).toBe(
      "Built-in model: 0/100, low risk: nothing in the order history points to a problem. No AI provider is configured, so the built-in model answered.",
    );
  });
});
