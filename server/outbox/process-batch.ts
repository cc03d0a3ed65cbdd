import { bulkhead } from "cockatiel";
import type { Logger } from "pino";
import { pool } from "../db";
import { isLiveEventType } from "../realtime/events";
import { retryDelayMs } from "./backoff";
import type { ClaimedMessage } from "./claim-messages";
import { type AnyExternalHandler, PermanentDeliveryError, RetryLaterError } from "./handler";
import { commitToDeliveryLag, deliveredTotal, deliveryDuration, failedTotal } from "./metrics";
import { publishLiveEvents } from "./publish-live-events";
import { markLiveDelivered, recordDelivered, recordGivenUp, recordRetry } from "./record-outcome";
import { externalHandlers } from "./registry";
import type { OutboxSettings } from "./settings";

export type BatchContext = { workerId: string; log: Logger; settings: OutboxSettings };

const limiters = new Map<number, ReturnType<typeof bulkhead>>();
function limiter(concurrency: number) {
  let policy = limiters.get(concurrency);
  if (!policy) {
    policy = bulkhead(concurrency, Number.MAX_SAFE_INTEGER);
    limiters.set(concurrency, policy);
  }
  return policy;
}

/** Delivers one claimed batch: live events together, external messages side by side. */
export async function processBatch(messages: ClaimedMessage[], ctx: BatchContext): Promise<void> {
  const live: ClaimedMessage[] = [];
  const external: ClaimedMessage[] = [];
  for (const message of messages) {
    // Claiming counts the attempt, so a message whose handling killed the
    // worker every time still runs out of attempts and stops here.
    if (message.attempts > ctx.settings.OUTBOX_MAX_ATTEMPTS) {
      const handler = externalHandlers.get(message.eventType);
      const parsed = handler?.schema.safeParse(message.payload);
      const reason = "attempts exhausted: the last ones never finished (did the worker crash while handling it?)";
      await giveUp(message, ctx, "dead_lettered", reason, null, handler, parsed?.success ? parsed.data : undefined);
    } else if (isLiveEventType(message.eventType)) {
      live.push(message);
    } else {
      external.push(message);
    }
  }
  await Promise.all([
    deliverLive(live, ctx),
    ...external.map((message) =>
      limiter(ctx.settings.OUTBOX_EXTERNAL_CONCURRENCY).execute(() => deliverExternal(message, ctx)),
    ),
  ]);
}

async function deliverLive(messages: ClaimedMessage[], ctx: BatchContext): Promise<void> {
  if (messages.length === 0) return;
  const started = performance.now();
  let invalid: Map<string, string>;
  try {
    ({ invalid } = await publishLiveEvents(messages));
  } catch (error) {
    ctx.log.warn({ err: error, count: messages.length }, "live events not published; retrying");
    for (const message of messages) await scheduleRetry(message, ctx, errorText(error), null, undefined);
    return;
  }
  const published = messages.filter((m) => !invalid.has(m.id));
  await markLiveDelivered({ ids: published.map((m) => m.id), workerId: ctx.workerId });
  deliveryDuration.observe({ kind: "live" }, (performance.now() - started) / 1000);
  const now = Date.now();
  for (const message of published) {
    deliveredTotal.inc({ event_type: message.eventType });
    commitToDeliveryLag.observe({ kind: "live" }, (now - message.createdAt.getTime()) / 1000);
  }
  for (const [id, reason] of invalid) {
    const message = messages.find((m) => m.id === id);
    if (message) await giveUp(message, ctx, "dead_lettered", reason, null);
  }
}

