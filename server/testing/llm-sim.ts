import path from "node:path";
import { jsonClient } from "./json-client";
import { ProcessGroup, repoRoot } from "./process-group";
import { testFileEnv } from "./processes";

// The LLM stand-in as a real process (workers/llm-sim.ts), for the risk
// tests: they point the provider chain at it through RISK_PROVIDERS, the
// same setting a deployment uses for real providers.

const tsx = path.join(repoRoot, "node_modules/.bin/tsx");

export type LlmFault = "ok" | "timeout" | "rate_limit" | "error" | "invalid_json" | "unauthorized";
export type LlmCall = { provider: string; at: string; mode: string; status: number | null };

export const simProviders = ["openrouter", "groq", "cerebras"] as const;
export type SimProvider = (typeof simProviders)[number];

/** Keys that look real, so that a test can look for them in every log line and answer. */
export const fakeKeys: Record<SimProvider, string> = {
  openrouter: "sk-or-v1-test-5f0c9e2a7b14d38e61a2c0ffee00d15ea5e",
  groq: "gsk_test_9b7e1d2c3a4f5e6d7c8b9a0f1e2d3c4b",
  cerebras: "csk-test-4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b",
};

export async function startLlmSim({ latencyMs = 20, timeoutMs = 30_000 } = {}) {
  const group = new ProcessGroup(
    "llm-sim",
    tsx,
    ["workers/llm-sim.ts"],
    testFileEnv({
      LLM_SIM_PORT: "0",
      LLM_SIM_HOST: "127.0.0.1",
      LLM_SIM_LATENCY_MS: String(latencyMs),
      LOG_LEVEL: "info",
    }),
  );
  const [, url] = await group.waitForLine(/listening on (http:\/\/\S+)/, timeoutMs);
  const base = url as string;

  const request = jsonClient(base, "LLM stand-in");

  return {
    process: group,
    url: base,
    setFaults: (faults: Partial<Record<SimProvider, LlmFault | { mode: LlmFault; retryAfterSeconds?: number }>>) =>
      request("PUT", "/faults", faults),
    healAll: () => request("PUT", "/faults", { openrouter: "ok", groq: "ok", cerebras: "ok" }),
    calls: async (provider?: SimProvider) =>
      ((await request("GET", `/requests${provider ? `?provider=${provider}` : ""}`)) as { requests: LlmCall[] })
        .requests,
    clearCalls: () => request("DELETE", "/requests"),
    /** RISK_PROVIDERS for a chain of `providers` (in that order) served by this stand-in, with the fake keys. */
    providersEnv: (providers: readonly SimProvider[] = simProviders) =>
      JSON.stringify(
        providers.map((name) => ({
          name,
          url: `${base}/${name}/v1/chat/completions`,
          model: `${name}-test-model`,
          key: fakeKeys[name],
        })),
      ),
  };
}

export type LlmSimProcess = Awaited<ReturnType<typeof startLlmSim>>;
