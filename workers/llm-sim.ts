/**
 * Runs the LLM STAND-IN (server/simulators/llm): OpenAI-compatible chat
 * completions for the supplier risk check's providers, for demos and tests
 * only. The ERP uses it when no provider key is set (server/risk/risk-providers.ts).
 *
 *   LLM_SIM_PORT        port, default 3003 (0 picks a free one)
 *   LLM_SIM_HOST        address, default 127.0.0.1
 *   LLM_SIM_PROVIDERS   the providers it serves, default openrouter,groq,cerebras
 *   LLM_SIM_LATENCY_MS  time each answer takes, default 150
 *   LOG_LEVEL           pino level, default info
 */
import type { AddressInfo } from "node:net";
import pino from "pino";
import { z } from "zod";
import { createLlmSim } from "../server/simulators/llm/app";

const settings = z
  .object({
    LLM_SIM_PORT: z.coerce.number().int().min(0).max(65_535).default(3003),
    LLM_SIM_HOST: z.string().min(1).default("127.0.0.1"),
    LLM_SIM_PROVIDERS: z
      .string()
      .default("openrouter,groq,cerebras")
      .transform((list) => list.split(",").map((name) => name.trim()))
      .pipe(z.array(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/)).min(1)),
    LLM_SIM_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(150),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .parse(process.env);

const log = pino({ level: settings.LOG_LEVEL, base: { service: "llm-sim" } });
const sim = createLlmSim({
  providers: settings.LLM_SIM_PROVIDERS,
  latencyMs: settings.LLM_SIM_LATENCY_MS,
  logger: log,
});

sim.server.on("error", (err) => {
  log.fatal({ err }, "LLM stand-in cannot listen");
  process.exit(1);
});

sim.server.listen(settings.LLM_SIM_PORT, settings.LLM_SIM_HOST, () => {
  const { address, port } = sim.server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  // Plain stdout as well as the log line: the launcher and people read this.
  console.log(`LLM stand-in listening on http://${host}:${port}`);
  log.info({ port, providers: settings.LLM_SIM_PROVIDERS }, "ready");
});

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "stopping");
  await sim.close();
  process.exit(0);
}

process.on("SIGTERM", stop);
process.on("SIGINT", stop);
