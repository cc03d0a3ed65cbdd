import type { PlanChangeView } from "./plan-queries";

export type ChangeGroup = {
  key: string;
  at: string;
  reason: PlanChangeView["reason"];
  changes: PlanChangeView[];
};

/**
 * The planner's decisions grouped by the machine event that caused them,
 * newest first as the server sends them: one group per breakdown, shortage
 * or resume, listing every order it moved or left waiting.
 */
export function groupChanges(changes: readonly PlanChangeView[]): ChangeGroup[] {
  const groups: ChangeGroup[] = [];
  const byKey = new Map<string, ChangeGroup>();
  for (const change of changes) {
    const key = change.reason.eventId ?? `${change.reason.machineId}:${change.reason.type}:${change.at}`;
    let group = byKey.get(key);
    if (!group) {
      group = { key, at: change.at, reason: change.reason, changes: [] };
      byKey.set(key, group);
      groups.push(group);
    }
    group.changes.push(change);
  }
  return groups;
}

/**
 * The orders the planner moved within `withinMs` before `now`: the timeline
 * outlines them. Recent moves rather than the latest re-plan's only, so a
 * planner who looks up after two machines stopped one after the other sees
 * both re-routes.
 */
export function recentlyMovedIds(changes: readonly PlanChangeView[], now: number, withinMs: number): Set<number> {
  return new Set(
    changes.filter((c) => c.kind === "moved" && now - Date.parse(c.at) <= withinMs).map((c) => c.workOrderId),
  );
}
