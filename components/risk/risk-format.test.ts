import { describe, expect, it } from "vitest";
import {
  answersRequest,
  compareWithBaseline,
  countByLevel,
  describeSource,
  describeTrigger,
  factorBars,
  formatFactorValue,
  formatLatency,
  formatScore,
  formatWeight,
  levelLabel,
  levelRank,
  levelTone,
  sortByRisk,
  trendSeries,
} from "./risk-format";
import type { RiskFactor } from "./risk-types";

describe("levels", () => {
  it.each([
    ["low", 0, "Low", "low"],
    ["critical", 3, "Critical", "critical"],
    [null, -1, "Not assessed", "none"],
    ["severe_watch", -1, "Severe watch", "none"],
  ])("%s → rank %i, %s, tone %s", (level, rank, label, tone) => {
    expect(levelRank(level)).toBe(rank);
    expect(levelLabel(level)).toBe(label);
    expect(levelTone(level)).toBe(tone);
  });
});

describe("figures", () => {
  it.each([
    [null, "—"],
    [71.6, "72"],
    [0, "0"],
    [Number.NaN, "—"],
  ])("score %s → %s", (score, text) => expect(formatScore(score)).toBe(text));

  it.each([
    [null, "—"],
    [-5, "—"],
    [0, "0 ms"],
    [340.4, "340 ms"],
    [999, "999 ms"],
    [1000, "1.0 s"],
    [1249, "1.2 s"],
    [3549, "3.5 s"],
    [9_960, "10.0 s"],
    [12_400, "12 s"],
  ])("latency %s ms → %s", (ms, text) => expect(formatLatency(ms)).toBe(text));

  it.each([
    [{ value: 0.82, unit: "ratio" }, "82 %"],
    [{ value: 0.8234, unit: "rate" }, "82.3 %"],
    [{ value: 12.5, unit: "%" }, "12.5 %"],
    [{ value: 3, unit: "count" }, "3"],
    [{ value: 2, unit: "items" }, "2 items"],
    [{ value: 1, unit: "orders" }, "1 order"],
    [{ value: 0, unit: "orders" }, "0 orders"],
    [{ value: 0.4, unit: "share" }, "40 %"],
    [{ value: 1, unit: "days" }, "1 day"],
    [{ value: 4.26, unit: "days" }, "4.3 days"],
    [{ value: 125_400.4, unit: "EUR" }, "125,400 EUR"],
    [{ value: 7, unit: "" }, "7"],
    [{ value: 1.25, unit: "σ" }, "1.3 σ"],
    [{ value: Number.POSITIVE_INFINITY, unit: "ratio" }, "—"],
  ])("factor %o → %s", (factor, text) => expect(formatFactorValue(factor)).toBe(text));

  it.each([
    [0.25, "25 %"],
    [1, "100 %"],
    [30, "30"],
  ])("weight %s → %s", (weight, text) => expect(formatWeight(weight)).toBe(text));
});

describe("describeSource", () => {
  it.each([
    ["model", null, "Built-in model", true],
    ["model", "v1", "Built-in model", true],
    ["groq", "llama-3.3-70b-versatile", "Groq · llama-3.3-70b-versatile", false],
    ["openrouter", "google/gemini-2.0-flash", "OpenRouter · google/gemini-2.0-flash", false],
    ["acme-llm", null, "acme-llm", false],
    [null, null, "—", false],
  ])("%s / %s → %s", (source, model, label, builtIn) =>
    expect(describeSource(source, model)).toEqual({ label, builtIn }),
  );
});

describe("compareWithBaseline", () => {
  it.each([
    [72, 60, "12 above the built-in model"],
    [50.4, 58, "8 below the built-in model"],
    [40.2, 39.8, "same as the built-in model"],
    [null, 40, null],
    [40, null, null],
    [40, undefined, null],
  ])("%s vs %s → %s", (score, baseline, text) => expect(compareWithBaseline(score, baseline)).toBe(text));
});

describe("chart rows", () => {
  it("orders the trend oldest first and drops rows without a time", () => {
    const point = (assessedAt: string, score: number, baselineScore: number | null) => ({
      score,
      assessedAt,
      baselineScore,
    });
    expect(
      trendSeries([
        point("2026-11-20T10:00:00Z", 40, 42),
        point("not a date", 99, 99),
        point("2026-11-19T10:00:00Z", 35, null),
      ]),
    ).toEqual([
      { at: Date.parse("2026-11-19T10:00:00Z"), score: 35, baseline: null },
      { at: Date.parse("2026-11-20T10:00:00Z"), score: 40, baseline: 42 },
    ]);
  });

  it("puts the biggest contribution first, with its figure in words", () => {
    const factors: RiskFactor[] = [
      { key: "on_time", label: "On-time delivery", value: 0.82, unit: "ratio", weight: 0.3, contribution: 5.4 },
      { key: "failed", label: "Failed deliveries", value: 2, unit: "count", weight: 0.2, contribution: 12 },
      { key: "single", label: "Single-source items", value: 0, unit: "count", weight: 0.1, contribution: 0 },
    ];
    expect(factorBars(factors)).toEqual([
      { key: "failed", label: "Failed deliveries", contribution: 12, figure: "2" },
      { key: "on_time", label: "On-time delivery", contribution: 5.4, figure: "82 %" },
      { key: "single", label: "Single-source items", contribution: 0, figure: "0" },
    ]);
    expect(factorBars(null)).toEqual([]);
  });
});

describe("sortByRisk and countByLevel", () => {
  const suppliers = [
    { name: "Beta", level: "low", score: 20 },
    { name: "Alpha", level: null, score: null },
    { name: "Gamma", level: "high", score: 61 },
    { name: "Delta", level: "high", score: 75 },
    { name: "Epsilon", level: "low", score: 20 },
  ];

  it("puts the most worrying first and the never assessed last", () => {
    expect(sortByRisk(suppliers).map((s) => s.name)).toEqual(["Delta", "Gamma", "Beta", "Epsilon", "Alpha"]);
  });

  it("counts every level, most worrying first, unknown levels before the never assessed", () => {
    expect(countByLevel([...suppliers, { level: "watch" }])).toEqual([
      { level: "critical", count: 0 },
      { level: "high", count: 2 },
      { level: "medium", count: 0 },
      { level: "low", count: 2 },
      { level: "watch", count: 1 },
      { level: null, count: 1 },
    ]);
  });
});

describe("answersRequest", () => {
  const requestedAt = "2026-11-25T10:00:00.000Z";
  it.each([
    ["2026-11-25T10:00:01.250Z", true],
    ["2026-11-25T10:00:00.000Z", true],
    ["2026-11-25T09:59:59.999Z", false],
    [null, false],
    ["garbage", false],
  ])("assessed at %s → %s", (assessedAt, answers) => expect(answersRequest(assessedAt, requestedAt)).toBe(answers));

  it("is false while the request time is not known yet", () => {
    expect(answersRequest("2026-11-25T10:00:01Z", "")).toBe(false);
  });
});

describe("describeTrigger", () => {
  it.each([
    ["request", "asked for"],
    ["delivery_failed", "after a failed delivery"],
    ["supplier_merged", "supplier merged"],
    [null, null],
  ])("%s → %s", (trigger, words) => expect(describeTrigger(trigger)).toBe(words));
});
