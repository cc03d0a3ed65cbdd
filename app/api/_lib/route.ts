import { z } from "zod";
import { authenticate } from "@/server/auth/authenticate";
import type { Principal, Role } from "@/server/auth/roles";
import { AppError } from "@/server/errors";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  fingerprintBody,
  releaseIdempotencyKey,
} from "@/server/idempotency/idempotency-store";
import { readBearer, readCookie, sessionCookieName } from "./request-context";
import { errorResponse, jsonResponse } from "./responses";
import { assertSameOrigin, isUnsafeMethod } from "./same-origin";

// The one wrapper every route handler goes through: authentication, role,
// zod parsing of params, query and body, idempotency for creating POSTs, and
// the mapping of every error to a JSON answer (STYLE.md).

export type Reply = { status?: number; body: unknown; headers?: Record<string, string> };

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

type RouteOptions<P, Q, B> = {
  /** Roles allowed to call; "public" skips authentication (login, health). */
  roles: readonly Role[] | "public";
  params?: P;
  query?: Q;
  body?: B;
  /**
   * true: requires an Idempotency-Key and replays the first answer to repeats.
   * "key-only": requires the key and hands it to the handler, which
   * deduplicates by itself; the answer is never stored (it may hold a secret).
   */
  idempotent?: boolean | "key-only";
  maxBodyBytes?: number;
};

type Context<P, Q, B, Auth> = {
  req: Request;
  principal: Auth;
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  idempotencyKey: string | null;
  requestHash: string | null;
};

type NextRouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

const idempotencyKeySchema = z.uuid({ message: "Idempotency-Key must be a UUID" });
const defaultMaxBodyBytes = 256 * 1024;

export function route<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  R extends readonly Role[] | "public" = readonly Role[],
>(
  options: RouteOptions<P, Q, B> & { roles: R },
  handler: (ctx: Context<P, Q, B, R extends "public" ? Principal | null : Principal>) => Promise<Reply>,
): (req: Request, ctx: NextRouteContext) => Promise<Response> {
  return async (req, routeContext) => {
    try {
      // Before authentication, so that it also guards login and logout.
      if (isUnsafeMethod(req.method) && !readBearer(req)) assertSameOrigin(req);
      const principal = await authorize(req, options.roles);
      const params = options.params ? parseOrThrow(options.params, await routeContext.params, "path") : undefined;
      const query = options.query
        ? parseOrThrow(options.query, Object.fromEntries(new URL(req.url).searchParams), "query")
        : undefined;
      const rawBody = options.body ? await readJsonBody(req, options.maxBodyBytes ?? defaultMaxBodyBytes) : undefined;

      const idempotencyKey = options.idempotent ? readIdempotencyKey(req) : null;
      const body = options.body ? parseOrThrow(options.body, rawBody, "body") : undefined;
      // Fingerprinted only once the schema has accepted the body: the
      // fingerprint walks the JSON recursively, and an arbitrary body nested
      // ten thousand levels deep (20 kB) would overflow the stack (a 500).
      const requestHash = options.idempotent ? fingerprintBody(rawBody ?? null) : null;

      const ctx = { req, principal, params, query, body, idempotencyKey, requestHash } as Context<
        P,
        Q,
        B,
        R extends "public" ? Principal | null : Principal
      >;
      if (options.idempotent !== true || !idempotencyKey || !requestHash || !principal) {
        return toResponse(await handler(ctx));
      }
      return await runIdempotent(req, principal, idempotencyKey, requestHash, () => handler(ctx));
    } catch (error) {
      return errorResponse(error);
    }
  };
}

