"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { purchaseOrderKeys } from "../purchase-order-queries";
import { useLiveEvents } from "../use-live-events";
import { riskKeys } from "./risk-queries";

const highlightMs = 4000;

/**
 * The risk pages' live link: each `supplier.risk` push, and each resync
 * (first connection, unrecovered reconnection, a gap), invalidates the risk
 * queries and the suppliers' levels, so what is shown is refetched rather
 * than patched from the push (the push carries the score, not the analysis
 * or the factors). The suppliers just reassessed are flagged for a moment.
 */
export function useRiskLive() {
  const queryClient = useQueryClient();
  const invalidate = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: riskKeys.all });
    void queryClient.invalidateQueries({ queryKey: purchaseOrderKeys.suppliers });
  }, [queryClient]);
  const live = useLiveEvents({ onResync: invalidate });
  const [justUpdated, setJustUpdated] = useState<ReadonlySet<number>>(new Set());
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  const { subscribe } = live;

  useEffect(
    () =>
      subscribe("supplier.risk", ({ payload }) => {
        invalidate();
        setJustUpdated((ids) => new Set(ids).add(payload.supplierId));
        const timer = setTimeout(() => {
          timers.current.delete(timer);
          setJustUpdated((ids) => {
            const next = new Set(ids);
            next.delete(payload.supplierId);
            return next;
          });
        }, highlightMs);
        timers.current.add(timer);
      }),
    [subscribe, invalidate],
  );

  useEffect(() => {
    const all = timers.current;
    return () => {
      for (const timer of all) clearTimeout(timer);
    };
  }, []);

  return { ...live, invalidate, justUpdated };
}
