import { describe, expect, it } from "vitest";
import { pool, prisma } from "../db";
import type { ClaimedMessage } from "../outbox/claim-messages";
import { externalHandlers } from "../outbox/registry";
import { createItem, createSupplier } from "../testing/factories";
import { createPurchaseOrderIn } from "../testing/purchase-orders";
import { insertAssessment } from "../testing/risk";
import { requestDueAssessments } from "./request-due-assessments";

// What asks for an assessment besides a person: delivery outcomes (through
// the handler the relay runs for purchase orders) and the schedule. No worker
// runs here; the requests stay waiting, with their outbox messages.

const day = 86_400_000;

async function waitingRequests(supplierId: number) {
  const { rows } = await pool().query(
    `SELECT r.trigger, r.reason, m.event_type
     FROM supplier_risk_requests r JOIN outbox_messages m ON m.payload->>'requestId' = r.id::text
     WHERE r.supplier_id = $1 AND r.started_at IS NULL`,
    [supplierId],
  );
  return rows as { trigger: string; reason: string; event_type: string }[];
}

const handler = () => {
  const found = externalHandlers.get("purchase_order.created");
  if (!found) throw new Error("no purchase order handler");
  return found;
};

async function orderTo(riskLevel: string | null) {
  const supplier = await prisma().supplier.update({ where: { id: (await createSupplier()).id }, data: { riskLevel } });
  const item = await createItem();
  const order = await createPurchaseOrderIn({
    status: "PENDING",
    supplierId: supplier.id,
    lines: [{ itemId: item.id, qty: 1 }],
  });
  const message = { id: "1", aggregateType: "supplier_delivery", aggregateId: order.id, attempts: 1 } as ClaimedMessage;
  return { supplier, order, message };
}

describe("delivery outcomes that ask for an assessment", () => {
  it("an order that is dead-lettered", async () => {
    const { supplier, order, message } = await orderTo("low");
    await prisma().$transaction(async (tx) => {
      await handler().onGivenUp?.(
        tx,
        { purchaseOrderId: order.id },
        { attempt: 10, error: "supplier answered 503", nextAttemptAt: null, outcome: "dead_lettered" },
        { ...message, attempts: 10 },
      );
    });
    expect(await waitingRequests(supplier.id)).toEqual([
      {
        trigger: "delivery_failed",
        reason: `purchase order ${order.id} was dead-lettered after 10 attempts`,
        event_type: "supplier.risk_requested",
      },
    ]);
    // The order's own handling still happened.
    expect((await prisma().purchaseOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("FAILED");
  });

  it("an order the supplier refuses, joining the request already waiting", async () => {
    const { supplier, order, message } = await orderTo(null);
    const second = await createPurchaseOrderIn({
      status: "PENDING",
      supplierId: supplier.id,
      lines: [{ itemId: (await createItem()).id, qty: 1 }],
    });
    for (const id of [order.id, second.id]) {
      await prisma().$transaction(async (tx) => {
        await handler().onGivenUp?.(
          tx,
          { purchaseOrderId: id },
          { attempt: 1, error: "supplier answered 422", nextAttemptAt: null, outcome: "failed" },
          { ...message, aggregateId: id },
        );
      });
    }
    expect(await waitingRequests(supplier.id)).toEqual([
      expect.objectContaining({ trigger: "delivery_failed", reason: `purchase order ${order.id} was refused` }),
    ]);
  });

  it("a new order to a supplier already at high risk, on its first attempt only", async () => {
    const { supplier, order, message } = await orderTo("high");
    const retry = { attempt: 1, error: "supplier answered 503", nextAttemptAt: new Date() };
    await prisma().$transaction(async (tx) => {
      await handler().onRetryScheduled?.(tx, { purchaseOrderId: order.id }, retry, message);
    });
    expect(await waitingRequests(supplier.id)).toEqual([
      expect.objectContaining({
        trigger: "order_to_high_risk",
        reason: `new purchase order ${order.id} to a supplier at high risk`,
      }),
    ]);
  });

  it("but not a new order to a supplier at low risk, nor a later attempt", async () => {
    const low = await orderTo("low");
    await prisma().$transaction((tx) =>
      handler().onDelivered(tx, { purchaseOrderId: low.order.id }, { sent: false }, low.message),
    );
    const critical = await orderTo("critical");
    await prisma().$transaction((tx) =>
      handler().onDelivered(
        tx,
        { purchaseOrderId: critical.order.id },
        { sent: false },
        { ...critical.message, attempts: 2 },
      ),
    );
    expect(await waitingRequests(low.supplier.id)).toEqual([]);
    expect(await waitingRequests(critical.supplier.id)).toEqual([]);
  });
});

describe("the schedule", () => {
  it("asks for suppliers never assessed, assessed too long ago, or with an order late since", async () => {
    const never = await createSupplier();
    const fresh = await createSupplier();
    await insertAssessment({ supplierId: fresh.id, score: 10, assessedAt: new Date(Date.now() - 3_600_000) });
    const stale = await createSupplier();
    await insertAssessment({ supplierId: stale.id, score: 10, assessedAt: new Date(Date.now() - 100 * 3_600_000) });
    // Assessed 2 days ago; an order promised in 10 days, placed 11 days ago, fell due 1 day ago.
    const late = await prisma().supplier.update({
      where: { id: (await createSupplier()).id },
      data: { leadTimeDays: 10 },
    });
    await insertAssessment({ supplierId: late.id, score: 10, assessedAt: new Date(Date.now() - 2 * day) });
    const lateOrder = await createPurchaseOrderIn({
      status: "SENT",
      supplierId: late.id,
      lines: [{ itemId: (await createItem()).id, qty: 1 }],
    });
    await pool().query("UPDATE purchase_orders SET created_at = now() - interval '11 days' WHERE id = $1", [
      lateOrder.id,
    ]);

    await requestDueAssessments({ refreshHours: 72 });

    expect(await waitingRequests(never.id)).toEqual([
      { trigger: "schedule", reason: "latest assessment older than 72 h", event_type: "supplier.risk_requested" },
    ]);
    expect(await waitingRequests(fresh.id)).toEqual([]);
    expect(await waitingRequests(stale.id)).toEqual([expect.objectContaining({ trigger: "schedule" })]);
    expect(await waitingRequests(late.id)).toEqual([
      { trigger: "delivery_late", reason: "1 order now past the promised date", event_type: "supplier.risk_requested" },
    ]);

    // A second look while they wait asks for nothing more.
    expect(await requestDueAssessments({ refreshHours: 72 })).toBe(0);
    const { rows } = await pool().query(
      "SELECT count(*)::int AS n FROM supplier_risk_requests WHERE supplier_id = ANY($1::int[])",
      [[never.id, fresh.id, stale.id, late.id]],
    );
    expect(rows[0].n).toBe(3);
  });
});
