import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ReservationView } from "@/server/inventory/get-reservation-or-throw";
import type { InventoryItemView } from "@/server/inventory/list-items";
import { apiFetch } from "./api-client";

// Query keys in one place, so that a write can invalidate everything it
// changed: every ["inventory", ...] query after a reservation or a release.
export const queryKeys = {
  inventory: ["inventory"] as const,
  inventoryList: (q: string) => ["inventory", "list", q] as const,
  inventoryAll: ["inventory", "all"] as const,
  reservations: ["reservations"] as const,
};

export function useInventory(q: string) {
  // Explicit types: TypeScript 7 otherwise infers the data type from placeholderData.
  return useQuery<InventoryItemView[], Error, InventoryItemView[], ReturnType<typeof queryKeys.inventoryList>>({
    queryKey: queryKeys.inventoryList(q),
    queryFn: ({ signal }) =>
      apiFetch<{ items: InventoryItemView[] }>(`/api/inventory/items?${new URLSearchParams({ q, limit: "500" })}`, {
        signal,
      }).then((r) => r.items),
    // Keep the last rows on screen while a new search loads, instead of flashing empty.
    placeholderData: keepPreviousData,
  });
}

/** Every item (up to the API's 500), for choosing lines in the reserve dialog. */
export function useAllItems(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.inventoryAll,
    queryFn: ({ signal }) =>
      apiFetch<{ items: InventoryItemView[] }>("/api/inventory/items?limit=500", { signal }).then((r) => r.items),
    enabled,
  });
}

export function useReservations() {
  return useQuery({
    queryKey: queryKeys.reservations,
    queryFn: ({ signal }) =>
      apiFetch<{ reservations: ReservationView[] }>("/api/reservations?limit=50", { signal }).then(
        (r) => r.reservations,
      ),
  });
}

export type { InventoryItemView, ReservationView };
