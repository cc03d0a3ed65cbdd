import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as requeueRoute } from "@/app/api/admin/outbox/[id]/requeue/route";
import { GET as listOutboxRoute } from "@/app/api/admin/outbox/route";
import { GET as getOrderRoute } from "@/app/api/purchase-orders/[id]/route";
import type { Role } from "../auth/roles";
import { pool, prisma } from "../db";
import { createPendingOrders, deliveryAttemptsOf, outboxBacklog } from "../testing/delivery";
import { createItem, createSupplier } from "../testing/factories";
import { actor, call } from "../testing/http";
import {
  type SupplierPortalProcess,
  startSupplierPortal,
  startWorker,
  stopAllProcesses,
  type WorkerProcess,
} from "../testing/processes";
import { waitFor } from "../testing/wait-for";

// An order the supplier keeps failing ends in the dead-letter list after
// OUTBOX_MAX_ATTEMPTS; an admin re-queues it and it goes out once. An order
// the supplier refuses for good fails at once, without retries.

type Actor = Awaited<ReturnType<typeof actor>>;

let portal: SupplierPortalProcess;
const workers: WorkerProcess[] = [];
let admin: Actor;
let buyer: Actor;
let orderInput: { supplierIds: number[]; itemId: number; actorId: number };

beforeAll(async () => {
  portal = await startSupplierPortal();
  const [adminActor, buyerActor, supplier, item] = await Promise.all([
    actor("admin"),
    actor("purchasing"),
    createSupplier(),
    createItem(),
  ]);
  admin = adminActor;
  buyer = buyerActor;
  orderInput = { supplierIds: [supplier.id], itemId: item.id, actorId: buyer.user.id };
});

beforeEach(async () => {
  await portal.clearFaults();
  await portal.clearOrders();
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.kill()));
});

afterAll(async () => {
  await stopAllProcesses();
});

async function startThreeAttemptWorker() {
  workers.push(await startWorker({ supplierUrl: portal.url, env: { OUTBOX_MAX_ATTEMPTS: "3" } }));
}

const getOrder = (id: string) =>
  call(getOrderRoute, { token: buyer.token, params: { id }, path: `/api/purchase-orders/${id}` });
const listOutbox = (token?: string) => call(listOutboxRoute, { token, path: "/api/admin/outbox" });
const requeue = (id: string, token?: string) =>
  call(requeueRoute, { method: "POST", token, params: { id }, path: `/api/admin/outbox/${id}/requeue` });

async function orderStatus(id: string): Promise<string | undefined> {
  return (await prisma().purchaseOrder.findUnique({ where: { id } }))?.status;
}

async function waitForStatus(id: string, status: string) {
  await waitFor(`order ${id} to be ${status}`, async () => (await orderStatus(id)) === status, {
    timeoutMs: 30_000,
    status: async () => `it is ${await orderStatus(id)}; attempts: ${JSON.stringify(await deliveryAttemptsOf(id))}`,
  });
}

const attemptSummary = (attempts: { attempt: number; outcome: string }[]) =>
  attempts.map((a) => `${a.attempt}:${a.outcome}`);

describe("dead letters", () => {
  it("dead-letters an order after exactly 3 failed attempts; an admin re-queues it and it goes out once", async () => {
    await portal.setFaults({ failRate: 1 });
    await startThreeAttemptWorker();
    const [id = ""] = await createPendingOrders({ ...orderInput, count: 1 });

    await waitForStatus(id, "FAILED");
    const failed = await getOrder(id);
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({
      status: "FAILED",
      failureReason: expect.stringMatching(/^Not delivered after 3 attempts \(last error: supplier answered 503/),
    });
    expect(attemptSummary(failed.body.attempts)).toEqual(["1:retry", "2:retry", "3:dead_lettered"]);
    for (const attempt of failed.body.attempts) expect(attempt.error).toMatch(/^supplier answered 503/);

    const message = await prisma().outboxMessage.findFirstOrThrow({
      where: { aggregateType: "supplier_delivery", aggregateId: id },
    });
    expect(message).toMatchObject({ attempts: 3, processedAt: null, deadLetteredAt: expect.any(Date) });
    const messageId = String(message.id);

    const listed = await listOutbox(admin.token);
    expect(listed.status).toBe(200);
    expect(listed.body.deadLettered).toBe(1);
    expect(listed.body.deadLetters).toEqual([
      expect.objectContaining({
        id: messageId,
        eventType: "purchase_order.created",
        aggregate: `supplier_delivery:${id}`,
        attempts: 3,
        lastError: expect.stringMatching(/^supplier answered 503/),
      }),
    ]);

    // The supplier is back, and slow: the order is seen PENDING before the
    // re-queued delivery can possibly have finished.
    await portal.setFaults({ failRate: 0, delayMs: 1000 });
    const requeued = await requeue(messageId, admin.token);
    expect(requeued).toMatchObject({ status: 200, body: { id: messageId } });
    expect(await prisma().purchaseOrder.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "PENDING",
      failureReason: null,
    });

    await waitForStatus(id, "ACKNOWLEDGED");
    const taken = await portal.orders();
    expect(taken.map((o) => o.purchaseOrderId)).toEqual([id]);
    // The re-queued message starts a fresh count of attempts.
    expect(attemptSummary(await deliveryAttemptsOf(id))).toEqual([
      "1:retry",
      "2:retry",
      "3:dead_lettered",
      "1:delivered",
    ]);
    expect(
      await prisma().auditLog.count({
        where: { action: "outbox.requeue", targetId: messageId, actorId: admin.user.id },
      }),
    ).toBe(1);
    await waitFor("the outbox to drain", async () => (await outboxBacklog()).pending === 0);
    expect((await listOutbox(admin.token)).body).toMatchObject({ deadLettered: 0, deadLetters: [] });
  }, 60_000);

  it("fails an order the supplier refuses for good after one attempt: no retry, no dead letter", async () => {
    await portal.setFaults({ rejectRate: 1 });
    await startThreeAttemptWorker();
    const [id = ""] = await createPendingOrders({ ...orderInput, count: 1 });

    await waitForStatus(id, "FAILED");
    await waitFor("the outbox to drain", async () => (await outboxBacklog()).pending === 0);
    const failed = await getOrder(id);
    expect(failed.body).toMatchObject({
      status: "FAILED",
      failureReason: expect.stringMatching(/^The supplier refused the order: supplier answered 422/),
    });
    expect(attemptSummary(failed.body.attempts)).toEqual(["1:failed"]);
    const message = await prisma().outboxMessage.findFirstOrThrow({
      where: { aggregateType: "supplier_delivery", aggregateId: id },
    });
    expect(message).toMatchObject({ attempts: 1, processedAt: expect.any(Date), deadLetteredAt: null });
    expect(await portal.orders()).toEqual([]);
    expect((await listOutbox(admin.token)).body.deadLetters).toEqual([]);
  }, 60_000);
});

