import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { POST as release } from "@/app/api/reservations/[id]/release/route";
import { POST as reserve } from "@/app/api/reservations/route";
import { pool } from "../db";
import { env } from "../env";
import { createItem } from "../testing/factories";
import { actor, call } from "../testing/http";
import { snapshotInventory } from "../testing/inventory-state";
import { type HeldLock, holdRowLock } from "../testing/row-lock";

// Another transaction holds the item's row (a stock count, a slow import):
// the request waits at most lock_timeout (5 s), then answers 503 and
// changes nothing, and the setting does not leak onto the pooled connection.

let held: HeldLock | undefined;
afterEach(async () => {
  await held?.release();
  held = undefined;
});

const lockItem = (id: number) => holdRowLock("SELECT id FROM inventory_items WHERE id = $1 FOR UPDATE", [id]);

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await run();
  return { result, seconds: (performance.now() - started) / 1000 };
}

/** SHOW lock_timeout on as many pooled connections as the pool will hold at once. */
async function lockTimeoutOnEveryPooledConnection(): Promise<string[]> {
  const clients: pg.PoolClient[] = await Promise.all(
    Array.from({ length: env().DATABASE_POOL_SIZE }, () => pool().connect()),
  );
  try {
    return await Promise.all(
      clients.map(
        async (c) => (await c.query<{ lock_timeout: string }>("SHOW lock_timeout")).rows[0]?.lock_timeout ?? "",
      ),
    );
  } finally {
    for (const c of clients) c.release();
  }
}

describe("a reservation that meets a locked row", () => {
  it("answers 503 lock_timeout with Retry-After after about 5 s, and writes nothing", async () => {
    const buyer = await actor("purchasing");
    const item = await createItem({ stockQty: 10 });
    const other = await createItem({ stockQty: 10 });
    const before = await snapshotInventory();
    const key = randomUUID();
    const body = {
      orderRef: "SO-LOCKED",
      lines: [
        { itemId: other.id, qty: 1 },
        { itemId: item.id, qty: 2 },
      ],
    };

    held = await lockItem(item.id);
    const { result, seconds } = await timed(() => call(reserve, { token: buyer.token, idempotencyKey: key, body }));

    expect(result.status).toBe(503);
    expect(result.body).toEqual({
      error: "lock_timeout",
      message:
        "These items are being changed by another request right now. Nothing was reserved; try again in a moment.",
    });
    expect(result.headers.get("retry-after")).toBe("1");
    expect(seconds).toBeGreaterThan(4.5);
    expect(seconds).toBeLessThan(8);
    expect(await snapshotInventory()).toEqual(before);

    // The pooled connection that ran it is back to the server's default.
    expect(await lockTimeoutOnEveryPooledConnection()).toEqual(Array(env().DATABASE_POOL_SIZE).fill("0"));

    // The key was freed, not kept with the 503: once the lock is gone the
    // same request goes through.
    await held.release();
    const retried = await call(reserve, { token: buyer.token, idempotencyKey: key, body });
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    expect(retried.body.lines.map((l: { itemId: number }) => l.itemId)).toEqual([item.id, other.id]);
  });

  it("does not wait for rows it does not need", async () => {
    const buyer = await actor("purchasing");
    const [locked, free] = [await createItem({ stockQty: 10 }), await createItem({ stockQty: 10 })];
    held = await lockItem(locked.id);
    const { result, seconds } = await timed(() =>
      call(reserve, { token: buyer.token, body: { orderRef: "SO-FREE", lines: [{ itemId: free.id, qty: 1 }] } }),
    );
    expect(result.status).toBe(201);
    expect(seconds).toBeLessThan(2);
  });

  it("answers 503 to a release whose item is locked, and the reservation stays active", async () => {
    const buyer = await actor("purchasing");
    const item = await createItem({ stockQty: 10 });
    const created = await call(reserve, {
      token: buyer.token,
      body: { orderRef: "SO-REL", lines: [{ itemId: item.id, qty: 4 }] },
    });
    expect(created.status).toBe(201);
    const before = await snapshotInventory();

    held = await lockItem(item.id);
    const { result, seconds } = await timed(() =>
      call(release, { token: buyer.token, params: { id: created.body.id } }),
    );

    expect(result.status).toBe(503);
    expect(result.body).toEqual({
      error: "lock_timeout",
      message: "The reserved items are being changed by another request right now. Try again in a moment.",
    });
    expect(result.headers.get("retry-after")).toBe("1");
    expect(seconds).toBeGreaterThan(4.5);
    expect(seconds).toBeLessThan(8);
    expect(await snapshotInventory()).toEqual(before);
    const { rows } = await pool().query("SELECT status FROM reservations WHERE id = $1", [created.body.id]);
    expect(rows).toEqual([{ status: "active" }]);
    expect(await lockTimeoutOnEveryPooledConnection()).toEqual(Array(env().DATABASE_POOL_SIZE).fill("0"));

    await held.release();
    const retried = await call(release, { token: buyer.token, params: { id: created.body.id } });
    expect(retried).toMatchObject({ status: 200, body: { id: created.body.id, status: "released" } });
  });
});
