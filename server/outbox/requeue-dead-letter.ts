import { prisma } from "../db";
import { AppError } from "../errors";
import { externalHandlers } from "./registry";
import { wakeOutboxRelay } from "./wake";

/**
 * Puts a dead-lettered message back in the queue with a fresh set of
 * attempts, and lets its handler undo what giving up did (a purchase order
 * goes from FAILED back to PENDING), in one transaction.
 */
export async function requeueDeadLetter({ id, actorId }: { id: string; actorId: number }): Promise<{ id: string }> {
  if (!/^\d{1,18}$/.test(id)) throw new AppError("not_found", `Outbox message ${id} does not exist.`);
  await prisma().$transaction(async (tx) => {
    const message = await tx.outboxMessage.findUnique({ where: { id: BigInt(id) } });
    if (!message) throw new AppError("not_found", `Outbox message ${id} does not exist.`);
    if (!message.deadLetteredAt) {
      throw new AppError("conflict", `Outbox message ${id} is not dead-lettered; there is nothing to re-queue.`);
    }
    await tx.outboxMessage.update({
      where: { id: message.id },
      data: {
        deadLetteredAt: null,
        attempts: 0,
        nextAttemptAt: new Date(),
        lockedUntil: null,
        lockedBy: null,
        lastError: null,
      },
    });
    const handler = externalHandlers.get(message.eventType);
    const parsed = handler?.schema.safeParse(message.payload);
    if (handler?.onRequeued && parsed?.success) {
      await handler.onRequeued(tx, parsed.data, { id, aggregateId: message.aggregateId });
    }
    await tx.auditLog.create({
      data: { actorId, action: "outbox.requeue", targetType: "outbox_message", targetId: id },
    });
  });
  wakeOutboxRelay();
  return { id };
}
