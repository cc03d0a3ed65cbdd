import { listUserSessions } from "@/server/auth/list-user-sessions";
import { access } from "@/server/auth/roles";
import { readCookie, sessionCookieName } from "../../_lib/request-context";
import { route } from "../../_lib/route";

/** The caller's own open sessions ("where am I logged in"). */
export const GET = route({ roles: access.anyone }, async ({ req, principal }) => ({
  body: {
    sessions: await listUserSessions({
      userId: principal.userId,
      currentSessionToken: principal.via === "session" ? readCookie(req, sessionCookieName) : undefined,
    }),
  },
}));
