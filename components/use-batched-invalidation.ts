import { type QueryKey, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";

/**
 * Invalidates query keys a moment after the first request, once per key:
 * one re-plan pushes a plan.updated and a work_order.updated per moved
 * order, and the page should refetch once for all of them, not once each.
 */
export function useBatchedInvalidation(delayMs = 150): (queryKey: QueryKey) => void {
  const queryClient = useQueryClient();
  const pending = useRef(new Map<string, QueryKey>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(
    () => () => {
      clearTimeout(timer.current);
      timer.current = undefined;
    },
    [],
  );

  return useCallback(
    (queryKey: QueryKey) => {
      pending.current.set(JSON.stringify(queryKey), queryKey);
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = undefined;
        const keys = [...pending.current.values()];
        pending.current.clear();
        for (const key of keys) void queryClient.invalidateQueries({ queryKey: key });
      }, delayMs);
    },
    [queryClient, delayMs],
  );
}
