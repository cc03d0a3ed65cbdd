import { endUserSessions } from "@/server/auth/end-user-sessions";
import { access } from "@/server/auth/roles";
import { clearedSessionCookie } from "../../_lib/request-context";
import { route } from "../../_lib/route";

// Ends every session of the caller, this browser's included. Bearer tokens
// are not sessions: an admin revokes those on the tokens page.
export const POST = route({ roles: access.anyone }, async ({ principal }) => ({
  body: await endUserSessions({ userId: principal.userId, actorId: principal.userId }),
  headers: { "Set-Cookie": clearedSessionCookie() },
}));
