import type { IncomingHttpHeaders } from "node:http";

/** The browser session cookie, as the login route sets it (app/api/_lib/request-context.ts). */
export const sessionCookieName = "erp_session";

export type Credentials = { sessionToken?: string; bearerToken?: string };

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * What a connecting socket presents: `auth.token` (tablets, integrations),
 * else an `Authorization: Bearer` header (Node clients), else the session
 * cookie that the browser sends with the handshake. A token wins over the
 * cookie, as in the HTTP routes.
 */
export function handshakeCredentials({
  headers,
  auth,
}: {
  headers: IncomingHttpHeaders;
  auth: Record<string, unknown> | undefined;
}): Credentials {
  const fromAuth = typeof auth?.token === "string" && auth.token !== "" ? auth.token : undefined;
  const fromHeader = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const bearerToken = fromAuth ?? fromHeader;
  if (bearerToken) return { bearerToken };
  const sessionToken = readCookie(headers.cookie, sessionCookieName);
  return sessionToken ? { sessionToken } : {};
}

/**
 * Whether a browser page on `origin` may open a socket here. Browsers send
 * cookies with a WebSocket handshake whatever page opened it, so without
 * this check another site's page could listen with the user's session
 * (cross-site WebSocket hijacking). The port is not compared: nginx passes
 * `Host: $host`, which has none. Clients without an Origin (tablets' native
 * shells, Node) authenticate with a token and are not concerned.
 */
export function originAllowed({
  origin,
  host,
  allowedOrigins,
}: {
  origin: string | undefined;
  host: string | undefined;
  allowedOrigins: readonly string[];
}): boolean {
  if (!origin) return true;
  if (allowedOrigins.includes(origin)) return true;
  if (!host) return false;
  try {
    return new URL(origin).hostname === new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
}
