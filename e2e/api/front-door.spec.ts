import { randomUUID } from "node:crypto";
import { e2eTls, stackPorts } from "../stack-ports";
import { expect, test } from "./fixtures";

// What the network sees of the product: nginx on one origin, HTTPS with the
// trial certificate, plain HTTP redirected, security headers on every
// answer, oversized bodies refused before the application reads them.

const external = Boolean(process.env.E2E_BASE_URL);

test("pages and the API come with the security headers", async ({ anonymous, baseURL }) => {
  const api = await anonymous();
  for (const path of ["/login", "/api/health", "/api/machines"]) {
    const response = await api.get(path, { maxRedirects: 0 });
    const headers = response.headers();
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers.server, path).toBe("nginx");
    if (String(baseURL).startsWith("https:")) expect(headers["strict-transport-security"], path).toMatch(/max-age=\d+/);
  }
});

test("a body over 1 MB is refused with 413 by nginx", async ({ as }) => {
  const buyer = await as("buyer");
  const response = await buyer.post("/api/reservations", {
    headers: { "Idempotency-Key": randomUUID(), "content-type": "application/json" },
    data: JSON.stringify({ orderRef: "x".repeat(1_100_000), lines: [] }),
  });
  expect(response.status()).toBe(413);
  expect(await response.json()).toEqual({ error: "payload_too_large", message: expect.any(String) });
});

test("the benchmark's baseline route is not reachable from the network", async ({ anonymous }) => {
  const response = await (await anonymous()).post("/api/bench/noop", { data: {} });
  expect(response.status()).toBe(404);
});

// Only the stack that e2e/start-stack.ts starts with TLS (the default) has a redirect port we know.
if (!external && e2eTls()) {
  test("plain HTTP redirects to the same page over HTTPS", async ({ anonymous }) => {
    const { front, httpRedirect } = stackPorts();
    const response = await (await anonymous()).get(`http://127.0.0.1:${httpRedirect}/purchasing?tab=orders`, {
      maxRedirects: 0,
    });
    expect(response.status()).toBe(301);
    expect(response.headers().location).toBe(`https://127.0.0.1:${front}/purchasing?tab=orders`);
  });
}
