// One error type for the whole domain. Domain code throws it; the route
// wrapper (app/api/_lib) turns the code into an HTTP status.

export const errorStatus = {
  invalid_request: 400,
  idempotency_key_required: 400,
  unknown_items: 400,
  items_not_on_order: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  insufficient_stock: 409,
  reservation_not_active: 409,
  purchase_order_not_receivable: 409,
  over_receipt: 409,
  idempotency_in_progress: 409,
  work_order_not_queued: 409,
  work_order_not_running: 409,
  machine_not_available: 409,
  machine_busy: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  too_many_requests: 429,
  lock_timeout: 503,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  /** Seconds the client should wait before trying again (429, 503). */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, retryAfter?: number) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

/**
 * The PostgreSQL SQLSTATE behind an error, whether it came from pg directly or
 * wrapped by Prisma (P2010 "raw query failed" keeps it in meta.code, and the
 * driver adapter keeps the original error in `cause`).
 */
// SQLSTATEs are five characters of digits and capitals; Prisma's own codes
// (P1000-P6999) have the same shape, so they are told apart explicitly
// (PostgreSQL's PL/pgSQL class is P0, e.g. P0001 raise_exception).
function isSqlState(code: unknown): code is string {
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !/^P[1-9]/.test(code);
}

export function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const e = current as {
      code?: unknown;
      originalCode?: unknown;
      meta?: { code?: unknown; driverAdapterError?: unknown };
      cause?: unknown;
    };
    if (isSqlState(e.code)) return e.code;
    // adapter-pg classifies some errors (23505, 23503, 40001, 40P01, ...) by
    // `kind` and keeps the SQLSTATE only as `originalCode`.
    if (isSqlState(e.originalCode)) return e.originalCode;
    if (isSqlState(e.meta?.code)) return e.meta.code;
    current = e.cause ?? e.meta?.driverAdapterError;
  }
  return undefined;
}

export const SqlState = {
  lockNotAvailable: "55P03",
  deadlockDetected: "40P01",
  serializationFailure: "40001",
  uniqueViolation: "23505",
  checkViolation: "23514",
  foreignKeyViolation: "23503",
  numericValueOutOfRange: "22003",
} as const;
