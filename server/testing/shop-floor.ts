import { randomBytes } from "node:crypto";
import { pool, prisma } from "../db";
import { OutboxRelay } from "../outbox/relay";
import { outboxSettings } from "../outbox/settings";
import type { MachineStatus, WorkOrderStatus } from "../planning/plan-types";
import { liveEventStream } from "../realtime/events";
import { redis } from "../redis";

// Machines and work orders for the shop-floor tests. The planner plans the
// whole factory, and every test of a file shares its database, so each test
// gives its machines an operation of its own (`operation()`): no order of
// another test can move onto them, nor theirs onto another test's machines.

const suffix = () => randomBytes(4).toString("hex");

/** An operation name no other test uses. */
export const operation = (name = "press") => `${name}-${suffix()}`;

export async function createShopMachine({
  workCenterId,
  name = `Machine ${suffix()}`,
  status = "idle",
  capabilities,
}: {
  workCenterId: number;
  name?: string;
  status?: MachineStatus;
  capabilities: string[];
}) {
  return prisma().machine.create({
    data: { code: `M-${suffix()}`, name, workCenterId, status, capabilities },
  });
}

let orderNumber = 0;

export async function createWorkOrder({
  machineId,
  operation,
  priority = 3,
  dueInHours = 24,
  quantity = 100,
  status = "queued",
  sequence = 0,
}: {
  machineId: number | null;
  operation: string;
  priority?: number;
  dueInHours?: number;
  quantity?: number;
  status?: WorkOrderStatus;
  sequence?: number;
}) {
  orderNumber++;
  return prisma().workOrder.create({
    data: {
      code: `WO-${suffix()}-${orderNumber}`,
      operation,
      quantity,
      priority,
      dueAt: new Date(Date.UTC(2026, 11, 1) + dueInHours * 3_600_000),
      machineId,
      sequence,
      status,
      startedAt: status === "running" ? new Date() : null,
    },
  });
}

const relaySettings = { ...outboxSettings(), OUTBOX_POLL_MS: 50, OUTBOX_RETRY_INITIAL_MS: 10 };

/** Runs the real outbox relay until nothing is due: live events go to the stream, re-plans run. */
export async function drainOutbox(): Promise<number> {
  const { delivered } = await new OutboxRelay(relaySettings).drain({ deadline: Date.now() + 20_000 });
  return delivered;
}

/** Where each of these orders is now: [id, machineId, sequence, status], by id. */
export async function placement(ids: number[]) {
  const { rows } = await pool().query<{ id: number; machine_id: number | null; sequence: number; status: string }>(
    "SELECT id, machine_id, sequence, status FROM work_orders WHERE id = ANY($1::int[]) ORDER BY id",
    [ids],
  );
  return rows.map((r) => [r.id, r.machine_id, r.sequence, r.status]);
}

/** Undelivered outbox messages, by type and aggregate, oldest first. */
export async function pendingOutbox() {
  const { rows } = await pool().query<{ eventType: string; aggregate: string; payload: unknown }>(
    `SELECT event_type AS "eventType", aggregate_type || ':' || aggregate_id AS aggregate, payload
     FROM outbox_messages WHERE processed_at IS NULL AND dead_lettered_at IS NULL ORDER BY id`,
  );
  return rows;
}

/** Live events of one type on this file's stream, oldest first. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on payloads field by field
export async function streamPayloads(type: string): Promise<any[]> {
  const entries = await redis().xrange(liveEventStream, "-", "+");
  return entries.flatMap(([, fields]) => {
    const f: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) f[fields[i] as string] = fields[i + 1] as string;
    return f.type === type ? [JSON.parse(f.payload ?? "null")] : [];
  });
}
