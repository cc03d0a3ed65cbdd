import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pool } from "@/server/db";
import { createItem } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import { forgetRedisKeys } from "@/server/testing/redis-keys";
import { type HeldLock, holdRowLock, waitForLockWaiters } from "@/server/testing/row-lock";
import { POST as reserve } from "./route";

// A purchaser's tablet retries a reservation after a timeout: the retry must
// answer what the first attempt answered and never reserve twice, even
// when Redis has lost the key in between.

type Buyer = Awaited<ReturnType<typeof actor>>;
type Item = Awaited<ReturnType<typeof createItem>>;

let buyer: Buyer;
let item: Item;
let held: HeldLock | undefined;

beforeEach(async () => {
  buyer = await actor("purchasing");
  item = await createItem({ stockQty: 50 });
});
afterEach(async () => {
  await held?.release();
  held = undefined;
});

const bodyFor = (qty: number, orderRef = "SO-IDEM") => ({ orderRef, lines: [{ itemId: item.id, qty }] });
const post = (key: string | "none", body: unknown, who: Buyer = buyer) =>
  call(reserve, { token: who.token, idempotencyKey: key, path: "/api/reservations", body });

async function reservationsWithKey(key: string) {
  const { rows } = await pool().query<{ id: string }>("SELECT id FROM reservations WHERE idempotency_key = $1", [key]);
  return rows.map((r) => r.id);
}
async function reservedQty() {
  const { rows } = await pool().query<{ reserved_qty: number }>(
    "SELECT reserved_qty FROM inventory_items WHERE id = $1",
    [item.id],
  );
  return rows[0]?.reserved_qty;
}

const reused = {
  error: "idempotency_key_reused",
  message: "This Idempotency-Key was already used with a different request body. Send a new key for a new request.",
};
const reusedInDatabase = {
  error: "idempotency_key_reused",
  message: "This Idempotency-Key was already used for a different request. Use a new key for a new reservation.",
};

describe("Idempotency-Key on POST /api/reservations", () => {
  it("replays the first answer to a repeat, with Idempotent-Replayed, and reserves once", async () => {
    const key = randomUUID();
    const first = await post(key, bodyFor(3));
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();

    // Key order and spacing do not make it another request.
    const again = await call(reserve, {
      token: buyer.token,
      idempotencyKey: key.toUpperCase(),
      rawBody: `{ "lines": [ { "qty": 3, "itemId": ${item.id} } ], "orderRef": "SO-IDEM" }`,
    });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await reservationsWithKey(key)).toEqual([first.body.id]);
    expect(await reservedQty()).toBe(3);
  });

  it("replays a refusal too: a repeat of a 409 is the same 409", async () => {
    const key = randomUUID();
    const first = await post(key, bodyFor(51));
    expect(first.status).toBe(409);
    const again = await post(key, bodyFor(51));
    expect(again).toMatchObject({ status: 409, body: first.body });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });

  it("refuses the same key with another body (422) and keeps the first reservation", async () => {
    const key = randomUUID();
    const first = await post(key, bodyFor(3));
    expect(first.status).toBe(201);
    const other = await post(key, bodyFor(4));
    expect(other).toMatchObject({ status: 422, body: reused });
    expect(await reservationsWithKey(key)).toEqual([first.body.id]);
    expect(await reservedQty()).toBe(3);
    // The first body still replays.
    expect((await post(key, bodyFor(3))).body).toEqual(first.body);
  });

  it("refuses a duplicate while the first is still running (409), then the first completes", async () => {
    const key = randomUUID();
    held = await holdRowLock("SELECT id FROM inventory_items WHERE id = $1 FOR UPDATE", [item.id]);
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
    expect(await reservationsWithKey(key)).toEqual([done.body.id]);
    const afterwards = await post(key, bodyFor(2));
    expect(afterwards).toMatchObject({ status: 201, body: done.body });
  });

  it.each([
    [
      "missing",
      "none",
      "This request creates something: send an Idempotency-Key header (a UUID) so that a retry cannot create it twice.",
    ],
    ["not a UUID", "order-42", "The Idempotency-Key header must be a UUID."],
    [
      "empty",
      " ",
      "This request creates something: send an Idempotency-Key header (a UUID) so that a retry cannot create it twice.",
    ],
    ["a UUID with junk", `${randomUUID()}x`, "The Idempotency-Key header must be a UUID."],
  ])("answers 400 idempotency_key_required when the key is %s, and reserves nothing", async (_, key, message) => {
    const res = await post(key, bodyFor(1));
    expect(res).toMatchObject({ status: 400, body: { error: "idempotency_key_required", message } });
    expect(await reservedQty()).toBe(0);
  });

  it("never replays one user's answer to another user who sends the same key", async () => {
    const key = randomUUID();
    const first = await post(key, bodyFor(3));
    expect(first.status).toBe(201);
    const stranger = await actor("purchasing");
    const theirs = await post(key, bodyFor(3), stranger);
    expect(theirs).toMatchObject({ status: 422, body: reusedInDatabase });
    expect(JSON.stringify(theirs.body)).not.toContain(first.body.id);
    expect(await reservationsWithKey(key)).toEqual([first.body.id]);
    expect(await reservedQty()).toBe(3);
  });

  it("falls back on the database when Redis has lost the key", async () => {
    const key = randomUUID();
    const first = await post(key, bodyFor(3));
    expect(first.status).toBe(201);

    expect(await forgetRedisKeys("idem:*")).toBeGreaterThan(0);
    const replay = await post(key, bodyFor(3));
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await reservationsWithKey(key)).toEqual([first.body.id]);
    expect(await reservedQty()).toBe(3);

    await forgetRedisKeys("idem:*");
    const other = await post(key, bodyFor(4));
    expect(other).toMatchObject({ status: 422, body: reusedInDatabase });
    expect(await reservedQty()).toBe(3);
    // The refused body did not take the key over: the first body, retried, is still answered with its reservation.
    const retried = await post(key, bodyFor(3));
    expect(retried).toMatchObject({ status: 201, body: first.body });
    expect(await reservationsWithKey(key)).toEqual([first.body.id]);
  });

  it("reserves once when Redis lost the key and two retries arrive at the same time", async () => {
    const key = randomUUID();
    const first = await post(key, bodyFor(3));
    await forgetRedisKeys("idem:*");
    const [a, b] = await Promise.all([post(key, bodyFor(3)), post(key, bodyFor(3))]);
    // One is replayed from the database, the other either from Redis or told the first is running.
    expect([a.status, b.status].sort()).toSatisfy(
      (s: number[]) => (s[0] === 201 && s[1] === 201) || (s[0] === 201 && s[1] === 409),
    );
    for (const r of [a, b].filter((r) => r.status === 201)) expect(r.body).toEqual(first.body);
    expect(await reservationsWithKey(key)).toEqual([first.body.id]);
    expect(await reservedQty()).toBe(3);
  });
});
