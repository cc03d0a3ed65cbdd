import type { Redis } from "ioredis";
import type { Logger } from "pino";

// A circuit breaker per provider whose state lives in Redis, so that every
// worker process sees the same thing: once a provider has failed
// `threshold` calls in a row (counted across all workers), everyone skips it
// for `cooldownMs`; then exactly one caller, whoever asks first, gets to probe
// it, and its outcome closes the breaker or opens it for another cooldown.
// (cockatiel's breaker keeps its state in the process, so each worker would
// have to learn of an outage on its own.)
//
// One hash per provider, `risk:breaker:<name>`: `failures` (in a row),
// `openUntil` and `probeUntil` (ms, Redis's clock, so that workers on
// different hosts agree). Each step is one Lua script, so no two callers can
// both take the probe or both miss a trip. The hash expires some minutes
// after the last failure: old failures are forgotten.
//
// Redis is not allowed to stop a decision: a script that fails or takes
// longer than `timeoutMs` counts as "closed" (the provider is tried; its own
// timeout still bounds the call).

const acquireScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local openUntil = tonumber(redis.call('HGET', KEYS[1], 'openUntil') or '0')
if openUntil == 0 then return {'closed', 0} end
if now < openUntil then return {'open', openUntil - now} end
local probeUntil = tonumber(redis.call('HGET', KEYS[1], 'probeUntil') or '0')
if now < probeUntil then return {'open', probeUntil - now} end
redis.call('HSET', KEYS[1], 'probeUntil', now + tonumber(ARGV[1]))
return {'probe', 0}`;

// A failure opens the breaker when it makes `threshold` in a row, or when the
// breaker had tripped and its cooldown is over (the probe failed). A failure
// of a call that began before the breaker opened does not prolong it.
const failureScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local openUntil = tonumber(redis.call('HGET', KEYS[1], 'openUntil') or '0')
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local opened = 0
if (openUntil == 0 and failures >= tonumber(ARGV[1])) or (openUntil > 0 and now >= openUntil) then
  redis.call('HSET', KEYS[1], 'openUntil', now + tonumber(ARGV[2]), 'probeUntil', 0)
  opened = 1
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return opened`;

export type BreakerDecision = { state: "closed" | "probe" } | { state: "open"; retryInMs: number };

export type SharedBreakerOptions = {
  redis: Redis;
  threshold: number;
  cooldownMs: number;
  timeoutMs: number;
  log: Logger;
};

export class SharedBreaker {
  constructor(private readonly options: SharedBreakerOptions) {}

  static key(provider: string): string {
    return `risk:breaker:${provider}`;
  }

  /** May `provider` be called now? A "probe" holds the half-open slot for `probeMs`. */
  async acquire(provider: string, probeMs: number): Promise<BreakerDecision> {
    const answer = await this.run("acquire", provider, () =>
      this.options.redis.eval(acquireScript, 1, SharedBreaker.key(provider), Math.ceil(probeMs)),
    );
    if (!Array.isArray(answer)) return { state: "closed" };
    const [state, retryInMs] = answer as [string, number];
    if (state === "open") return { state: "open", retryInMs: Number(retryInMs) };
    return { state: state === "probe" ? "probe" : "closed" };
  }

  /** The provider answered: the breaker closes and the count starts again. */
  async success(provider: string): Promise<void> {
    await this.run("success", provider, () => this.options.redis.del(SharedBreaker.key(provider)));
  }

  /** The provider failed; true when this failure opened the breaker. */
  async failure(provider: string): Promise<boolean> {
    const { threshold, cooldownMs } = this.options;
    const opened = await this.run("failure", provider, () =>
      this.options.redis.eval(
        failureScript,
        1,
        SharedBreaker.key(provider),
        threshold,
        cooldownMs,
        cooldownMs + 10 * 60_000,
      ),
    );
    return opened === 1;
  }

  private async run<T>(step: string, provider: string, command: () => Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.options.timeoutMs);
    });
    try {
      const result = await Promise.race([command(), late]);
      if (result === undefined)
        this.options.log.warn({ provider, step }, "breaker state not read in time; counted as closed");
      return result;
    } catch (error) {
      this.options.log.warn(
        { provider, step, err: (error as Error).message },
        "breaker state unavailable; counted as closed",
      );
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
