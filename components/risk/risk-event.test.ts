import { describe, expect, it } from "vitest";
import { readSupplierRiskEvent } from "./risk-event";

describe("readSupplierRiskEvent", () => {
  const payload = { supplierId: 4, score: 63.5, level: "high", source: "groq", assessedAt: "2026-11-25T10:00:00Z" };

  it("reads a supplier.risk payload, ignoring extra fields", () => {
    expect(readSupplierRiskEvent({ type: "supplier.risk", payload: { ...payload, model: "llama" } })).toEqual(payload);
  });

  it.each([
    ["another type", { type: "inventory.changed", payload }],
    ["no payload", { type: "supplier.risk", payload: null }],
    ["a supplier id that is not an integer", { type: "supplier.risk", payload: { ...payload, supplierId: "4" } }],
    ["no level", { type: "supplier.risk", payload: { ...payload, level: undefined } }],
    ["no time", { type: "supplier.risk", payload: { ...payload, assessedAt: 5 } }],
  ])("is null for %s", (_, message) => expect(readSupplierRiskEvent(message)).toBeNull());

  it("keeps the event when the score or source is missing", () => {
    expect(
      readSupplierRiskEvent({ type: "supplier.risk", payload: { ...payload, score: null, source: undefined } }),
    ).toEqual({ ...payload, score: null, source: "" });
  });
});
