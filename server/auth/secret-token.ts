import { createHash, randomBytes } from "node:crypto";

/** A new random token for a cookie or a bearer token: 256 bits, URL-safe. */
export function newSecretToken(prefix = ""): string {
  return prefix + randomBytes(32).toString("base64url");
}

/**
 * What the database stores instead of the token. The token carries 256 bits
 * of randomness, so a fast hash is enough here (no dictionary to attack);
 * passwords, which people choose, get argon2 instead.
 */
export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
