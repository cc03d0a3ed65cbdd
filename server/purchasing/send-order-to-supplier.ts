import { z } from "zod";
import { PermanentDeliveryError, RetryLaterError } from "../outbox/handler";

export type SupplierOrder = {
  purchaseOrderId: string;
  supplierCode: string;
  buyer: string;
  createdAt: string;
  lines: { lineNo: number; sku: string; name: string; qty: number; unitPrice: number }[];
};

/** The supplier is down, slow or overloaded: worth trying again, and counted by the breaker. */
export class SupplierUnavailableError extends Error {
  override readonly name = "SupplierUnavailableError";
}

const answerSchema = z.object({
  supplierReference: z.string().max(200).optional(),
  status: z.string().max(50).optional(),
});

// 408 timeout, 409 the supplier is still processing this key, 425 too early,
// 429 slow down: all pass if we wait. Any other 4xx will not.
const retryableClientErrors = new Set([408, 409, 425, 429]);

/**
 * POSTs one order with its Idempotency-Key and a hard timeout. Resolves on
 * 2xx; throws PermanentDeliveryError for a refusal that retrying cannot fix,
 * and SupplierUnavailableError / RetryLaterError for everything else.
 */
export async function sendOrderToSupplier({
  endpoint,
  idempotencyKey,
  token,
  timeoutMs,
  order,
}: {
  endpoint: string;
  idempotencyKey: string;
  token?: string;
  timeoutMs: number;
  order: SupplierOrder;
}): Promise<{ acknowledged: boolean; supplierReference: string | null }> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": idempotencyKey,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(order),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    throw new SupplierUnavailableError(
      timedOut ? `no answer within ${timeoutMs} ms` : `connection failed: ${networkErrorText(error)}`,
    );
  }

  const text = await response.text().catch(() => "");
  if (response.ok) {
    const parsed = answerSchema.safeParse(safeJson(text));
    const answer = parsed.success ? parsed.data : {};
    return { acknowledged: answer.status === "acknowledged", supplierReference: answer.supplierReference ?? null };
  }
  const summary = `supplier answered ${response.status}${text ? `: ${text.slice(0, 300)}` : ""}`;
  if (response.status >= 500) throw new SupplierUnavailableError(summary);
  if (retryableClientErrors.has(response.status)) {
    throw new RetryLaterError(summary, retryAfterMs(response.headers.get("retry-after")));
  }
  throw new PermanentDeliveryError(summary);
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(Math.max(seconds, 0), 3600) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(at - Date.now(), 0), 3_600_000);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function networkErrorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause as { code?: string; message?: string } | undefined;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
