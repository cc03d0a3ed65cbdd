import type { Logger } from "pino";
import type { z } from "zod";
import type { Prisma } from "../generated/prisma/client";
import type { ClaimedMessage } from "./claim-messages";

// What the relay knows about each kind of message. Live events (the types in
// server/realtime/events.ts) all go the same way, onto the Redis stream, in
// batches. Everything else is delivered to an external system by a handler
// registered here: { eventType, schema, deliver, hooks }, the payload parsed
// with the schema before delivery (STYLE.md's job registry).

export type Tx = Prisma.TransactionClient;

export type DeliveryContext = { workerId: string; log: Logger };

/** The receiver refused in a way that retrying cannot fix (a 4xx other than 408/409/425/429). */
export class PermanentDeliveryError extends Error {
  override readonly name = "PermanentDeliveryError";
}

/**
 * Try again later. `notBeforeMs` honours the receiver's Retry-After; a retry
 * that does not count as an attempt (an open circuit breaker: nothing was
 * sent) gives the attempt back.
 */
export class RetryLaterError extends Error {
  override readonly name = "RetryLaterError";
  constructor(
    message: string,
    readonly notBeforeMs?: number,
    readonly countsAsAttempt = true,
  ) {
    super(message);
  }
}

export type AttemptInfo = { attempt: number; error: string | null; nextAttemptAt: Date | null };

export type ExternalHandler<P, R> = {
  eventType: string;
  schema: z.ZodType<P>;
  /** Sends the message. Runs outside any transaction: it may take seconds. */
  deliver(payload: P, message: ClaimedMessage, ctx: DeliveryContext): Promise<R>;
  /**
   * Timeout of the interactive transaction `onDelivered` runs in, in ms, when
   * Prisma's default (5 s) does not suit the work it does there.
   */
  deliveredTransactionTimeoutMs?: number;
  /** In the transaction that marks the message delivered. */
  onDelivered(tx: Tx, payload: P, result: R, message: ClaimedMessage): Promise<void>;
  /** In the transaction that schedules the next attempt. */
  onRetryScheduled?(tx: Tx, payload: P, info: AttemptInfo, message: ClaimedMessage): Promise<void>;
  /** In the transaction that gives up: refused for good, or out of attempts. */
  onGivenUp?(
    tx: Tx,
    payload: P,
    info: AttemptInfo & { outcome: "failed" | "dead_lettered" },
    message: ClaimedMessage,
  ): Promise<void>;
  /** In the transaction that puts a dead letter back in the queue. */
  onRequeued?(tx: Tx, payload: P, message: { id: string; aggregateId: string }): Promise<void>;
};

// biome-ignore lint/suspicious/noExplicitAny: the registry holds handlers of every payload type
export type AnyExternalHandler = ExternalHandler<any, any>;
