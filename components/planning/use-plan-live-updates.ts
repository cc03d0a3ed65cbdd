"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useToast } from "../toast";
import { useBatchedInvalidation } from "../use-batched-invalidation";
import { useLiveEvents } from "../use-live-events";
import { type PlanView, planKeys } from "./plan-queries";
import { replanNotice } from "./replan-notice";

/**
 * Keeps the planning page's plan current from pushes: a re-plan, a machine
 * changing status or an order changing machine refetches /api/plan (once
 * for a burst), and a re-plan raises a toast saying what happened. When the
 * hook may have missed events (first connection, a reconnection that was
 * not recovered, a gap in the numbering) it refetches too.
 */
export function usePlanLiveUpdates({ onMoved }: { onMoved: (workOrderIds: number[]) => void }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const invalidate = useBatchedInvalidation();
  // Not batched: the hook holds events back until this refetch has landed.
  const live = useLiveEvents({ onResync: () => queryClient.invalidateQueries({ queryKey: planKeys.plan }) });
  const { subscribe } = live;
  const movedHandler = useRef(onMoved);
  movedHandler.current = onMoved;

  useEffect(() => {
    const refresh = () => invalidate(planKeys.plan);
    const unsubscribe = [
      subscribe("plan.updated", ({ payload }) => {
        // Names as the page shows them; the plan in the cache is the one on screen.
        const plan = queryClient.getQueryData<PlanView>(planKeys.plan);
        const names = new Map(plan?.machines.map((m) => [m.id, m.name]));
        const notice = replanNotice(payload, (id) => names.get(id));
        if (notice) notify(notice);
        movedHandler.current(payload.moves.map((m) => m.workOrderId));
        refresh();
      }),
      subscribe("machine.status", refresh),
      subscribe("work_order.updated", refresh),
    ];
    return () => {
      for (const off of unsubscribe) off();
    };
  }, [subscribe, invalidate, notify, queryClient]);

  return live;
}
