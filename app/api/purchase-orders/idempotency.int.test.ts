import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pool } from "@/server/db";
import { createItem, createSupplier } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import { waitForLockedSessions } from "@/server/testing/purchase-orders";
import { forgetRedisKeys } from "@/server/testing/redis-keys";
import { type HeldLock, holdRowLock, waitForLockWaiters } from "@/server/testing/row-lock";
import { POST as createOrder } from "./route";

// A buyer's browser retries "Create purchase order" after the connection
// dropped: the supplier must get the order once. Redis answers repeats; the
// unique idempotency_key in purchase_orders answers them when Redis forgot.

type Buyer = Awaited<ReturnType<typeof actor>>;
let buyer: Buyer;
let supplierId: number;
let itemId: number;
let held: HeldLock | undefined;

beforeEach(async () => {
  buyer = await actor("purchasing");
  supplierId = (await createSupplier()).id;
  itemId = (await createItem()).id;
});
afterEach(async () => {
  await held?.release();
  held = undefined;
});

const bodyFor = (qty: number) => ({ supplierId, lines: [{ itemId, qty, unitPrice: 4.2 }] });
const post = (key: string | "none", body: unknown, who: Buyer = buyer) =>
  call(createOrder, { token: who.token, idempotencyKey: key, path: "/api/purchase-orders", body });

/** The orders with this key and how many delivery messages they have between them. */
async function ordersWithKey(key: string) {
  const { rows } = await pool().query<{ id: string; deliveries: number }>(
    `SELECT p.id, (SELECT count(*)::int FROM outbox_messages o
                   WHERE o.aggregate_id = p.id::text AND o.event_type = 'purchase_order.created') AS deliveries
     FROM purchase_orders p WHERE p.idempotency_key = $1`,
    [key],
  );
  return rows;
}

const reused = {
  error: "idempotency_key_reused",
  message: "This Idempotency-Key was already used with a different request body. Send a new key for a new request.",
};
const reusedInDatabase = {
  error: "idempotency_key_reused",
  message: "This Idempotency-Key was already used for a different request. Use a new key for a new purchase order.",
};

describe("Idempotency-Key on POST /api/purchase-orders", () => {
  it("replays the first answer with Idempotent-Replayed, and orders once", async () => {
    const key = randomUUID();
    const first = await post(key, bodyFor(3));
    expect(first.status).toBe(201);
    const again = await call(createOrder, {
      token: buyer.token,
      idempotencyKey: key.toUpperCase(),
      rawBody: `{ "lines": [ { "unitPrice": 4.20, "qty": 3, "itemId": ${itemId} } ], "supplierId": ${supplierId} }`,
    });
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await ordersWithKey(key)).toEqual([{ id: first.body.id, deliveries: 1 }]);
  });

  it("refuses the same key with another body (422) and keeps the first order", async () => {
    const key = randomUUID();
    const first = await post(key, bodyFor(3));
    expect(await post(key, bodyFor(4))).toMatchObject({ status: 422, body: reused });
    expect(await ordersWithKey(key)).toEqual([{ id: first.body.id, deliveries: 1 }]);
  });

  it.each([
    [
      "missing",
      "none",
      "This request creates something: send an Idempotency-Key header (a UUID) so that a retry cannot create it twice.",
    ],
    ["not a UUID", "po-42", "The Idempotency-Key header must be a UUID."],
  ])("answers 400 idempotency_key_required when the key is %s, and orders nothing", async (_, key, message) => {
    const before = await pool().query("SELECT count(*)::int AS n FROM purchase_orders");
    expect(await post(key, bodyFor(1))).toMatchObject({
      status: 400,
      body: { error: "idempotency_key_required", message },
    });
    expect((await pool().query("SELECT count(*)::int AS n FROM purchase_orders")).rows).toEqual(before.rows);
  });

  it("refuses a duplicate while the first is still running (409), then the first completes", async () => {
    const key = randomUUID();
    // The order's insert checks its supplier's key (FOR KEY SHARE): it waits here.
    held = await holdRowLock("SELECT id FROM suppliers WHERE id = $1 FOR UPDATE", [supplierId]);
    const first = post(key, bodyFor(2));
    await waitForLockWaiters(held);

    const duplicate = await post(key, bodyFor(2));
    expect(duplicate).toMatchObject({
      status: 409,
      body: {
        error: "idempotency_in_progress",
        message: "A request with this Idempotency-Key is still being processed. Retry after it has finished.",
      },
    });
    expect(duplicate.headers.get("retry-after")).toBe("1");

    await held.release();
    const done = await first;
    expect(done.status).toBe(201);
    expect(await ordersWithKey(key)).toEqual([{ id: done.body.id, deliveries: 1 }]);
  });

  it("falls back on the database when Redis has lost the key: replays the same body, refuses another", async () => {
    const key = randomUUID();
    const first = await post(key, bodyFor(3));
    expect(await forgetRedisKeys("idem:*")).toBeGreaterThan(0);

    const replay = await post(key, bodyFor(3));
    expect(replay).toMatchObject({ status: 201, body: first.body });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");

    await forgetRedisKeys("idem:*");
    expect(await post(key, bodyFor(4))).toMatchObject({ status: 422, body: reusedInDatabase });
    // The refusal did not take the key over: the first body still replays.
    expect(await post(key, bodyFor(3))).toMatchObject({ status: 201, body: first.body });
    expect(await ordersWithKey(key)).toEqual([{ id: first.body.id, deliveries: 1 }]);
  });

  it("never lets another user's key replay someone else's order", async () => {
    const key = randomUUID();
    const first = await post(key, bodyFor(3));
    const theirs = await post(key, bodyFor(3), await actor("purchasing"));
    expect(theirs).toMatchObject({ status: 422, body: reusedInDatabase });
    expect(JSON.stringify(theirs.body)).not.toContain(first.body.id);
  });

  it("orders once when Redis lost the key while two identical requests were both inside (unique index backstop)", async () => {
    const key = randomUUID();
    held = await holdRowLock("SELECT id FROM suppliers WHERE id = $1 FOR UPDATE", [supplierId]);
    const a = post(key, bodyFor(5));
    await waitForLockWaiters(held, 1);
    // Redis fails over and forgets the in-flight marker: the second request
    // gets past Redis and past the lookup (the first has not committed).
    await forgetRedisKeys("idem:*");
    const b = post(key, bodyFor(5));
    // The second waits on the first's uncommitted key, not on the supplier.
    await waitForLockedSessions(2);
    await held.release();

    const [ra, rb] = await Promise.all([a, b]);
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect(rb.body).toEqual(ra.body);
    const replayed = [ra, rb].map((r) => r.headers.get("idempotent-replayed"));
    expect(replayed.sort()).toEqual(["true", null].sort());
    expect(await ordersWithKey(key)).toEqual([{ id: ra.body.id, deliveries: 1 }]);
  });
});
