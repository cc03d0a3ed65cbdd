import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createItem, createSupplier } from "@/server/testing/factories";
import { actor, type CallOptions, call } from "@/server/testing/http";
import { snapshotPurchasing } from "@/server/testing/purchase-orders";
import { POST as receive } from "./[id]/receipts/route";
import { GET as getOrder } from "./[id]/route";
import { POST as createOrder } from "./route";

// Whatever a client sends to create an order, it gets a 4xx that says what is
// wrong and nothing is written: no order, no line, no outbox message.

let buyer: Awaited<ReturnType<typeof actor>>;
let supplierId: number;
let itemId: number;
const unknownId = 2_000_000_001;

beforeAll(async () => {
  buyer = await actor("purchasing");
  supplierId = (await createSupplier()).id;
  itemId = (await createItem()).id;
});

type Issue = { code: string; path: (string | number)[]; message: string };
const invalid = (message: string, issues: Issue[]) => ({ error: "invalid_request", message, issues });
/** One zod issue, with the message the wrapper builds from it. */
const issue = (code: string, path: (string | number)[], message: string) => {
  const at = path.length
    ? `\n  → at ${path.map((p, i) => (typeof p === "number" ? `[${p}]` : i ? `.${p}` : p)).join("")}`
    : "";
  return invalid(`Invalid body: ✖ ${message}${at}`, [{ code, path, message }]);
};
const line = (patch: Record<string, unknown> = {}) => ({ itemId, qty: 1, unitPrice: 1, ...patch });
const order = (patch: Record<string, unknown> = {}) => ({ supplierId, lines: [line()], ...patch });

type Case = [name: string, request: () => CallOptions, status: number, body: () => unknown];

const cases: Case[] = [
  [
    "malformed JSON",
    () => ({ rawBody: '{"supplierId": 1, "lines": [' }),
    400,
    () => ({ error: "invalid_request", message: "The request body is not valid JSON." }),
  ],
  [
    "an empty body",
    () => ({ rawBody: "" }),
    400,
    () => ({ error: "invalid_request", message: "The request body is empty; a JSON object is expected." }),
  ],
  [
    "a JSON array",
    () => ({ body: [line()] }),
    400,
    () => issue("invalid_type", [], "Invalid input: expected object, received array"),
  ],
  [
    "supplierId as a string",
    () => ({ body: order({ supplierId: String(supplierId) }) }),
    400,
    () => issue("invalid_type", ["supplierId"], "Invalid input: expected number, received string"),
  ],
  [
    "lines as a string",
    () => ({ body: order({ lines: "all" }) }),
    400,
    () => issue("invalid_type", ["lines"], "Invalid input: expected array, received string"),
  ],
  [
    "qty as a string",
    () => ({ body: order({ lines: [line({ qty: "2" })] }) }),
    400,
    () => issue("invalid_type", ["lines", 0, "qty"], "Invalid input: expected number, received string"),
  ],
  ...([-3, 0] as const).map(
    (qty): Case => [
      `quantity ${qty}`,
      () => ({ body: order({ lines: [line({ qty })] }) }),
      400,
      () => issue("too_small", ["lines", 0, "qty"], "qty must be greater than zero"),
    ],
  ),
  [
    "a fractional quantity",
    () => ({ body: order({ lines: [line({ qty: 1.5 })] }) }),
    400,
    () => issue("invalid_type", ["lines", 0, "qty"], "qty must be a whole number"),
  ],
  [
    "a quantity above a billion",
    () => ({ body: order({ lines: [line({ qty: 1_000_000_001 })] }) }),
    400,
    () => issue("too_big", ["lines", 0, "qty"], "Too big: expected number to be <=1000000000"),
  ],
  [
    "a negative unit price",
    () => ({ body: order({ lines: [line({ unitPrice: -0.01 })] }) }),
    400,
    () => issue("too_small", ["lines", 0, "unitPrice"], "unitPrice must not be negative"),
  ],
  [
    "a unit price above a billion",
    () => ({ body: order({ lines: [line({ unitPrice: 1e12 })] }) }),
    400,
    () => issue("too_big", ["lines", 0, "unitPrice"], "unitPrice is at most 1,000,000,000"),
  ],
  ...(["1.23456", "0.00001", "1e-7", "2.5e-5"] as const).map(
    (price): Case => [
      `a unit price with too many decimals (${price})`,
      () => ({ rawBody: JSON.stringify(order()).replace('"unitPrice":1', `"unitPrice":${price}`) }),
      400,
      () => issue("custom", ["lines", 0, "unitPrice"], "unitPrice may have at most 4 decimals"),
    ],
  ),
  [
    "a unit price as a string",
    () => ({ body: order({ lines: [line({ unitPrice: "9.99" })] }) }),
    400,
    () => issue("invalid_type", ["lines", 0, "unitPrice"], "Invalid input: expected number, received string"),
  ],
  [
    "a supplier that does not exist",
    () => ({ body: order({ supplierId: unknownId }) }),
    404,
    () => ({ error: "not_found", message: `Supplier ${unknownId} does not exist.` }),
  ],
  [
    "items that do not exist",
    () => ({ body: order({ lines: [line(), line({ itemId: unknownId }), line({ itemId: unknownId - 1 })] }) }),
    400,
    () => ({
      error: "unknown_items",
      message: `No inventory item has id ${unknownId - 1}, ${unknownId}.`,
      itemIds: [unknownId - 1, unknownId],
    }),
  ],
  [
    "the same item on two lines",
    () => ({ body: order({ lines: [line(), line({ qty: 2 })] }) }),
    400,
    () =>
      issue(
        "custom",
        ["lines", 1, "itemId"],
        `item ${itemId} appears more than once; put its whole quantity on one line`,
      ),
  ],
  [
    "no lines",
    () => ({ body: order({ lines: [] }) }),
    400,
    () => issue("too_small", ["lines"], "at least one line is required"),
  ],
  [
    "201 lines",
    () => ({ body: order({ lines: Array.from({ length: 201 }, (_, i) => line({ itemId: i + 1 })) }) }),
    400,
    () => issue("too_big", ["lines"], "at most 200 lines per purchase order"),
  ],
  [
    "a note of 501 characters",
    () => ({ body: order({ note: "x".repeat(501) }) }),
    400,
    () => issue("too_big", ["note"], "note is at most 500 characters"),
  ],
  [
    "an extra field",
    () => ({ body: order({ status: "ACKNOWLEDGED" }) }),
    400,
    () => issue("unrecognized_keys", [], 'Unrecognized key: "status"'),
  ],
  [
    "a body of 1 MB",
    () => ({ body: order({ note: "x".repeat(1 << 20) }) }),
    413,
    () => ({ error: "payload_too_large", message: "The request body is larger than 262144 bytes." }),
  ],
  [
    "JSON nested 20,000 levels deep",
    () => ({ rawBody: `${"[".repeat(20_000)}${"]".repeat(20_000)}` }),
    400,
    () => issue("invalid_type", [], "Invalid input: expected object, received array"),
  ],
];

