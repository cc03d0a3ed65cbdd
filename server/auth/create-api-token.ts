import { prisma } from "../db";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { Role } from "./roles";
import { hashSecretToken, newSecretToken } from "./secret-token";

export type ApiTokenScope = {
  /** The role the token acts in; omitted: its user's role. Another role needs an admin user. */
  role?: Role;
  /** The work-center group of an operator token; omitted: its user's. */
  workCenterId?: number;
  /** Reads only (GET and HEAD). */
  readOnly?: boolean;
};

/**
 * Issues a bearer token acting for `userId` (a tablet's operator account, an
 * integration's service user, or an admin issuing a narrower token in their
 * own name), with its audit row in the same transaction. The token is
 * returned once; only its hash is kept.
 */
export async function createApiToken({
  userId,
  name,
  createdBy,
  expiresAt,
  idempotencyKey,
  ...scope
}: ApiTokenScope & {
  userId: number;
  name: string;
  createdBy?: number;
  expiresAt?: Date;
  idempotencyKey?: string;
}): Promise<{ id: number; token: string }> {
  const token = newSecretToken("erp_");
  const id = await prisma().$transaction(async (tx) => {
    const data = await scopedColumns(tx, userId, scope);
    const row = await tx.apiToken.create({
      data: { userId, name, createdBy, expiresAt, idempotencyKey, tokenHash: hashSecretToken(token), ...data },
    });
    await tx.auditLog.create({
      data: {
        actorId: createdBy ?? null,
        action: "token.create",
        targetType: "api_token",
        targetId: String(row.id),
        detail: { name, userId, ...data, expiresAt: expiresAt?.toISOString() ?? null },
      },
    });
    return row.id;
  });
  return { id, token };
}

/** The scope columns for a token of this user, or a 400 saying what does not fit. */
async function scopedColumns(tx: Prisma.TransactionClient, userId: number, scope: ApiTokenScope) {
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user?.active) throw new AppError("invalid_request", `There is no active user ${userId} to issue a token for.`);
  const userRole = user.role as Role;
  const role = scope.role && scope.role !== userRole ? scope.role : undefined;
  if (role && userRole !== "admin") {
    throw new AppError(
      "invalid_request",
      `A token acts in its user's role (${userRole}); only an admin user's token may act in another role.`,
    );
  }
  const effectiveRole = role ?? userRole;
  let workCenterId = scope.workCenterId;
  if (workCenterId !== undefined && effectiveRole !== "operator") {
    throw new AppError("invalid_request", "Only an operator token is bound to a work center.");
  }
  if (workCenterId !== undefined && userRole !== "admin" && workCenterId !== user.workCenterId) {
    throw new AppError("invalid_request", `${user.username}'s token can only be bound to their own work center.`);
  }
  if (role === "operator" && workCenterId === undefined) {
    throw new AppError("invalid_request", "An operator token needs a work center: workCenterId is required.");
  }
  if (workCenterId !== undefined && !(await tx.workCenter.findUnique({ where: { id: workCenterId } }))) {
    throw new AppError("invalid_request", `There is no work center ${workCenterId}.`);
  }
  // A token of an operator user in their own group keeps following the user (no columns of its own).
  if (!role) workCenterId = undefined;
  return { role: role ?? null, workCenterId: workCenterId ?? null, readOnly: scope.readOnly ?? false };
}
