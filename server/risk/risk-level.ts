import type { z } from "zod";
import { riskLevel } from "../realtime/events";

export type RiskLevel = z.infer<typeof riskLevel>;
export { riskLevel };

/**
 * The level a score falls in. One rule for every source, so that an AI's
 * score and the built-in model's mean the same thing on the dashboard:
 * 0-24 low, 25-49 medium, 50-74 high, 75-100 critical.
 */
export function levelOf(score: number): RiskLevel {
  if (score >= 75) return "critical";
  if (score >= 50) return "high";
  if (score >= 25) return "medium";
  return "low";
}

/** What `source` says when the built-in model answered. */
export const modelSource = "model";
/** The built-in model's version, stored as the assessment's `model`. */
export const modelVersion = "deterministic-v1";
