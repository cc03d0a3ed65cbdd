import { builtInSource, type RiskFactor, type RiskHistoryPoint, type SupplierRisk } from "./risk-types";

// How the risk pages put scores, levels, sources and factors into words and
// chart rows. Pure functions, so they are unit-tested on their own.

/** The levels from least to most worrying; the API decides which one applies. */
export const riskLevels = ["low", "medium", "high", "critical"] as const;

/** 0 for low up to 3 for critical; -1 for none or a level this build does not know. */
export function levelRank(level: string | null | undefined): number {
  return riskLevels.indexOf((level ?? "") as (typeof riskLevels)[number]);
}

export function levelLabel(level: string | null | undefined): string {
  if (!level) return "Not assessed";
  return level.charAt(0).toUpperCase() + level.slice(1).replaceAll("_", " ");
}

/** The CSS modifier of a level's colour: known levels only, so a new one shows neutral. */
export function levelTone(level: string | null | undefined): string {
  return levelRank(level) >= 0 ? (level as string) : "none";
}

export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined || !Number.isFinite(score) ? "—" : String(Math.round(score));
}

/** "340 ms" below a second, "1.2 s" up to ten, "12 s" beyond. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  return `${Math.round(ms / 1000)} s`;
}

const providerNames: Record<string, string> = {
  openrouter: "OpenRouter",
  groq: "Groq",
  cerebras: "Cerebras",
  openai: "OpenAI",
};

export type SourceDescription = { label: string; builtIn: boolean };

/**
 * Who produced an assessment, in words: "Groq · llama-3.3-70b" for an AI
 * provider, "Built-in model" for the deterministic fallback.
 */
export function describeSource(source: string | null | undefined, model?: string | null): SourceDescription {
  if (!source) return { label: "—", builtIn: false };
  if (source === builtInSource) return { label: "Built-in model", builtIn: true };
  const provider = providerNames[source.toLowerCase()] ?? source;
  return { label: model ? `${provider} · ${model}` : provider, builtIn: false };
}

const wholeNumber = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });
const money = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 0, maximumFractionDigits: 0 });

/**
 * A factor's raw figure with its unit: rates (0 to 1) as percentages, counts
 * as whole numbers, days with one decimal, amounts with the currency code.
 */
export function formatFactorValue(factor: Pick<RiskFactor, "value" | "unit">): string {
  const { value, unit } = factor;
  if (!Number.isFinite(value)) return "—";
  switch (unit.toLowerCase()) {
    case "ratio":
    case "rate":
    case "share":
    case "fraction":
      return `${oneDecimal.format(value * 100)} %`;
    case "%":
    case "percent":
      return `${oneDecimal.format(value)} %`;
    case "count":
      return wholeNumber.format(value);
    case "orders":
    case "items":
    case "deliveries":
      return `${wholeNumber.format(value)} ${value === 1 ? unit.slice(0, -1) : unit}`;
    case "day":
    case "days":
      return `${oneDecimal.format(value)} ${value === 1 ? "day" : "days"}`;
    case "":
      return oneDecimal.format(value);
    default:
      // A three-letter upper-case unit is a currency code (EUR, USD).
      if (/^[A-Z]{3}$/.test(unit)) return `${money.format(value)} ${unit}`;
      return `${oneDecimal.format(value)} ${unit}`;
  }
}

export function formatPoints(points: number): string {
  return oneDecimal.format(points);
}

/** "12 above the built-in model", "same as the built-in model", "8 below the built-in model". */
export function compareWithBaseline(score: number | null, baseline: number | null | undefined): string | null {
  if (score === null || baseline === null || baseline === undefined) return null;
  const difference = Math.round(score) - Math.round(baseline);
  if (difference === 0) return "same as the built-in model";
  return `${Math.abs(difference)} ${difference > 0 ? "above" : "below"} the built-in model`;
}

export type TrendPoint = { at: number; score: number; baseline: number | null };

type TrendInput = Pick<RiskHistoryPoint, "assessedAt" | "score"> & { baselineScore: number | null };

/** The chart's rows, oldest first, one per assessment; rows without a usable time are dropped. */
export function trendSeries(assessments: readonly TrendInput[]): TrendPoint[] {
  return assessments
    .map((a) => ({ at: Date.parse(a.assessedAt), score: a.score, baseline: a.baselineScore ?? null }))
    .filter((p) => Number.isFinite(p.at) && Number.isFinite(p.score))
    .sort((a, b) => a.at - b.at);
}

export type FactorBar = { key: string; label: string; contribution: number; figure: string };

/** The factor chart's bars, biggest contribution first. */
export function factorBars(factors: readonly RiskFactor[] | null | undefined): FactorBar[] {
  return [...(factors ?? [])]
    .sort((a, b) => b.contribution - a.contribution || a.label.localeCompare(b.label))
    .map((f) => ({ key: f.key, label: f.label, contribution: f.contribution, figure: formatFactorValue(f) }));
}

/** Most worrying first: by level, then score; suppliers never assessed last; then by name. */
export function sortByRisk<T extends Pick<SupplierRisk, "name" | "level" | "score">>(suppliers: readonly T[]): T[] {
  return [...suppliers].sort(
    (a, b) =>
      levelRank(b.level) - levelRank(a.level) ||
      (b.score ?? -1) - (a.score ?? -1) ||
      a.name.localeCompare(b.name, "en-GB"),
  );
}

/** How many suppliers stand at each level, most worrying first, "not assessed" last. */
export function countByLevel(
  suppliers: readonly Pick<SupplierRisk, "level">[],
): { level: string | null; count: number }[] {
  const counts = new Map<string | null, number>();
  for (const s of suppliers) counts.set(s.level ?? null, (counts.get(s.level ?? null) ?? 0) + 1);
  const levels = [...riskLevels].reverse() as (string | null)[];
  for (const level of counts.keys()) if (!levels.includes(level) && level !== null) levels.push(level);
  levels.push(null);
  return levels.map((level) => ({ level, count: counts.get(level) ?? 0 }));
}

/** An assessment answers a request when it was made at or after the request was accepted. */
export function answersRequest(assessedAt: string | null | undefined, requestedAt: string): boolean {
  if (!assessedAt) return false;
  const assessed = Date.parse(assessedAt);
  const requested = Date.parse(requestedAt);
  return Number.isFinite(assessed) && Number.isFinite(requested) && assessed >= requested;
}

/** A factor's weight: a share (0 to 1) as a percentage, anything larger as it is (maximum points). */
export function formatWeight(weight: number): string {
  if (!Number.isFinite(weight)) return "—";
  return weight <= 1 ? `${oneDecimal.format(weight * 100)} %` : oneDecimal.format(weight);
}

const triggerWords: Record<string, string> = {
  request: "asked for",
  schedule: "scheduled",
  delivery_failed: "after a failed delivery",
  delivery_late: "after a late delivery",
  order_to_high_risk: "new order to a high-risk supplier",
};

/** Why an assessment was made, in a few words; unknown triggers as they are. */
export function describeTrigger(trigger: string | null | undefined): string | null {
  if (!trigger) return null;
  return triggerWords[trigger] ?? trigger.replaceAll("_", " ");
}
