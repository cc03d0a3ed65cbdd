import type { SupplierRiskEvent } from "./risk-types";

export const supplierRiskEventType = "supplier.risk";

/**
 * The `supplier.risk` payload out of a live message, or null when the message
 * is another type or lacks what the page relies on (a newer or older server
 * must not break the page: it falls back to refetching).
 */
export function readSupplierRiskEvent(message: { type: string; payload: unknown }): SupplierRiskEvent | null {
  if (message.type !== supplierRiskEventType) return null;
  const p = message.payload;
  if (typeof p !== "object" || p === null) return null;
  const { supplierId, score, level, source, assessedAt } = p as Record<string, unknown>;
  if (!Number.isInteger(supplierId) || typeof level !== "string" || typeof assessedAt !== "string") return null;
  return {
    supplierId: supplierId as number,
    score: typeof score === "number" && Number.isFinite(score) ? score : null,
    level,
    source: typeof source === "string" ? source : "",
    assessedAt,
  };
}
