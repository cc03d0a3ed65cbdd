import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/server/db";
import { createItem } from "@/server/testing/factories";
import { actor, type CallOptions, type CallResult, call } from "@/server/testing/http";
import { inventoryViolations, snapshotInventory } from "@/server/testing/inventory-state";
import { POST as release } from "./[id]/release/route";
import { GET as getReservation } from "./[id]/route";
import { POST as reserve } from "./route";

// Whatever a client sends, it gets a 4xx that says what is wrong, and no row
// changes; never a 500.

type Item = Awaited<ReturnType<typeof createItem>>;
let buyer: Awaited<ReturnType<typeof actor>>;
let item: Item;
const unknownId = 2_000_000_001;

beforeAll(async () => {
  buyer = await actor("purchasing");
  item = await createItem({ stockQty: 10 });
});

const invalid = (message: string, issues: { code: string; path: (string | number)[]; message: string }[]) => ({
  error: "invalid_request",
  message,
  issues,
});
const line = (qty: unknown = 1, itemId: unknown = item.id) => ({ itemId, qty });

type Case = [name: string, request: () => CallOptions, status: number, body: () => unknown];

const reserveCases: Case[] = [
  [
    "malformed JSON",
    () => ({ rawBody: '{"orderRef": "SO-1", "lines": [' }),
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
    "a body of blanks",
    () => ({ rawBody: "  \n\t" }),
    400,
    () => ({ error: "invalid_request", message: "The request body is empty; a JSON object is expected." }),
  ],
  [
    "a JSON array",
    () => ({ body: [line()] }),
    400,
    () =>
      invalid("Invalid body: ✖ Invalid input: expected object, received array", [
        { code: "invalid_type", path: [], message: "Invalid input: expected object, received array" },
      ]),
  ],
  [
    "JSON null",
    () => ({ rawBody: "null" }),
    400,
    () =>
      invalid("Invalid body: ✖ Invalid input: expected object, received null", [
        { code: "invalid_type", path: [], message: "Invalid input: expected object, received null" },
      ]),
  ],
  [
    "an empty object",
    () => ({ body: {} }),
    400,
    () =>
      invalid(
        "Invalid body: ✖ Invalid input: expected string, received undefined\n  → at orderRef\n✖ Invalid input: expected array, received undefined\n  → at lines",
        [
          { code: "invalid_type", path: ["orderRef"], message: "Invalid input: expected string, received undefined" },
          { code: "invalid_type", path: ["lines"], message: "Invalid input: expected array, received undefined" },
        ],
      ),
  ],
  [
    "wrong types",
    () => ({ body: { orderRef: 5, lines: "all of them" } }),
    400,
    () =>
      invalid(
        "Invalid body: ✖ Invalid input: expected string, received number\n  → at orderRef\n✖ Invalid input: expected array, received string\n  → at lines",
        [
          { code: "invalid_type", path: ["orderRef"], message: "Invalid input: expected string, received number" },
          { code: "invalid_type", path: ["lines"], message: "Invalid input: expected array, received string" },
        ],
      ),
  ],
  [
    "a quantity as a string",
    () => ({ body: { orderRef: "SO-1", lines: [line("2")] } }),
    400,
    () =>
      invalid("Invalid body: ✖ Invalid input: expected number, received string\n  → at lines[0].qty", [
        { code: "invalid_type", path: ["lines", 0, "qty"], message: "Invalid input: expected number, received string" },
      ]),
  ],
  ...([-3, 0] as const).map(
    (qty): Case => [
      `quantity ${qty}`,
      () => ({ body: { orderRef: "SO-1", lines: [line(qty)] } }),
      400,
      () =>
        invalid("Invalid body: ✖ qty must be greater than zero\n  → at lines[0].qty", [
          { code: "too_small", path: ["lines", 0, "qty"], message: "qty must be greater than zero" },
        ]),
    ],
  ),
  [
    "a fractional quantity",
    () => ({ body: { orderRef: "SO-1", lines: [line(1.5)] } }),
    400,
    () =>
      invalid("Invalid body: ✖ qty must be a whole number\n  → at lines[0].qty", [
        { code: "invalid_type", path: ["lines", 0, "qty"], message: "qty must be a whole number" },
      ]),
  ],
  [
    "a quantity above a billion",
    () => ({ body: { orderRef: "SO-1", lines: [line(1e12)] } }),
    400,
    () =>
      invalid("Invalid body: ✖ Too big: expected number to be <=1000000000\n  → at lines[0].qty", [
        { code: "too_big", path: ["lines", 0, "qty"], message: "Too big: expected number to be <=1000000000" },
      ]),
  ],
  [
    "item ids that do not exist",
    () => ({ body: { orderRef: "SO-1", lines: [line(1), line(1, unknownId), line(1, unknownId - 1)] } }),
    400,
    () => ({
      error: "unknown_items",
      message: `No inventory item has id ${unknownId - 1}, ${unknownId}.`,
      itemIds: [unknownId - 1, unknownId],
    }),
  ],
  [
    "the same item on two lines",
    () => ({ body: { orderRef: "SO-1", lines: [line(1), line(2)] } }),
    400,
    () =>
      invalid(
        `Invalid body: ✖ item ${item.id} appears more than once; put its whole quantity on one line\n  → at lines[1].itemId`,
        [
          {
            code: "custom",
            path: ["lines", 1, "itemId"],
            message: `item ${item.id} appears more than once; put its whole quantity on one line`,
          },
        ],
      ),
  ],
  [
    "no lines",
    () => ({ body: { orderRef: "SO-1", lines: [] } }),
    400,
    () =>
      invalid("Invalid body: ✖ at least one line is required\n  → at lines", [
        { code: "too_small", path: ["lines"], message: "at least one line is required" },
      ]),
  ],
  [
    "5000 lines",
    () => ({ body: { orderRef: "SO-1", lines: Array.from({ length: 5000 }, (_, i) => line(1, i + 1)) } }),
    400,
    () =>
      invalid("Invalid body: ✖ at most 200 lines per reservation\n  → at lines", [
        { code: "too_big", path: ["lines"], message: "at most 200 lines per reservation" },
      ]),
  ],
  [
    "an orderRef of 1 MB",
    () => ({ body: { orderRef: "x".repeat(1 << 20), lines: [line()] } }),
    413,
    () => ({ error: "payload_too_large", message: "The request body is larger than 262144 bytes." }),
  ],
  [
    "a declared Content-Length above the limit",
    () => ({ body: { orderRef: "SO-1", lines: [line()] }, headers: { "content-length": String(10 << 20) } }),
    413,
    () => ({ error: "payload_too_large", message: "The request body is larger than 262144 bytes." }),
  ],
  [
    "an orderRef of 65 characters",
    () => ({ body: { orderRef: "x".repeat(65), lines: [line()] } }),
    400,
    () =>
      invalid("Invalid body: ✖ orderRef is at most 64 characters\n  → at orderRef", [
        { code: "too_big", path: ["orderRef"], message: "orderRef is at most 64 characters" },
      ]),
  ],
  [
    "an orderRef of blanks",
    () => ({ body: { orderRef: "   ", lines: [line()] } }),
    400,
    () =>
      invalid("Invalid body: ✖ orderRef is required: the order this material is for\n  → at orderRef", [
        { code: "too_small", path: ["orderRef"], message: "orderRef is required: the order this material is for" },
      ]),
  ],
  [
    "an extra field",
    () => ({ body: { orderRef: "SO-1", lines: [line()], priority: "high" } }),
    400,
    () =>
      invalid('Invalid body: ✖ Unrecognized key: "priority"', [
        { code: "unrecognized_keys", path: [], message: 'Unrecognized key: "priority"' },
      ]),
  ],
  [
    "an extra field on a line",
    () => ({ body: { orderRef: "SO-1", lines: [{ ...line(), unitPrice: 3 }] } }),
    400,
    () =>
      invalid('Invalid body: ✖ Unrecognized key: "unitPrice"\n  → at lines[0]', [
        { code: "unrecognized_keys", path: ["lines", 0], message: 'Unrecognized key: "unitPrice"' },
      ]),
  ],
  [
    "a __proto__ key",
    () => ({ rawBody: `{"__proto__":{"admin":true},"orderRef":"SO-1","lines":[{"itemId":${item.id},"qty":1}]}` }),
    400,
    () =>
      invalid('Invalid body: ✖ Unrecognized key: "__proto__"', [
        { code: "unrecognized_keys", path: [], message: 'Unrecognized key: "__proto__"' },
      ]),
  ],
  [
    "JSON nested 20,000 levels deep",
    () => ({ rawBody: `${"[".repeat(20_000)}${"]".repeat(20_000)}` }),
    400,
    () =>
      invalid("Invalid body: ✖ Invalid input: expected object, received array", [
        { code: "invalid_type", path: [], message: "Invalid input: expected object, received array" },
      ]),
  ],
];