describe("bad input to POST /api/purchase-orders", () => {
  it.each(cases)("%s → %i with a clear message, and nothing is written", async (_, request, status, body) => {
    const before = await snapshotPurchasing();
    const res = await call(createOrder, { token: buyer.token, path: "/api/purchase-orders", ...request() });
    expect(res.status).toBe(status);
    expect(res.body).toEqual(body());
    expect(await snapshotPurchasing()).toEqual(before);
  });

  it.each([
    ["0", 0],
    ["1.5", 1.5],
    ["1.2345", 1.2345],
    ["999999999.9999", 999_999_999.9999],
    ["1e9", 1e9],
  ])("accepts a unit price of %s", async (text, value) => {
    const res = await call(createOrder, {
      token: buyer.token,
      rawBody: JSON.stringify(order()).replace('"unitPrice":1', `"unitPrice":${text}`),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.lines[0].unitPrice).toBe(value);
  });
});

describe("bad purchase order ids", () => {
  const routes = [
    ["GET /api/purchase-orders/{id}", getOrder, {}],
    ["POST /api/purchase-orders/{id}/receipts", receive, { body: { lines: [{ itemId: 1, qty: 1 }] } }],
  ] as const;

  it.each(routes)("%s answers 400 to an id that is not a UUID", async (_, handler, extra) => {
    const res = await call(handler, { token: buyer.token, params: { id: "42; DROP TABLE purchase_orders" }, ...extra });
    expect(res).toMatchObject({
      status: 400,
      body: invalid("Invalid path: ✖ purchase order id must be a UUID\n  → at id", [
        { code: "invalid_format", path: ["id"], message: "purchase order id must be a UUID" },
      ]),
    });
  });

  it.each(routes)("%s answers 404 to an order that does not exist", async (_, handler, extra) => {
    const before = await snapshotPurchasing();
    const id = randomUUID();
    const res = await call(handler, { token: buyer.token, params: { id }, ...extra });
    expect(res).toMatchObject({
      status: 404,
      body: { error: "not_found", message: `Purchase order ${id} does not exist.` },
    });
    expect(await snapshotPurchasing()).toEqual(before);
  });
});
