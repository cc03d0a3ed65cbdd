import { prisma } from "../db";
import { logger } from "../logger";
import { announceRevocation } from "./revocation";
import { hashSecretToken } from "./secret-token";

/**
 * Ends one browser session, with its audit row in the same transaction, then
 * tells the realtime process to close the sockets it opened. Idempotent: an
 * unknown or ended session changes nothing and writes nothing.
 */
export async function logout({ sessionToken, ip }: { sessionToken: string; ip?: string }): Promise<void> {
  const tokenHash = hashSecretToken(sessionToken);
  const ended = await prisma().$transaction(async (tx) => {
    const session = await tx.session.findUnique({ where: { tokenHash }, select: { userId: true, revokedAt: true } });
    if (!session || session.revokedAt) return false;
    const { count } = await tx.session.updateMany({
      where: { tokenHash, revokedAt: null },
      data: { revokedAt: new Date(), endedReason: "logout" },
    });
    if (count === 0) return false;
    await tx.auditLog.create({
      data: {
        actorId: session.userId,
        action: "auth.logout",
        targetType: "user",
        targetId: String(session.userId),
        detail: { ip },
      },
    });
    return true;
  });
  if (ended) await announceSessionsEnded([tokenHash]);
}

/**
 * Tells every realtime instance about ended sessions, after the commit. A
 * Redis that is away only delays the sockets' end until their next periodic
 * check (REALTIME_REAUTH_MS): the sessions themselves are already over.
 */
export async function announceSessionsEnded(tokenHashes: readonly string[]): Promise<void> {
  for (const sessionId of tokenHashes) {
    await announceRevocation({ kind: "session", sessionId }).catch((err) =>
      logger.warn({ err }, "could not announce an ended session to the realtime process"),
    );
  }
}
