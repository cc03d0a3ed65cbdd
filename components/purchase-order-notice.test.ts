import { describe, expect, it } from "vitest";
import { purchaseOrderNotice } from "./purchase-order-notice";

const id = "1f2e3d4c-0000-4000-8000-000000000000";
type Outcome = "delivered" | "retry" | "failed" | "dead_lettered";
const update = (
  status: "PENDING" | "SENT" | "ACKNOWLEDGED" | "FAILED" | "RECEIVED",
  outcome?: Outcome,
  error?: string,
) => ({
  id,
  supplierId: 3,
  status,
  attempt: outcome ? { number: 8, outcome, error: error ?? null, nextAttemptAt: null } : undefined,
});

describe("purchaseOrderNotice", () => {
  it("tells the buyer who raised the order, or has it open, when the supplier has it", () => {
    expect(purchaseOrderNotice(update("ACKNOWLEDGED", "delivered"), "Nordstahl Walzwerk GmbH", true)).toEqual({
      tone: "success",
      title: "Order 1f2e3d4c acknowledged by Nordstahl Walzwerk GmbH",
    });
    expect(purchaseOrderNotice(update("SENT", "delivered"), undefined, true)).toEqual({
      tone: "info",
      title: "Order 1f2e3d4c sent to the supplier",
      body: "Waiting for the supplier to acknowledge it.",
    });
  });

  it("keeps another buyer's good news off this screen", () => {
    expect(purchaseOrderNotice(update("ACKNOWLEDGED", "delivered"), "Nordstahl Walzwerk GmbH", false)).toBeNull();
    expect(purchaseOrderNotice(update("SENT", "delivered"), "Vertex", false)).toBeNull();
  });

  it("raises an alert for every buyer when the supplier refuses an order or the outbox gives up", () => {
    expect(purchaseOrderNotice(update("FAILED", "failed", "422 unknown SKU"), "Vertex", false)).toEqual({
      tone: "error",
      title: "Vertex refused Order 1f2e3d4c",
      body: "422 unknown SKU",
    });
    expect(purchaseOrderNotice(update("FAILED", "dead_lettered", "503 unavailable"), "Vertex", false)).toEqual({
      tone: "error",
      title: "Order 1f2e3d4c could not be delivered to Vertex",
      body: "Gave up after 8 attempts (503 unavailable). An admin can re-queue it on the Outbox page.",
    });
  });

  it("stays quiet about retries, new orders and receipts", () => {
    for (const mine of [true, false]) {
      expect(purchaseOrderNotice(update("PENDING", "retry", "503"), "Vertex", mine)).toBeNull();
      expect(purchaseOrderNotice(update("PENDING"), "Vertex", mine)).toBeNull();
      expect(purchaseOrderNotice(update("RECEIVED"), "Vertex", mine)).toBeNull();
    }
  });
});
