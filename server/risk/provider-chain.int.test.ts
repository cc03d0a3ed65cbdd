import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSupplier } from "../testing/factories";
import { fakeKeys, type LlmSimProcess, type SimProvider, startLlmSim } from "../testing/llm-sim";
import { mainRedisUrl, stopAllProcesses } from "../testing/processes";
import { assessSupplier } from "./assess-supplier";
import { loadRiskFigures } from "./load-risk-figures";
import { createRiskChain } from "./risk-chain";
import { riskPrompt } from "./risk-prompt";
import { riskSettings } from "./risk-settings";
import type { RiskFigures } from "./score-risk";
import { SharedBreaker } from "./shared-breaker";

// The provider chain against the LLM stand-in running as its own process,
// with its breaker state in the real Redis: each test gets a Redis key
// prefix of its own, so breakers never carry over from one test to the next.
// The default settings are the product's: 3.5 s per attempt, 4.5 s per decision.

let sim: LlmSimProcess;
const logLines: string[] = [];
const clients: Redis[] = [];
let testNo = 0;

beforeAll(async () => {
  sim = await startLlmSim();
});
beforeEach(async () => {
  await sim.healAll();
  await sim.clearCalls();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.quit()));
});
afterAll(async () => {
  // The stand-in's own log, and every line the chains wrote: no key anywhere.
  const everything = [...logLines, sim.process.output(400)].join("\n");
  await stopAllProcesses();
  expect(logLines.some((line) => line.includes("risk provider failed"))).toBe(true);
  for (const key of Object.values(fakeKeys)) expect(everything).not.toContain(key);
});

const figures: RiskFigures = {
  supplierId: 1,
  supplierName: "Nordstahl Walzwerk GmbH",
  promisedLeadTimeDays: 21,
  windowDays: 180,
  ordersInWindow: 12,
  deliveriesDue: 10,
  deliveredOnTime: 8,
  leadTimesDays: [19, 21, 24, 30],
  failedOrders: 1,
  openOrderValue: 3000,
  allOpenOrderValue: 12000,
  singleSourceItems: 2,
  itemsSupplied: 5,
};
const messages = riskPrompt(figures);

