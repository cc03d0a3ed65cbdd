import { z } from "zod";
import { pool } from "../db";
import { transientRetry } from "../db/transient-retry";
import { AppError, SqlState, sqlState } from "../errors";
import { wakeOutboxRelay } from "../outbox/wake";
import { getReservationOrThrow, type ReservationView } from "./get-reservation-or-throw";

// What reserve_stock() (prisma/migrations/*_reservation_functions) answers.
const outcomeSchema = z.discriminatedUnion("outcome", [
  z.object({
    outcome: z.literal("reserved"),
    reservation: z.object({
      id: z.string(),
      status: z.literal("active"),
      orderRef: z.string(),
      // PostgreSQL's JSON form of a timestamptz; normalised to ISO 8601 in UTC below.
      createdAt: z.string().transform((at) => new Date(at).toISOString()),
      createdBy: z.string(),
      releasedAt: z.null(),
      lines: z.array(
        z.object({ itemId: z.number(), sku: z.string(), name: z.string(), unit: z.string(), qty: z.number() }),
      ),
    }),
  }),
  z.object({
    outcome: z.literal("replayed"),
    reservationId: z.string(),
    requestHash: z.string().nullable(),
    createdBy: z.number(),
  }),
  z.object({ outcome: z.literal("unknown_items"), itemIds: z.array(z.number()) }),
  z.object({
    outcome: z.literal("insufficient_stock"),
    shortages: z.array(
      z.object({
        itemId: z.number(),
        sku: z.string(),
        name: z.string(),
        unit: z.string(),
        requested: z.number(),
        available: z.number(),
      }),
    ),
  }),
]);

export type ReserveStockInput = {
  orderRef: string;
  lines: { itemId: number; qty: number }[];
  actorId: number;
  /** The client's Idempotency-Key; the database keeps it as a unique backstop. */
  idempotencyKey: string | null;
  /** A fingerprint of the request body, to tell a replay from a reused key. */
  requestHash: string | null;
};

/**
 * Reserves every line or none. The work happens in one database round trip
 * (reserve_stock: lock_timeout, row locks in id order, check, update, ledger,
 * outbox); deadlocks and serialization failures are retried unseen.
 */
export async function reserveStock(
  input: ReserveStockInput,
): Promise<{ reservation: ReservationView; replayed: boolean }> {
  const outcome = await callReserveStock(input);

  switch (outcome.outcome) {
    case "reserved":
      wakeOutboxRelay();
      return { reservation: outcome.reservation, replayed: false };
    case "replayed":
      if (outcome.createdBy !== input.actorId || outcome.requestHash !== input.requestHash) {
        throw new AppError(
          "idempotency_key_reused",
          "This Idempotency-Key was already used for a different request. Use a new key for a new reservation.",
        );
      }
      return { reservation: await getReservationOrThrow({ id: outcome.reservationId }), replayed: true };
    case "unknown_items":
      throw new AppError("unknown_items", `No inventory item has id ${outcome.itemIds.join(", ")}.`, {
        itemIds: outcome.itemIds,
      });
    case "insufficient_stock": {
      const words = outcome.shortages
        .map((s) => `${s.sku} ${s.name}: requested ${s.requested} ${s.unit}, ${s.available} available`)
        .join("; ");
      throw new AppError("insufficient_stock", `Not enough stock. ${words}.`, {
        shortages: outcome.shortages.map(({ itemId, sku, name, requested, available }) => ({
          itemId,
          sku,
          name,
          requested,
          available,
        })),
      });
    }
  }
}

async function callReserveStock(input: ReserveStockInput) {
  const lines = [...input.lines].sort((a, b) => a.itemId - b.itemId);
  const run = () =>
    pool().query<{ result: unknown }>({
      name: "reserve-stock",
      text: "SELECT reserve_stock($1, $2::jsonb, $3, $4::uuid, $5) AS result",
      values: [input.orderRef, JSON.stringify(lines), input.actorId, input.idempotencyKey, input.requestHash],
    });

  try {
    const { rows } = await transientRetry.execute(async () => {
      try {
        return await run();
      } catch (error) {
        // Two requests with the same key raced past the lookup and the second
        // lost on the unique key; run it again and it finds the first.
        if (sqlState(error) === SqlState.uniqueViolation) return await run();
        throw error;
      }
    });
    return outcomeSchema.parse(rows[0]?.result);
  } catch (error) {
    if (sqlState(error) === SqlState.lockNotAvailable) {
      throw new AppError(
        "lock_timeout",
        "These items are being changed by another request right now. Nothing was reserved; try again in a moment.",
        {},
        1,
      );
    }
    throw error;
  }
}