describe("bad input to POST /api/reservations", () => {
  it.each(reserveCases)("%s → %i with a clear message, and nothing changes", async (_, request, status, body) => {
    const before = await snapshotInventory();
    const res = await call(reserve, { token: buyer.token, ...request() });
    expect(res.status).toBe(status);
    expect(res.body).toEqual(body());
    expect(await snapshotInventory()).toEqual(before);
  });
});

describe("bad reservation ids", () => {
  const routes = [
    ["POST /api/reservations/{id}/release", release],
    ["GET /api/reservations/{id}", getReservation],
  ] as const;
  it.each(routes)("%s answers 400 to an id that is not a UUID", async (_, handler) => {
    const before = await snapshotInventory();
    const res = await call(handler, { token: buyer.token, params: { id: "42; DROP TABLE reservations" } });
    expect(res).toMatchObject({
      status: 400,
      body: invalid("Invalid path: ✖ reservation id must be a UUID\n  → at id", [
        { code: "invalid_format", path: ["id"], message: "reservation id must be a UUID" },
      ]),
    });
    expect(await snapshotInventory()).toEqual(before);
  });
  it.each(routes)("%s answers 404 to a reservation that does not exist", async (_, handler) => {
    const before = await snapshotInventory();
    const id = randomUUID();
    const res = await call(handler, { token: buyer.token, params: { id } });
    expect(res).toMatchObject({
      status: 404,
      body: { error: "not_found", message: `Reservation ${id} does not exist.` },
    });
    expect(await snapshotInventory()).toEqual(before);
  });
});

