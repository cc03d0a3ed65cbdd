import { type NextRequest, NextResponse } from "next/server";
import { contentSecurityPolicy } from "./app/_lib/content-security-policy";

// Every page gets a Content-Security-Policy with a fresh nonce. Next.js reads
// the nonce from the request's CSP header while it renders and puts it on
// its own scripts (node_modules/next/dist/docs/01-app/02-guides/
// content-security-policy.md); every page renders per request anyway (they
// read the session cookie), so nothing is lost to the nonce.
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const policy = contentSecurityPolicy({
    nonce,
    host: request.headers.get("x-forwarded-host") ?? request.headers.get("host"),
    https: request.headers.get("x-forwarded-proto") === "https" || request.nextUrl.protocol === "https:",
    development: process.env.NODE_ENV === "development",
  });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  return response;
}

export const config = {
  matcher: [
    // Pages only: not the JSON API, not the hashed static files, not prefetches
    // of pages (their answer is RSC data, not a document).
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
