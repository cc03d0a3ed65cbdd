import { z } from "zod";
import { pool } from "../db";
import { transientRetry } from "../db/transient-retry";
import { AppError, SqlState, sqlState } from "../errors";
import { wakeOutboxRelay } from "../outbox/wake";

const outcomeSchema = z.discriminatedUnion("outcome", [
  z.object({ outcome: z.literal("released") }),
  z.object({ outcome: z.literal("not_found") }),
  z.object({ outcome: z.literal("not_active"), status: z.string() }),
]);

/** Gives a reservation's quantities back to available stock, in one round trip. */
export async function releaseReservation({
  id,
  actorId,
}: {
  id: string;
  actorId: number;
}): Promise<{ id: string; status: "released" }> {
  let result: unknown;
  try {
    const { rows } = await transientRetry.execute(() =>
      pool().query<{ result: unknown }>({
        name: "release-reservation",
        text: "SELECT release_reservation($1::uuid, $2) AS result",
        values: [id, actorId],
      }),
    );
    result = rows[0]?.result;
  } catch (error) {
    if (sqlState(error) === SqlState.lockNotAvailable) {
      throw new AppError(
        "lock_timeout",
        "The reserved items are being changed by another request right now. Try again in a moment.",
        {},
        1,
      );
    }
    throw error;
  }

  const outcome = outcomeSchema.parse(result);
  if (outcome.outcome === "not_found") throw new AppError("not_found", `Reservation ${id} does not exist.`);
  if (outcome.outcome === "not_active") {
    throw new AppError("reservation_not_active", `Reservation ${id} is ${outcome.status}, not active.`, {
      status: outcome.status,
    });
  }
  wakeOutboxRelay();
  return { id, status: "released" };
}
