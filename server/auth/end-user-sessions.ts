import { prisma } from "../db";
import { AppError } from "../errors";
import { announceSessionsEnded } from "./logout";

export type EndedSessions = { userId: number; ended: number };

/**
 * "Log out everywhere": ends every open session of a user, their own request
 * (`actorId === userId`) or an admin's, with one audit row in the same
 * transaction. Bearer tokens are not sessions and stay valid: they are
 * revoked one by one on the tokens page. Afterwards the realtime process is
 * told, so the sockets those sessions opened close at once.
 */
export async function endUserSessions({
  userId,
  actorId,
}: {
  userId: number;
  actorId: number;
}): Promise<EndedSessions> {
  const selfService = actorId === userId;
  const ended = await prisma().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) throw new AppError("not_found", `There is no user ${userId}.`);
    // Locks the rows it ends: a login committing meanwhile is not among them and stays open.
    const rows = await tx.$queryRaw<{ token_hash: string }[]>`
      UPDATE sessions SET revoked_at = now(), ended_reason = ${selfService ? "logout_everywhere" : "admin"}
      WHERE user_id = ${userId} AND revoked_at IS NULL AND expires_at > now()
      RETURNING token_hash`;
    await tx.auditLog.create({
      data: {
        actorId,
        action: "session.end_all",
        targetType: "user",
        targetId: String(userId),
        detail: { sessions: rows.length, by: selfService ? "self" : "admin" },
      },
    });
    return rows.map((row) => row.token_hash);
  });
  await announceSessionsEnded(ended);
  return { userId, ended: ended.length };
}
