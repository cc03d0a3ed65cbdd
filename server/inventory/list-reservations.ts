import { prisma } from "../db";
import { type ReservationView, reservationInclude, toReservationView } from "./get-reservation-or-throw";

/** The newest reservations first, optionally only those in one status. */
export async function listReservations({
  status,
  limit,
}: {
  status?: ReservationView["status"];
  limit: number;
}): Promise<ReservationView[]> {
  const rows = await prisma().reservation.findMany({
    where: status ? { status } : undefined,
    include: reservationInclude,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: limit,
  });
  return rows.map(toReservationView);
}
