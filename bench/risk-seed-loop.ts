// The seed article's ResilientAIService.analyze_supplier_risk, re-implemented
// line for line for the risk benchmark, so that the chain is compared with
// what the article runs: each provider in turn, 3 attempts each, a 3.5 s
// timeout per request, time.sleep(2 ** attempt) after a 429 (1, 2, 4 s),
// every other failure tried again at once, and no answer at all when every
// provider failed. Two differences, both in the seed's favour or neutral:
// requests' timeout=3.5 bounds each socket read, not the whole request (here
// it bounds the whole request; a provider that hangs fails at 3.5 s either
// way), and the seed does not validate the answer (neither does this).

export type SeedProvider = { name: string; url: string; model: string; key?: string };
export type SeedResult = { success: true; provider: string; data: string } | { success: false; error: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function seedAnalyzeSupplierRisk(providers: SeedProvider[], prompt: string): Promise<SeedResult> {
  const payload: { messages: { role: string; content: string }[]; model?: string } = {
    messages: [{ role: "user", content: prompt }],
  };
  for (const provider of providers) {
    payload.model = provider.model;
    const headers = { authorization: `Bearer ${provider.key ?? ""}`, "content-type": "application/json" };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const response = await fetch(provider.url, {
          method: "POST",
          headers,
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(3500),
        });
        if (response.status === 200) {
          const body = (await response.json()) as { choices: { message: { content: string } }[] };
          return { success: true, provider: provider.name, data: body.choices[0]?.message.content ?? "" };
        }
        await response.body?.cancel();
        if (response.status === 429) await sleep(2 ** attempt * 1000);
      } catch {
        // "In case of connection error or timeout, silently move to the next attempt"
      }
    }
  }
  return { success: false, error: "All AI providers failed." };
}
