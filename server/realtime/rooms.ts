import type { Principal, Role } from "../auth/roles";

// Socket.IO rooms are the unit of authorization: a socket is put in the rooms
// its principal may hear, at the handshake and only there (no client message
// can join a room), and every event is addressed to rooms.

export const room = {
  role: (role: Role) => `role:${role}`,
  workCenter: (workCenterId: number) => `wc:${workCenterId}`,
  /** Everything that happens on the shop floor, every work center. */
  floor: "floor:all",
} as const;

/** Roles that see the whole floor: they plan, run or administer it. */
const wholeFloorRoles: readonly Role[] = ["planner", "manager", "admin"];

export function roomsFor(principal: Pick<Principal, "role" | "workCenterId">): string[] {
  const rooms = [room.role(principal.role)];
  if (principal.role === "operator" && principal.workCenterId !== null) {
    rooms.push(room.workCenter(principal.workCenterId));
  }
  if (wholeFloorRoles.includes(principal.role)) rooms.push(room.floor);
  return rooms;
}
