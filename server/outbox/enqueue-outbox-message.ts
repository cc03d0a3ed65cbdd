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
