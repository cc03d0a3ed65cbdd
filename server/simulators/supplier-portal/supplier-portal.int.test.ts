import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createSupplierPortal, type SupplierPortal } from "./app";

// The simulator over real HTTP and a real Redis. Each test gets its own key
// prefix under the file's REDIS_PREFIX, so tests neither share orders nor
// outlive the file's cleanup.

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 2 });
const silent = pino({ level: "silent" });
const running: SupplierPortal[] = [];
const prefixes: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((portal) => portal.close()));
  for (const prefix of prefixes.splice(0)) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
});

afterAll(async () => {
  await redis.quit();
});

function newPrefix(): string {
  const prefix = `${process.env.REDIS_PREFIX ?? "erp-test:"}supplier-sim:${randomUUID()}:`;
  prefixes.push(prefix);
  return prefix;
}

async function startPortal(options: { prefix?: string; token?: string } = {}) {
  const prefix = options.prefix ?? newPrefix();
  const portal = createSupplierPortal({ redis, prefix, token: options.token, logger: silent });
  running.push(portal);
  await new Promise<void>((resolve) => portal.server.listen(0, "127.0.0.1", resolve));
  const { port } = portal.server.address() as AddressInfo;
  return { portal, prefix, url: `http://127.0.0.1:${port}` };
}

function newOrder(overrides: Record<string, unknown> = {}) {
  return {
    purchaseOrderId: randomUUID(),
    supplierCode: `SUP-${randomUUID().slice(0, 6)}`,
    buyer: "buyer",
    lines: [
      { lineNo: 1, sku: "STEEL-10", name: "Steel sheet 10 mm", qty: 40, unitPrice: 12.5 },
      { lineNo: 2, sku: "BOLT-M8", name: "Bolt M8", qty: 500, unitPrice: 0.08 },
    ],
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

type PostOptions = { key?: string | null; token?: string; rawBody?: string; signal?: AbortSignal };

async function postOrder(url: string, body: unknown, options: PostOptions = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.key !== null) headers["idempotency-key"] = options.key ?? randomUUID();
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(`${url}/orders`, {
    method: "POST",
    headers,
    body: options.rawBody ?? JSON.stringify(body),
    signal: options.signal,
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

async function getJson(url: string) {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

async function putFaults(url: string, faults: unknown) {
  const res = await fetch(`${url}/faults`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: typeof faults === "string" ? faults : JSON.stringify(faults),
  });
  return { status: res.status, body: await res.json() };
}

async function listOrders(url: string) {
  return (await getJson(`${url}/orders`)).body.orders as { purchaseOrderId: string; supplierReference: string }[];
}

async function waitForKey(prefix: string, key: string) {
  for (let i = 0; i < 200 && !(await redis.exists(`${prefix}key:${key}`)); i++) await sleep(10);
}

describe("POST /orders", () => {
  it("takes an order and lists it", async () => {
    const { url } = await startPortal();
    const order = newOrder();
    const key = randomUUID();

    const res = await postOrder(url, order, { key });

    expect(res.status).toBe(201);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    expect(res.body).toEqual({
      supplierReference: expect.stringMatching(/^SO-[0-9A-F]{10}$/),
      status: "acknowledged",
      purchaseOrderId: order.purchaseOrderId,
      receivedAt: expect.any(String),
    });
    expect(await listOrders(url)).toEqual([
      {
        purchaseOrderId: order.purchaseOrderId,
        idempotencyKey: key,
        supplierReference: res.body.supplierReference,
        receivedAt: res.body.receivedAt,
        lines: order.lines,
      },
    ]);
  });

  it("replays the stored response for the same key and body, and lists the order once", async () => {
    const { url } = await startPortal();
    const order = newOrder();
    const key = randomUUID();
    const first = await postOrder(url, order, { key });
    // The same body, keys in another order: the fingerprint is canonical.
    const reordered = Object.fromEntries(Object.entries(order).reverse());

    const again = await postOrder(url, reordered, { key });

    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(await listOrders(url)).toHaveLength(1);
  });

  it("refuses the same key with another body", async () => {
    const { url } = await startPortal();
    const key = randomUUID();
    await postOrder(url, newOrder(), { key });

    const res = await postOrder(url, newOrder(), { key });

    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: "idempotency_key_reused" });
    expect(await listOrders(url)).toHaveLength(1);
  });

  it("answers 409 to a concurrent request with the same key while the first is held", async () => {
    const { url, prefix } = await startPortal();
    await putFaults(url, { delayMs: 800 });
    const order = newOrder();
    const key = randomUUID();

    const first = postOrder(url, order, { key });
    await waitForKey(prefix, key);
    const second = await postOrder(url, order, { key });

    expect(second.status).toBe(409);
    expect(second.headers.get("retry-after")).toBe("1");
    expect(second.body).toMatchObject({ error: "idempotency_in_progress" });
    expect((await first).status).toBe(201);
    expect(await listOrders(url)).toHaveLength(1);
  });

  it.each([
    ["no Idempotency-Key", { key: null }, 400, "idempotency_key_required"],
    ["an Idempotency-Key that is not a UUID", { key: "order-1" }, 400, "idempotency_key_required"],
    ["a body that is not JSON", { rawBody: "{not json" }, 400, "invalid_order"],
    ["no lines", { body: newOrder({ lines: [] }) }, 400, "invalid_order"],
    ["a purchaseOrderId that is not a UUID", { body: newOrder({ purchaseOrderId: "PO-1" }) }, 400, "invalid_order"],
    [
      "a quantity of 0",
      { body: newOrder({ lines: [{ lineNo: 1, sku: "A", name: "A", qty: 0, unitPrice: 1 }] }) },
      400,
      "invalid_order",
    ],
    [
      "a negative price",
      { body: newOrder({ lines: [{ lineNo: 1, sku: "A", name: "A", qty: 1, unitPrice: -1 }] }) },
      400,
      "invalid_order",
    ],
    [
      "501 lines",
      {
        body: newOrder({
          lines: Array.from({ length: 501 }, (_, i) => ({ lineNo: i + 1, sku: "A", name: "A", qty: 1, unitPrice: 1 })),
        }),
      },
      400,
      "invalid_order",
    ],
  ])("refuses %s", async (_, request: PostOptions & { body?: unknown }, status, error) => {
    const { url, prefix } = await startPortal();

    const res = await postOrder(url, request.body ?? newOrder(), request);

    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ error, message: expect.any(String) });
    expect(await listOrders(url)).toEqual([]);
    expect(await redis.keys(`${prefix}key:*`)).toEqual([]);
  });

  it("forgets orders and keys on DELETE /orders", async () => {
    const { url } = await startPortal();
    const order = newOrder();
    const key = randomUUID();
    await postOrder(url, order, { key });

    expect((await fetch(`${url}/orders`, { method: "DELETE" })).status).toBe(204);

    expect(await listOrders(url)).toEqual([]);
    const again = await postOrder(url, order, { key });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBeNull();
  });
});

