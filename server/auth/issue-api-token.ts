import { prisma } from "../db";
import { AppError } from "../errors";
import { type ApiTokenView, getApiTokenView } from "./api-token-view";
import { type ApiTokenScope, createApiToken } from "./create-api-token";

export type IssuedApiToken = { token: ApiTokenView; secret: string | null; replayed: boolean };

/**
 * The admin page's "create token", idempotent without ever keeping the
 * secret anywhere: a repeat of the same Idempotency-Key finds the token made
 * the first time and answers it without its secret (`secret: null`), since
 * only its hash exists. The admin then revokes it and makes another.
 */
export async function issueApiToken({
  idempotencyKey,
  actorId,
  ...input
}: ApiTokenScope & {
  idempotencyKey: string;
  actorId: number;
  userId: number;
  name: string;
  expiresAt?: Date;
}): Promise<IssuedApiToken> {
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw new AppError("invalid_request", "expiresAt must be in the future.");
  }
  const earlier = await prisma().apiToken.findUnique({ where: { idempotencyKey } });
  if (earlier) {
    const view = await getApiTokenView({ db: prisma(), id: earlier.id });
    const same =
      view &&
      earlier.createdBy === actorId &&
      earlier.name === input.name &&
      earlier.userId === input.userId &&
      earlier.readOnly === (input.readOnly ?? false) &&
      (input.role === undefined || view.role === input.role) &&
      (input.workCenterId === undefined || view.workCenter?.id === input.workCenterId);
    if (!same) {
      throw new AppError("idempotency_key_reused", "This Idempotency-Key was already used for another token.");
    }
    return { token: view, secret: null, replayed: true };
  }
  const { id, token } = await createApiToken({ ...input, createdBy: actorId, idempotencyKey });
  const view = await getApiTokenView({ db: prisma(), id });
  if (!view) throw new Error(`token ${id} vanished right after it was created`);
  return { token: view, secret: token, replayed: false };
}
