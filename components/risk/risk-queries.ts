import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../api-client";
import { purchaseOrderKeys, type SupplierView } from "../purchase-order-queries";
import type { RiskHistoryPoint, SupplierRisk } from "./risk-types";

// Query keys of the risk pages. A `supplier.risk` event, a reassessment that
// came back, or a resync invalidates ["supplier-risk"] (everything below it)
// and ["suppliers"] (the levels that buyers see, shared with purchasing).
export const riskKeys = {
  all: ["supplier-risk"] as const,
  list: ["supplier-risk", "list"] as const,
  history: (supplierId: number, days: number) => ["supplier-risk", "history", supplierId, days] as const,
  one: (supplierId: number) => ["supplier-risk", "one", supplierId] as const,
};

/** How often the risk pages refetch while live pushes are not arriving. */
export const offlinePollMs = 30_000;

/**
 * Every supplier with its latest assessment (managers and admins). Pushes
 * keep it current; `pollMs` is for while they do not arrive (the live link is
 * down), so scheduled and event-driven assessments still show up.
 */
export function useSupplierRisks({ pollMs }: { pollMs: number | false }) {
  return useQuery({
    queryKey: riskKeys.list,
    queryFn: ({ signal }) =>
      apiFetch<{ suppliers: SupplierRisk[] }>("/api/suppliers/risk", { signal }).then((r) => r.suppliers),
    refetchInterval: pollMs,
  });
}

/** One supplier's assessments over the last `days`, oldest first. */
export function useRiskHistory(supplierId: number | null, days: number) {
  return useQuery({
    queryKey: riskKeys.history(supplierId ?? 0, days),
    queryFn: ({ signal }) =>
      apiFetch<{ assessments: RiskHistoryPoint[] }>(`/api/suppliers/${supplierId}/risk/history?days=${days}`, {
        signal,
      }).then((r) => r.assessments),
    enabled: supplierId !== null,
  });
}

/** The latest assessment of one supplier: what the reassess button checks when no push came. */
export function fetchLatestAssessment(supplierId: number) {
  return apiFetch<{ level: string | null; score: number | null; source: string | null; assessedAt: string | null }>(
    `/api/suppliers/${supplierId}/risk`,
  );
}

/** Every supplier with its current level (GET /api/suppliers, what buyers see), polled like the list above. */
export function useSupplierLevels({ pollMs }: { pollMs: number | false }) {
  return useQuery({
    queryKey: purchaseOrderKeys.suppliers,
    queryFn: ({ signal }) =>
      apiFetch<{ suppliers: SupplierView[] }>("/api/suppliers", { signal }).then((r) => r.suppliers),
    refetchInterval: pollMs,
  });
}