describe("faults", () => {
  it("failRate 1 answers 503 and takes nothing; the key stays free for a retry", async () => {
    const { url, prefix } = await startPortal();
    await putFaults(url, { failRate: 1 });
    const order = newOrder();
    const key = randomUUID();

    const res = await postOrder(url, order, { key });

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: "unavailable" });
    expect(await listOrders(url)).toEqual([]);
    expect(await redis.exists(`${prefix}key:${key}`)).toBe(0);

    await putFaults(url, { failRate: 0 });
    const retry = await postOrder(url, order, { key });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
  });

  it("rejectRate 1 answers 422 order_rejected and takes nothing", async () => {
    const { url, prefix } = await startPortal();
    await putFaults(url, { rejectRate: 1 });
    const key = randomUUID();

    const res = await postOrder(url, newOrder(), { key });

    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: "order_rejected", message: expect.any(String) });
    expect(await listOrders(url)).toEqual([]);
    expect(await redis.exists(`${prefix}key:${key}`)).toBe(0);
  });

  it("dropResponseRate 1 takes the order, drops the connection, and replays it to a retry", async () => {
    const { url } = await startPortal();
    await putFaults(url, { dropResponseRate: 1 });
    const order = newOrder();
    const key = randomUUID();

    await expect(postOrder(url, order, { key })).rejects.toThrow(TypeError);

    const listed = await listOrders(url);
    expect(listed).toHaveLength(1);
    expect(listed[0]?.purchaseOrderId).toBe(order.purchaseOrderId);

    // Even while the fault is still on: a replay is answered from the stored response.
    const retry = await postOrder(url, order, { key });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toMatchObject({
      status: "acknowledged",
      purchaseOrderId: order.purchaseOrderId,
      supplierReference: listed[0]?.supplierReference,
    });
    expect(await listOrders(url)).toHaveLength(1);
  });

  it("delayMs holds the answer, long enough for a caller's timeout to fire", async () => {
    const { url, prefix } = await startPortal();
    await putFaults(url, { delayMs: 400 });
    const order = newOrder();
    const key = randomUUID();

    const started = performance.now();
    const res = await postOrder(url, order, { key });
    expect(res.status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);

    // A caller that gives up after 100 ms: the portal takes the order anyway.
    const other = newOrder();
    const otherKey = randomUUID();
    await expect(postOrder(url, other, { key: otherKey, signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await sleep(500);
    const listed = await listOrders(url);
    expect(listed.map((o) => o.purchaseOrderId)).toEqual([order.purchaseOrderId, other.purchaseOrderId]);
    expect(await redis.exists(`${prefix}key:${otherKey}`)).toBe(1);
  });

  it("merges partial updates and shows the whole mix", async () => {
    const { url } = await startPortal();
    expect((await getJson(`${url}/faults`)).body).toEqual({
      failRate: 0,
      dropResponseRate: 0,
      delayMs: 0,
      rejectRate: 0,
    });

    await putFaults(url, { failRate: 0.25 });
    const res = await putFaults(url, { delayMs: 1500, dropResponseRate: 0.5 });

    const mix = { failRate: 0.25, dropResponseRate: 0.5, delayMs: 1500, rejectRate: 0 };
    expect(res).toEqual({ status: 200, body: mix });
    expect((await getJson(`${url}/faults`)).body).toEqual(mix);
  });

  it.each([
    ["a rate above 1", { failRate: 1.5 }],
    ["a negative rate", { rejectRate: -0.1 }],
    ["a rate as a string", { dropResponseRate: "0.5" }],
    ["a delay above 60 s", { delayMs: 60_001 }],
    ["a fractional delay", { delayMs: 1.5 }],
    ["an unknown fault", { failrate: 1 }],
    ["an array", [{ failRate: 1 }]],
    ["a body that is not JSON", "{failRate: 1"],
  ])("refuses %s in PUT /faults and keeps the mix", async (_, faults) => {
    const { url } = await startPortal();
    await putFaults(url, { failRate: 0.1 });

    const res = await putFaults(url, faults);

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: "invalid_faults", message: expect.any(String) });
    expect((await getJson(`${url}/faults`)).body).toEqual({
      failRate: 0.1,
      dropResponseRate: 0,
      delayMs: 0,
      rejectRate: 0,
    });
  });

  it("shares faults, keys and orders between instances on one prefix", async () => {
    const a = await startPortal();
    const b = await startPortal({ prefix: a.prefix });

    await putFaults(a.url, { rejectRate: 1 });
    expect((await getJson(`${b.url}/faults`)).body).toMatchObject({ rejectRate: 1 });
    expect((await postOrder(b.url, newOrder())).status).toBe(422);

    await putFaults(b.url, { rejectRate: 0 });
    const order = newOrder();
    const key = randomUUID();
    const first = await postOrder(a.url, order, { key });
    const replay = await postOrder(b.url, order, { key });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
    expect(await listOrders(b.url)).toHaveLength(1);
  });

  it("wakes a request held by delayMs on close, answers 503 and frees its key", async () => {
    const { url, prefix, portal } = await startPortal();
    await putFaults(url, { delayMs: 30_000 });
    const key = randomUUID();

    const pending = postOrder(url, newOrder(), { key });
    await waitForKey(prefix, key);
    const started = performance.now();
    await portal.close();

    expect((await pending).status).toBe(503);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await redis.exists(`${prefix}key:${key}`)).toBe(0);
  });
});

describe("auth and routing", () => {
  it("requires the bearer token on POST /orders when one is configured", async () => {
    const token = randomUUID();
    const { url } = await startPortal({ token });

    for (const given of [undefined, "wrong"]) {
      const res = await postOrder(url, newOrder(), { token: given });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(res.body).toMatchObject({ error: "unauthorized" });
    }
    expect((await postOrder(url, newOrder(), { token })).status).toBe(201);
    expect(await listOrders(url)).toHaveLength(1);
  });

  it("answers health, 404 and 405 in JSON", async () => {
    const { url } = await startPortal();

    expect(await getJson(`${url}/health`)).toEqual({ status: 200, body: { status: "ok" } });
    expect(await getJson(`${url}/nowhere`)).toMatchObject({ status: 404, body: { error: "not_found" } });
    const res = await fetch(`${url}/faults`, { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, PUT");
    expect(await res.json()).toMatchObject({ error: "method_not_allowed" });
  });
});
