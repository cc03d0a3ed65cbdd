import { access } from "@/server/auth/roles";
import { getReservationOrThrow } from "@/server/inventory/get-reservation-or-throw";
import { route } from "../../_lib/route";
import { reservationIdParams } from "../schemas";

export const GET = route({ roles: access.purchasing, params: reservationIdParams }, async ({ params }) => ({
  body: await getReservationOrThrow({ id: params.id }),
}));