type RefusalCase = {
  name: string;
  role: Role | null;
  route: "list" | "requeue";
  /** The message the call is about: inserted dead-lettered or delivered, or an id that names none. */
  target: "dead" | "delivered" | "unknown" | "not a number";
  status: number;
  body: (id: string) => Record<string, unknown>;
};

const forbidden = (role: Role) => () => ({ error: "forbidden", message: `The ${role} role may not do this.` });
const unauthenticated = () => ({
  error: "unauthenticated",
  message: "Log in first: no valid session or token was sent.",
});

const refusals: RefusalCase[] = [
  {
    name: "a buyer listing",
    role: "purchasing",
    route: "list",
    target: "dead",
    status: 403,
    body: forbidden("purchasing"),
  },
  {
    name: "a manager listing",
    role: "manager",
    route: "list",
    target: "dead",
    status: 403,
    body: forbidden("manager"),
  },
  { name: "an anonymous listing", role: null, route: "list", target: "dead", status: 401, body: unauthenticated },
  {
    name: "a buyer re-queuing",
    role: "purchasing",
    route: "requeue",
    target: "dead",
    status: 403,
    body: forbidden("purchasing"),
  },
  { name: "an anonymous re-queue", role: null, route: "requeue", target: "dead", status: 401, body: unauthenticated },
  {
    name: "a re-queue of a message that is not dead-lettered",
    role: "admin",
    route: "requeue",
    target: "delivered",
    status: 409,
    body: (id) => ({
      error: "conflict",
      message: `Outbox message ${id} is not dead-lettered; there is nothing to re-queue.`,
    }),
  },
  {
    name: "a re-queue of an unknown message",
    role: "admin",
    route: "requeue",
    target: "unknown",
    status: 404,
    body: (id) => ({ error: "not_found", message: `Outbox message ${id} does not exist.` }),
  },
  {
    name: "a re-queue of an id that is not a number",
    role: "admin",
    route: "requeue",
    target: "not a number",
    status: 400,
    body: () => ({
      error: "invalid_request",
      message: expect.stringMatching(/outbox message id must be a number/),
      issues: expect.any(Array),
    }),
  },
];

describe("the admin outbox routes refuse", () => {
  // No worker runs here: the rows stay exactly as inserted.
  async function insertMessage(state: "dead" | "delivered"): Promise<string> {
    const { rows } = await pool().query<{ id: string }>(
      `INSERT INTO outbox_messages (aggregate_type, aggregate_id, event_type, payload, attempts, dead_lettered_at, processed_at)
       VALUES ('test', gen_random_uuid()::text, 'test.noop', '{}', 3, $1, $2) RETURNING id::text`,
      state === "dead" ? [new Date(), null] : [null, new Date()],
    );
    return rows[0]?.id ?? "";
  }

  it.each(refusals)("$name", async ({ role, route, target, status, body }) => {
    const caller = role ? await actor(role) : undefined;
    const id =
      target === "unknown" ? "999999999999" : target === "not a number" ? "12abc" : await insertMessage(target);
    const before = await pool().query("SELECT * FROM outbox_messages ORDER BY id");

    const res = route === "list" ? await listOutbox(caller?.token) : await requeue(id, caller?.token);

    expect(res.status).toBe(status);
    expect(res.body).toEqual(body(id));
    expect((await pool().query("SELECT * FROM outbox_messages ORDER BY id")).rows).toEqual(before.rows);
  });
});
