import { env } from "@/server/env";

export const sessionCookieName = "erp_session";

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function readBearer(req: Request): string | undefined {
  const header = req.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/**
 * The client's address, for rate limits and the audit log. X-Real-IP is only
 * believed when TRUST_PROXY=true (nginx in front sets it); otherwise any
 * client could claim any address.
 */
export function clientIp(req: Request): string {
  if (process.env.TRUST_PROXY === "true") {
    const real = req.headers.get("x-real-ip");
    if (real) return real.slice(0, 64);
  }
  return "unknown";
}

export function sessionCookie(token: string, expiresAt: Date): string {
  const secure = env().COOKIE_SECURE ? "; Secure" : "";
  return `${sessionCookieName}=${token}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${secure}`;
}

export function clearedSessionCookie(): string {
  const secure = env().COOKIE_SECURE ? "; Secure" : "";
  return `${sessionCookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
}
