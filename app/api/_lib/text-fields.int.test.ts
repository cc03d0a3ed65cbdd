import { beforeAll, describe, expect, it } from "vitest";
import { pool, prisma } from "@/server/db";
import { createItem, createMachine, createSupplier, createWorkCenter } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import { createPurchaseOrderIn } from "@/server/testing/purchase-orders";
import { GET as audit } from "../admin/audit/route";
import { POST as createToken, GET as listTokens } from "../admin/tokens/route";
import { POST as login } from "../auth/login/route";
import { GET as listMachineEvents, POST as reportEvent } from "../machines/[id]/events/route";
import { GET as getPurchaseOrder } from "../purchase-orders/[id]/route";
import { POST as createPurchaseOrder } from "../purchase-orders/route";
import { GET as getReservation } from "../reservations/[id]/route";
import { POST as reserve } from "../reservations/route";

// SQL and markup in every free-text field are data: stored as typed and
// answered back unchanged (React then renders them as text; the Playwright
// spec e2e/ui/security-admin.spec.ts checks that side). Every statement is
// parameterised, so none of these can change a query.

const hostile = [
  "'; DROP TABLE users;--",
  "<script>alert(1)</script>",
  "Robert'); DELETE FROM inventory_items WHERE ('1'='1",
  '"><img src=x onerror=alert(1)>',
  "\\'; SELECT pg_sleep(5);-- ∑ 𝔘 ✓",
] as const;

let admin: Awaited<ReturnType<typeof actor>>;
let buyer: Awaited<ReturnType<typeof actor>>;
let planner: Awaited<ReturnType<typeof actor>>;
let item: Awaited<ReturnType<typeof createItem>>;
let machineId: number;

beforeAll(async () => {
  [admin, buyer, planner] = [await actor("admin"), await actor("purchasing"), await actor("planner")];
  item = await createItem({ stockQty: 1000 });
  machineId = (await createMachine({ workCenterId: (await createWorkCenter()).id })).id;
});

const auditDetail = async (action: string, targetId: string) => {
  const res = await call(audit, {
    token: admin.token,
    path: `/api/admin/audit?${new URLSearchParams({ action, actor: "" })}`,
  });
  return res.body.entries.find((e: { targetId: string }) => e.targetId === targetId)?.detail;
};

describe.each(hostile)("the text %j", (text) => {
  it("as a reservation's order reference", async () => {
    const created = await call(reserve, {
      token: buyer.token,
      body: { orderRef: text, lines: [{ itemId: item.id, qty: 1 }] },
    });
    expect(created).toMatchObject({ status: 201, body: { orderRef: text } });
    const read = await call(getReservation, { token: buyer.token, params: { id: created.body.id } });
    expect(read.body.orderRef).toBe(text);
  });

  it("as a purchase order's note", async () => {
    const supplier = await createSupplier();
    const created = await call(createPurchaseOrder, {
      token: buyer.token,
      body: { supplierId: supplier.id, lines: [{ itemId: item.id, qty: 1, unitPrice: 1 }], note: text },
    });
    expect(created.status).toBe(201);
    expect(await auditDetail("purchase_order.create", created.body.id)).toMatchObject({ note: text });
  });

  it("as a supplier's order reference, shown on the order", async () => {
    const order = await createPurchaseOrderIn({ status: "ACKNOWLEDGED", lines: [{ itemId: item.id, qty: 1 }] });
    // What the supplier's answer sets (server/purchasing/supplier-delivery-handler.ts).
    await prisma().purchaseOrder.update({ where: { id: order.id }, data: { supplierReference: text } });
    const read = await call(getPurchaseOrder, { token: buyer.token, params: { id: order.id } });
    expect(read.body.supplierReference).toBe(text);
  });

  it("as a token's name", async () => {
    const created = await call(createToken, { token: admin.token, body: { name: text, userId: admin.user.id } });
    expect(created).toMatchObject({ status: 201, body: { token: { name: text } } });
    const listed = await call(listTokens, { token: admin.token });
    expect(listed.body.tokens.find((t: { id: number }) => t.id === created.body.token.id).name).toBe(text);
  });

  it("as a machine event's note", async () => {
    const res = await call(reportEvent, {
      token: planner.token,
      params: { id: String(machineId) },
      body: { type: "material_shortage", note: text },
    });
    expect(res.status).toBe(202);
    const log = await call(listMachineEvents, { token: planner.token, params: { id: String(machineId) } });
    expect(log.body.events.find((e: { id: string }) => String(e.id) === String(res.body.eventId))?.note).toBe(text);
    expect(await auditDetail("machine.report_event", String(machineId))).toMatchObject({ note: text });
  });

  it("as a username at the login", async () => {
    const res = await call(login, { body: { username: text, password: text } });
    expect(res).toMatchObject({ status: 401, body: { error: "invalid_credentials" } });
  });
});

it("left every table in place", async () => {
  const { rows } = await pool().query("SELECT count(*)::int AS n FROM users");
  expect(rows[0].n).toBeGreaterThanOrEqual(3);
  expect(await prisma().inventoryItem.findUnique({ where: { id: item.id } })).not.toBeNull();
});
