import { DelegateBackoff, ExponentialBackoff, fullJitterGenerator, handleWhen, type IBackoff, retry } from "cockatiel";
import type { Logger } from "pino";
import { callProvider, type FailureKind, ProviderCallError } from "./call-provider";
import type { RiskAnswer } from "./risk-answer";
import type { ChatMessage } from "./risk-prompt";
import type { RiskProvider } from "./risk-providers";
import type { RiskSettings } from "./risk-settings";
import type { SharedBreaker } from "./shared-breaker";

// The provider chain: one decision, bounded by a deadline. A pass ("round")
// asks each provider in order that may be asked, once, and stops at the first
// valid answer. When a pass ends without one, cockatiel's retry policy waits
// (exponential backoff with full jitter, or longer if a rate-limited provider
// said when to come back) and runs another, up to RISK_MAX_ROUNDS passes,
// and only while the wait still leaves time for an attempt before the
// deadline. That one loop is the only retry there is.
//
// Compared with the seed's loop (3 attempts per provider, then the next):
// a provider that times out costs one attempt per pass, not three in a row,
// so the next provider is reached within the attempt timeout; a 429 sends the
// chain on to the next provider at once, and the rate-limited one is asked
// again only after its Retry-After; each attempt's timeout is cut to what is
// left of the deadline; providers whose shared breaker is open are skipped
// without a call. Whatever happens, ask() returns by the deadline (plus one
// Redis round trip at most), and the caller answers from the built-in model
// when no provider did.

export type AttemptRecord = {
  provider: string;
  round: number;
  outcome: "ok" | FailureKind | "breaker_open";
  status?: number;
  ms: number;
  /** For a rate-limited answer, the Retry-After it gave. */
  retryAfterMs?: number;
};

export type ChainResult =
  | { ok: true; provider: RiskProvider; answer: RiskAnswer; attempts: AttemptRecord[] }
  | { ok: false; reason: string; attempts: AttemptRecord[] };

type ChainSettings = Pick<
  RiskSettings,
  | "RISK_ATTEMPT_TIMEOUT_MS"
  | "RISK_MIN_ATTEMPT_MS"
  | "RISK_MAX_ROUNDS"
  | "RISK_BACKOFF_INITIAL_MS"
  | "RISK_BACKOFF_MAX_MS"
  | "RISK_RETRY_AFTER_CAP_MS"
>;

/** A pass found no answer. `waitMs` is the pause before the next one, or null when another cannot help. */
class RoundFailed extends Error {
  constructor(
    message: string,
    readonly waitMs: number | null,
  ) {
    super(message);
  }
}

type ProviderState = { excluded: boolean; notBefore: number };

export class ProviderChain {
  constructor(
    private readonly options: {
      providers: RiskProvider[];
      breaker: SharedBreaker;
      settings: ChainSettings;
      log: Logger;
    },
  ) {}

  get providers(): readonly RiskProvider[] {
    return this.options.providers;
  }

  /** Asks the providers until one gives a valid answer or the time is up; never throws for a provider's failure. */
  async ask({ messages, deadline }: { messages: ChatMessage[]; deadline: number }): Promise<ChainResult> {
    const { settings } = this.options;
    const attempts: AttemptRecord[] = [];
    const states = new Map<string, ProviderState>(
      this.options.providers.map((p) => [p.name, { excluded: false, notBefore: 0 }]),
    );
    let jitter: IBackoff<unknown> | undefined;
    const nextJitterMs = () => {
      jitter = jitter
        ? jitter.next(undefined)
        : new ExponentialBackoff({
            initialDelay: settings.RISK_BACKOFF_INITIAL_MS,
            maxDelay: settings.RISK_BACKOFF_MAX_MS,
            generator: fullJitterGenerator,
          }).next();
      return jitter.duration;
    };

    const passes = retry(
      handleWhen((error) => error instanceof RoundFailed && error.waitMs !== null),
      {
        maxAttempts: settings.RISK_MAX_ROUNDS - 1,
        backoff: new DelegateBackoff((context: { result: unknown }) => {
          const { error } = context.result as { error: RoundFailed };
          return error.waitMs ?? 0;
        }),
      },
    );

    let round = 0;
    try {
      const found = await passes.execute(async () => {
        round++;
        const answered = await this.pass({ round, messages, deadline, states, attempts });
        if (answered) return answered;
        throw this.roundFailed(states, deadline, nextJitterMs);
      });
      return { ok: true, ...found, attempts };
    } catch (error) {
      if (error instanceof RoundFailed) {
        const reason = error.waitMs === null ? error.message : `no answer in ${round} passes`;
        return { ok: false, reason, attempts };
      }
      throw error;
    }
  }

