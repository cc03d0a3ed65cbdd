import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../api-client";
import type { FloorPlan } from "./floor-cache";

// Everything the floor shows comes from one call, GET /api/plan: the machines
// the person may see (an operator: their own group's), each with its queue
// in working order, and the planner's latest moves. Live events patch this
// cache or invalidate it; nothing polls.
export const floorKeys = {
  all: ["floor"] as const,
  plan: ["floor", "plan"] as const,
};

export function useFloorPlan() {
  return useQuery({
    queryKey: floorKeys.plan,
    queryFn: ({ signal }) => apiFetch<FloorPlan>("/api/plan", { signal }),
    // Pushes keep it current; a refetch happens on a resync, a re-plan, or
    // when an event is more than the cache can apply.
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}
