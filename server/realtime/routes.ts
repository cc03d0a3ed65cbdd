import { room } from "./rooms";

// Who hears which live event: one table, read by the feeder for every entry
// of the stream. A type missing here reaches admins only, so a new event is
// never shown to someone it was not meant for before somebody decides.

type Route = (payload: unknown) => string[];

const purchasingAudience = [room.role("purchasing"), room.role("manager"), room.role("admin")];

/** The work centers an event concerns: its `workCenterId` and `affectedWorkCenterIds`, when present. */
function workCenterIdsOf(payload: unknown): number[] {
  if (typeof payload !== "object" || payload === null) return [];
  const { workCenterId, affectedWorkCenterIds } = payload as Record<string, unknown>;
  const ids = new Set<number>();
  if (Number.isInteger(workCenterId)) ids.add(workCenterId as number);
  if (Array.isArray(affectedWorkCenterIds)) {
    for (const id of affectedWorkCenterIds) if (Number.isInteger(id)) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** The operators of the work centers concerned, and everyone who watches the whole floor. */
const shopFloor: Route = (payload) => [...workCenterIdsOf(payload).map(room.workCenter), room.floor];

export const liveEventRoutes: Record<string, Route> = {
  "inventory.changed": () => purchasingAudience,
  "purchase_order.updated": () => purchasingAudience,
  "machine.status": shopFloor,
  "work_order.updated": shopFloor,
  "plan.updated": shopFloor,
  // The risk dashboard is for planners and managers; buyers choose suppliers by it.
  "supplier.risk": () => [...purchasingAudience, room.role("planner")],
};

export const unknownEventRooms = [room.role("admin")];

export function roomsForEvent(type: string, payload: unknown): string[] {
  const route = Object.hasOwn(liveEventRoutes, type) ? liveEventRoutes[type] : undefined;
  return route ? route(payload) : unknownEventRooms;
}
