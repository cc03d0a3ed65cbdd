import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { mainRedisUrl } from "../testing/processes";
import { SharedBreaker } from "./shared-breaker";

// The breaker's state machine on the real Redis. Every breaker here has a
// Redis connection of its own, as separate worker processes would.

const silent = pino({ level: "silent" });
const clients: Redis[] = [];
let n = 0;

afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
});

/** Breakers on separate connections sharing one key space (a fresh one per test). */
function breakers(count: number, { threshold = 3, cooldownMs = 500 } = {}) {
  const prefix = `${process.env.REDIS_PREFIX}breaker-${++n}:`;
  return Array.from({ length: count }, () => {
    const redis = new Redis(mainRedisUrl(), { keyPrefix: prefix, maxRetriesPerRequest: 1 });
    clients.push(redis);
    return new SharedBreaker({ redis, threshold, cooldownMs, timeoutMs: 1000, log: silent });
  });
}

describe("the breaker shared through Redis", () => {
  it("opens for everyone at the threshold of failures in a row, counted across connections", async () => {
    const [a, b] = breakers(2) as [SharedBreaker, SharedBreaker];
    expect(await a.failure("p")).toBe(false);
    expect(await b.failure("p")).toBe(false);
    expect(await a.acquire("p", 1000)).toEqual({ state: "closed" });
    expect(await b.failure("p")).toBe(true);
    const seen = await a.acquire("p", 1000);
    expect(seen).toMatchObject({ state: "open" });
    expect(seen.state === "open" && seen.retryInMs).toBeGreaterThan(300);
  });

  it("starts counting again after a success", async () => {
    const [a, b] = breakers(2) as [SharedBreaker, SharedBreaker];
    await a.failure("p");
    await b.failure("p");
    await a.success("p");
    expect(await b.failure("p")).toBe(false);
    expect(await b.failure("p")).toBe(false);
    expect(await a.acquire("p", 1000)).toEqual({ state: "closed" });
  });

  it("lets exactly one of many callers probe after the cooldown", async () => {
    const all = breakers(8, { threshold: 1, cooldownMs: 300 });
    await all[0]?.failure("p");
    await sleep(350);
    const decisions = await Promise.all(all.map((breaker) => breaker.acquire("p", 5000)));
    expect(decisions.filter((d) => d.state === "probe")).toHaveLength(1);
    expect(decisions.filter((d) => d.state === "open")).toHaveLength(7);
  });

  it("closes when the probe succeeds, and opens for a new cooldown when it fails", async () => {
    const [a, b] = breakers(2, { threshold: 1, cooldownMs: 300 }) as [SharedBreaker, SharedBreaker];
    await a.failure("p");
    await sleep(350);
    expect(await a.acquire("p", 5000)).toEqual({ state: "probe" });
    expect(await a.failure("p")).toBe(true);
    expect(await b.acquire("p", 5000)).toMatchObject({ state: "open" });
    await sleep(350);
    expect(await b.acquire("p", 5000)).toEqual({ state: "probe" });
    await b.success("p");
    expect(await a.acquire("p", 5000)).toEqual({ state: "closed" });
  });

  it("keeps providers apart", async () => {
    const [a] = breakers(1, { threshold: 1 }) as [SharedBreaker];
    await a.failure("p");
    expect(await a.acquire("p", 1000)).toMatchObject({ state: "open" });
    expect(await a.acquire("q", 1000)).toEqual({ state: "closed" });
  });

  it("counts as closed when Redis does not answer, within its time limit", async () => {
    // A port nobody listens on: the commands wait for a connection that never comes.
    const redis = new Redis({ port: 1, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: null });
    redis.on("error", () => {});
    const breaker = new SharedBreaker({ redis, threshold: 1, cooldownMs: 500, timeoutMs: 200, log: silent });
    try {
      const started = performance.now();
      expect(await breaker.acquire("p", 1000)).toEqual({ state: "closed" });
      expect(await breaker.failure("p")).toBe(false);
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      redis.disconnect();
    }
  });
});
