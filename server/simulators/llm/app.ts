/**
 * LLM STAND-IN: a simulator of EXTERNAL systems, the AI providers of the
 * supplier risk check, for demos and tests only. It is not part of the ERP
 * and must never run in production. It speaks the OpenAI chat-completions
 * protocol, one provider per path prefix, so the ERP calls it exactly as it
 * calls OpenRouter, Groq or Cerebras (only the configured URLs differ), and
 * each provider can be told to misbehave the way real ones do.
 *
 *   POST   /<provider>/v1/chat/completions   an answer computed from the prompt's figures
 *   GET    /faults      {"<provider>": "ok" | "timeout" | "rate_limit" | "error" | "invalid_json" | "unauthorized", ...}
 *   PUT    /faults      the same shape, for the providers to change; a value may also be
 *                       {mode, retryAfterSeconds?, latencyMs?}
 *   GET    /requests    the calls received, oldest first: [{provider, at, mode, status}] (?provider= filters)
 *   DELETE /requests    forget them
 *   GET    /health
 *
 * It never looks at, stores or logs the Authorization header.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import pino, { type Logger } from "pino";
import { z } from "zod";
import { answerFailure, HttpError, readJson, sendJson } from "../supplier-portal/http-io";
import { composeAnswer, readFigures } from "./compose-answer";
import { FaultTable, type ProviderFault } from "./faults";

export type LlmSimOptions = {
  providers?: readonly string[];
  /** Added to every answer, as a model takes time to think. */
  latencyMs?: number;
  /** Longest a "timeout" provider holds a request before giving up with 504. */
  hangMs?: number;
  logger?: Logger;
};

export type LlmSim = { server: Server; faults: FaultTable; close(): Promise<void> };

export type ReceivedCall = { provider: string; at: string; mode: string; status: number | null };

const completionRequest = z.object({
  model: z.string().min(1),
  messages: z.array(z.object({ role: z.string(), content: z.string() })).min(1),
});

const completionPath = /^\/([a-z0-9][a-z0-9._-]*)\/v1\/chat\/completions$/;
const keptCalls = 5000;

export function createLlmSim({
  providers = ["openrouter", "groq", "cerebras"],
  latencyMs = 0,
  hangMs = 120_000,
  logger,
}: LlmSimOptions = {}): LlmSim {
  const log = logger ?? pino({ level: process.env.LOG_LEVEL ?? "info", base: { service: "llm-sim" } });
  const faults = new FaultTable(providers, latencyMs);
  const calls: ReceivedCall[] = [];
  const shutdown = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let completions = 0;

  async function complete(provider: string, fault: ProviderFault, req: IncomingMessage, res: ServerResponse) {
    const parsed = completionRequest.safeParse(await readJson(req, "invalid_request_error"));
    if (!parsed.success) throw new HttpError(400, "invalid_request_error", z.prettifyError(parsed.error));
    // The client may give up (its timeout) while we "think" or hang.
    const gone = new AbortController();
    res.on("close", () => gone.abort());
    const stop = AbortSignal.any([gone.signal, shutdown.signal]);

    if (fault.mode === "timeout") {
      await pause(hangMs, stop);
      if (!res.destroyed) sendJson(res, 504, { error: { message: "upstream timed out", type: "timeout" } });
      return;
    }
    await pause(fault.latencyMs, stop);
    if (res.destroyed) return;
    switch (fault.mode) {
      case "rate_limit":
        sendJson(
          res,
          429,
          { error: { message: "Rate limit reached; retry later.", type: "rate_limit_exceeded" } },
          { "retry-after": String(fault.retryAfterSeconds) },
        );
        return;
      case "error":
        sendJson(res, 500, {
          error: { message: "The server had an error processing your request.", type: "server_error" },
        });
        return;
      case "unauthorized":
        sendJson(
          res,
          401,
          { error: { message: "Invalid API key.", type: "invalid_api_key" } },
          { "www-authenticate": "Bearer" },
        );
        return;
      default: {
        const answer = composeAnswer(provider, readFigures(parsed.data.messages));
        const content =
          fault.mode === "invalid_json"
            ? JSON.stringify(answer).slice(0, 40) // cut off mid-answer
            : JSON.stringify(answer);
        completions++;
        sendJson(res, 200, {
          id: `chatcmpl-sim-${completions}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: parsed.data.model,
          choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
          usage: { prompt_tokens: 200, completion_tokens: 80, total_tokens: 280 },
        });
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://llm-sim");
    const path = url.pathname;
    let outcome = "ok";
    let call: ReceivedCall | undefined;
    try {
      const provider = completionPath.exec(path)?.[1];
      if (provider !== undefined) {
        const fault = faults.get(provider);
        if (!fault)
          throw new HttpError(
            404,
            "not_found",
            `No provider "${provider}" here; known: ${faults.providers.join(", ")}.`,
          );
        if (method !== "POST") throw new HttpError(405, "method_not_allowed", "POST only.", { allow: "POST" });
        call = { provider, at: new Date().toISOString(), mode: fault.mode, status: null };
        calls.push(call);
        if (calls.length > keptCalls) calls.shift();
        outcome = fault.mode;
        await complete(provider, fault, req, res);
      } else if (path === "/faults" && method === "GET") {
        sendJson(res, 200, faults.modes());
      } else if (path === "/faults" && method === "PUT") {
        const update = faults.updateSchema().safeParse(await readJson(req, "invalid_faults"));
        if (!update.success) {
          sendJson(res, 400, {
            error: "invalid_faults",
            message: z.prettifyError(update.error),
            issues: update.error.issues,
          });
          outcome = "invalid_faults";
        } else {
          sendJson(res, 200, faults.update(update.data));
        }
      } else if (path === "/requests" && method === "GET") {
        const only = url.searchParams.get("provider");
        sendJson(res, 200, { requests: only ? calls.filter((c) => c.provider === only) : calls });
      } else if (path === "/requests" && method === "DELETE") {
        calls.length = 0;
        sendJson(res, 204, null);
      } else if (path === "/health" && method === "GET") {
        sendJson(res, 200, { status: "ok" });
      } else {
        throw new HttpError(404, "not_found", `No route ${method} ${path}.`);
      }
    } catch (error) {
      outcome = answerFailure(res, error, { log, service: "LLM stand-in", method, path });
    }
    const status = res.headersSent ? res.statusCode : null;
    if (call) call.status = status;
    log.info({ method, path, outcome, status, ms: Math.round(performance.now() - started) }, "request");
  }

  const server = createServer((req, res) => {
    const done = handle(req, res).finally(() => inFlight.delete(done));
    inFlight.add(done);
  });

  async function close(): Promise<void> {
    shutdown.abort(); // ends hanging and thinking requests
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await Promise.allSettled([...inFlight]);
    server.closeAllConnections();
    await closed;
  }

  return { server, faults, close };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
