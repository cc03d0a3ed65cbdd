import type { Revocation } from "../auth/revocation";
import type { SocketPrincipal } from "./authenticate-socket";

/** Whether `revocation` names the credential or the user behind `principal`. */
export function revokes(revocation: Revocation, principal: SocketPrincipal): boolean {
  const { credential } = principal;
  switch (revocation.kind) {
    case "user":
      return principal.userId === revocation.userId;
    case "token":
      return "tokenId" in credential && credential.tokenId === revocation.tokenId;
    case "session":
      return "sessionId" in credential && credential.sessionId === revocation.sessionId;
  }
}

/**
 * Revocations announced in the last minute, for the handshakes in flight: a
 * socket whose credentials were checked before an announcement arrived may
 * have been checked before the revocation was committed, so it is refused
 * even though the database said yes. One checked after the announcement was
 * checked after the commit (announceRevocation is called after it), so the
 * database's answer stands: a user whose sessions were all revoked may log in
 * again at once.
 */
export class RecentRevocations {
  private entries: { revocation: Revocation; at: number }[] = [];

  constructor(private readonly keepMs = 60_000) {}

  add(revocation: Revocation, at = Date.now()): void {
    this.prune(at);
    this.entries.push({ revocation, at });
  }

  /** Whether a principal authenticated at `checkedAt` was revoked since. */
  revokedSince(principal: SocketPrincipal, checkedAt: number): boolean {
    this.prune(Date.now());
    return this.entries.some(({ revocation, at }) => checkedAt <= at && revokes(revocation, principal));
  }

  private prune(now: number): void {
    if (this.entries.length > 0 && (this.entries[0]?.at ?? now) < now - this.keepMs) {
      this.entries = this.entries.filter(({ at }) => at >= now - this.keepMs);
    }
  }
}
