import { AppError, SqlState, sqlState } from "@/server/errors";
import { logger } from "@/server/logger";

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/** Every error becomes `{ error, message, ...details }`; nothing internal leaks. */
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const headers: Record<string, string> = {};
    if (error.retryAfter !== undefined) headers["Retry-After"] = String(Math.ceil(error.retryAfter));
    return jsonResponse({ error: error.code, message: error.message, ...error.details }, error.status, headers);
  }
  switch (sqlState(error)) {
    case SqlState.lockNotAvailable:
      return jsonResponse(
        { error: "lock_timeout", message: "The data is busy right now. Nothing was changed; try again in a moment." },
        503,
        { "Retry-After": "1" },
      );
    case SqlState.uniqueViolation:
      return jsonResponse({ error: "conflict", message: "That already exists." }, 409);
    case SqlState.checkViolation:
    case SqlState.foreignKeyViolation:
      return jsonResponse({ error: "conflict", message: "The change would break a rule of the data." }, 409);
  }
  logger.error({ err: error }, "unhandled error in route");
  return jsonResponse(
    { error: "internal_error", message: "Something went wrong on our side. It has been logged." },
    500,
  );
}
