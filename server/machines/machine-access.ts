import type { Principal } from "../auth/roles";
import { AppError } from "../errors";

/**
 * Operators act on the machines of their own work-center group only;
 * planners and admins on any (the route's role list has already refused
 * everyone else). Checked after the machine was found, so that an operator
 * gets 403 for another group's machine and 404 only for one that does not exist.
 */
export function assertMayOperate(principal: Principal, machine: { workCenterId: number; name: string }): void {
  if (principal.role === "operator" && principal.workCenterId !== machine.workCenterId) {
    throw new AppError(
      "forbidden",
      `${machine.name} belongs to another work center: operators act only on their own work center's machines.`,
    );
  }
}
