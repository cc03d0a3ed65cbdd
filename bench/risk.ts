import { spawn } from "node:child_process";
import os from "node:os";
import { Redis } from "ioredis";
import pino from "pino";
import { createRiskChain } from "../server/risk/risk-chain";
import { riskPrompt } from "../server/risk/risk-prompt";
import { riskSettings } from "../server/risk/risk-settings";
import { type RiskFigures, scoreRisk } from "../server/risk/score-risk";
import { track } from "./children";
import type { SuiteContext } from "./config";
import { writeSuiteResults } from "./results";
import { type Decision, type MixResult, type RiskResults, riskMarkdown, summarise } from "./risk-report";
import { seedAnalyzeSupplierRisk } from "./risk-seed-loop";
import { stopGroup } from "./server";

// The risk suite (BENCH_SUITE=risk): time to a decision under fault mixes,
// the provider chain (server/risk) against the seed's loop, both asking the
// same LLM stand-in process. No database: the figures are fixed, and reading
// them costs the same whichever loop decides. See README.md, "Supplier risk".

type Fault = "ok" | "timeout" | "rate_limit" | "error";
type Mix = { name: string; description: string; faults: Record<"openrouter" | "groq" | "cerebras", Fault> };

const mixes: Mix[] = [
  { name: "healthy", description: "every provider answers", faults: { openrouter: "ok", groq: "ok", cerebras: "ok" } },
  {
    name: "first-timeout",
    description: "OpenRouter never answers",
    faults: { openrouter: "timeout", groq: "ok", cerebras: "ok" },
  },
  {
    name: "first-two-rate-limited",
    description: "OpenRouter and Groq answer 429, Retry-After: 2",
    faults: { openrouter: "rate_limit", groq: "rate_limit", cerebras: "ok" },
  },
  {
    name: "all-down-timeout",
    description: "no provider answers",
    faults: { openrouter: "timeout", groq: "timeout", cerebras: "timeout" },
  },
  {
    name: "all-down-500",
    description: "every provider answers 500",
    faults: { openrouter: "error", groq: "error", cerebras: "error" },
  },
];

export const riskGoalMs = 5000;

const figures: RiskFigures = {
  supplierId: 1,
  supplierName: "Kingbright Bearing & Fastener Co.",
  promisedLeadTimeDays: 42,
  windowDays: 180,
  ordersInWindow: 14,
  deliveriesDue: 11,
  deliveredOnTime: 7,
  leadTimesDays: [38, 44, 51, 40, 57, 47, 41],
  failedOrders: 2,
  openOrderValue: 18_400,
  allOpenOrderValue: 52_000,
  singleSourceItems: 3,
  itemsSupplied: 6,
};

