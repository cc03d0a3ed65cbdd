import { prisma } from "../db";
import { hashSecretToken } from "./secret-token";
import { sessionSettings } from "./session-settings";

export type SessionView = {
  createdAt: string;
  lastSeenAt: string;
  /** Whichever comes first: the absolute end, or the idle timeout from the last request. */
  endsAt: string;
  userAgent: string | null;
  /** The session of the browser asking. */
  current: boolean;
};

/** A person's open sessions, for "where am I logged in". */
export async function listUserSessions({
  userId,
  currentSessionToken,
}: {
  userId: number;
  currentSessionToken?: string;
}): Promise<SessionView[]> {
  const { idleSeconds } = sessionSettings();
  const now = Date.now();
  const currentHash = currentSessionToken ? hashSecretToken(currentSessionToken) : undefined;
  const rows = await prisma().session.findMany({
    where: {
      userId,
      revokedAt: null,
      expiresAt: { gt: new Date(now) },
      lastSeenAt: { gt: new Date(now - idleSeconds * 1000) },
    },
    orderBy: { lastSeenAt: "desc" },
    take: 100,
  });
  return rows.map((s) => ({
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    endsAt: new Date(Math.min(s.expiresAt.getTime(), s.lastSeenAt.getTime() + idleSeconds * 1000)).toISOString(),
    userAgent: s.userAgent,
    current: s.tokenHash === currentHash,
  }));
}
