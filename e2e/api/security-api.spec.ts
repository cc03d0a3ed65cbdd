import { randomUUID } from "node:crypto";
import { request } from "@playwright/test";
import { passwordOf, shortItem } from "../support";
import { expect, test } from "./fixtures";

// The application's defences as a client meets them through the front door
// (nginx): cross-site writes with a valid cookie, oversized bodies the app
// refuses itself, and tokens that stop at once when revoked.

const crossSite = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };

test("a cross-site POST carrying a valid session cookie is refused, on writes, logout and login alike", async ({
  as,
  anonymous,
  baseURL,
}) => {
  const buyer = await as("buyer");
  const items = (await (await buyer.get(`/api/inventory/items?q=${shortItem.sku}`)).json()).items;
  const short = items.find((i: { sku: string }) => i.sku === shortItem.sku);
  const reservation = { orderRef: "SO-CSRF", lines: [{ itemId: short.id, qty: 100_000 }] };

  const forged = await buyer.post("/api/reservations", {
    data: reservation,
    headers: { ...crossSite, "Idempotency-Key": randomUUID() },
  });
  expect(forged.status()).toBe(403);
  expect(await forged.json()).toEqual({
    error: "forbidden",
    message: "Cross-site request refused: the browser says it came from another site (Sec-Fetch-Site: cross-site).",
  });
  const byOrigin = await buyer.post("/api/reservations", {
    data: reservation,
    headers: { origin: "https://evil.example", "Idempotency-Key": randomUUID() },
  });
  expect(await byOrigin.json()).toMatchObject({
    error: "forbidden",
    message: "Cross-site request refused: the Origin does not match this site.",
  });

  expect((await buyer.post("/api/auth/logout", { headers: crossSite })).status()).toBe(403);
  expect((await buyer.get("/api/auth/me")).status()).toBe(200);

  const stranger = await anonymous();
  const loginCsrf = await stranger.post("/api/auth/login", {
    data: { username: "buyer", password: passwordOf("buyer") },
    headers: crossSite,
  });
  expect(loginCsrf.status()).toBe(403);
  expect(loginCsrf.headers()["set-cookie"]).toBeUndefined();

  // From the page's own origin the same request passes the check (and meets the stock rule: 409).
  const own = new URL(String(baseURL)).origin;
  const ours = await buyer.post("/api/reservations", {
    data: reservation,
    headers: { origin: own, "sec-fetch-site": "same-origin", "Idempotency-Key": randomUUID() },
  });
  expect(ours.status()).toBe(409);
});

test("the app refuses an oversized body with 413 and says the limit", async ({ anonymous }) => {
  const api = await anonymous();
  const res = await api.post("/api/auth/login", {
    data: { username: "buyer", password: "x".repeat(5000) },
  });
  expect(res.status()).toBe(413);
  expect(await res.json()).toEqual({
    error: "payload_too_large",
    message: "The request body is larger than 4096 bytes.",
  });
});

test("a token revoked by an admin stops working on the very next request; a read-only one never writes", async ({
  as,
  baseURL,
}) => {
  const admin = await as("admin");
  const users = (await (await admin.get("/api/admin/users")).json()).users;
  const buyer = users.find((u: { username: string }) => u.username === "buyer");

  const issue = async (body: Record<string, unknown>) => {
    const res = await admin.post("/api/admin/tokens", { data: body, headers: { "Idempotency-Key": randomUUID() } });
    expect(res.status()).toBe(201);
    return (await res.json()) as { secret: string; token: { id: number } };
  };
  const withToken = (secret: string) =>
    request.newContext({
      baseURL: String(baseURL),
      ignoreHTTPSErrors: true,
      extraHTTPHeaders: { authorization: `Bearer ${secret}` },
    });

  const integration = await issue({ name: `e2e integration ${randomUUID().slice(0, 8)}`, userId: buyer.id });
  const client = await withToken(integration.secret);
  expect((await client.get("/api/inventory/items?limit=1")).status()).toBe(200);
  const revoked = await admin.post(`/api/admin/tokens/${integration.token.id}/revoke`);
  expect(revoked.status()).toBe(200);
  const after = await client.get("/api/inventory/items?limit=1");
  expect(after.status()).toBe(401);
  expect((await after.json()).error).toBe("unauthenticated");
  await client.dispose();

  const readOnly = await issue({ name: `e2e read-only ${randomUUID().slice(0, 8)}`, userId: buyer.id, readOnly: true });
  const reader = await withToken(readOnly.secret);
  expect((await reader.get("/api/inventory/items?limit=1")).status()).toBe(200);
  const write = await reader.post("/api/reservations", {
    data: { orderRef: "SO-RO", lines: [{ itemId: 1, qty: 1 }] },
    headers: { "Idempotency-Key": randomUUID() },
  });
  expect(write.status()).toBe(403);
  expect((await write.json()).message).toBe("This token is read-only: it may not change anything.");
  await admin.post(`/api/admin/tokens/${readOnly.token.id}/revoke`);
  await reader.dispose();
});
