import { randomUUID } from "node:crypto";
import { itemsBySku, ownedItems, shortItem, uniqueRef } from "../support";
import { expect, reserve, test, uuidPattern } from "./fixtures";

// The reservation part of ARCHITECTURE.md's HTTP contract. The demo data is
// shared with the UI specs, so only this spec's own items are reserved (see
// e2e/support.ts), and every reservation made here is released again.

const [bolts, cartons, cable] = ownedItems.apiContract;

test.describe("reservations", () => {
  test("reserve 201, replay, reused key 422, release 200 then 409", async ({ as }) => {
    const api = await as("buyer");
    const before = await itemsBySku(api, [bolts, cartons]);
    const body = {
      orderRef: uniqueRef("SO-API"),
      lines: [
        { itemId: before.get(bolts)?.id, qty: 3 },
        { itemId: before.get(cartons)?.id, qty: 2 },
      ],
    };
    const key = randomUUID();

    const created = await reserve(api, body, key);
    expect(created.status()).toBe(201);
    const reservation = await created.json();
    expect(reservation).toMatchObject({
      id: expect.stringMatching(uuidPattern),
      status: "active",
      orderRef: body.orderRef,
      createdBy: "buyer",
      releasedAt: null,
    });
    expect(reservation.lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ itemId: before.get(bolts)?.id, qty: 3, sku: bolts }),
        expect.objectContaining({ itemId: before.get(cartons)?.id, qty: 2, sku: cartons }),
      ]),
    );
    const during = await itemsBySku(api, [bolts, cartons]);
    expect(during.get(bolts)?.availableQty).toBe((before.get(bolts)?.availableQty ?? 0) - 3);

    const replay = await reserve(api, body, key);
    expect(replay.status()).toBe(201);
    expect(replay.headers()["idempotent-replayed"]).toBe("true");
    expect(await replay.json()).toEqual(reservation);
    const afterReplay = await itemsBySku(api, [bolts, cartons]);
    expect(afterReplay.get(bolts)?.availableQty).toBe(during.get(bolts)?.availableQty);

    const reused = await reserve(api, { ...body, orderRef: `${body.orderRef}-B` }, key);
    expect(reused.status()).toBe(422);
    expect((await reused.json()).error).toBe("idempotency_key_reused");

    const released = await api.post(`/api/reservations/${reservation.id}/release`);
    expect(released.status()).toBe(200);
    expect(await released.json()).toEqual({ id: reservation.id, status: "released" });
    const again = await api.post(`/api/reservations/${reservation.id}/release`);
    expect(again.status()).toBe(409);
    expect((await again.json()).error).toBe("reservation_not_active");

    const after = await itemsBySku(api, [bolts, cartons]);
    expect(after.get(bolts)?.availableQty).toBe(before.get(bolts)?.availableQty);
    expect(after.get(cartons)?.availableQty).toBe(before.get(cartons)?.availableQty);
  });

  test("without an Idempotency-Key, or with one that is not a UUID, is 400", async ({ as }) => {
    const api = await as("buyer");
    const [item] = (await itemsBySku(api, [cable])).values();
    const body = { orderRef: uniqueRef("SO-NOKEY"), lines: [{ itemId: item?.id, qty: 1 }] };
    for (const key of [null, "not-a-uuid"]) {
      const response = await reserve(api, body, key);
      expect(response.status()).toBe(400);
      expect(await response.json()).toEqual({ error: "idempotency_key_required", message: expect.any(String) });
    }
  });

  test("a shortage is 409 insufficient_stock naming the item, and nothing is reserved", async ({ as }) => {
    const api = await as("buyer");
    const before = await itemsBySku(api, [cable, shortItem.sku]);
    const short = before.get(shortItem.sku);
    const response = await reserve(api, {
      orderRef: uniqueRef("SO-SHORT"),
      lines: [
        { itemId: before.get(cable)?.id, qty: 1 },
        { itemId: short?.id, qty: (short?.availableQty ?? 0) + 5 },
      ],
    });
    expect(response.status()).toBe(409);
    expect(await response.json()).toEqual({
      error: "insufficient_stock",
      message: expect.stringContaining(shortItem.sku),
      shortages: [
        {
          itemId: short?.id,
          sku: shortItem.sku,
          name: shortItem.name,
          requested: (short?.availableQty ?? 0) + 5,
          available: short?.availableQty,
        },
      ],
    });
    const after = await itemsBySku(api, [cable]);
    expect(after.get(cable)?.reservedQty).toBe(before.get(cable)?.reservedQty);
  });

  test("bad bodies are 400 invalid_request with the issues", async ({ as }) => {
    const api = await as("buyer");
    const cases = [
      { orderRef: "", lines: [{ itemId: 1, qty: 1 }] },
      { orderRef: "X", lines: [] },
      { orderRef: "X", lines: [{ itemId: 1, qty: 0 }] },
      { orderRef: "X", lines: [{ itemId: 1, qty: 1.5 }] },
      { orderRef: "X", lines: [{ itemId: 1, qty: 1 }], extra: true },
    ];
    for (const body of cases) {
      const response = await reserve(api, body);
      expect(response.status(), JSON.stringify(body)).toBe(400);
      const answer = await response.json();
      expect(answer).toMatchObject({ error: "invalid_request", message: expect.any(String) });
      expect(answer.issues.length).toBeGreaterThan(0);
    }
  });

  test("releasing a reservation that does not exist is 404", async ({ as }) => {
    const api = await as("buyer");
    const response = await api.post(`/api/reservations/${randomUUID()}/release`);
    expect(response.status()).toBe(404);
    expect((await response.json()).error).toBe("not_found");
  });
});