function int(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number, got "${process.env[name]}"`);
  return value;
}

async function startStandIn(root: string, latencyMs: number, log: (line: string) => void) {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/llm-sim.ts"], {
    cwd: root,
    env: { ...process.env, LLM_SIM_PORT: "0", LLM_SIM_LATENCY_MS: String(latencyMs), LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
  const stop = track(() => stopGroup(child, exited));
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`the LLM stand-in did not start:\n${output}`)), 60_000);
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      const found = /listening on (http:\/\/\S+)/.exec(output);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    void exited.then(() => reject(new Error(`the LLM stand-in exited:\n${output}`)));
  });
  log(`LLM stand-in on ${url} (pid ${child.pid}), ${latencyMs} ms per answer`);
  const put = async (faults: Mix["faults"]) => {
    const body = Object.fromEntries(
      Object.entries(faults).map(([name, mode]) => [
        name,
        mode === "rate_limit" ? { mode, retryAfterSeconds: 2 } : mode,
      ]),
    );
    const res = await fetch(`${url}/faults`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`PUT /faults answered ${res.status}`);
  };
  return { url, stop, setFaults: put };
}

async function timed(run: () => Promise<string>): Promise<Decision> {
  const started = performance.now();
  const source = await run();
  return { ms: Math.round(performance.now() - started), source };
}

export async function runRiskSuite({ config, root, redisPrefix, log }: SuiteContext): Promise<{ pass: boolean }> {
  const startedAt = new Date();
  const loadAverageBefore = os.loadavg();
  const decisions = int("BENCH_RISK_DECISIONS", 10);
  const seedDecisions = int("BENCH_RISK_SEED_DECISIONS", 3);
  const latencyMs = int("BENCH_RISK_LATENCY_MS", 400);
  const only = process.env.BENCH_RISK_MIXES?.split(",").map((m) => m.trim());
  const chosen = only ? mixes.filter((m) => only.includes(m.name)) : mixes;

  const standIn = await startStandIn(root, latencyMs, log);
  const providers = ["openrouter", "groq", "cerebras"].map((name) => ({
    name,
    url: `${standIn.url}/${name}/v1/chat/completions`,
    model: `${name}-bench`,
    key: `bench-key-${name}`,
  }));
  const env = { RISK_PROVIDERS: JSON.stringify(providers) };
  const settings = riskSettings(env);
  const messages = riskPrompt(figures);
  const seedPrompt = messages.map((m) => m.content).join("\n\n");
  const silent = pino({ level: "silent" });
  const results: MixResult[] = [];

  try {
    // One unmeasured decision of each loop first: the first fetch and the first Redis round trip of a process are slow.
    {
      const client = new Redis(config.redisUrl, { keyPrefix: `${redisPrefix}risk-bench:warm-up:` });
      await createRiskChain({ env, client, log: silent, settings }).ask({
        messages,
        deadline: performance.now() + settings.RISK_DEADLINE_MS,
      });
      await client.quit();
      await seedAnalyzeSupplierRisk(providers, seedPrompt);
    }
    for (const mix of chosen) {
      await standIn.setFaults(mix.faults);
      // A fresh key space per mix: the breakers start closed, as after a quiet spell.
      const client = new Redis(config.redisUrl, { keyPrefix: `${redisPrefix}risk-bench:${mix.name}:` });
      const chain = createRiskChain({ env, client, log: silent, settings });
      const ours: Decision[] = [];
      for (let i = 0; i < decisions; i++) {
        ours.push(
          await timed(async () => {
            // As assessSupplier does: the built-in model's score first, then the providers until the deadline.
            scoreRisk(figures);
            const result = await chain.ask({ messages, deadline: performance.now() + settings.RISK_DEADLINE_MS });
            return result.ok ? result.provider.name : "model";
          }),
        );
      }
      await client.quit();
      const seed: Decision[] = [];
      for (let i = 0; i < seedDecisions; i++) {
        seed.push(
          await timed(async () => {
            const result = await seedAnalyzeSupplierRisk(providers, seedPrompt);
            return result.success ? result.provider : "none";
          }),
        );
      }
      const result = { mix: mix.name, description: mix.description, ours: summarise(ours), seed: summarise(seed) };
      results.push(result);
      log(
        `${mix.name}: chain p50 ${result.ours.p50Ms} ms, max ${result.ours.maxMs} ms (${result.ours.sources}); ` +
          `seed loop p50 ${result.seed.p50Ms} ms, max ${result.seed.maxMs} ms (${result.seed.sources})`,
      );
    }
  } finally {
    await standIn.stop();
  }

  const pass = results.every((r) => r.ours.maxMs <= riskGoalMs);
  const report: RiskResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverageBefore, loadAverageAfter: os.loadavg() },
    config: {
      decisions,
      seedDecisions,
      latencyMs,
      attemptTimeoutMs: settings.RISK_ATTEMPT_TIMEOUT_MS,
      deadlineMs: settings.RISK_DEADLINE_MS,
      maxRounds: settings.RISK_MAX_ROUNDS,
      breakerThreshold: settings.RISK_BREAKER_THRESHOLD,
      breakerCooldownMs: settings.RISK_BREAKER_COOLDOWN_MS,
    },
    mixes: results,
    goalMs: riskGoalMs,
    pass,
  };
  await writeSuiteResults("risk-latest", report, riskMarkdown(report));
  log(
    `risk: every decision within ${riskGoalMs} ms: ${pass ? "PASS" : "FAIL"}; results in bench/results/risk-latest.{json,md}`,
  );
  return { pass };
}
