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
  it("tells the buyer when the supplier has the order", () => {
    expect(purchaseOrderNotice(update("ACKNOWLEDGED", "delivered"), "Nordstahl Walzwerk GmbH")).toEqual({
      tone: "success",
      title: "Order 1f2e3d4c acknowledged by Nordstahl Walzwerk GmbH",
    });
    expect(purchaseOrderNotice(update("SENT", "delivered"), undefined)).toEqual({
      tone: "info",
      title: "Order 1f2e3d4c sent to the supplier",
      body: "Waiting for the supplier to acknowledge it.",
    });
  });

  it("raises an alert when the supplier refuses it or the outbox gives up", () => {
    expect(purchaseOrderNotice(update("FAILED", "failed", "422 unknown SKU"), "Vertex")).toEqual({
      tone: "error",
      title: "Vertex refused Order 1f2e3d4c",
      body: "422 unknown SKU",
    });
    expect(purchaseOrderNotice(update("FAILED", "dead_lettered", "503 unavailable"), "Vertex")).toEqual({
      tone: "error",
      title: "Order 1f2e3d4c could not be delivered to Vertex",
      body: "Gave up after 8 attempts (503 unavailable). An admin can re-queue it on the Outbox page.",
    });
  });

  it("stays quiet about retries, new orders and receipts", () => {
    expect(purchaseOrderNotice(update("PENDING", "retry", "503"), "Vertex")).toBeNull();
    expect(purchaseOrderNotice(update("PENDING"), "Vertex")).toBeNull();
    expect(purchaseOrderNotice(update("RECEIVED"), "Vertex")).toBeNull();
  });
});
