import { logout } from "@/server/auth/logout";
import { clearedSessionCookie, clientIp, readCookie, sessionCookieName } from "../../_lib/request-context";
import { route } from "../../_lib/route";

export const POST = route({ roles: "public" }, async ({ req }) => {
  const sessionToken = readCookie(req, sessionCookieName);
  if (sessionToken) await logout({ sessionToken, ip: clientIp(req) });
  return { body: { loggedOut: true }, headers: { "Set-Cookie": clearedSessionCookie() } };
});
