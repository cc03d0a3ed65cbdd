import { describe, expect, it } from "vitest";
import { contentSecurityPolicy } from "./content-security-policy";

const directives = (policy: string) =>
  Object.fromEntries(policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

describe("the pages' Content-Security-Policy", () => {
  it("allows scripts with this response's nonce only, and sockets to the page's own host", () => {
    const policy = directives(
      contentSecurityPolicy({ nonce: "abc123", host: "erp.factory.example:8443", https: true, development: false }),
    );
    expect(policy).toEqual({
      "default-src": ["'self'"],
      "script-src": ["'self'", "'nonce-abc123'", "'strict-dynamic'"],
      "style-src": ["'self'", "'nonce-abc123'"],
      "img-src": ["'self'", "blob:", "data:"],
      "font-src": ["'self'"],
      "connect-src": ["'self'", "wss://erp.factory.example:8443"],
      "object-src": ["'none'"],
      "base-uri": ["'self'"],
      "form-action": ["'self'"],
      "frame-ancestors": ["'none'"],
      "upgrade-insecure-requests": [],
    });
  });

  it("allows ws: as well over plain HTTP, and does not upgrade requests there", () => {
    const policy = directives(
      contentSecurityPolicy({ nonce: "n", host: "127.0.0.1:3000", https: false, development: false }),
    );
    expect(policy["connect-src"]).toEqual(["'self'", "ws://127.0.0.1:3000", "wss://127.0.0.1:3000"]);
    expect(policy["upgrade-insecure-requests"]).toBeUndefined();
  });

  it("never copies a Host header that tries to add sources or directives", () => {
    for (const host of ["evil.example; script-src *", "a.example wss://evil.example", "x'y", "erp.example:99999999"]) {
      const policy = contentSecurityPolicy({ nonce: "n", host, https: false, development: false });
      expect(directives(policy)["connect-src"]).toEqual(["'self'"]);
      expect(policy).not.toContain("evil");
    }
  });

  it("loosens only what next dev needs", () => {
    const policy = directives(contentSecurityPolicy({ nonce: "n", host: null, https: false, development: true }));
    expect(policy["script-src"]).toContain("'unsafe-eval'");
    expect(policy["style-src"]).toEqual(["'self'", "'unsafe-inline'"]);
  });
});