// ---------------------------------------------------------------- property

type Expected = { status: number; error?: string };
const maxInt = 2_147_483_647;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const hasExactKeys = (v: Record<string, unknown>, keys: string[]) =>
  Object.keys(v).sort().join(",") === [...keys].sort().join(",");
const intIn = (v: unknown, min: number, max: number): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

/** The contract, written out independently of the zod schema. */
function validLines(body: unknown): { itemId: number; qty: number }[] | null {
  if (!isPlainObject(body) || !hasExactKeys(body, ["orderRef", "lines"])) return null;
  const { orderRef, lines } = body;
  if (typeof orderRef !== "string" || orderRef.trim().length < 1 || orderRef.trim().length > 64) return null;
  if (!Array.isArray(lines) || lines.length < 1 || lines.length > 200) return null;
  const ok = lines.every(
    (l) => isPlainObject(l) && hasExactKeys(l, ["itemId", "qty"]) && intIn(l.itemId, 1, maxInt) && intIn(l.qty, 1, 1e9),
  );
  if (!ok || new Set(lines.map((l) => l.itemId)).size !== lines.length) return null;
  return lines;
}

function parseRaw(raw: string): { ok: true; value: unknown } | { ok: false } {
  if (raw.trim() === "") return { ok: false };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

function expectedAnswer(raw: string, available: Map<number, number>): Expected {
  const parsed = parseRaw(raw);
  const lines = parsed.ok ? validLines(parsed.value) : null;
  if (!lines) return { status: 400, error: "invalid_request" };
  if (lines.some((l) => !available.has(l.itemId))) return { status: 400, error: "unknown_items" };
  if (lines.some((l) => (available.get(l.itemId) ?? 0) < l.qty)) return { status: 409, error: "insufficient_stock" };
  return { status: 201 };
}

const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(",")}]`
    : isPlainObject(v)
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
          .join(",")}}`
      : JSON.stringify(v);

