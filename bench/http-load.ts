import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { LatencyLog, type PhaseResult } from "./stats";

// The HTTP side: autocannon in this process, one fresh body (and, for the
// reservation route, one fresh Idempotency-Key) per request.

type HttpRun = {
  url: string;
  path: string;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
  /** A new request body each time; return headers to add for this request. */
  next: () => { body: string; headers?: Record<string, string> };
};

export type HttpOutcome = { ok: number; seconds: number; latencies: LatencyLog; failures: Record<string, number> };

export async function runHttp(run: HttpRun): Promise<HttpOutcome> {
  const latencies = new LatencyLog();
  const failures: Record<string, number> = {};
  const instance = autocannon({
    url: run.url,
    connections: run.connections,
    duration: run.seconds,
    timeout: 30,
    requests: [
      {
        method: "POST",
        path: run.path,
        headers: { "content-type": "application/json", ...run.headers },
        setupRequest: (req) => {
          const { body, headers } = run.next();
          return { ...req, body, headers: { ...req.headers, ...headers } };
        },
      },
    ],
  });
  let ok = 0;
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) {
      ok++;
      latencies.add(ms);
    } else {
      failures[String(status)] = (failures[String(status)] ?? 0) + 1;
    }
  });
  const result = await instance;
  if (result.errors) failures.connectionErrors = result.errors;
  return { ok, seconds: result.duration, latencies, failures };
}

export function httpResult(
  base: Pick<PhaseResult, "name" | "description" | "seconds" | "clients">,
  outcome: HttpOutcome,
): PhaseResult {
  const { p50, p99 } = outcome.latencies.percentiles();
  return {
    ...base,
    kind: "http",
    perSecond: outcome.ok / outcome.seconds,
    p50Ms: p50,
    p99Ms: p99,
    ok: outcome.ok,
    failures: outcome.failures,
  };
}

/** Bodies for POST /api/reservations: one random item, qty 1, a new key each time. */
export function reservationRequests(itemIds: number[]) {
  let n = 0;
  return () => {
    const itemId = itemIds[Math.floor(Math.random() * itemIds.length)] ?? 0;
    n++;
    return {
      body: JSON.stringify({ orderRef: `http-${n}`, lines: [{ itemId, qty: 1 }] }),
      headers: { "idempotency-key": randomUUID() },
    };
  };
}

/** Bodies for the no-op route: the same shape and size as a reservation's. */
export function noopRequests(itemIds: number[]) {
  const reservation = reservationRequests(itemIds);
  return () => ({ body: reservation().body, headers: { "idempotency-key": randomUUID() } });
}
