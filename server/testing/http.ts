import { randomUUID } from "node:crypto";
import { createApiToken } from "../auth/create-api-token";
import type { Role } from "../auth/roles";
import { createUser, testPassword } from "./factories";

// Calls route handlers in-process, exactly as Next.js does: a standard
// Request in, a Response out. The handlers talk to the real PostgreSQL and
// Redis of the test file.

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type CallOptions = {
  method?: string;
  path?: string;
  params?: Record<string, string>;
  body?: unknown;
  /** Sent as is, for malformed-JSON tests. */
  rawBody?: string;
  headers?: Record<string, string>;
  token?: string;
  cookie?: string;
  idempotencyKey?: string | "none";
};

// Tests assert on response bodies field by field; typing each one would only
// restate the assertions.
// biome-ignore lint/suspicious/noExplicitAny: see above
export type CallResult = { status: number; headers: Headers; body: any };

export async function call(handler: Handler, options: CallOptions = {}): Promise<CallResult> {
  const method = options.method ?? (options.body !== undefined || options.rawBody !== undefined ? "POST" : "GET");
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined || options.rawBody !== undefined) headers["content-type"] ??= "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  if (method === "POST" && options.idempotencyKey !== "none") {
    headers["idempotency-key"] ??= options.idempotencyKey ?? randomUUID();
  }
  const req = new Request(`http://erp.test${options.path ?? "/api/test"}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
  });
  const res = await handler(req, { params: Promise.resolve(options.params ?? {}) });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

/** A user of the given role with a bearer token, ready to call routes. */
export async function actor(role: Role, workCenterId?: number) {
  const user = await createUser({ role, workCenterId });
  const { token } = await createApiToken({ userId: user.id, name: `test ${role}` });
  return { user, token, password: testPassword };
}