async function deliverExternal(message: ClaimedMessage, ctx: BatchContext): Promise<void> {
  const log = ctx.log.child({ messageId: message.id, eventType: message.eventType, attempt: message.attempts });
  const handler: AnyExternalHandler | undefined = externalHandlers.get(message.eventType);
  if (!handler) {
    await giveUp(message, ctx, "dead_lettered", `no handler for event type ${message.eventType}`, null);
    return;
  }
  const parsed = handler.schema.safeParse(message.payload);
  if (!parsed.success) {
    await giveUp(message, ctx, "dead_lettered", `invalid payload: ${parsed.error.message}`, null, handler);
    return;
  }

  // The lease was taken when the batch was claimed; this message may have
  // waited behind others since. Renew it now, or let it go if it has
  // already passed to another worker.
  if (!(await renewLease(message, ctx))) {
    log.warn("lease lost while waiting in the batch; another worker has the message now");
    return;
  }

  const started = performance.now();
  let result: unknown;
  try {
    result = await handler.deliver(parsed.data, message, { workerId: ctx.workerId, log });
  } catch (error) {
    const durationMs = Math.round(performance.now() - started);
    if (error instanceof PermanentDeliveryError) {
      log.warn({ err: error.message }, "refused for good");
      await giveUp(message, ctx, "failed", error.message, durationMs, handler, parsed.data);
    } else if (message.attempts >= ctx.settings.OUTBOX_MAX_ATTEMPTS) {
      log.error({ err: errorText(error) }, "out of attempts: dead-lettered");
      await giveUp(message, ctx, "dead_lettered", errorText(error), durationMs, handler, parsed.data);
    } else {
      await scheduleRetry(message, ctx, errorText(error), durationMs, handler, parsed.data, error);
    }
    return;
  }

  const durationMs = Math.round(performance.now() - started);
  const kept = await recordDelivered(
    { message, workerId: ctx.workerId, durationMs, error: null },
    (tx) => handler.onDelivered(tx, parsed.data, result, message),
    handler.deliveredTransactionTimeoutMs,
  );
  if (!kept) {
    log.warn("lease lost before the delivery was recorded; another worker owns the message now");
    return;
  }
  deliveredTotal.inc({ event_type: message.eventType });
  deliveryDuration.observe({ kind: "external" }, durationMs / 1000);
  commitToDeliveryLag.observe({ kind: "external" }, (Date.now() - message.createdAt.getTime()) / 1000);
  log.info({ durationMs }, "delivered");
}

async function scheduleRetry(
  message: ClaimedMessage,
  ctx: BatchContext,
  error: string,
  durationMs: number | null,
  handler?: AnyExternalHandler,
  payload?: unknown,
  cause?: unknown,
): Promise<void> {
  const retryLater = cause instanceof RetryLaterError ? cause : undefined;
  const givesBackAttempt = retryLater ? !retryLater.countsAsAttempt : false;
  const backoff = retryDelayMs({
    attempt: message.attempts,
    initialMs: ctx.settings.OUTBOX_RETRY_INITIAL_MS,
    maxMs: ctx.settings.OUTBOX_RETRY_MAX_MS,
  });
  const delay = Math.max(backoff, retryLater?.notBeforeMs ?? 0);
  const nextAttemptAt = new Date(Date.now() + delay);
  await recordRetry(
    { message, workerId: ctx.workerId, durationMs, error, nextAttemptAt, givesBackAttempt },
    async (tx) => {
      await handler?.onRetryScheduled?.(tx, payload, { attempt: message.attempts, error, nextAttemptAt }, message);
    },
  );
  failedTotal.inc({ event_type: message.eventType, outcome: "retry" });
  ctx.log.warn(
    { messageId: message.id, eventType: message.eventType, attempt: message.attempts, err: error, retryInMs: delay },
    "delivery failed; retry scheduled",
  );
}

async function giveUp(
  message: ClaimedMessage,
  ctx: BatchContext,
  outcome: "failed" | "dead_lettered",
  error: string,
  durationMs: number | null,
  handler?: AnyExternalHandler,
  payload?: unknown,
): Promise<void> {
  await recordGivenUp({ message, workerId: ctx.workerId, durationMs, error, outcome }, async (tx) => {
    if (handler?.onGivenUp && payload !== undefined) {
      await handler.onGivenUp(tx, payload, { attempt: message.attempts, error, nextAttemptAt: null, outcome }, message);
    }
  });
  failedTotal.inc({ event_type: message.eventType, outcome });
  ctx.log.error({ messageId: message.id, eventType: message.eventType, outcome, err: error }, "message given up");
}

async function renewLease(message: ClaimedMessage, ctx: BatchContext): Promise<boolean> {
  const { rowCount } = await pool().query(
    `UPDATE outbox_messages SET locked_until = now() + make_interval(secs => $3)
     WHERE id = $1 AND locked_by = $2 AND processed_at IS NULL AND dead_lettered_at IS NULL`,
    [message.id, ctx.workerId, ctx.settings.OUTBOX_LEASE_SECONDS],
  );
  return rowCount === 1;
}

function errorText(error: unknown): string {
  if (error instanceof Error)
    return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
  return String(error);
}
