// The browser side of the HTTP API: one fetch wrapper that turns every answer
// into data or a typed error, so components never parse responses themselves.

export type ApiErrorBody = { error: string; message: string; [detail: string]: unknown };

/** The server answered with an error status; `code` is its `error` field. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: ApiErrorBody;
  /** Seconds from the Retry-After header (429, 503), when the server sent one. */
  readonly retryAfter: number | null;

  constructor(status: number, body: ApiErrorBody, retryAfter: number | null) {
    super(body.message);
    this.name = "ApiError";
    this.status = status;
    this.code = body.error;
    this.body = body;
    this.retryAfter = retryAfter;
  }
}

/**
 * No answer came back (connection lost, server unreachable). For a write this
 * means the outcome is unknown: the request may or may not have been applied.
 */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super("No answer from the server. Check the connection and try again.", { cause });
    this.name = "NetworkError";
  }
}

type ApiInit = { method?: "GET" | "POST"; json?: unknown; headers?: Record<string, string>; signal?: AbortSignal };

export async function apiFetch<T>(path: string, init: ApiInit = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...init.headers };
  if (init.json !== undefined) headers["content-type"] = "application/json";

  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? "GET",
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      credentials: "same-origin",
      cache: "no-store",
      signal: init.signal,
    });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new NetworkError(error);
  }

  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    // A proxy's HTML error page, or a connection cut mid-body.
    if (!response.ok) throw new ApiError(response.status, fallbackBody(response.status), retryAfterOf(response));
    throw new NetworkError(error);
  }
  if (!response.ok) {
    const errorBody = isErrorBody(body) ? body : fallbackBody(response.status);
    throw new ApiError(response.status, errorBody, retryAfterOf(response));
  }
  return body as T;
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  return typeof body === "object" && body !== null && typeof (body as ApiErrorBody).error === "string";
}

function fallbackBody(status: number): ApiErrorBody {
  return { error: `http_${status}`, message: `The server answered with status ${status}.` };
}

function retryAfterOf(response: Response): number | null {
  const seconds = Number(response.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

/** The message to show a person for any error a query or mutation raised. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError || error instanceof NetworkError) return error.message;
  return "Something went wrong. Reload the page and try again.";
}

/**
 * A v4 UUID for an Idempotency-Key. crypto.randomUUID() exists only in secure
 * contexts (HTTPS or localhost); a tablet on plain HTTP in the factory LAN
 * still has crypto.getRandomValues, so the key is built from that there.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
