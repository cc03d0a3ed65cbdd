import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as receiveRoute } from "@/app/api/purchase-orders/[id]/receipts/route";
import { prisma } from "../db";
import { createItem } from "../testing/factories";
import { actor, call } from "../testing/http";
import { createPurchaseOrderIn } from "../testing/purchase-orders";
import { forgetRedisKeys } from "../testing/redis-keys";

// A receipt retried after Redis lost its idempotency key (a restart without
// persistence, a failover) must still book the goods once: goods_receipts
// holds the key under a unique constraint.
describe("goods receipts when Redis has lost the key", () => {
  it("books a retried receipt once and refuses the key for another body", async () => {
    const buyer = await actor("purchasing");
    const item = await createItem({ stockQty: 5 });
    const order = await createPurchaseOrderIn({ status: "ACKNOWLEDGED", lines: [{ itemId: item.id, qty: 20 }] });
    const key = randomUUID();
    const send = (qty: number, token = buyer.token) =>
      call(receiveRoute, {
        token,
        params: { id: order.id },
        path: `/api/purchase-orders/${order.id}/receipts`,
        body: { lines: [{ itemId: item.id, qty }] },
        idempotencyKey: key,
      });

    const first = await send(8);
    expect(first.status).toBe(200);
    await forgetRedisKeys("idem:*");

    const retry = await send(8);
    expect(retry.status).toBe(200);
    expect(retry.body.lines[0].receivedQty).toBe(8);

    await forgetRedisKeys("idem:*");
    const otherBody = await send(3);
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.error).toBe("idempotency_key_reused");

    const stock = await prisma().inventoryItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(stock.stockQty).toBe(13);
    expect(await prisma().goodsReceipt.count({ where: { purchaseOrderId: order.id } })).toBe(1);
    expect(await prisma().inventoryMovement.count({ where: { itemId: item.id, kind: "receipt" } })).toBe(1);
  });

  it("books two identical receipts racing in at once exactly once", async () => {
    const buyer = await actor("purchasing");
    const item = await createItem({ stockQty: 0 });
    const order = await createPurchaseOrderIn({ status: "SENT", lines: [{ itemId: item.id, qty: 10 }] });
    const key = randomUUID();
    const send = () =>
      call(receiveRoute, {
        token: buyer.token,
        params: { id: order.id },
        path: `/api/purchase-orders/${order.id}/receipts`,
        body: { lines: [{ itemId: item.id, qty: 4 }] },
        idempotencyKey: key,
      });
    // Redis sees the second as "in progress" (409) or a replay; either way one booking.
    const answers = await Promise.all([send(), send()]);
    expect(answers.map((a) => a.status).sort()).toEqual(expect.arrayContaining([200]));
    for (const a of answers) expect([200, 409]).toContain(a.status);
    await forgetRedisKeys("idem:*");
    const again = await send();
    expect(again.status).toBe(200);
    const stock = await prisma().inventoryItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(stock.stockQty).toBe(4);
  });
});
