import { Writable } from "node:stream";
import { inspect } from "node:util";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { RiskProvider, riskProviders } from "./risk-providers";

const key = "sk-or-v1-0123456789abcdef0123456789abcdef";

describe("which providers the chain asks", () => {
  it("takes RISK_PROVIDERS as given, in its order", () => {
    const { providers, origin } = riskProviders({
      RISK_PROVIDERS: JSON.stringify([
        { name: "groq", url: "https://api.groq.com/openai/v1/chat/completions", model: "llama-3.3-70b-versatile", key },
        { name: "local", url: "http://127.0.0.1:3003/groq/v1/chat/completions", model: "m" },
      ]),
      OPENROUTER_API_KEY: "ignored when RISK_PROVIDERS is set",
    });
    expect(origin).toBe("RISK_PROVIDERS");
    expect(providers.map((p) => p.toJSON())).toEqual([
      {
        name: "groq",
        url: "https://api.groq.com/openai/v1/chat/completions",
        model: "llama-3.3-70b-versatile",
        hasKey: true,
      },
      { name: "local", url: "http://127.0.0.1:3003/groq/v1/chat/completions", model: "m", hasKey: false },
    ]);
  });

  it("follows the seed's order with the keys that are set", () => {
    const { providers, origin } = riskProviders({ CEREBRAS_API_KEY: "csk-1", OPENROUTER_API_KEY: key });
    expect(origin).toBe("keys");
    expect(providers.map((p) => [p.name, p.url, p.model])).toEqual([
      ["openrouter", "https://openrouter.ai/api/v1/chat/completions", "google/gemini-2.5-flash"],
      ["cerebras", "https://api.cerebras.ai/v1/chat/completions", "llama3.1-8b"],
    ]);
  });

  it("uses the LLM stand-in when no key is set", () => {
    expect(riskProviders({}).providers.map((p) => p.url)).toEqual([
      "http://127.0.0.1:3003/openrouter/v1/chat/completions",
      "http://127.0.0.1:3003/groq/v1/chat/completions",
      "http://127.0.0.1:3003/cerebras/v1/chat/completions",
    ]);
    expect(riskProviders({ LLM_SIM_PORT: "4003" }).providers[0]?.url).toBe(
      "http://127.0.0.1:4003/openrouter/v1/chat/completions",
    );
    expect(riskProviders({ LLM_SIM_URL: "http://sim.test:9/" }).providers[2]?.url).toBe(
      "http://sim.test:9/cerebras/v1/chat/completions",
    );
  });

  it("allows an empty list: the built-in model answers every time", () => {
    expect(riskProviders({ RISK_PROVIDERS: "[]" }).providers).toEqual([]);
  });

  it.each([
    ["not JSON", `[{"name":"x","key":"${key}"`, "RISK_PROVIDERS is not valid JSON"],
    ["a bad URL", JSON.stringify([{ name: "x", url: "ftp://x", model: "m", key }]), "RISK_PROVIDERS: 0.url"],
    ["the name model", JSON.stringify([{ name: "model", url: "https://x.test", model: "m" }]), "built-in model"],
    [
      "two providers of one name",
      JSON.stringify([
        { name: "a", url: "https://x.test", model: "m" },
        { name: "a", url: "https://y.test", model: "m" },
      ]),
      "provider names must differ",
    ],
  ])("refuses %s without quoting the key", (_, value, message) => {
    let error: Error | undefined;
    try {
      riskProviders({ RISK_PROVIDERS: value });
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).toContain(message);
    expect(error?.message).not.toContain(key);
  });
});

describe("a provider's key", () => {
  const provider = new RiskProvider({ name: "openrouter", url: "https://openrouter.ai/x", model: "m", key });

  it("is sent as a bearer token", () => {
    expect(provider.requestHeaders().authorization).toBe(`Bearer ${key}`);
  });

  it("is not in JSON, inspect output or a log line of the provider", () => {
    const lines: string[] = [];
    const log = pino(
      new Writable({
        write(chunk, _e, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    log.info({ provider, providers: [provider] }, "configured");
    expect(lines).toHaveLength(1);
    for (const text of [JSON.stringify(provider), inspect(provider, { depth: 5 }), lines.join("")]) {
      expect(text).toContain("openrouter");
      expect(text).not.toContain(key);
    }
  });

  it("is blanked out of provider text that may be logged", () => {
    expect(provider.scrub(`Incorrect API key provided: ${key}.`)).toBe("Incorrect API key provided: [redacted].");
  });
});
