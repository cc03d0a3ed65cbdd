import type { Redis } from "ioredis";
import { pool } from "../db";
import { liveEventSchemas, liveEventStream } from "../realtime/events";
import type { ProcessGroup } from "./process-group";
import type { SupplierOrder } from "./processes";
import { createPurchaseOrderIn } from "./purchase-orders";

// What the delivery tests create and what they check afterwards: orders
// through the domain function, the outbox and the delivery history as the
// database has them, and the live events as the Redis stream has them.

/** `count` new PENDING orders, spread over the suppliers, `concurrency` requests at a time. */
export async function createPendingOrders({
  count,
  supplierIds,
  itemId,
  actorId,
  concurrency = 8,
}: {
  count: number;
  supplierIds: number[];
  itemId: number;
  actorId: number;
  concurrency?: number;
}): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - start) }, (_, i) =>
      createPurchaseOrderIn({
        status: "PENDING",
        supplierId: supplierIds[(start + i) % supplierIds.length],
        actorId,
        lines: [{ itemId, qty: start + i + 1 }],
      }),
    );
    for (const order of await Promise.all(batch)) ids.push(order.id);
  }
  return ids;
}

export type OutboxBacklog = { pending: number; leased: number; deadLettered: number; total: number };

/** Messages not yet delivered, those leased to a worker right now, and dead letters. */
export async function outboxBacklog(): Promise<OutboxBacklog> {
  const { rows } = await pool().query<OutboxBacklog>(`
    SELECT count(*) FILTER (WHERE processed_at IS NULL AND dead_lettered_at IS NULL)::int AS pending,
           count(*) FILTER (WHERE processed_at IS NULL AND dead_lettered_at IS NULL AND locked_until > now())::int AS leased,
           count(*) FILTER (WHERE dead_lettered_at IS NOT NULL)::int AS "deadLettered",
           count(*)::int AS total
    FROM outbox_messages`);
  return rows[0] as OutboxBacklog;
}

/** How many of these orders are in each status. */
export async function orderStatusCounts(ids: string[]): Promise<Record<string, number>> {
  const { rows } = await pool().query<{ status: string; n: number }>(
    "SELECT status, count(*)::int AS n FROM purchase_orders WHERE id = ANY($1::uuid[]) GROUP BY status ORDER BY status",
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** For timeout messages: where the orders and the outbox stand, and what the processes last said. */
export async function deliveryStatus(ids: string[], processes: ProcessGroup[] = []): Promise<string> {
  const state = `orders by status: ${JSON.stringify(await orderStatusCounts(ids))}; outbox: ${JSON.stringify(await outboxBacklog())}`;
  return [state, ...processes.map((p) => p.describe())].join("\n");
}

/** Resolves to true once every order is ACKNOWLEDGED and the outbox has nothing left to deliver. */
export async function allDelivered(ids: string[]): Promise<boolean> {
  const counts = await orderStatusCounts(ids);
  if (counts.ACKNOWLEDGED !== ids.length) return false;
  const backlog = await outboxBacklog();
  return backlog.pending === 0;
}

export type AttemptRow = { outboxMessageId: string; attempt: number; outcome: string; error: string | null };

/** The delivery history of one order, oldest first. */
export async function deliveryAttemptsOf(purchaseOrderId: string): Promise<AttemptRow[]> {
  const { rows } = await pool().query<AttemptRow>(
    `SELECT outbox_message_id::text AS "outboxMessageId", attempt, outcome, error FROM delivery_attempts
     WHERE aggregate_type = 'supplier_delivery' AND aggregate_id = $1 ORDER BY id`,
    [purchaseOrderId],
  );
  return rows;
}

/** Attempts recorded with each outcome, over every message of the outbox. */
export async function attemptOutcomeCounts(aggregateType?: string): Promise<Record<string, number>> {
  const { rows } = await pool().query<{ outcome: string; n: number }>(
    `SELECT outcome, count(*)::int AS n FROM delivery_attempts
     WHERE $1::text IS NULL OR aggregate_type = $1 GROUP BY outcome ORDER BY outcome`,
    [aggregateType ?? null],
  );
  return Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
}

/**
 * Everything that must hold once the orders are delivered, as sentences (an
 * empty list when all hold): each order ACKNOWLEDGED; the supplier took each
 * exactly once, under the order's own idempotency key, and took nothing
 * else; the outbox has nothing pending, leased or dead-lettered.
 */
export async function deliveryViolations(ids: string[], supplierOrders: SupplierOrder[]): Promise<string[]> {
  const violations: string[] = [];
  const { rows } = await pool().query<{ id: string; status: string; idempotency_key: string }>(
    "SELECT id::text, status, idempotency_key::text FROM purchase_orders WHERE id = ANY($1::uuid[])",
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const takenById = new Map<string, SupplierOrder[]>();
  const takenByKey = new Map<string, number>();
  for (const taken of supplierOrders) {
    takenById.set(taken.purchaseOrderId, [...(takenById.get(taken.purchaseOrderId) ?? []), taken]);
    takenByKey.set(taken.idempotencyKey, (takenByKey.get(taken.idempotencyKey) ?? 0) + 1);
  }
  for (const id of ids) {
    const order = byId.get(id);
    if (!order) {
      violations.push(`order ${id} is not in the database`);
      continue;
    }
    if (order.status !== "ACKNOWLEDGED") violations.push(`order ${id} is ${order.status}, not ACKNOWLEDGED`);
    const taken = takenById.get(id) ?? [];
    if (taken.length !== 1) violations.push(`the supplier took order ${id} ${taken.length} times`);
    for (const t of taken) {
      if (t.idempotencyKey !== order.idempotency_key) {
        violations.push(`order ${id} reached the supplier with key ${t.idempotencyKey}, not ${order.idempotency_key}`);
      }
    }
  }
  for (const [key, n] of takenByKey) if (n > 1) violations.push(`the supplier took key ${key} ${n} times`);
  for (const id of takenById.keys()) if (!byId.has(id)) violations.push(`the supplier took an unknown order ${id}`);
  const backlog = await outboxBacklog();
  if (backlog.pending > 0) violations.push(`${backlog.pending} outbox message(s) still pending`);
  if (backlog.leased > 0) violations.push(`${backlog.leased} outbox message(s) still leased`);
  if (backlog.deadLettered > 0) violations.push(`${backlog.deadLettered} outbox message(s) dead-lettered`);
  return violations;
}

export type StreamEntry = { streamId: string; type: string; outboxId: string; aggregate: string; payload: unknown };

/** The live-event stream as a client would read it; `client` must carry the test file's key prefix. */
export async function readLiveEvents(client: Redis): Promise<StreamEntry[]> {
  const entries = await client.xrange(liveEventStream, "-", "+");
  return entries.map(([streamId, fields]) => {
    const f: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) f[fields[i] as string] = fields[i + 1] as string;
    return {
      streamId,
      type: f.type ?? "",
      outboxId: f.outboxId ?? "",
      aggregate: f.aggregate ?? "",
      payload: JSON.parse(f.payload ?? "null"),
    };
  });
}

/** Ids of the outbox's live events (every event type the stream carries). */
export async function liveEventOutboxIds(): Promise<string[]> {
  const { rows } = await pool().query<{ id: string }>(
    "SELECT id::text FROM outbox_messages WHERE event_type = ANY($1::text[]) ORDER BY id",
    [Object.keys(liveEventSchemas)],
  );
  return rows.map((r) => r.id);
}
