import { afterAll, beforeAll, expect, it } from "vitest";
import { prisma } from "../db";
import { OutboxRelay } from "../outbox/relay";
import { outboxSettings } from "../outbox/settings";
import { createItem } from "../testing/factories";
import { type SupplierPortalProcess, startSupplierPortal, stopAllProcesses } from "../testing/processes";
import { createPurchaseOrderIn } from "../testing/purchase-orders";

// What the worker does to an order (sent and acknowledged, or refused by the
// supplier) is in the audit log beside what people did, written in the
// transaction that changed the order's status.

let portal: SupplierPortalProcess;
beforeAll(async () => {
  portal = await startSupplierPortal();
  // The delivery handler reads it from the environment, as the worker does.
  process.env.SUPPLIER_API_URL = portal.url;
});
afterAll(() => stopAllProcesses());

const drain = () =>
  new OutboxRelay({ ...outboxSettings(), OUTBOX_POLL_MS: 50 }).drain({
    deadline: Date.now() + 20_000,
  });

const auditOf = (id: string) =>
  prisma().auditLog.findMany({ where: { targetType: "purchase_order", targetId: id }, orderBy: { id: "asc" } });

it("records the supplier's acknowledgement, with no person as the actor", async () => {
  const item = await createItem();
  const order = await createPurchaseOrderIn({ status: "PENDING", lines: [{ itemId: item.id, qty: 3 }] });
  await drain();
  const reference = (await prisma().purchaseOrder.findUniqueOrThrow({ where: { id: order.id } })).supplierReference;
  expect(reference).toEqual(expect.any(String));
  expect((await auditOf(order.id)).map((a) => [a.action, a.actorId, a.detail])).toEqual([
    ["purchase_order.create", expect.any(Number), expect.anything()],
    ["purchase_order.acknowledged", null, { supplierReference: reference }],
  ]);
});

it("records a refusal as the order's failure, with the supplier's words", async () => {
  await portal.setFaults({ rejectRate: 1 });
  const item = await createItem();
  const order = await createPurchaseOrderIn({ status: "PENDING", lines: [{ itemId: item.id, qty: 3 }] });
  await drain();
  const audit = await auditOf(order.id);
  expect(audit.map((a) => a.action)).toEqual(["purchase_order.create", "purchase_order.failed"]);
  expect(audit[1]?.detail).toEqual({ reason: expect.stringMatching(/^The supplier refused the order: /) });
  await portal.clearFaults();
});
