import { prisma } from "../db";
import { AppError } from "../errors";
import { logger } from "../logger";
import { announceRevocation } from "./revocation";
import type { Role } from "./roles";

export type RoleChange = { userId: number; role: Role; workCenterId: number | null; changed: boolean };

/**
 * Gives a user another role (and, for an operator, a work-center group),
 * with the before and after in an audit row of the same transaction. Every
 * request checks the role afresh, so HTTP follows at once; open sockets are
 * closed so that they connect again into the rooms of the new role. The last
 * active admin cannot be demoted: nobody could undo it.
 */
export async function changeUserRole({
  userId,
  role,
  workCenterId,
  actorId,
}: {
  userId: number;
  role: Role;
  workCenterId?: number | null;
  actorId: number;
}): Promise<RoleChange> {
  if (role === "operator" && workCenterId == null) {
    throw new AppError("invalid_request", "An operator belongs to a work-center group: workCenterId is required.");
  }
  if (role !== "operator" && workCenterId != null) {
    throw new AppError("invalid_request", "Only operators belong to a work-center group: leave workCenterId out.");
  }
  const to = { role, workCenterId: role === "operator" ? (workCenterId ?? null) : null };

  const result = await prisma().$transaction(async (tx) => {
    // Admins are locked in id order, so two admins demoting each other at once
    // cannot both pass the "another admin remains" check.
    const admins = await tx.$queryRaw<{ id: number }[]>`
      SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`;
    const [user] = await tx.$queryRaw<{ id: number; role: Role; work_center_id: number | null }[]>`
      SELECT id, role, work_center_id FROM users WHERE id = ${userId} FOR UPDATE`;
    if (!user) throw new AppError("not_found", `There is no user ${userId}.`);
    if (user.role === to.role && user.work_center_id === to.workCenterId) return { ...to, userId, changed: false };
    if (user.role === "admin" && to.role !== "admin" && !admins.some((a) => a.id !== userId)) {
      throw new AppError("conflict", "This is the last active admin: make someone else an admin first.");
    }
    if (to.workCenterId !== null && !(await tx.workCenter.findUnique({ where: { id: to.workCenterId } }))) {
      throw new AppError("invalid_request", `There is no work center ${to.workCenterId}.`);
    }
    await tx.user.update({ where: { id: userId }, data: to });
    await tx.auditLog.create({
      data: {
        actorId,
        action: "user.role_change",
        targetType: "user",
        targetId: String(userId),
        detail: { from: { role: user.role, workCenterId: user.work_center_id }, to },
      },
    });
    return { ...to, userId, changed: true };
  });
  if (result.changed) {
    await announceRevocation({ kind: "user", userId }).catch((err) =>
      logger.warn({ err, userId }, "could not tell the realtime process about a role change"),
    );
  }
  return result;
}
