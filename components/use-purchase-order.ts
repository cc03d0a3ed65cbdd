import { useQuery } from "@tanstack/react-query";
import type { PurchaseOrderStatus } from "@/server/purchasing/get-purchase-order-or-throw";
import { apiFetch } from "./api-client";
import { type PurchaseOrderView, purchaseOrderKeys } from "./purchase-order-queries";

/** States the relay no longer changes by itself: nothing to wait for. */
const finalStatuses: ReadonlySet<PurchaseOrderStatus> = new Set(["ACKNOWLEDGED", "FAILED", "RECEIVED"]);

export function isFinalStatus(status: PurchaseOrderStatus): boolean {
  return finalStatuses.has(status);
}

/**
 * One purchase order, kept current while the relay is still delivering it.
 *
 * Polls once a second until the order reaches a final state, then stops.
 * This stands in for the realtime server (a later issue): once the page
 * receives `purchase_order.updated` pushes over Socket.IO, the push handler
 * invalidates this query instead and the refetchInterval goes away.
 */
export function usePurchaseOrder(id: string) {
  return useQuery({
    queryKey: purchaseOrderKeys.one(id),
    queryFn: ({ signal }) => apiFetch<PurchaseOrderView>(`/api/purchase-orders/${id}`, { signal }),
    refetchInterval: (query) => {
      const order = query.state.data;
      if (!order) return query.state.error ? false : 1000;
      return isFinalStatus(order.status) ? false : 1000;
    },
  });
}
