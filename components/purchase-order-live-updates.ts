"use client";

import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import type { LiveEventPayload } from "@/server/realtime/events";
import { queryKeys } from "./inventory-queries";
import { wasRaisedHere } from "./orders-raised-here";
import { purchaseOrderNotice } from "./purchase-order-notice";
import {
  type PurchaseOrderSummary,
  type PurchaseOrderView,
  purchaseOrderKeys,
  type SupplierView,
} from "./purchase-order-queries";
import { useToast } from "./toast";
import { useBatchedInvalidation } from "./use-batched-invalidation";
import { type LiveConnectionState, useLiveEvents } from "./use-live-events";

/** Stock movements that change a reservation's status as well. */
const reservationReasons: ReadonlySet<string> = new Set(["reserve", "release", "consume"]);

/**
 * The purchasing pages' live connection (one per page: the inventory page,
 * the order list and an order's page each call this once). Stock levels,
 * reservations and purchase orders are refetched when a push says they
 * changed, rather than polled; everything is refetched when events may have
 * been missed. Refetching instead of writing the pushed figures into the
 * cache: two reservations' events for one item may arrive in either order,
 * the database's answer cannot be stale.
 *
 * Returns the connection's state, for the page to show, and to fall back to
 * polling what it watches while pushes cannot reach it.
 */
export function usePurchasingLiveUpdates(): { state: LiveConnectionState; lastConfirmedAt: Date | null } {
  const queryClient = useQueryClient();
  const notify = useToast();
  const invalidate = useBatchedInvalidation();
  // Not batched: the hook holds events back until this refetch has landed.
  const live = useLiveEvents({
    onResync: () =>
      Promise.all(
        [queryKeys.inventory, queryKeys.reservations, purchaseOrderKeys.all].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      ),
  });
  const { subscribe } = live;

  useEffect(() => {
    const unsubscribe = [
      subscribe("inventory.changed", ({ payload }) => {
        invalidate(queryKeys.inventory);
        if (reservationReasons.has(payload.reason)) invalidate(queryKeys.reservations);
        if (payload.purchaseOrderId) invalidate(purchaseOrderKeys.one(payload.purchaseOrderId));
      }),
      subscribe("purchase_order.updated", ({ payload }) => {
        invalidate(purchaseOrderKeys.list);
        invalidate(purchaseOrderKeys.one(payload.id));
        const mine =
          wasRaisedHere(payload.id) ||
          queryClient.getQueryData<PurchaseOrderView>(purchaseOrderKeys.one(payload.id)) !== undefined;
        const notice = purchaseOrderNotice(payload, supplierNameOf(queryClient, payload), mine);
        if (notice) notify(notice);
      }),
    ];
    return () => {
      for (const off of unsubscribe) off();
    };
  }, [subscribe, invalidate, notify, queryClient]);

  return { state: live.state, lastConfirmedAt: live.lastConfirmedAt };
}

/** The supplier's name from whatever the page has loaded: the order, the list or the supplier list. */
function supplierNameOf(
  queryClient: QueryClient,
  update: LiveEventPayload<"purchase_order.updated">,
): string | undefined {
  const order = queryClient.getQueryData<PurchaseOrderView>(purchaseOrderKeys.one(update.id));
  if (order) return order.supplier.name;
  const listed = queryClient
    .getQueryData<PurchaseOrderSummary[]>(purchaseOrderKeys.list)
    ?.find((o) => o.supplier.id === update.supplierId);
  if (listed) return listed.supplier.name;
  return queryClient.getQueryData<SupplierView[]>(purchaseOrderKeys.suppliers)?.find((s) => s.id === update.supplierId)
    ?.name;
}
