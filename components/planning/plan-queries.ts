import { useQuery } from "@tanstack/react-query";
import type { PlanChangeView, PlannedOrder, PlanningView } from "@/server/planning/get-plan";
import { apiFetch } from "../api-client";

export const planKeys = {
  plan: ["plan"] as const,
};

/**
 * The plan as the server computes it: every machine's queue laid out from
 * "now". Pushes (plan.updated, machine.status, work_order.updated)
 * invalidate it; the slow refetch only keeps the bars anchored to the
 * moving "now" line, since the server starts each queue at the time it answers.
 */
export function usePlan() {
  return useQuery({
    queryKey: planKeys.plan,
    queryFn: ({ signal }) => apiFetch<PlanView>("/api/plan", { signal }),
    refetchInterval: 60_000,
  });
}

/** The planning page's name for all of GET /api/plan. */
export type PlanView = PlanningView;
export type PlanMachineView = PlanView["machines"][number];
export type { PlanChangeView, PlannedOrder };
