import { beforeAll, describe, expect, it } from "vitest";
import { POST as release } from "@/app/api/reservations/[id]/release/route";
import { POST as reserve } from "@/app/api/reservations/route";
import { closeDb, pool } from "../db";
import { createItem } from "../testing/factories";
import { actor, type CallResult, call } from "../testing/http";
import { inventoryViolations } from "../testing/inventory-state";
import { withAdmin } from "../testing/postgres-admin";

// Hundreds of reservation requests at once, through the real route, the
// real pool and PostgreSQL's real row locks. Lines are listed in random
// order so that, without the function's id-ordered locking, requests would
// deadlock; the random choices come from a seed printed on failure.

type Line = { itemId: number; qty: number };
type Buyer = Awaited<ReturnType<typeof actor>>;

const seed = Number(process.env.TEST_SEED ?? Date.now() % 1_000_000);
const random = mulberry32(seed);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const shuffled = <T>(list: readonly T[]): T[] => {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
};

let buyers: Buyer[];
beforeAll(async () => {
  buyers = await Promise.all(Array.from({ length: 5 }, () => actor("purchasing")));
});

function reserveLines(lines: Line[], orderRef = `SO-${between(1, 99999)}`) {
  return call(reserve, { token: pick(buyers).token, path: "/api/reservations", body: { orderRef, lines } });
}

function releaseReservation(id: string) {
  return call(release, { token: pick(buyers).token, params: { id }, path: `/api/reservations/${id}/release` });
}

/** Fails on any answer a client should never get under load. */
function expectOnlyExpectedAnswers(results: CallResult[], allowed: number[]) {
  const unexpected = results.filter(
    (r) =>
      !allowed.includes(r.status) ||
      JSON.stringify(r.body ?? "")
        .toLowerCase()
        .includes("deadlock"),
  );
  expect(unexpected.slice(0, 3), `seed ${seed}`).toEqual([]);
}

/**
 * Deadlocks PostgreSQL detected in this file's database so far. The route
 * retries them unseen, so the answers alone cannot show that there were
 * none. Backends publish the counter when they exit: closing the pool makes
 * them do so (the next query opens a new pool).
 */
async function deadlocksSoFar(): Promise<number> {
  const name = new URL(process.env.DATABASE_URL ?? "").pathname.slice(1);
  await closeDb();
  await new Promise((r) => setTimeout(r, 300));
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ deadlocks: string }>(
      "SELECT deadlocks FROM pg_stat_database WHERE datname = $1",
      [name],
    );
    return Number(rows[0]?.deadlocks ?? 0);
  });
}

async function reservedQty(itemIds: number[]): Promise<Map<number, number>> {
  const { rows } = await pool().query<{ id: number; reserved_qty: number }>(
    "SELECT id, reserved_qty FROM inventory_items WHERE id = ANY ($1)",
    [itemIds],
  );
  return new Map(rows.map((r) => [r.id, r.reserved_qty]));
}

async function outboxEventsFor(reservationIds: string[], reason: "reserve" | "release") {
  const { rows } = await pool().query<{ aggregate_id: string; n: number }>(
    `SELECT aggregate_id, count(*)::int AS n FROM outbox_messages
     WHERE event_type = 'inventory.changed' AND payload ->> 'reason' = $2 AND aggregate_id = ANY ($1)
     GROUP BY aggregate_id`,
    [reservationIds, reason],
  );
  return rows;
}

