import { prisma } from "../db";
import { hashSecretToken, newSecretToken } from "./secret-token";

/**
 * Issues a bearer token acting as `userId` (a tablet's operator account, an
 * integration's service user). The token is returned once and only its hash
 * is kept.
 */
export async function createApiToken({
  userId,
  name,
  createdBy,
  expiresAt,
}: {
  userId: number;
  name: string;
  createdBy?: number;
  expiresAt?: Date;
}): Promise<{ id: number; token: string }> {
  const token = newSecretToken("erp_");
  const row = await prisma().apiToken.create({
    data: { userId, name, createdBy, expiresAt, tokenHash: hashSecretToken(token) },
  });
  await prisma().auditLog.create({
    data: { actorId: createdBy ?? null, action: "token.create", targetType: "api_token", targetId: String(row.id) },
  });
  return { id: row.id, token };
}
