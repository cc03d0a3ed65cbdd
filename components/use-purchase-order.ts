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
 * Pushes (`purchase_order.updated`, see purchase-order-live-updates.ts)
 * refetch it as each delivery attempt is recorded. While they cannot arrive
 * (`live` false: the realtime link is down or not up yet) an order that is
 * not in a final state is polled once a second instead, so a buyer
 * watching a delivery never waits on a reconnection.
 */
export function usePurchaseOrder(id: string, { live }: { live: boolean }) {
  return useQuery({
    queryKey: purchaseOrderKeys.one(id),
    queryFn: ({ signal }) => apiFetch<PurchaseOrderView>(`/api/purchase-orders/${id}`, { signal }),
    refetchInterval: (query) => {
      if (live) return false;
      const order = query.state.data;
      if (!order) return query.state.error ? false : 1000;
      return isFinalStatus(order.status) ? false : 1000;
    },
  });
}