  /** One pass over the providers; the first valid answer, or null. */
  private async pass({
    round,
    messages,
    deadline,
    states,
    attempts,
  }: {
    round: number;
    messages: ChatMessage[];
    deadline: number;
    states: Map<string, ProviderState>;
    attempts: AttemptRecord[];
  }): Promise<{ provider: RiskProvider; answer: RiskAnswer } | null> {
    const { breaker, settings, log } = this.options;
    for (const provider of this.options.providers) {
      const state = states.get(provider.name) as ProviderState;
      if (state.excluded || performance.now() < state.notBefore) continue;
      if (deadline - performance.now() < settings.RISK_MIN_ATTEMPT_MS) return null;

      const gate = await breaker.acquire(provider.name, settings.RISK_ATTEMPT_TIMEOUT_MS + 1000);
      if (gate.state === "open") {
        // Open for everyone: no call, and not again in this decision.
        state.excluded = true;
        attempts.push({ provider: provider.name, round, outcome: "breaker_open", ms: 0 });
        continue;
      }
      const timeoutMs = Math.min(settings.RISK_ATTEMPT_TIMEOUT_MS, Math.floor(deadline - performance.now()));
      if (timeoutMs < settings.RISK_MIN_ATTEMPT_MS) return null;

      const started = performance.now();
      try {
        const answer = await callProvider({ provider, messages, timeoutMs });
        await breaker.success(provider.name);
        attempts.push({ provider: provider.name, round, outcome: "ok", ms: Math.round(performance.now() - started) });
        return { provider, answer };
      } catch (error) {
        if (!(error instanceof ProviderCallError)) throw error;
        const ms = Math.round(performance.now() - started);
        // An attempt cut short by the deadline says little about the provider: not held against it.
        const cutShort = error.kind === "timeout" && timeoutMs < settings.RISK_ATTEMPT_TIMEOUT_MS;
        const opened = cutShort ? false : await breaker.failure(provider.name);
        attempts.push({
          provider: provider.name,
          round,
          outcome: error.kind,
          status: error.status,
          ms,
          retryAfterMs: error.retryAfterMs,
        });
        log.warn(
          { provider: provider.name, round, outcome: error.kind, status: error.status, ms, breakerOpened: opened },
          `risk provider failed: ${error.message}`,
        );
        if (!error.retryable) state.excluded = true;
        if (error.kind === "rate_limited") {
          const wait = error.retryAfterMs ?? 0;
          if (wait > settings.RISK_RETRY_AFTER_CAP_MS) state.excluded = true;
          else state.notBefore = performance.now() + wait;
        }
      }
    }
    return null;
  }

  /** Why the pass failed, and how long to wait before the next, if one can still help. */
  private roundFailed(states: Map<string, ProviderState>, deadline: number, nextJitterMs: () => number): RoundFailed {
    const now = performance.now();
    const waiting = [...states.values()].filter((s) => !s.excluded);
    if (waiting.length === 0) return new RoundFailed("no provider left to ask", null);
    const earliest = Math.min(...waiting.map((s) => Math.max(0, s.notBefore - now)));
    const waitMs = Math.round(Math.max(nextJitterMs(), earliest));
    if (now + waitMs + this.options.settings.RISK_MIN_ATTEMPT_MS > deadline) {
      return new RoundFailed("the deadline is near", null);
    }
    return new RoundFailed(`pass failed; next in ${waitMs} ms`, waitMs);
  }
}
