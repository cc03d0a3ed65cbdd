import { describe, expect, it } from "vitest";
import { sessionCookieName as appCookieName } from "@/app/api/_lib/request-context";
import { handshakeCredentials, originAllowed, sessionCookieName } from "./handshake-credentials";

describe("handshake credentials", () => {
  it("reads the same cookie the login route sets", () => {
    expect(sessionCookieName).toBe(appCookieName);
  });

  it.each([
    ["auth.token", { auth: { token: "erp_t" } }, { bearerToken: "erp_t" }],
    ["a bearer header", { headers: { authorization: "Bearer erp_h" } }, { bearerToken: "erp_h" }],
    ["the session cookie", { headers: { cookie: "a=1; erp_session=s%2B1; b=2" } }, { sessionToken: "s+1" }],
    [
      "a token before the cookie",
      { auth: { token: "erp_t" }, headers: { cookie: "erp_session=s" } },
      { bearerToken: "erp_t" },
    ],
    ["an empty token", { auth: { token: "" }, headers: { cookie: "erp_session=s" } }, { sessionToken: "s" }],
    ["a token that is not a string", { auth: { token: 42 } }, {}],
    ["a cookie with another name", { headers: { cookie: "my_erp_session=s" } }, {}],
    ["a cookie that does not decode", { headers: { cookie: "erp_session=%E0%A4%A" } }, {}],
    ["nothing", {}, {}],
  ])("takes %s", (_, { auth, headers }: { auth?: Record<string, unknown>; headers?: Record<string, string> }, out) => {
    expect(handshakeCredentials({ auth, headers: headers ?? {} })).toEqual(out);
  });
});

describe("origin check", () => {
  it.each([
    [undefined, "127.0.0.1:3001", [], true],
    ["http://erp.factory.local:8080", "erp.factory.local", [], true],
    ["https://erp.factory.local", "erp.factory.local:3001", [], true],
    ["https://evil.example", "erp.factory.local", [], false],
    ["https://erp.factory.local.evil.example", "erp.factory.local", [], false],
    ["https://portal.example", "erp.factory.local", ["https://portal.example"], true],
    ["null", "erp.factory.local", [], false],
    ["https://erp.factory.local", undefined, [], false],
  ])("origin %s with host %s (allowed %j): %s", (origin, host, allowedOrigins, ok) => {
    expect(originAllowed({ origin, host, allowedOrigins })).toBe(ok);
  });
});
