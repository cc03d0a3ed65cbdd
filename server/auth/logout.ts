import { prisma } from "../db";
import { hashSecretToken } from "./secret-token";

/** Ends one browser session. Idempotent: an unknown or ended session is fine. */
export async function logout({ sessionToken }: { sessionToken: string }): Promise<void> {
  await prisma().session.updateMany({
    where: { tokenHash: hashSecretToken(sessionToken), revokedAt: null },
    data: { revokedAt: new Date() },
  });
}