async function authorize(req: Request, roles: readonly Role[] | "public"): Promise<Principal | null> {
  const bearerToken = readBearer(req);
  const sessionToken = bearerToken ? undefined : readCookie(req, sessionCookieName);
  const principal =
    bearerToken || sessionToken ? await authenticate({ bearerToken, sessionToken, recordActivity: true }) : null;
  if (roles === "public") return principal;
  if (!principal) throw new AppError("unauthenticated", "Log in first: no valid session or token was sent.");
  if (!roles.includes(principal.role)) {
    throw new AppError("forbidden", `The ${principal.role} role may not do this.`);
  }
  if (principal.readOnly && isUnsafeMethod(req.method)) {
    throw new AppError("forbidden", "This token is read-only: it may not change anything.");
  }
  return principal;
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  assertNoNul(value, where);
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError("invalid_request", `Invalid ${where}: ${z.prettifyError(result.error)}`, {
      issues: result.error.issues.map(({ code, path, message }) => ({ code, path, message })),
    });
  }
  return result.data;
}

/**
 * PostgreSQL text cannot hold U+0000, so a NUL anywhere in the input would
 * fail deep in a query (a 500). Refused up front instead. Iterative, not
 * recursive: JSON nested thousands deep must not overflow the stack.
 */
function assertNoNul(value: unknown, where: string): void {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === "string") {
      if (next.includes("\u0000")) {
        throw new AppError("invalid_request", `Invalid ${where}: text may not contain the NUL character (U+0000).`);
      }
    } else if (next && typeof next === "object") {
      for (const [key, inner] of Object.entries(next)) pending.push(key, inner);
    }
  }
}

async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  const text = await readBodyText(req, maxBytes);
  if (text.trim() === "")
    throw new AppError("invalid_request", "The request body is empty; a JSON object is expected.");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_request", "The request body is not valid JSON.");
  }
}

/**
 * The body as text, refused (413) as soon as it passes `maxBytes`: a declared
 * Content-Length is believed at once, and a chunked body is counted while it
 * streams, so an endless one is never buffered whole.
 */
async function readBodyText(req: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new AppError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  if (Number(req.headers.get("content-length") ?? "0") > maxBytes) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function readIdempotencyKey(req: Request): string {
  const raw = req.headers.get("idempotency-key");
  if (!raw) {
    throw new AppError(
      "idempotency_key_required",
      "This request creates something: send an Idempotency-Key header (a UUID) so that a retry cannot create it twice.",
    );
  }
  const parsed = idempotencyKeySchema.safeParse(raw.trim());
  if (!parsed.success) {
    throw new AppError("idempotency_key_required", "The Idempotency-Key header must be a UUID.");
  }
  return parsed.data.toLowerCase();
}

async function runIdempotent(
  req: Request,
  principal: Principal,
  key: string,
  fingerprint: string,
  run: () => Promise<Reply>,
): Promise<Response> {
  // Keys are per caller and per route: one user's key can never replay
  // another user's response.
  const id = { scope: `${principal.userId}:${req.method}:${new URL(req.url).pathname}`, key };
  const claim = await claimIdempotencyKey({ ...id, fingerprint });
  if (claim.outcome === "replay") {
    return toResponse({ ...claim.response, headers: { ...claim.response.headers, "Idempotent-Replayed": "true" } });
  }

  let reply: Reply;
  try {
    reply = await run();
  } catch (error) {
    const response = errorResponse(error);
    // A client error is the answer to this request and is kept; a server
    // error or a busy database may go away, so the key is freed for a retry.
    // A key_reused refusal from the handler comes from the database's record
    // of the key (Redis had lost it): kept here under this body's fingerprint,
    // it would refuse the first body's own retry, so the key is freed too.
    const keyBelongsToAnotherRequest = error instanceof AppError && error.code === "idempotency_key_reused";
    if (response.status >= 500 || keyBelongsToAnotherRequest) await releaseIdempotencyKey(id).catch(() => {});
    else await completeIdempotencyKey({ ...id, fingerprint, response: await storedForm(response) });
    return response;
  }
  await completeIdempotencyKey({ ...id, fingerprint, response: { status: reply.status ?? 200, body: reply.body } });
  return toResponse(reply);
}

async function storedForm(response: Response) {
  return { status: response.status, body: await response.clone().json() };
}

function toResponse(reply: Reply): Response {
  return jsonResponse(reply.body, reply.status ?? 200, reply.headers);
}
