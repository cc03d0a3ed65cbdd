import { type LiveEventType, liveEventSchemas, liveEventStream } from "../realtime/events";
import { redis } from "../redis";
import type { ClaimedMessage } from "./claim-messages";

/** The stream keeps about this many recent events for clients catching up. */
export const liveStreamMaxLen = 100_000;

/**
 * Appends live events to the Redis stream in one pipeline, in claim order.
 * Returns the ids whose payload does not match its schema (a bug in the
 * producer: retrying cannot fix it); the rest are on the stream when this
 * resolves. A Redis failure throws, and the relay retries the whole batch.
 */
export async function publishLiveEvents(messages: ClaimedMessage[]): Promise<{ invalid: Map<string, string> }> {
  const invalid = new Map<string, string>();
  const pipeline = redis().pipeline();
  let queued = 0;
  for (const message of messages) {
    const parsed = liveEventSchemas[message.eventType as LiveEventType].safeParse(message.payload);
    if (!parsed.success) {
      invalid.set(message.id, `payload does not match ${message.eventType}: ${parsed.error.message}`);
      continue;
    }
    pipeline.xadd(
      liveEventStream,
      "MAXLEN",
      "~",
      liveStreamMaxLen,
      "*",
      "type",
      message.eventType,
      "payload",
      JSON.stringify(parsed.data),
      "at",
      message.createdAt.toISOString(),
      // Lets a consumer drop the rare duplicate (a worker that died between
      // XADD and marking the row delivered).
      "outboxId",
      message.id,
      "aggregate",
      `${message.aggregateType}:${message.aggregateId}`,
    );
    queued++;
  }
  if (queued === 0) return { invalid };
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error);
  if (!results || failed) throw failed?.[0] ?? new Error("Redis pipeline returned nothing");
  return { invalid };
}
