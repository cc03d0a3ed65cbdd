import { authenticate } from "../auth/authenticate";
import type { Principal } from "../auth/roles";
import { hashSecretToken } from "../auth/secret-token";
import { pool } from "../db";
import type { Credentials } from "./handshake-credentials";

/**
 * What authenticated a socket, by the ids a revocation names
 * (server/auth/revocation.ts): the api_tokens row, or the sessions row (its
 * primary key is the cookie's hash).
 */
export type SocketCredential = { tokenId: number } | { sessionId: string };

/** A socket's principal, and the credential it came with. */
export type SocketPrincipal = Principal & { credential: SocketCredential };

const tokenIdSql = "SELECT id FROM api_tokens WHERE token_hash = $1";

/**
 * The HTTP routes' authentication, plus the credential's row id so that an
 * announced revocation can find the sockets it opened. The token's id is
 * looked up beside the check (same round trip time, one more indexed read).
 */
export async function authenticateSocket(credentials: Credentials): Promise<SocketPrincipal | null> {
  const { bearerToken, sessionToken } = credentials;
  if (bearerToken) {
    const [principal, { rows }] = await Promise.all([
      authenticate({ bearerToken }),
      pool().query<{ id: number }>({
        name: "socket-token-id",
        text: tokenIdSql,
        values: [hashSecretToken(bearerToken)],
      }),
    ]);
    const tokenId = rows[0]?.id;
    return principal && tokenId !== undefined ? { ...principal, credential: { tokenId } } : null;
  }
  if (sessionToken) {
    const principal = await authenticate({ sessionToken });
    return principal ? { ...principal, credential: { sessionId: hashSecretToken(sessionToken) } } : null;
  }
  return null;
}
