import { describe, expect, it } from "vitest";
import { pool, prisma } from "../db";
import { supplierDeliveryAggregate } from "../purchasing/get-purchase-order-or-throw";
import { createItem, createSupplier, createUser } from "../testing/factories";
import { createPurchaseOrderIn } from "../testing/purchase-orders";
import { loadRiskFigures } from "./load-risk-figures";
import { scoreRisk } from "./score-risk";

// The figures the model reads, from a purchasing history built row by row,
// and the score they give, both worked out by hand.

const day = 86_400_000;
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * day);

async function order({
  supplierId,
  status,
  itemId,
  qty = 1,
  unitPrice = 1,
  createdDaysAgo,
  receivedDaysAgo,
  deliveryOutcome,
}: {
  supplierId: number;
  status: "PENDING" | "SENT" | "ACKNOWLEDGED" | "FAILED" | "RECEIVED";
  itemId: number;
  qty?: number;
  unitPrice?: number;
  createdDaysAgo: number;
  receivedDaysAgo?: number;
  deliveryOutcome?: "failed" | "dead_lettered";
}) {
  const po = await createPurchaseOrderIn({ status, supplierId, lines: [{ itemId, qty, unitPrice }] });
  await pool().query("UPDATE purchase_orders SET created_at = $2 WHERE id = $1", [po.id, ago(createdDaysAgo)]);
  if (receivedDaysAgo !== undefined) {
    const receiver = await createUser({ role: "purchasing" });
    await pool().query(
      `INSERT INTO goods_receipts (purchase_order_id, received_by, lines, created_at) VALUES ($1, $2, '[]', $3)`,
      [po.id, receiver.id, ago(receivedDaysAgo)],
    );
    if (status === "RECEIVED")
      await pool().query("UPDATE purchase_order_lines SET received_qty = qty WHERE purchase_order_id = $1", [po.id]);
  }
  if (deliveryOutcome) {
    await pool().query(
      `INSERT INTO delivery_attempts (outbox_message_id, aggregate_type, aggregate_id, attempt, outcome, error)
       VALUES (0, $1, $2, 3, $3, 'supplier answered 503')`,
      [supplierDeliveryAggregate, po.id, deliveryOutcome],
    );
  }
  return po;
}

describe("the figures of a supplier", () => {
  it("come from its orders, receipts and delivery attempts, and score 80 (critical)", async () => {
    const supplier = await prisma().supplier.update({
      where: { id: (await createSupplier()).id },
      data: { leadTimeDays: 10 },
    });
    const other = await createSupplier();
    const i1 = await createItem();
    const i2 = await createItem();
    const i3 = await createItem();
    const i4 = await createItem();
    const i5 = await createItem();
    const id = supplier.id;
    // Received in 8 days of 10 promised: on time. i1 is also bought from the other supplier.
    await order({ supplierId: id, status: "RECEIVED", itemId: i1.id, createdDaysAgo: 60, receivedDaysAgo: 52 });
    // Received in 12 days: late.
    await order({ supplierId: id, status: "RECEIVED", itemId: i2.id, createdDaysAgo: 40, receivedDaysAgo: 28 });
    // Sent 20 days ago, due 10 days ago, nothing received: late. Open: 4 × 25 = 100.
    await order({ supplierId: id, status: "SENT", itemId: i3.id, qty: 4, unitPrice: 25, createdDaysAgo: 20 });
    // Not due yet. Open: 10 × 5 = 50.
    await order({ supplierId: id, status: "ACKNOWLEDGED", itemId: i3.id, qty: 10, unitPrice: 5, createdDaysAgo: 2 });
    // Refused by the supplier: failed, and its item does not count as supplied.
    await order({ supplierId: id, status: "FAILED", itemId: i4.id, createdDaysAgo: 30, deliveryOutcome: "failed" });
    // Dead-lettered once, re-queued and waiting again: failed, and open (1 × 10 = 10).
    await order({
      supplierId: id,
      status: "PENDING",
      itemId: i5.id,
      unitPrice: 10,
      createdDaysAgo: 5,
      deliveryOutcome: "dead_lettered",
    });
    // Outside the 180-day window: ignored.
    await order({ supplierId: id, status: "RECEIVED", itemId: i2.id, createdDaysAgo: 300, receivedDaysAgo: 200 });
    // The other supplier: i1, and 340 of open value.
    await order({ supplierId: other.id, status: "SENT", itemId: i1.id, qty: 34, unitPrice: 10, createdDaysAgo: 3 });

    const figures = await loadRiskFigures({ supplierId: id, windowDays: 180, now });
    expect(figures).toEqual({
      supplierId: id,
      supplierName: supplier.name,
      promisedLeadTimeDays: 10,
      windowDays: 180,
      ordersInWindow: 6,
      deliveriesDue: 3,
      deliveredOnTime: 1,
      leadTimesDays: [expect.closeTo(8, 6), expect.closeTo(12, 6)],
      failedOrders: 2,
      openOrderValue: 160,
      allOpenOrderValue: 500,
      singleSourceItems: 3,
      itemsSupplied: 4,
    });

    // on time 1 of 3: 2/3 late ≥ 0.5 → 35; σ(8, 12) = 2 → 15 × 2/5 = 6; failed 2 of 6 ≥ 0.25 → 20;
    // exposure 160/500 = 0.32 → 15 × 0.64 = 9.6; 3 single-source items → 15 × 3/5 = 9. 79.6 → 80.
    const scored = scoreRisk(figures);
    expect(scored.factors.map((f) => f.contribution)).toEqual([35, 6, 20, 9.6, 9]);
    expect(scored.score).toBe(80);
    expect(scored.level).toBe("critical");
  });

  it("of a supplier without orders are all zero", async () => {
    const supplier = await createSupplier();
    const figures = await loadRiskFigures({ supplierId: supplier.id, windowDays: 180, now });
    expect(figures).toMatchObject({
      ordersInWindow: 0,
      deliveriesDue: 0,
      deliveredOnTime: 0,
      leadTimesDays: [],
      failedOrders: 0,
      openOrderValue: 0,
      singleSourceItems: 0,
      itemsSupplied: 0,
    });
    expect(scoreRisk(figures).score).toBe(0);
  });

  it("are refused for a supplier that does not exist", async () => {
    await expect(loadRiskFigures({ supplierId: 987654, windowDays: 180 })).rejects.toMatchObject({
      code: "not_found",
      message: "Supplier 987654 does not exist.",
    });
  });
});
