import { describe, expect, it } from "vitest";
import { POST as release } from "@/app/api/reservations/[id]/release/route";
import { POST as reserve } from "@/app/api/reservations/route";
import { prisma } from "../db";
import { createItem } from "../testing/factories";
import { actor, call } from "../testing/http";

describe("reserving stock", () => {
  it("reserves several lines at once and gives them back on release", async () => {
    const buyer = await actor("purchasing");
    const [a, b] = [await createItem({ stockQty: 10 }), await createItem({ stockQty: 5 })];

    const created = await call(reserve, {
      token: buyer.token,
      body: {
        orderRef: "SO-1",
        lines: [
          { itemId: b.id, qty: 5 },
          { itemId: a.id, qty: 3 },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "active", orderRef: "SO-1" });
    expect(created.body.lines.map((l: { itemId: number; qty: number }) => [l.itemId, l.qty])).toEqual([
      [a.id, 3],
      [b.id, 5],
    ]);

    const after = await prisma().inventoryItem.findMany({
      where: { id: { in: [a.id, b.id] } },
      orderBy: { id: "asc" },
    });
    expect(after.map((i) => i.reservedQty)).toEqual([3, 5]);

    const released = await call(release, { token: buyer.token, params: { id: created.body.id } });
    expect(released).toMatchObject({ status: 200, body: { id: created.body.id, status: "released" } });
    const back = await prisma().inventoryItem.findMany({ where: { id: { in: [a.id, b.id] } } });
    expect(back.map((i) => i.reservedQty)).toEqual([0, 0]);

    const again = await call(release, { token: buyer.token, params: { id: created.body.id } });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe("reservation_not_active");
  });

  it("reserves nothing when one line is short, and says which", async () => {
    const buyer = await actor("purchasing");
    const [a, b] = [await createItem({ stockQty: 10 }), await createItem({ stockQty: 2 })];
    const res = await call(reserve, {
      token: buyer.token,
      body: {
        orderRef: "SO-2",
        lines: [
          { itemId: a.id, qty: 4 },
          { itemId: b.id, qty: 3 },
        ],
      },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      error: "insufficient_stock",
      shortages: [{ itemId: b.id, requested: 3, available: 2 }],
    });
    const items = await prisma().inventoryItem.findMany({ where: { id: { in: [a.id, b.id] } } });
    expect(items.map((i) => i.reservedQty)).toEqual([0, 0]);
    expect(await prisma().reservation.count({ where: { orderRef: "SO-2" } })).toBe(0);
  });
});
