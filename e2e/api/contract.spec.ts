import { randomUUID } from "node:crypto";
import { type Item, shortItem } from "../support";
import { expect, reserve, test } from "./fixtures";

// The HTTP contract of ARCHITECTURE.md, checked against the running stack with
// the demo users: authentication, health, access by role, inventory reads.
// Reservations have their own spec (reservations-contract.spec.ts).

test.describe("authentication", () => {
  test("login answers the user and sets an HttpOnly session cookie", async ({ anonymous }) => {
    const api = await anonymous();
    const response = await api.post("/api/auth/login", { data: { username: "buyer", password: "demo-buyer" } });
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({
      user: { id: expect.any(Number), username: "buyer", role: "purchasing", workCenterId: null },
    });
    const cookie = response.headers()["set-cookie"] ?? "";
    expect(cookie).toMatch(/^erp_session=[^;]+/);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect((await api.get("/api/auth/me")).status()).toBe(200);
  });

  test("an operator's login names their work center", async ({ anonymous }) => {
    const api = await anonymous();
    const response = await api.post("/api/auth/login", { data: { username: "operator", password: "demo-operator" } });
    expect(response.status()).toBe(200);
    expect((await response.json()).user).toMatchObject({ role: "operator", workCenterId: expect.any(Number) });
  });

  test("a wrong password is 401 invalid_credentials", async ({ anonymous }) => {
    const api = await anonymous();
    const response = await api.post("/api/auth/login", { data: { username: "manager", password: "wrong" } });
    expect(response.status()).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_credentials", message: expect.any(String) });
    expect(response.headers()["set-cookie"]).toBeUndefined();
  });

  test("repeated failures for one name are answered 429 with Retry-After", async ({ anonymous }) => {
    const api = await anonymous();
    const username = `nobody-${randomUUID().slice(0, 8)}`;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12 && statuses.at(-1) !== 429; attempt++) {
      const response = await api.post("/api/auth/login", { data: { username, password: "guess" } });
      statuses.push(response.status());
      if (response.status() === 429) {
        expect((await response.json()).error).toBe("too_many_requests");
        expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
      }
    }
    expect(statuses[0]).toBe(401);
    expect(statuses.at(-1)).toBe(429);
  });

  test("logout ends the session", async ({ as }) => {
    const api = await as("planner");
    expect((await api.post("/api/auth/logout")).status()).toBe(200);
    expect((await api.get("/api/auth/me")).status()).toBe(401);
  });
});

test("health reports the database and Redis", async ({ anonymous }) => {
  const api = await anonymous();
  const response = await api.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", db: "ok", redis: "ok" });
});

test.describe("access", () => {
  const calls = [
    ["GET", "/api/inventory/items"],
    ["GET", "/api/reservations"],
    ["POST", "/api/reservations"],
    ["POST", "/api/reservations/00000000-0000-4000-8000-000000000000/release"],
    ["GET", "/api/machines"],
  ] as const;

  for (const [method, path] of calls) {
    test(`${method} ${path} without a session is 401`, async ({ anonymous }) => {
      const api = await anonymous();
      const response = await api.fetch(path, {
        method,
        data: method === "POST" ? {} : undefined,
        headers: { "Idempotency-Key": randomUUID() },
      });
      expect(response.status()).toBe(401);
      expect(await response.json()).toEqual({ error: "unauthenticated", message: expect.any(String) });
    });
  }

  test("an operator may not read stock or reserve it (403)", async ({ as }) => {
    const api = await as("operator");
    for (const response of [
      await api.get("/api/inventory/items"),
      await api.get("/api/reservations"),
      await reserve(api, { orderRef: "OP-1", lines: [{ itemId: 1, qty: 1 }] }),
    ]) {
      expect(response.status()).toBe(403);
      expect(await response.json()).toEqual({ error: "forbidden", message: expect.any(String) });
    }
  });

  test("a planner may read stock but not reserve it", async ({ as }) => {
    const api = await as("planner");
    expect((await api.get("/api/inventory/items?limit=1")).status()).toBe(200);
    expect((await reserve(api, { orderRef: "PL-1", lines: [{ itemId: 1, qty: 1 }] })).status()).toBe(403);
  });

  test("an operator sees only their own work center's machines", async ({ as }) => {
    const operator = await as("operator");
    const me = (await (await operator.get("/api/auth/me")).json()).user;
    const { machines } = await (await operator.get("/api/machines")).json();
    expect(machines.length).toBeGreaterThan(0);
    for (const machine of machines) expect(machine.workCenterId).toBe(me.workCenterId);
    const all = await (await (await as("manager")).get("/api/machines")).json();
    expect(all.machines.length).toBeGreaterThan(machines.length);
  });
});

test.describe("inventory items", () => {
  test("each item has its quantities, in SKU order", async ({ as }) => {
    const api = await as("buyer");
    const response = await api.get("/api/inventory/items");
    expect(response.status()).toBe(200);
    const { items } = (await response.json()) as { items: Item[] };
    expect(items.length).toBeGreaterThan(10);
    for (const item of items) {
      expect(item).toEqual({
        id: expect.any(Number),
        sku: expect.any(String),
        name: expect.any(String),
        unit: expect.any(String),
        stockQty: expect.any(Number),
        reservedQty: expect.any(Number),
        availableQty: item.stockQty - item.reservedQty,
      });
    }
    const skus = items.map((item) => item.sku);
    // Byte order: the database sorts SKUs with the C collation.
    expect(skus).toEqual([...skus].sort());
  });

  test("limit cuts the same order short, and q filters by SKU or name", async ({ as }) => {
    const api = await as("buyer");
    const all = (await (await api.get("/api/inventory/items?limit=500")).json()).items as Item[];
    const firstFive = (await (await api.get("/api/inventory/items?limit=5")).json()).items as Item[];
    expect(firstFive.map((i) => i.sku)).toEqual(all.slice(0, 5).map((i) => i.sku));

    const bySku = (await (await api.get(`/api/inventory/items?q=${shortItem.sku}`)).json()).items as Item[];
    expect(bySku.map((i) => i.sku)).toEqual([shortItem.sku]);
    const byName = (await (await api.get("/api/inventory/items?q=bearing")).json()).items as Item[];
    expect(byName.length).toBeGreaterThan(1);
    for (const item of byName) expect(`${item.sku} ${item.name}`.toLowerCase()).toContain("bearing");
  });

  test("a bad limit is 400 invalid_request", async ({ as }) => {
    const api = await as("buyer");
    const response = await api.get("/api/inventory/items?limit=0");
    expect(response.status()).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_request", issues: expect.any(Array) });
  });
});
