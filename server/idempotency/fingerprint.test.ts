import { describe, expect, it } from "vitest";
import { fingerprintBody } from "./idempotency-store";

describe("fingerprintBody", () => {
  it("ignores key order and whitespace", () => {
    const a = JSON.parse('{"orderRef":"SO-1","lines":[{"itemId":1,"qty":2}]}');
    const b = JSON.parse('{ "lines": [ { "qty": 2, "itemId": 1 } ], "orderRef": "SO-1" }');
    expect(fingerprintBody(a)).toBe(fingerprintBody(b));
  });

  it.each([
    ["another quantity", { orderRef: "SO-1", lines: [{ itemId: 1, qty: 3 }] }],
    ["another order", { orderRef: "SO-2", lines: [{ itemId: 1, qty: 2 }] }],
    [
      "lines in another order",
      {
        orderRef: "SO-1",
        lines: [
          { itemId: 2, qty: 1 },
          { itemId: 1, qty: 2 },
        ],
      },
    ],
    ["a number sent as a string", { orderRef: "SO-1", lines: [{ itemId: "1", qty: 2 }] }],
  ])("tells apart %s", (_, other) => {
    const base = { orderRef: "SO-1", lines: [{ itemId: 1, qty: 2 }] };
    const baseTwoLines = {
      orderRef: "SO-1",
      lines: [
        { itemId: 1, qty: 2 },
        { itemId: 2, qty: 1 },
      ],
    };
    expect(fingerprintBody(other)).not.toBe(fingerprintBody(base));
    expect(fingerprintBody(other)).not.toBe(fingerprintBody(baseTwoLines));
  });
});
