import { TaskCancelledError, TimeoutStrategy, timeout } from "cockatiel";
import { parseRiskAnswer, type RiskAnswer } from "./risk-answer";
import type { ChatMessage } from "./risk-prompt";
import type { RiskProvider } from "./risk-providers";

// One call to one provider, with its own timeout, and every way it can go
// wrong sorted into a kind that says what to do next (provider-chain.ts):
//
// | kind           | when                                   | what the chain does                      |
// | -------------- | -------------------------------------- | ---------------------------------------- |
// | timeout        | no complete answer in time, or 408     | next provider; again in a later pass     |
// | network        | connection refused, reset, DNS         | next provider; again in a later pass     |
// | rate_limited   | 429                                    | not before its Retry-After (capped)      |
// | server_error   | 5xx                                    | next provider; again in a later pass     |
// | refused        | any other 4xx (400, 401, 403, 404, …)  | never again in this decision             |
// | invalid_output | 2xx whose body fails the answer schema | never again in this decision             |
//
// Plain fetch, so nothing retries behind the chain's back (provider SDKs do).

export type FailureKind = "timeout" | "network" | "rate_limited" | "server_error" | "refused" | "invalid_output";

export class ProviderCallError extends Error {
  override readonly name = "ProviderCallError";
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** Whether the same provider may be asked again later in the decision. */
  get retryable(): boolean {
    return this.kind !== "refused" && this.kind !== "invalid_output";
  }
}

export async function callProvider({
  provider,
  messages,
  timeoutMs,
}: {
  provider: RiskProvider;
  messages: ChatMessage[];
  timeoutMs: number;
}): Promise<RiskAnswer> {
  const body = JSON.stringify({
    model: provider.model,
    messages,
    temperature: 0.2,
    max_tokens: 400,
    response_format: { type: "json_object" },
  });
  let response: { status: number; retryAfter: string | null; text: string };
  try {
    // Aggressive: the call ends at the timeout whatever the server does, and
    // the signal aborts the request and the body read.
    response = await timeout(timeoutMs, TimeoutStrategy.Aggressive).execute(async ({ signal }) => {
      const res = await fetch(provider.url, { method: "POST", headers: provider.requestHeaders(), body, signal });
      return { status: res.status, retryAfter: res.headers.get("retry-after"), text: await res.text() };
    });
  } catch (error) {
    if (error instanceof TaskCancelledError) throw new ProviderCallError("timeout", `no answer within ${timeoutMs} ms`);
    throw new ProviderCallError("network", `connection failed: ${networkErrorText(error)}`);
  }

  const { status } = response;
  if (status >= 200 && status < 300) {
    const parsed = parseRiskAnswer(response.text);
    if (parsed.ok) return parsed.answer;
    throw new ProviderCallError("invalid_output", `invalid answer: ${provider.scrub(parsed.problem)}`, status);
  }
  const said = `answered ${status}`;
  if (status === 429) throw new ProviderCallError("rate_limited", said, status, retryAfterMs(response.retryAfter));
  if (status === 408) throw new ProviderCallError("timeout", said, status);
  if (status >= 500) throw new ProviderCallError("server_error", said, status);
  // The body of a refusal is not kept: some providers quote the key they were sent.
  throw new ProviderCallError("refused", said, status);
}

/** Retry-After in milliseconds: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header?.trim()) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function networkErrorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause as { code?: string } | undefined;
    return cause?.code ?? error.name;
  }
  return "unknown error";
}
