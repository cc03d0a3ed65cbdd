import { z } from "zod";

type Env = Record<string, string | undefined>;

// The risk check's knobs, from the environment (documented in .env.example).
// The providers themselves are read by risk-providers.ts.
const schema = z.object({
  /** Longest a single provider call may take (the seed's 3.5 s). */
  RISK_ATTEMPT_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(3500),
  /** Longest a whole decision may take; an attempt gets the smaller of the two. */
  RISK_DEADLINE_MS: z.coerce.number().int().min(100).max(120_000).default(4500),
  /** No attempt is started with less than this left: the model answers instead. */
  RISK_MIN_ATTEMPT_MS: z.coerce.number().int().min(10).max(10_000).default(300),
  /** Passes over the provider list in one decision (1: no retry). */
  RISK_MAX_ROUNDS: z.coerce.number().int().min(1).max(10).default(3),
  /** Exponential backoff with full jitter between passes. */
  RISK_BACKOFF_INITIAL_MS: z.coerce.number().int().min(1).default(200),
  RISK_BACKOFF_MAX_MS: z.coerce.number().int().min(1).default(2000),
  /** Longest Retry-After honoured; a provider asking for more is left out of the decision. */
  RISK_RETRY_AFTER_CAP_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
  /** Failed calls in a row (across every worker) that open a provider's breaker. */
  RISK_BREAKER_THRESHOLD: z.coerce.number().int().min(1).max(100).default(3),
  /** How long an open breaker keeps the provider out before one probe call is let through. */
  RISK_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** Longest a Redis round trip of the breaker may take; past it the breaker counts as closed. */
  RISK_BREAKER_REDIS_TIMEOUT_MS: z.coerce.number().int().min(10).max(5000).default(250),
  /** Order history the model reads. */
  RISK_WINDOW_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  /** The worker reassesses every supplier whose latest assessment is older than this. */
  RISK_REFRESH_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(24),
  /** How often the worker looks for stale assessments and newly overdue orders (0: never). */
  RISK_SCHEDULE_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
});

export type RiskSettings = z.infer<typeof schema>;

export function riskSettings(env: Env = process.env): RiskSettings {
  return schema.parse(env);
}
