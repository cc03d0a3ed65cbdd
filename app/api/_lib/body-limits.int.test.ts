import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/server/db";
import { createItem, createUser } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import { snapshotInventory } from "@/server/testing/inventory-state";
import { POST as createToken } from "../admin/tokens/route";
import { POST as changeRole } from "../admin/users/[id]/role/route";
import { POST as login } from "../auth/login/route";
import { GET as listItems } from "../inventory/items/route";
import { POST as createPurchaseOrder } from "../purchase-orders/route";
import { POST as reserve } from "../reservations/route";

// Oversized bodies are refused by the app itself (nginx refuses bigger ones
// before they arrive, deploy/nginx): 413 with the limit in words, nothing
// stored, and a body that never ends is cut off rather than buffered.

type Handler = Parameters<typeof call>[0];
let admin: Awaited<ReturnType<typeof actor>>;
let buyer: Awaited<ReturnType<typeof actor>>;
let itemId: number;

beforeAll(async () => {
  [admin, buyer] = [await actor("admin"), await actor("purchasing")];
  itemId = (await createItem({ stockQty: 100 })).id;
});

const padded = (bytes: number, body: Record<string, unknown>) => {
  const base = JSON.stringify({ ...body, pad: "" });
  return JSON.stringify({ ...body, pad: "x".repeat(bytes - base.length) });
};
const tooLarge = (limit: number) => ({
  status: 413,
  body: { error: "payload_too_large", message: `The request body is larger than ${limit} bytes.` },
});

const limits: [string, Handler, number, () => { token?: string; params?: Record<string, string> }][] = [
  ["POST /api/auth/login", login, 4096, () => ({})],
  ["POST /api/reservations", reserve, 256 * 1024, () => ({ token: buyer.token })],
  ["POST /api/purchase-orders", createPurchaseOrder, 256 * 1024, () => ({ token: buyer.token })],
  ["POST /api/admin/tokens", createToken, 4096, () => ({ token: admin.token })],
  [
    "POST /api/admin/users/{id}/role",
    changeRole,
    1024,
    () => ({ token: admin.token, params: { id: String(admin.user.id) } }),
  ],
];

async function stored() {
  return {
    inventory: await snapshotInventory(),
    orders: await prisma().purchaseOrder.count(),
    tokens: await prisma().apiToken.count(),
    sessions: await prisma().session.count(),
  };
}

describe.each(limits)("%s", (_, handler, limit, who) => {
  it(`accepts ${limit} bytes and no more, with Content-Length`, async () => {
    const before = await stored();
    const res = await call(handler, { ...who(), rawBody: padded(limit + 1, { orderRef: "SO-BIG" }) });
    expect(res).toMatchObject(tooLarge(limit));
    expect(await stored()).toEqual(before);
    // At the limit the size is no objection (the schema then refuses the padding).
    const atLimit = await call(handler, { ...who(), rawBody: padded(limit, { orderRef: "SO-BIG" }) });
    expect(atLimit.status).toBe(400);
  });

  it("cuts off a chunked body that never ends", async () => {
    const before = await stored();
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
      },
    });
    const { token, params } = who();
    const req = new Request("http://erp.test/api/limits", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": randomUUID(),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: endless,
      duplex: "half",
    } as RequestInit);
    const res = await handler(req, { params: Promise.resolve(params ?? {}) });
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(limit + 64 * 1024);
    expect(await stored()).toEqual(before);
  });
});

describe("NUL characters, which PostgreSQL text cannot hold", () => {
  it("are refused in a body with 400, not a 500", async () => {
    const res = await call(reserve, {
      token: buyer.token,
      body: { orderRef: "SO-\u0000", lines: [{ itemId, qty: 1 }] },
    });
    expect(res).toMatchObject({ status: 400, body: { error: "invalid_request" } });
  });

  it("are refused in a query with 400", async () => {
    const res = await call(listItems, { token: buyer.token, path: "/api/inventory/items?q=%00" });
    expect(res).toMatchObject({ status: 400, body: { error: "invalid_request" } });
  });

  it("are refused in a login", async () => {
    const user = await createUser({ role: "planner" });
    const res = await call(login, { body: { username: `${user.username}\u0000`, password: "x" } });
    expect(res.status).toBe(400);
  });
});
