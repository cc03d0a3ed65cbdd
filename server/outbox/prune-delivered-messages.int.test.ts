import { describe, expect, it } from "vitest";
import { prisma } from "../db";
import { pruneDeliveredMessages } from "./prune-delivered-messages";

describe("pruning delivered outbox messages", () => {
  it("deletes delivered rows past retention and keeps recent, pending and dead-lettered ones", async () => {
    const old = new Date(Date.now() - 10 * 86_400_000);
    const base = { aggregateType: "test", eventType: "inventory.changed", payload: {} };
    await prisma().outboxMessage.createMany({
      data: [
        { ...base, aggregateId: "old-delivered", processedAt: old },
        { ...base, aggregateId: "old-delivered-2", processedAt: old },
        { ...base, aggregateId: "recent-delivered", processedAt: new Date() },
        { ...base, aggregateId: "pending" },
        { ...base, aggregateId: "dead", deadLetteredAt: old },
      ],
    });
    const { deleted } = await pruneDeliveredMessages({ retentionDays: 7, batchSize: 1, deadline: Date.now() + 5000 });
    expect(deleted).toBe(2);
    const left = await prisma().outboxMessage.findMany({ where: { aggregateType: "test" }, orderBy: { id: "asc" } });
    expect(left.map((m) => m.aggregateId)).toEqual(["recent-delivered", "pending", "dead"]);
  });
});
