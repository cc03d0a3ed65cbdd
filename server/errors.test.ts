import { describe, expect, it } from "vitest";
import { AppError, sqlState } from "./errors";

describe("sqlState", () => {
  it.each([
    ["a pg error", { code: "55P03", message: "canceling statement due to lock timeout" }, "55P03"],
    ["Prisma's raw-query wrapper", { code: "P2010", meta: { code: "40P01" } }, "40P01"],
    ["an error whose cause is the pg error", new Error("wrapped", { cause: { code: "23505" } }), "23505"],
    [
      "Prisma's driver adapter error",
      { code: "P2010", meta: { driverAdapterError: { cause: { code: "40001" } } } },
      "40001",
    ],
    [
      "adapter-pg's unique violation from a model call (P2002)",
      {
        code: "P2002",
        meta: {
          driverAdapterError: {
            cause: { originalCode: "23505", kind: "UniqueConstraintViolation", constraint: { index: "x_key" } },
          },
        },
      },
      "23505",
    ],
    [
      "adapter-pg's deadlock, classified as a write conflict",
      {
        code: "P2034",
        meta: { driverAdapterError: { cause: { originalCode: "40P01", kind: "TransactionWriteConflict" } } },
      },
      "40P01",
    ],
    ["an error without a SQLSTATE", new Error("boom"), undefined],
    ["a Prisma code that is not a SQLSTATE", { code: "P2002" }, undefined],
    ["not an error at all", "55P03", undefined],
  ])("reads %s", (_, error, expected) => {
    expect(sqlState(error)).toBe(expected);
  });
});

describe("AppError", () => {
  it("carries the HTTP status of its code", () => {
    expect(new AppError("insufficient_stock", "short").status).toBe(409);
    expect(new AppError("lock_timeout", "busy", {}, 1).status).toBe(503);
    expect(new AppError("idempotency_key_reused", "reused").status).toBe(422);
  });
});
