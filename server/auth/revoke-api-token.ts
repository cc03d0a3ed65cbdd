import { prisma } from "../db";
import { AppError } from "../errors";
import { logger } from "../logger";
import { type ApiTokenView, getApiTokenView } from "./api-token-view";
import { announceRevocation } from "./revocation";

/**
 * Revokes a token with its audit row in one transaction. It stops working on
 * HTTP with the commit (every request reads the database; nothing caches a
 * token), and the realtime process is told to close the sockets it opened.
 * Revoking a revoked token changes nothing and answers it as it is.
 */
export async function revokeApiToken({ id, actorId }: { id: number; actorId: number }): Promise<ApiTokenView> {
  const revoked = await prisma().$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) return false;
    await tx.auditLog.create({
      data: { actorId, action: "token.revoke", targetType: "api_token", targetId: String(id) },
    });
    return true;
  });
  const view = await getApiTokenView({ db: prisma(), id });
  if (!view) throw new AppError("not_found", `There is no token ${id}.`);
  if (revoked) {
    // After the commit: a socket reconnecting at once is refused by the database.
    await announceRevocation({ kind: "token", tokenId: id }).catch((err) =>
      logger.warn({ err, tokenId: id }, "could not announce a revoked token to the realtime process"),
    );
  }
  return view;
}
