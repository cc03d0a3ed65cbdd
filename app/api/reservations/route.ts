import { access } from "@/server/auth/roles";
import { listReservations } from "@/server/inventory/list-reservations";
import { reserveStock } from "@/server/inventory/reserve-stock";
import { route } from "../_lib/route";
import { listReservationsQuery, reserveStockBody } from "./schemas";

export const GET = route({ roles: access.purchasing, query: listReservationsQuery }, async ({ query }) => ({
  body: { reservations: await listReservations(query) },
}));

export const POST = route(
  { roles: access.purchasing, body: reserveStockBody, idempotent: true },
  async ({ principal, body, idempotencyKey, requestHash }) => {
    const { reservation, replayed } = await reserveStock({
      orderRef: body.orderRef,
      lines: body.lines,
      actorId: principal.userId,
      idempotencyKey,
      requestHash,
    });
    return {
      status: 201,
      body: reservation,
      headers: replayed ? { "Idempotent-Replayed": "true" } : undefined,
    };
  },
);
