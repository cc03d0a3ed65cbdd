import { z } from "zod";
import { env } from "../env";
import { redis } from "../redis";

// A revoked credential must stop working at once, on an open socket too: the
// realtime process subscribes to this channel and disconnects every socket
// the revoked token, session or user authenticated. HTTP needs no message:
// every request checks the database (server/auth/authenticate.ts).

/**
 * What was revoked, by the id of its row: `api_tokens.id` (an integer),
 * `sessions.token_hash` (the session's primary key, `hashSecretToken` of the
 * cookie), `users.id` (an integer; every session and token of that user).
 */
export type Revocation =
  | { kind: "token"; tokenId: number }
  | { kind: "session"; sessionId: string }
  | { kind: "user"; userId: number };

export const revocationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("token"), tokenId: z.number().int() }),
  z.object({ kind: z.literal("session"), sessionId: z.string().min(1) }),
  z.object({ kind: z.literal("user"), userId: z.number().int() }),
]) satisfies z.ZodType<Revocation>;

/**
 * The Redis channel. ioredis's keyPrefix is applied to keys only, never to
 * channel names (PUBLISH and SUBSCRIBE take none), so the prefix is spelled
 * out here.
 */
export function revocationChannel(redisPrefix: string = env().REDIS_PREFIX): string {
  return `${redisPrefix}auth:revoked`;
}

/**
 * Tells every realtime instance that a credential was revoked; they close
 * the sockets it opened. Call it after the revocation is committed in the
 * database, so that a socket that reconnects at once is refused. Rejects if
 * Redis cannot be reached: the revocation itself still holds (the database
 * is checked on every handshake and again every REALTIME_REAUTH_MS on open
 * sockets), only the "at once" is lost.
 */
export async function announceRevocation(revocation: Revocation): Promise<void> {
  const message = revocationSchema.parse(revocation);
  await redis().publish(revocationChannel(), JSON.stringify(message));
}

/** The revocation in a message on the channel, or null for anything else. */
export function parseRevocation(message: string): Revocation | null {
  try {
    const parsed = revocationSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
