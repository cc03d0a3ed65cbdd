import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { sessionCookieName } from "@/app/api/_lib/request-context";
import { authenticate } from "@/server/auth/authenticate";
import type { Principal } from "@/server/auth/roles";
import { type AppPath, mayOpen } from "./pages";

/** The logged-in person behind this page request's session cookie, or null. */
export async function currentPrincipal(): Promise<Principal | null> {
  const sessionToken = (await cookies()).get(sessionCookieName)?.value;
  if (!sessionToken) return null;
  // Opening a page is use: it restarts the session's idle clock.
  return authenticate({ sessionToken, recordActivity: true });
}

export type PageAccess = { principal: Principal; allowed: boolean };

/**
 * Gate for a page: without a session it redirects to the login page (which
 * brings the person back here afterwards); with a session it tells the page
 * whether this role may see it, so the page can render "Not allowed" instead
 * of its content. (Next's forbidden() still needs an experimental flag.)
 */
export async function requirePage(path: AppPath): Promise<PageAccess> {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/login?next=${encodeURIComponent(path)}`);
  return { principal, allowed: mayOpen(principal.role, path) };
}
