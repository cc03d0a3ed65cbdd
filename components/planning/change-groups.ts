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

/** The orders the latest re-plan moved: the timeline outlines them. */
export function latestMovedIds(changes: readonly PlanChangeView[]): Set<number> {
  const [latest] = groupChanges(changes);
  return new Set(latest?.changes.filter((c) => c.kind === "moved").map((c) => c.workOrderId) ?? []);
}
