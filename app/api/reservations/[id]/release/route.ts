import { access } from "@/server/auth/roles";
import { releaseReservation } from "@/server/inventory/release-reservation";
import { route } from "../../../_lib/route";
import { reservationIdParams } from "../../schemas";

export const POST = route({ roles: access.purchasing, params: reservationIdParams }, async ({ params, principal }) => ({
  body: await releaseReservation({ id: params.id, actorId: principal.userId }),
}));