describe("any request body (property)", () => {
  it("never gets a 5xx, gets 201 only for a valid body with stock, and keeps reserved <= stock", async () => {
    const items = [];
    for (const stockQty of [30, 60, 400, 400, 4000, 4000]) items.push(await createItem({ stockQty }));
    const ids = items.map((i) => i.id);
    const itemIdArb = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...ids) },
      { weight: 1, arbitrary: fc.constantFrom(unknownId, maxInt) },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom(0, -1, 1.5, maxInt + 1), fc.string(), fc.constant(null)) },
    );
    const qtyArb = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 1, max: 12 }) },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom(0, -2, 2.5, 1e12, 1e9), fc.string(), fc.boolean()) },
    );
    const lineArb = fc.oneof(
      { weight: 12, arbitrary: fc.record({ itemId: itemIdArb, qty: qtyArb }) },
      { weight: 1, arbitrary: fc.record({ itemId: itemIdArb, qty: qtyArb }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: fc.record({ itemId: itemIdArb, qty: qtyArb, note: fc.string() }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    );
    const orderRefArb = fc.oneof(
      { weight: 8, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) },
      { weight: 1, arbitrary: fc.constantFrom("", "   ", "x".repeat(64), "x".repeat(65), " padded ") },
      { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.string({ minLength: 65, maxLength: 70 })) },
    );
    // Well-formed lines on distinct known items, so that a fair share of
    // bodies is valid and reaches the database.
    const wellFormedLines = fc
      .shuffledSubarray(ids, { minLength: 1, maxLength: 4 })
      .chain((chosen) => fc.tuple(...chosen.map((itemId) => fc.record({ itemId: fc.constant(itemId), qty: qtyArb }))));
    const linesArb = fc.oneof(
      { weight: 3, arbitrary: wellFormedLines },
      { weight: 2, arbitrary: fc.array(lineArb, { maxLength: 4 }) },
    );
    const structured = fc.oneof(
      { weight: 10, arbitrary: fc.record({ orderRef: orderRefArb, lines: linesArb }) },
      {
        weight: 2,
        arbitrary: fc.record(
          { orderRef: orderRefArb, lines: fc.oneof(linesArb, fc.jsonValue()), extra: fc.jsonValue() },
          { requiredKeys: [] },
        ),
      },
    );
    const rawBody = fc.oneof(
      { weight: 10, arbitrary: structured.map((v) => JSON.stringify(v)) },
      { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.anything().map((v) => JSON.stringify(v) ?? "") },
      { weight: 1, arbitrary: fc.string() },
    );
    // After the first request, sometimes the client retries with the same
    // key: with the same body, or with another one.
    const followUp = fc.oneof(
      fc.constant({ kind: "none" as const }),
      fc.constant({ kind: "repeat" as const }),
      rawBody.map((raw) => ({ kind: "reuse" as const, raw })),
    );

    const availableNow = async () => {
      const { rows } = await pool().query<{ id: number; available: number }>(
        "SELECT id, stock_qty - reserved_qty AS available FROM inventory_items WHERE id = ANY ($1)",
        [ids],
      );
      return new Map(rows.map((r) => [r.id, r.available]));
    };
    const send = (raw: string, key: string) =>
      call(reserve, { token: buyer.token, rawBody: raw, idempotencyKey: key, path: "/api/reservations" });
    const check = (res: CallResult, expected: Expected, raw: string) => {
      const seen = { status: res.status, error: res.body?.error };
      expect(seen, `body sent: ${raw.slice(0, 300)}`).toEqual({ ...expected, error: expected.error });
      if (res.status === 201) {
        const sent = JSON.parse(raw) as { orderRef: string; lines: { itemId: number; qty: number }[] };
        expect(res.body.orderRef).toBe(sent.orderRef.trim());
        expect(res.body.lines.map((l: { itemId: number; qty: number }) => [l.itemId, l.qty])).toEqual(
          [...sent.lines].sort((a, b) => a.itemId - b.itemId).map((l) => [l.itemId, l.qty]),
        );
      }
    };
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(rawBody, followUp, async (raw, next) => {
        const key = randomUUID();
        const expected = expectedAnswer(raw, await availableNow());
        const first = await send(raw, key);
        statuses.set(first.status, (statuses.get(first.status) ?? 0) + 1);
        expect([201, 400, 409, 413, 422]).toContain(first.status);
        check(first, expected, raw);
        if (next.kind === "none") return;

        // Only bodies that passed validation were recorded under the key.
        const recorded = expected.error !== "invalid_request";
        const secondRaw = next.kind === "repeat" ? raw : next.raw;
        const secondExpected = expectedAnswer(secondRaw, await availableNow());
        const second = await send(secondRaw, key);
        expect([201, 400, 409, 413, 422]).toContain(second.status);
        if (secondExpected.error === "invalid_request" || !recorded) {
          check(second, secondExpected, secondRaw);
        } else if (canonical(JSON.parse(secondRaw)) === canonical(JSON.parse(raw))) {
          expect({ status: second.status, body: second.body }).toEqual({ status: first.status, body: first.body });
          expect(second.headers.get("idempotent-replayed")).toBe("true");
        } else {
          check(second, { status: 422, error: "idempotency_key_reused" }, secondRaw);
        }
      }),
      { numRuns: 200 },
    );

    // The generators reached both sides of the contract.
    expect(statuses.get(201) ?? 0).toBeGreaterThan(10);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(10);
    expect(await inventoryViolations({ itemIds: ids })).toEqual([]);
  });
});
