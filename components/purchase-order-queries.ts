import { useQuery } from "@tanstack/react-query";
import type { PurchaseOrderView } from "@/server/purchasing/get-purchase-order-or-throw";
import type { PurchaseOrderSummary } from "@/server/purchasing/list-purchase-orders";
import type { SupplierView } from "@/server/suppliers/list-suppliers";
import { apiFetch } from "./api-client";

// Query keys of the purchase-order pages: a write invalidates ["purchase-orders"]
// (the list and every order) and, for a receipt, ["inventory"] too.
export const purchaseOrderKeys = {
  all: ["purchase-orders"] as const,
  list: ["purchase-orders", "list"] as const,
  one: (id: string) => ["purchase-orders", "one", id] as const,
  suppliers: ["suppliers"] as const,
};

/**
 * The newest orders. Pushes (purchase_order.updated) refetch the list; only
 * while they cannot arrive (`live` false: the realtime link is down) and an
 * order is still on its way to the supplier is the list polled, every 3 s.
 */
export function usePurchaseOrders({ live }: { live: boolean }) {
  return useQuery({
    queryKey: purchaseOrderKeys.list,
    queryFn: ({ signal }) =>
      apiFetch<{ purchaseOrders: PurchaseOrderSummary[] }>("/api/purchase-orders?limit=100", { signal }).then(
        (r) => r.purchaseOrders,
      ),
    refetchInterval: (query) =>
      !live && query.state.data?.some((o) => o.status === "PENDING" || o.status === "SENT") ? 3000 : false,
  });
}

/**
 * Suppliers with their current risk level. Fetched afresh each time the
 * dialog opens (staleTime 0): a buyer choosing a supplier must see today's
 * risk, not the one from when the page loaded.
 */
export function useSuppliers(enabled: boolean) {
  return useQuery({
    queryKey: purchaseOrderKeys.suppliers,
    queryFn: ({ signal }) =>
      apiFetch<{ suppliers: SupplierView[] }>("/api/suppliers", { signal }).then((r) => r.suppliers),
    enabled,
    staleTime: 0,
  });
}

export type { PurchaseOrderSummary, PurchaseOrderView, SupplierView };
