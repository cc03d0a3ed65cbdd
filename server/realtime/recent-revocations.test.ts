import { describe, expect, it } from "vitest";
import { parseRevocation, type Revocation } from "../auth/revocation";
import type { SocketPrincipal } from "./authenticate-socket";
import { RecentRevocations, revokes } from "./recent-revocations";

const base = { username: "u", displayName: "U", role: "operator", workCenterId: 1 } as const;
const byToken: SocketPrincipal = { ...base, userId: 7, via: "token", credential: { tokenId: 12 } };
const bySession: SocketPrincipal = { ...base, userId: 7, via: "session", credential: { sessionId: "ab12" } };

describe("revokes", () => {
  it.each<[string, Revocation, boolean, boolean]>([
    ["its token", { kind: "token", tokenId: 12 }, true, false],
    ["another token", { kind: "token", tokenId: 13 }, false, false],
    ["its session", { kind: "session", sessionId: "ab12" }, false, true],
    ["another session", { kind: "session", sessionId: "cd34" }, false, false],
    ["its user", { kind: "user", userId: 7 }, true, true],
    ["another user", { kind: "user", userId: 8 }, false, false],
  ])("%s", (_, revocation, tokenSocket, sessionSocket) => {
    expect(revokes(revocation, byToken)).toBe(tokenSocket);
    expect(revokes(revocation, bySession)).toBe(sessionSocket);
  });
});

describe("RecentRevocations", () => {
  it("refuses a handshake checked before the announcement, not one checked after", () => {
    const recent = new RecentRevocations();
    const at = Date.now();
    recent.add({ kind: "user", userId: 7 }, at);
    expect(recent.revokedSince(byToken, at - 1)).toBe(true);
    expect(recent.revokedSince(byToken, at + 1)).toBe(false);
    expect(recent.revokedSince({ ...byToken, userId: 8 }, at - 1)).toBe(false);
  });

  it("forgets announcements older than it keeps", () => {
    const recent = new RecentRevocations(50);
    recent.add({ kind: "token", tokenId: 12 }, Date.now() - 100);
    recent.add({ kind: "token", tokenId: 99 });
    expect(recent.revokedSince(byToken, 0)).toBe(false);
  });
});

describe("parseRevocation", () => {
  it("reads what announceRevocation writes and nothing else", () => {
    expect(parseRevocation('{"kind":"token","tokenId":3}')).toEqual({ kind: "token", tokenId: 3 });
    expect(parseRevocation('{"kind":"session","sessionId":"ab"}')).toEqual({ kind: "session", sessionId: "ab" });
    for (const bad of ["", "null", "{}", '{"kind":"user","userId":"3"}', '{"kind":"token"}', '{"kind":"other"}']) {
      expect(parseRevocation(bad)).toBeNull();
    }
  });
});