function newChain({
  providers = ["openrouter", "groq", "cerebras"],
  env = {},
}: {
  providers?: readonly SimProvider[];
  env?: Record<string, string>;
} = {}) {
  testNo++;
  const client = new Redis(mainRedisUrl(), {
    keyPrefix: `${process.env.REDIS_PREFIX}chain-${testNo}:`,
    maxRetriesPerRequest: 1,
  });
  clients.push(client);
  const log = pino(
    { level: "debug" },
    new Writable({
      write(chunk, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  );
  const fullEnv = { RISK_PROVIDERS: sim.providersEnv(providers), ...env };
  return { chain: createRiskChain({ env: fullEnv, client, log }), client, settings: riskSettings(fullEnv) };
}

async function decide(chain: ReturnType<typeof newChain>["chain"], deadlineMs = 4500) {
  const started = performance.now();
  const result = await chain.ask({ messages, deadline: started + deadlineMs });
  // Whatever it returns is stored and shown: it must not hold a key either.
  for (const key of Object.values(fakeKeys)) expect(JSON.stringify(result)).not.toContain(key);
  return { result, elapsedMs: performance.now() - started };
}

const outcomes = (result: { attempts: { provider: string; outcome: string }[] }) =>
  result.attempts.map((a) => `${a.provider}:${a.outcome}`);

const callCount = async (provider: SimProvider) => (await sim.calls(provider)).length;

describe("the provider chain against the LLM stand-in", () => {
  it("takes the first provider's answer when all are healthy, with the provider's key sent", async () => {
    const { chain } = newChain();
    const { result } = await decide(chain);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.provider.name).toBe("openrouter");
    expect(result.answer).toMatchObject({ score: expect.any(Number), analysis: expect.stringContaining("Nordstahl") });
    expect(outcomes(result)).toEqual(["openrouter:ok"]);
    expect(await callCount("openrouter")).toBe(1);
    expect(await callCount("groq")).toBe(0);
  });

  it("moves on when the first provider times out: the second answers within the attempt timeout plus a little", async () => {
    await sim.setFaults({ openrouter: "timeout" });
    const { chain, settings } = newChain();
    const { result, elapsedMs } = await decide(chain);
    expect(result.ok && result.provider.name).toBe("groq");
    expect(outcomes(result)).toEqual(["openrouter:timeout", "groq:ok"]);
    // The timeout was waited for, once, and not retried before the second provider.
    expect(result.attempts[0]?.ms).toBeGreaterThanOrEqual(settings.RISK_ATTEMPT_TIMEOUT_MS - 50);
    expect(elapsedMs).toBeGreaterThanOrEqual(settings.RISK_ATTEMPT_TIMEOUT_MS);
    // "A little": generous, for a loaded 2-core machine; the decision's own deadline is 4.5 s.
    expect(elapsedMs).toBeLessThan(settings.RISK_ATTEMPT_TIMEOUT_MS + 1000);
    expect(await callCount("openrouter")).toBe(1);
  });

  it("honours Retry-After: 2 instead of hammering, and gets the answer from the same provider after it", async () => {
    await sim.setFaults({ openrouter: { mode: "rate_limit", retryAfterSeconds: 2 } });
    const { chain } = newChain({ providers: ["openrouter"] });
    const pending = decide(chain);
    // The provider recovers a second later; the chain must not have asked again by then.
    await sleep(1000);
    expect(await callCount("openrouter")).toBe(1);
    await sim.setFaults({ openrouter: "ok" });
    const { result, elapsedMs } = await pending;

    expect(result.ok && result.provider.name).toBe("openrouter");
    expect(outcomes(result)).toEqual(["openrouter:rate_limited", "openrouter:ok"]);
    expect(result.attempts[0]).toMatchObject({ status: 429, retryAfterMs: 2000 });
    const calls = await sim.calls("openrouter");
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    const gapMs = Date.parse(calls[1]?.at ?? "") - Date.parse(calls[0]?.at ?? "");
    expect(gapMs).toBeGreaterThanOrEqual(1990);
    expect(elapsedMs).toBeGreaterThanOrEqual(2000);
  });

  it("does not wait on a rate-limited provider while the next one can answer", async () => {
    await sim.setFaults({ openrouter: { mode: "rate_limit", retryAfterSeconds: 2 } });
    const { chain } = newChain();
    const { result } = await decide(chain);
    expect(result.ok && result.provider.name).toBe("groq");
    expect(outcomes(result)).toEqual(["openrouter:rate_limited", "groq:ok"]);
    expect(await callCount("openrouter")).toBe(1);
  });

  it("moves on from an answer that is not valid JSON, and does not ask that provider again", async () => {
    await sim.setFaults({ openrouter: "invalid_json", groq: "error" });
    const { chain } = newChain();
    const { result } = await decide(chain);
    expect(result.ok && result.provider.name).toBe("cerebras");
    expect(outcomes(result)).toEqual(["openrouter:invalid_output", "groq:server_error", "cerebras:ok"]);
  });

  it("never retries a 401, while it retries the 500s", async () => {
    await sim.setFaults({ openrouter: "unauthorized", groq: "error", cerebras: "error" });
    const { chain, settings } = newChain();
    const { result } = await decide(chain);
    expect(result.ok).toBe(false);
    expect(await callCount("openrouter")).toBe(1);
    expect(await callCount("groq")).toBe(settings.RISK_MAX_ROUNDS);
    expect(await callCount("cerebras")).toBe(settings.RISK_MAX_ROUNDS);
    expect(result.attempts[0]).toMatchObject({ provider: "openrouter", outcome: "refused", status: 401 });
  });

  it("opens a provider's breaker after repeated failures, skips it for the cooldown, then tries it again", async () => {
    await sim.setFaults({ openrouter: "error" });
    const { chain, client } = newChain({ env: { RISK_BREAKER_THRESHOLD: "3", RISK_BREAKER_COOLDOWN_MS: "2500" } });

    // One failed call per decision (the next provider answers): the third opens the breaker.
    for (let i = 0; i < 3; i++) {
      const { result } = await decide(chain);
      expect(outcomes(result)).toEqual(["openrouter:server_error", "groq:ok"]);
    }
    expect(await client.hget(SharedBreaker.key("openrouter"), "openUntil")).not.toBeNull();

    // Open: skipped without a call.
    const skipped = await decide(chain);
    expect(outcomes(skipped.result)).toEqual(["openrouter:breaker_open", "groq:ok"]);
    expect(await callCount("openrouter")).toBe(3);

    // After the cooldown one probe goes through; the provider has recovered, so it answers and the breaker closes.
    await sim.setFaults({ openrouter: "ok" });
    await sleep(2700);
    const probed = await decide(chain);
    expect(outcomes(probed.result)).toEqual(["openrouter:ok"]);
    expect(await callCount("openrouter")).toBe(4);
    expect(await client.exists(SharedBreaker.key("openrouter"))).toBe(0);
  });

  it("opens the breaker again for a full cooldown when the probe fails", async () => {
    await sim.setFaults({ openrouter: "error" });
    const { chain } = newChain({ env: { RISK_BREAKER_THRESHOLD: "1", RISK_BREAKER_COOLDOWN_MS: "1500" } });
    expect(outcomes((await decide(chain)).result)).toEqual(["openrouter:server_error", "groq:ok"]);
    await sleep(1700);
    expect(outcomes((await decide(chain)).result)).toEqual(["openrouter:server_error", "groq:ok"]);
    expect(outcomes((await decide(chain)).result)).toEqual(["openrouter:breaker_open", "groq:ok"]);
    expect(await callCount("openrouter")).toBe(2);
  });
});

describe("a decision when every provider is down", () => {
  it("comes from the built-in model within the deadline, marked as such", async () => {
    await sim.setFaults({ openrouter: "timeout", groq: "timeout", cerebras: "timeout" });
    const { chain, settings } = newChain();
    const supplier = await createSupplier();
    const log = pino({ level: "silent" });
    // Warm the pool: the decision's clock starts before it reads the figures.
    await loadRiskFigures({ supplierId: supplier.id, windowDays: 30 });
    const started = performance.now();
    const assessment = await assessSupplier({ supplierId: supplier.id, chain, settings, log });
    const elapsedMs = performance.now() - started;

    expect(assessment).toMatchObject({
      source: "model",
      model: "deterministic-v1",
      score: assessment.baselineScore,
      level: assessment.baselineLevel,
    });
    expect(assessment.analysis).toMatch(/^Built-in model: 0\/100, low risk/);
    expect(assessment.analysis).toContain("No AI provider gave a usable answer in time");
    // The first attempt had its 3.5 s; the second, if any time was left for one, only what was left of the 4.5 s.
    const [first, ...rest] = assessment.attempts;
    expect(first).toMatchObject({ provider: "openrouter", outcome: "timeout" });
    expect(first?.ms).toBeGreaterThanOrEqual(settings.RISK_ATTEMPT_TIMEOUT_MS - 50);
    for (const attempt of rest) {
      expect(attempt).toMatchObject({ provider: "groq", outcome: "timeout" });
      expect(attempt.ms).toBeLessThan(settings.RISK_DEADLINE_MS - settings.RISK_ATTEMPT_TIMEOUT_MS + 100);
    }
    expect(elapsedMs).toBeLessThan(settings.RISK_DEADLINE_MS + 500);
    expect(assessment.latencyMs).toBeLessThan(settings.RISK_DEADLINE_MS + 500);
  });

  it("comes from the model at once when every breaker is open", async () => {
    await sim.setFaults({ openrouter: "error", groq: "error", cerebras: "error" });
    const { chain } = newChain({ env: { RISK_BREAKER_THRESHOLD: "1", RISK_BREAKER_COOLDOWN_MS: "60000" } });
    const first = await decide(chain);
    expect(first.result.ok).toBe(false);
    const second = await decide(chain);
    expect(outcomes(second.result)).toEqual(["openrouter:breaker_open", "groq:breaker_open", "cerebras:breaker_open"]);
    expect((await sim.calls()).length).toBe(3);
  });
});
