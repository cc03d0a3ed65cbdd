import { type Db, prisma } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { type LiveEventPayload, type LiveEventType, liveEventSchemas } from "../realtime/events";

type TxClient = Prisma.TransactionClient | Db;

/**
 * Writes a message for the worker to deliver after commit. Call it with the
 * transaction client of the state change it reports, so both commit together
 * or not at all. `aggregateType` + `aggregateId` name the ordering unit: the
 * relay never delivers a message before an earlier one of the same aggregate.
 */
export async function enqueueOutboxMessage({
  db = prisma(),
  aggregateType,
  aggregateId,
  eventType,
  payload,
}: {
  db?: TxClient;
  aggregateType: string;
  aggregateId: string;
  eventType: string;
  payload: Prisma.InputJsonValue;
}): Promise<void> {
  await db.outboxMessage.create({ data: { aggregateType, aggregateId, eventType, payload } });
}

/** A live event for the shop floor and the pages, validated against its schema. */
export async function enqueueLiveEvent<T extends LiveEventType>({
  db = prisma(),
  type,
  aggregateType,
  aggregateId,
  payload,
}: {
  db?: TxClient;
  type: T;
  aggregateType: string;
  aggregateId: string;
  payload: LiveEventPayload<T>;
}): Promise<void> {
  const checked = liveEventSchemas[type].parse(payload) as Prisma.InputJsonValue;
  await enqueueOutboxMessage({ db, aggregateType, aggregateId, eventType: type, payload: checked });
}

/** One live event of a batch for `enqueueLiveEvents`: its payload is that of its type. */
export type LiveEventMessage = {
  [T in LiveEventType]: { type: T; aggregateType: string; aggregateId: string; payload: LiveEventPayload<T> };
}[LiveEventType];

/**
 * Several live events in one INSERT, whatever their number, each validated
 * against its schema. The rows get their ids (bigserial) in the order given,
 * so a later event of an aggregate is never delivered before an earlier one
 * (claim-messages.ts orders each aggregate by id), as if they had been
 * written one by one.
 */
export async function enqueueLiveEvents({
  db = prisma(),
  events,
}: {
  db?: TxClient;
  events: readonly LiveEventMessage[];
}): Promise<void> {
  if (events.length === 0) return;
  const payloads = events.map((e) => JSON.stringify(liveEventSchemas[e.type].parse(e.payload)));
  await db.$executeRaw`
    INSERT INTO outbox_messages (aggregate_type, aggregate_id, event_type, payload)
    SELECT m.aggregate_type, m.aggregate_id, m.event_type, m.payload::jsonb
    FROM unnest(${events.map((e) => e.aggregateType)}::text[], ${events.map((e) => e.aggregateId)}::text[],
                ${events.map((e) => e.type)}::text[], ${payloads}::text[])
         WITH ORDINALITY AS m (aggregate_type, aggregate_id, event_type, payload, ord)
    ORDER BY m.ord`;
}
