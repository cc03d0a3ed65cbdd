import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createLlmSim, type LlmSim } from "./app";

// The stand-in over real HTTP, in this process.

const running: LlmSim[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

async function start(options: { hangMs?: number } = {}) {
  const sim = createLlmSim({ logger: pino({ level: "silent" }), ...options });
  running.push(sim);
  await new Promise<void>((resolve) => sim.server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(sim.server.address() as AddressInfo).port}`;
}

const figures = {
  supplier: "Anatolia Metal",
  promisedLeadTimeDays: 14,
  ordersInWindow: 10,
  deliveriesDue: 8,
  deliveredOnTime: 6,
  onTimeRate: 0.75,
  leadTimeStdDevDays: 3.5,
  failedOrders: 1,
  openExposureShare: 0.4,
  singleSourceItems: 2,
};
const prompt = {
  model: "google/gemini-2.5-flash",
  messages: [
    { role: "system", content: "Answer with JSON." },
    { role: "user", content: `Supplier figures:\n\`\`\`json\n${JSON.stringify(figures)}\n\`\`\`` },
  ],
};

async function ask(base: string, provider: string, body: unknown = prompt, signal?: AbortSignal) {
  const res = await fetch(`${base}/${provider}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-test" },
    body: JSON.stringify(body),
    signal,
  });
  return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) };
}

async function putFaults(base: string, faults: unknown) {
  const res = await fetch(`${base}/faults`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(faults),
  });
  return { status: res.status, body: await res.json() };
}

describe("the LLM stand-in", () => {
  it("answers a chat completion computed from the prompt's figures, differently per provider", async () => {
    const base = await start();
    const answers = [];
    for (const provider of ["openrouter", "groq"]) {
      const res = await ask(base, provider);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ object: "chat.completion", model: "google/gemini-2.5-flash" });
      answers.push(JSON.parse(res.body.choices[0].message.content));
    }
    // 45 × 0.25 + 30 × 0.25 + 60 × 0.1 + 20 × 0.4 + 3 × 2 = 38.75 → 39 (openrouter); groq adds 3.
    expect(answers[0]).toEqual({
      score: 39,
      level: "medium",
      analysis: expect.stringContaining("Anatolia Metal delivered 6 of 8"),
    });
    expect(answers[1]?.score).toBe(42);
  });

  it("shows and changes the faults per provider, refusing names and modes it does not know", async () => {
    const base = await start();
    expect(await (await fetch(`${base}/faults`)).json()).toEqual({ openrouter: "ok", groq: "ok", cerebras: "ok" });
    expect(await putFaults(base, { groq: "rate_limit", cerebras: { mode: "error" } })).toEqual({
      status: 200,
      body: { openrouter: "ok", groq: "rate_limit", cerebras: "error" },
    });
    expect((await putFaults(base, { mistral: "ok" })).status).toBe(400);
    expect((await putFaults(base, { groq: "slow" })).status).toBe(400);
    expect(await (await fetch(`${base}/faults`)).json()).toEqual({
      openrouter: "ok",
      groq: "rate_limit",
      cerebras: "error",
    });
  });

  it.each([
    ["rate_limit", 429],
    ["error", 500],
    ["unauthorized", 401],
  ])("answers %s with %i", async (mode, status) => {
    const base = await start();
    await putFaults(base, { openrouter: mode });
    const res = await ask(base, "openrouter");
    expect(res.status).toBe(status);
    if (mode === "rate_limit") expect(res.headers.get("retry-after")).toBe("2");
  });

  it("takes a Retry-After of its own for rate_limit", async () => {
    const base = await start();
    await putFaults(base, { groq: { mode: "rate_limit", retryAfterSeconds: 7 } });
    expect((await ask(base, "groq")).headers.get("retry-after")).toBe("7");
  });

  it("returns a message cut off mid-JSON for invalid_json", async () => {
    const base = await start();
    await putFaults(base, { cerebras: "invalid_json" });
    const res = await ask(base, "cerebras");
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.body.choices[0].message.content)).toThrow();
  });

  it("holds a request for timeout until the caller gives up", async () => {
    const base = await start({ hangMs: 60_000 });
    await putFaults(base, { openrouter: "timeout" });
    const started = performance.now();
    await expect(ask(base, "openrouter", prompt, AbortSignal.timeout(300))).rejects.toThrow();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("lists the calls it received, without their keys, and forgets them on DELETE", async () => {
    const base = await start();
    await ask(base, "openrouter");
    await ask(base, "groq");
    const listed = await (await fetch(`${base}/requests?provider=groq`)).json();
    expect(listed).toEqual({ requests: [{ provider: "groq", at: expect.any(String), mode: "ok", status: 200 }] });
    expect(JSON.stringify(await (await fetch(`${base}/requests`)).json())).not.toContain("sk-test");
    await fetch(`${base}/requests`, { method: "DELETE" });
    expect(await (await fetch(`${base}/requests`)).json()).toEqual({ requests: [] });
  });

  it("refuses an unknown provider and a body that is not a chat request", async () => {
    const base = await start();
    expect((await ask(base, "mistral")).status).toBe(404);
    expect((await ask(base, "groq", { messages: [] })).status).toBe(400);
  });
});
