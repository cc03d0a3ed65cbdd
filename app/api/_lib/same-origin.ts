import { AppError } from "@/server/errors";

// CSRF defence for requests a browser may send with the session cookie.
//
// The cookie is SameSite=Lax, so browsers already leave it off cross-site
// POSTs; this check is the second line, for old browsers and for what Lax
// lets through. Two signals, both set by the browser and impossible for a
// page to forge:
//   - Sec-Fetch-Site (every current browser): only "same-origin" (our own
//     pages) and "none" (typed or bookmarked by the person) pass;
//   - Origin: when sent, it must name this site.
// A request with neither comes from no browser (curl, a script, a tablet's
// native shell), which cannot carry someone else's cookie, so it passes.
// Bearer-token requests never reach this check: a page on another site
// cannot attach an Authorization header without a CORS preflight, which
// this API never grants.

const unsafe = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function isUnsafeMethod(method: string): boolean {
  return unsafe.has(method.toUpperCase());
}

export function assertSameOrigin(req: Request): void {
  const fetchSite = req.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") {
    throw new AppError(
      "forbidden",
      `Cross-site request refused: the browser says it came from another site (Sec-Fetch-Site: ${fetchSite.slice(0, 20)}).`,
    );
  }
  const origin = req.headers.get("origin");
  if (origin === null) return;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (!host || !sameHost(origin, host)) {
    throw new AppError("forbidden", "Cross-site request refused: the Origin does not match this site.");
  }
}

/**
 * Whether the page's origin is this host. The port is compared when the Host
 * header has one; a proxy that passes only the name (nginx's $host) still
 * works, and cookies do not tell ports apart anyway.
 */
function sameHost(origin: string, host: string): boolean {
  let page: URL;
  let self: URL;
  try {
    page = new URL(origin);
    if (page.protocol !== "http:" && page.protocol !== "https:") return false;
    self = new URL(`${page.protocol}//${host}`);
  } catch {
    // "null" (a sandboxed frame, a redirect across sites) and anything unparsable.
    return false;
  }
  if (page.hostname !== self.hostname) return false;
  return !/:\d+$/.test(host) || page.port === self.port;
}
