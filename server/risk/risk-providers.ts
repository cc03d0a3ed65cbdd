import { z } from "zod";

type Env = Record<string, string | undefined>;

import { modelSource } from "./risk-level";

// Which AI providers the risk check asks, in order: OpenAI-compatible
// chat-completions endpoints, each with its model and key.
//
// - RISK_PROVIDERS, a JSON list of {name, url, model, key?}, says it outright.
// - Otherwise the seed's chain, OpenRouter (Gemini Flash) → Groq (Llama) →
//   Cerebras (Llama), with each provider whose key is set
//   (OPENROUTER_API_KEY, GROQ_API_KEY, CEREBRAS_API_KEY).
// - With none of those set (the demo and the tests), the same three names
//   served by the LLM stand-in at LLM_SIM_URL (default http://127.0.0.1:3003).
//   The code path is the same: only the URLs differ.

/** One provider. Its key is a private field: it is not in JSON, logs or inspect output, only in the request header. */
export class RiskProvider {
  readonly name: string;
  readonly url: string;
  readonly model: string;
  readonly #key: string | undefined;

  constructor({ name, url, model, key }: { name: string; url: string; model: string; key?: string }) {
    this.name = name;
    this.url = url;
    this.model = model;
    this.#key = key || undefined;
  }

  get hasKey(): boolean {
    return this.#key !== undefined;
  }

  requestHeaders(): Record<string, string> {
    return {
      "content-type": "application/json",
      accept: "application/json",
      ...(this.#key ? { authorization: `Bearer ${this.#key}` } : {}),
    };
  }

  /** `text` with this provider's key blanked out: for provider answers that are logged or stored. */
  scrub(text: string): string {
    return this.#key ? text.split(this.#key).join("[redacted]") : text;
  }

  toJSON() {
    return { name: this.name, url: this.url, model: this.model, hasKey: this.hasKey };
  }
}

const providerName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, "a provider name is 1-40 lowercase letters, digits, '.', '_' or '-'")
  .refine((name) => name !== modelSource, `"${modelSource}" is the built-in model's name`);

const providerList = z
  .array(
    z.strictObject({
      name: providerName,
      url: z.url({ protocol: /^https?$/ }),
      model: z.string().min(1).max(200),
      key: z.string().min(1).optional(),
    }),
  )
  .max(10)
  .refine((list) => new Set(list.map((p) => p.name)).size === list.length, "provider names must differ");

/** The seed's chain. Groq has retired the seed's llama3-70b-8192; its successor is named here. */
export const seedProviders = [
  {
    name: "openrouter",
    url: "https://openrouter.ai/api/v1/chat/completions",
    model: "google/gemini-2.5-flash",
    keyVariable: "OPENROUTER_API_KEY",
  },
  {
    name: "groq",
    url: "https://api.groq.com/openai/v1/chat/completions",
    model: "llama-3.3-70b-versatile",
    keyVariable: "GROQ_API_KEY",
  },
  {
    name: "cerebras",
    url: "https://api.cerebras.ai/v1/chat/completions",
    model: "llama3.1-8b",
    keyVariable: "CEREBRAS_API_KEY",
  },
] as const;

export type ProviderSetup = { providers: RiskProvider[]; origin: "RISK_PROVIDERS" | "keys" | "stand-in" };

export function riskProviders(env: Env = process.env): ProviderSetup {
  if (env.RISK_PROVIDERS?.trim()) {
    let raw: unknown;
    try {
      raw = JSON.parse(env.RISK_PROVIDERS);
    } catch {
      // Never echo the variable: it may hold keys.
      throw new Error("RISK_PROVIDERS is not valid JSON (a list of {name, url, model, key?})");
    }
    const parsed = providerList.safeParse(raw);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => `${i.path.join(".") || "(list)"}: ${i.message}`).join("; ");
      throw new Error(`RISK_PROVIDERS: ${where}`);
    }
    return { providers: parsed.data.map((p) => new RiskProvider(p)), origin: "RISK_PROVIDERS" };
  }
  const keyed = seedProviders.filter((p) => env[p.keyVariable]);
  if (keyed.length > 0) {
    return {
      providers: keyed.map((p) => new RiskProvider({ ...p, key: env[p.keyVariable] })),
      origin: "keys",
    };
  }
  const base = (env.LLM_SIM_URL || `http://127.0.0.1:${env.LLM_SIM_PORT || 3003}`).replace(/\/+$/, "");
  return {
    providers: seedProviders.map(
      (p) => new RiskProvider({ name: p.name, url: `${base}/${p.name}/v1/chat/completions`, model: p.model }),
    ),
    origin: "stand-in",
  };
}
