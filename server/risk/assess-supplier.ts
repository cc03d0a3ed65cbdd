import type { Logger } from "pino";
import { loadRiskFigures } from "./load-risk-figures";
import type { AttemptRecord, ProviderChain } from "./provider-chain";
import { levelOf, modelSource, modelVersion, type RiskLevel } from "./risk-level";
import { riskPrompt } from "./risk-prompt";
import type { RiskSettings } from "./risk-settings";
import { type RiskFactor, type RiskScore, scoreRisk } from "./score-risk";

export type Assessment = {
  supplierId: number;
  score: number;
  level: RiskLevel;
  factors: RiskFactor[];
  analysis: string;
  /** The provider's name, or "model". */
  source: string;
  model: string;
  latencyMs: number;
  baselineScore: number;
  baselineLevel: RiskLevel;
  attempts: AttemptRecord[];
};

/**
 * One decision on one supplier: the figures, the built-in model's score (the
 * baseline, and the answer if no provider gives one in time), then the
 * providers until the deadline. Always returns an assessment; throws only
 * when the database cannot be read.
 */
export async function assessSupplier({
  supplierId,
  chain,
  settings,
  log,
}: {
  supplierId: number;
  chain: ProviderChain;
  settings: Pick<RiskSettings, "RISK_DEADLINE_MS" | "RISK_WINDOW_DAYS">;
  log: Logger;
}): Promise<Assessment> {
  const started = performance.now();
  const deadline = started + settings.RISK_DEADLINE_MS;
  const figures = await loadRiskFigures({ supplierId, windowDays: settings.RISK_WINDOW_DAYS });
  const baseline = scoreRisk(figures);
  const result = await chain.ask({ messages: riskPrompt(figures), deadline });
  const latencyMs = Math.round(performance.now() - started);

  const common = {
    supplierId,
    factors: baseline.factors,
    latencyMs,
    baselineScore: baseline.score,
    baselineLevel: baseline.level,
    attempts: result.attempts,
  };
  const assessment: Assessment = result.ok
    ? {
        ...common,
        score: result.answer.score,
        level: levelOf(result.answer.score),
        analysis: result.answer.analysis,
        source: result.provider.name,
        model: result.provider.model,
      }
    : {
        ...common,
        score: baseline.score,
        level: baseline.level,
        analysis: modelAnalysis(baseline, chain.providers.length === 0 ? null : result.reason, result.attempts),
        source: modelSource,
        model: modelVersion,
      };
  log.info(
    {
      supplierId,
      source: assessment.source,
      score: assessment.score,
      baselineScore: baseline.score,
      latencyMs,
      attempts: result.attempts.length,
    },
    "supplier risk assessed",
  );
  return assessment;
}

/** The built-in model's written analysis: the score and what drives it, in the order of the points. */
/** `whyModel` is null when no provider is configured. */
export function modelAnalysis(baseline: RiskScore, whyModel: string | null, attempts: AttemptRecord[]): string {
  const drivers = baseline.factors
    .filter((f) => f.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, 3)
    .map((f) => `${f.label.toLowerCase()} (${f.detail}: ${f.contribution} points)`);
  const calls = attempts.filter((a) => a.outcome !== "breaker_open").length;
  const skipped = attempts.length - calls;
  const tried = [
    `${calls} call${calls === 1 ? "" : "s"} failed`,
    skipped > 0 ? `${skipped} provider${skipped === 1 ? "" : "s"} skipped, circuit open` : "",
    whyModel,
  ].filter(Boolean);
  const why =
    whyModel === null
      ? "No AI provider is configured"
      : `No AI provider gave a usable answer in time (${tried.join("; ")})`;
  const what =
    drivers.length > 0
      ? `Built-in model: ${baseline.score}/100, ${baseline.level} risk, driven by ${drivers.join("; ")}.`
      : `Built-in model: ${baseline.score}/100, ${baseline.level} risk: nothing in the order history points to a problem.`;
  return `${what} ${why}, so the built-in model answered.`;
}
