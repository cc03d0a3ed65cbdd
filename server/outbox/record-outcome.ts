import { prisma } from "../db";
import type { ClaimedMessage } from "./claim-messages";
import type { Tx } from "./handler";

// Writing down what happened to a claimed message. Every write is guarded by
// locked_by = this worker: a worker whose lease ran out (it stalled, another
// worker took the message over) must not overwrite the newer outcome.

const maxErrorLength = 2000;
const clip = (error: string | null) => (error === null ? null : error.slice(0, maxErrorLength));

/** Live events: many at once, no per-message history. */
export async function markLiveDelivered({ ids, workerId }: { ids: string[]; workerId: string }): Promise<void> {
  if (ids.length === 0) return;
  await prisma().$executeRaw`
    UPDATE outbox_messages
    SET processed_at = now(), locked_until = NULL, last_error = NULL
    WHERE id = ANY(${ids}::bigint[]) AND locked_by = ${workerId} AND processed_at IS NULL`;
}

type Attempt = {
  message: ClaimedMessage;
  workerId: string;
  durationMs: number | null;
  error: string | null;
};

/**
 * Runs `then` in the same transaction as the outcome, only if this worker
 * still held the message. Returns whether it did.
 */
async function withOutcome(
  attempt: Attempt,
  outcome: "delivered" | "retry" | "failed" | "dead_lettered",
  nextAttemptAt: Date | null,
  then: (tx: Tx) => Promise<void>,
  givesBackAttempt = false,
  timeoutMs?: number,
): Promise<boolean> {
  const { message, workerId } = attempt;
  return prisma().$transaction(
    async (tx) => {
      const updated =
        outcome === "delivered"
          ? await tx.$executeRaw`
            UPDATE outbox_messages SET processed_at = now(), locked_until = NULL, last_error = NULL
            WHERE id = ${BigInt(message.id)} AND locked_by = ${workerId} AND processed_at IS NULL`
          : outcome === "failed"
            ? await tx.$executeRaw`
            UPDATE outbox_messages SET processed_at = now(), locked_until = NULL, last_error = ${clip(attempt.error)}
            WHERE id = ${BigInt(message.id)} AND locked_by = ${workerId} AND processed_at IS NULL`
            : outcome === "dead_lettered"
              ? await tx.$executeRaw`
            UPDATE outbox_messages SET dead_lettered_at = now(), locked_until = NULL, last_error = ${clip(attempt.error)}
            WHERE id = ${BigInt(message.id)} AND locked_by = ${workerId} AND processed_at IS NULL`
              : await tx.$executeRaw`
            UPDATE outbox_messages
            SET next_attempt_at = ${nextAttemptAt}, locked_until = NULL, locked_by = NULL,
                last_error = ${clip(attempt.error)},
                attempts = attempts - ${givesBackAttempt ? 1 : 0}
            WHERE id = ${BigInt(message.id)} AND locked_by = ${workerId} AND processed_at IS NULL`;
      if (updated === 0) return false;
      if (givesBackAttempt) {
        // Nothing was sent (an open breaker): no new attempt, but the last one
        // shown to people now says when the next really is.
        await tx.$executeRaw`
        UPDATE delivery_attempts SET next_attempt_at = ${nextAttemptAt}
        WHERE id = (SELECT max(id) FROM delivery_attempts WHERE outbox_message_id = ${BigInt(message.id)})`;
      } else {
        await tx.deliveryAttempt.create({
          data: {
            outboxMessageId: BigInt(message.id),
            aggregateType: message.aggregateType,
            aggregateId: message.aggregateId,
            attempt: message.attempts,
            outcome,
            error: clip(attempt.error),
            durationMs: attempt.durationMs,
            nextAttemptAt,
            worker: workerId,
          },
        });
      }
      await then(tx);
      return true;
    },
    timeoutMs === undefined ? undefined : { timeout: timeoutMs },
  );
}

/** `timeoutMs`: the transaction's, when Prisma's default (5 s) does not suit `then`. */
export function recordDelivered(attempt: Attempt, then: (tx: Tx) => Promise<void>, timeoutMs?: number) {
  return withOutcome(attempt, "delivered", null, then, false, timeoutMs);
}

export function recordRetry(
  attempt: Attempt & { nextAttemptAt: Date; givesBackAttempt?: boolean },
  then: (tx: Tx) => Promise<void>,
) {
  return withOutcome(attempt, "retry", attempt.nextAttemptAt, then, attempt.givesBackAttempt ?? false);
}

export function recordGivenUp(
  attempt: Attempt & { outcome: "failed" | "dead_lettered" },
  then: (tx: Tx) => Promise<void>,
) {
  return withOutcome(attempt, attempt.outcome, null, then);
}
