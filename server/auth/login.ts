import { prisma } from "../db";
import { AppError } from "../errors";
import { assertLoginAllowed, clearLoginFailures, recordLoginFailure } from "./login-rate-limit";
import { decoyPasswordHash, verifyPassword } from "./password";
import type { Principal, Role } from "./roles";
import { hashSecretToken, newSecretToken } from "./secret-token";
import { sessionSettings } from "./session-settings";

export type LoginResult = { principal: Principal; sessionToken: string; expiresAt: Date };

export async function login({
  username,
  password,
  ip,
  userAgent,
}: {
  username: string;
  password: string;
  ip: string;
  userAgent?: string;
}): Promise<LoginResult> {
  const normalized = username.trim().toLowerCase();
  await assertLoginAllowed({ username: normalized, ip });

  const user = await prisma().user.findUnique({ where: { username: normalized } });
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
  if (!user?.active || !passwordOk) {
    await recordLoginFailure({ username: normalized, ip });
    await prisma().auditLog.create({
      data: { actorId: user?.id ?? null, action: "auth.login_failed", detail: { username: normalized, ip } },
    });
    throw new AppError("invalid_credentials", "Wrong username or password.");
  }
  await clearLoginFailures({ username: normalized, ip });

  const sessionToken = newSecretToken();
  // The absolute end; the idle timeout is checked on every request (authenticate.ts).
  const expiresAt = new Date(Date.now() + sessionSettings().absoluteMs);
  await prisma().$transaction([
    prisma().session.create({
      data: {
        tokenHash: hashSecretToken(sessionToken),
        userId: user.id,
        expiresAt,
        userAgent: userAgent?.slice(0, 300),
      },
    }),
    prisma().auditLog.create({
      data: { actorId: user.id, action: "auth.login", targetType: "user", targetId: String(user.id), detail: { ip } },
    }),
  ]);

  return {
    sessionToken,
    expiresAt,
    principal: {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role as Role,
      workCenterId: user.role === "operator" ? user.workCenterId : null,
      via: "session",
    },
  };
}