describe("reserving under concurrency", () => {
  it("sells the last 100 units of one item exactly once each to 500 simultaneous requests", async () => {
    const deadlocksBefore = await deadlocksSoFar();
    const hot = await createItem({ stockQty: 100 });

    const results = await Promise.all(Array.from({ length: 500 }, () => reserveLines([{ itemId: hot.id, qty: 1 }])));

    expectOnlyExpectedAnswers(results, [201, 409]);
    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(100);
    for (const r of won) expect(r.body).toMatchObject({ status: "active", lines: [{ itemId: hot.id, qty: 1 }] });
    // Every refusal happened when nothing was left, and says so exactly.
    const refusal = {
      error: "insufficient_stock",
      message: `Not enough stock. ${hot.sku} ${hot.name}: requested 1 pcs, 0 available.`,
      shortages: [{ itemId: hot.id, sku: hot.sku, name: hot.name, requested: 1, available: 0 }],
    };
    for (const r of results.filter((r) => r.status === 409)) expect(r.body).toEqual(refusal);

    expect((await reservedQty([hot.id])).get(hot.id)).toBe(100);
    expect(await inventoryViolations({ itemIds: [hot.id] })).toEqual([]);
    const events = await outboxEventsFor(
      won.map((r) => r.body.id),
      "reserve",
    );
    expect(events).toHaveLength(100);
    expect(events.every((e) => e.n === 1)).toBe(true);
    expect(await deadlocksSoFar()).toBe(deadlocksBefore);
  });

  it("grants exactly what the hot items allow when each request mixes one hot item with cold ones in random order", async () => {
    const deadlocksBefore = await deadlocksSoFar();
    const hot = [
      await createItem({ stockQty: 40 }),
      await createItem({ stockQty: 25 }),
      await createItem({ stockQty: 15 }),
    ];
    const cold = await Promise.all(Array.from({ length: 5 }, () => createItem({ stockQty: 100_000 })));

    const requests = Array.from({ length: 500 }, () => {
      const hotItem = pick(hot);
      const coldLines = shuffled(cold)
        .slice(0, between(0, 2))
        .map((c) => ({ itemId: c.id, qty: between(1, 5) }));
      return { hotItem, lines: shuffled([{ itemId: hotItem.id, qty: 1 }, ...coldLines]) };
    });
    const results = await Promise.all(requests.map((r) => reserveLines(r.lines)));

    expectOnlyExpectedAnswers(results, [201, 409]);
    // Cold items never run short, so each hot item grants min(stock, asked).
    const expected = hot.reduce(
      (sum, h) => sum + Math.min(h.stockQty, requests.filter((r) => r.hotItem.id === h.id).length),
      0,
    );
    const won = results.filter((r) => r.status === 201);
    expect(won.length, `seed ${seed}`).toBe(expected);
    results.forEach((r, i) => {
      const request = requests[i];
      if (!request) throw new Error("no request for a result");
      if (r.status === 201) {
        const sorted = [...request.lines].sort((a, b) => a.itemId - b.itemId);
        expect(r.body.lines.map((l: Line) => ({ itemId: l.itemId, qty: l.qty }))).toEqual(sorted);
      } else {
        expect(r.body.shortages).toEqual([
          expect.objectContaining({ itemId: request.hotItem.id, requested: 1, available: 0 }),
        ]);
      }
    });

    const reserved = await reservedQty(hot.map((h) => h.id));
    for (const h of hot) {
      expect(reserved.get(h.id)).toBe(Math.min(h.stockQty, requests.filter((r) => r.hotItem.id === h.id).length));
    }
    expect(await inventoryViolations({ itemIds: [...hot, ...cold].map((i) => i.id) }), `seed ${seed}`).toEqual([]);
    expect(
      await outboxEventsFor(
        won.map((r) => r.body.id),
        "reserve",
      ),
    ).toHaveLength(won.length);
    expect(await deadlocksSoFar()).toBe(deadlocksBefore);
  });

  it("keeps every invariant when 500 requests take 1-3 contended items each in random order", async () => {
    const deadlocksBefore = await deadlocksSoFar();
    const hot = [
      await createItem({ stockQty: 30 }),
      await createItem({ stockQty: 20 }),
      await createItem({ stockQty: 10 }),
    ];
    const cold = await Promise.all(Array.from({ length: 3 }, () => createItem({ stockQty: 10_000 })));
    const everything = [...hot, ...hot, ...cold]; // hot items twice as likely

    const requests = Array.from({ length: 500 }, () => {
      const ids = [...new Set(Array.from({ length: between(1, 3) }, () => pick(everything).id))];
      return shuffled(ids).map((itemId) => ({ itemId, qty: between(1, 3) }));
    });
    const results = await Promise.all(requests.map((lines) => reserveLines(lines)));

    expectOnlyExpectedAnswers(results, [201, 409]);
    const itemIds = [...hot, ...cold].map((i) => i.id);
    expect(await inventoryViolations({ itemIds }), `seed ${seed}`).toEqual([]);

    // Availability only falls in this test, so a request refused for a
    // shortage must still be short at the end: no request was refused while
    // its stock was there.
    const { rows } = await pool().query<{ id: number; available: number }>(
      "SELECT id, stock_qty - reserved_qty AS available FROM inventory_items WHERE id = ANY ($1)",
      [itemIds],
    );
    const available = new Map(rows.map((r) => [r.id, r.available]));
    results.forEach((r, i) => {
      const lines = requests[i] ?? [];
      if (r.status !== 409) return;
      expect(r.body.shortages.length).toBeGreaterThan(0);
      for (const s of r.body.shortages) {
        const line = lines.find((l) => l.itemId === s.itemId);
        expect(line, `a shortage names an item the request did not ask for (seed ${seed})`).toBeDefined();
        expect(s.requested).toBe(line?.qty);
        expect(s.available).toBeLessThan(s.requested);
        expect(s.available).toBeGreaterThanOrEqual(available.get(s.itemId) ?? Number.NaN);
      }
    });
    const won = results.filter((r) => r.status === 201);
    expect(won.length).toBeGreaterThan(0);
    expect(
      await outboxEventsFor(
        won.map((r) => r.body.id),
        "reserve",
      ),
    ).toHaveLength(won.length);
    expect(await deadlocksSoFar()).toBe(deadlocksBefore);
  });

  it("keeps every invariant when releases, double releases and new reservations race", async () => {
    const deadlocksBefore = await deadlocksSoFar();
    const [x, y] = [await createItem({ stockQty: 100 }), await createItem({ stockQty: 50 })];
    if (!x || !y) throw new Error("items were not created");
    const setup = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        reserveLines(
          i % 2 === 0
            ? [{ itemId: x.id, qty: 1 }]
            : [
                { itemId: y.id, qty: 1 },
                { itemId: x.id, qty: 1 },
              ],
        ),
      ),
    );
    expect(setup.map((r) => r.status)).toEqual(Array(80).fill(201));
    const toRelease: string[] = setup.map((r) => r.body.id);

    const releases = toRelease.flatMap((id) => [releaseReservation(id), releaseReservation(id)]);
    const reservations = Array.from({ length: 300 }, () =>
      reserveLines(
        shuffled([x, y])
          .slice(0, between(1, 2))
          .map((i) => ({ itemId: i.id, qty: between(1, 2) })),
      ),
    );
    const [released, reserved] = await Promise.all([Promise.all(releases), Promise.all(reservations)]);

    expectOnlyExpectedAnswers(reserved, [201, 409]);
    expectOnlyExpectedAnswers(released, [200, 409]);
    // Each reservation was released exactly once; its second release was told why not.
    toRelease.forEach((id, i) => {
      const pair = [released[2 * i], released[2 * i + 1]].sort((a, b) => (a?.status ?? 0) - (b?.status ?? 0));
      expect(pair.map((r) => r?.body)).toEqual([
        { id, status: "released" },
        { error: "reservation_not_active", message: `Reservation ${id} is released, not active.`, status: "released" },
      ]);
    });
    expect(await inventoryViolations({ itemIds: [x.id, y.id] }), `seed ${seed}`).toEqual([]);
    const won = reserved.filter((r) => r.status === 201);
    expect(await outboxEventsFor([...toRelease, ...won.map((r) => r.body.id)], "reserve")).toHaveLength(
      80 + won.length,
    );
    expect(await outboxEventsFor(toRelease, "release")).toHaveLength(80);
    expect(await deadlocksSoFar()).toBe(deadlocksBefore);
  });
});

function mulberry32(a: number) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
