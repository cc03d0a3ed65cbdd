import { type Db, prisma } from "../db";
import { AppError } from "../errors";

export type ReservationView = {
  id: string;
  status: "active" | "released" | "consumed";
  orderRef: string;
  createdAt: string;
  createdBy: string;
  releasedAt: string | null;
  lines: { itemId: number; sku: string; name: string; unit: string; qty: number }[];
};

export const reservationInclude = {
  creator: { select: { username: true } },
  lines: { include: { item: { select: { sku: true, name: true, unit: true } } }, orderBy: { itemId: "asc" } },
} as const;

type ReservationRow = {
  id: string;
  status: string;
  orderRef: string;
  createdAt: Date;
  releasedAt: Date | null;
  creator: { username: string };
  lines: { itemId: number; qty: number; item: { sku: string; name: string; unit: string } }[];
};

export function toReservationView(row: ReservationRow): ReservationView {
  return {
    id: row.id,
    status: row.status as ReservationView["status"],
    orderRef: row.orderRef,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.creator.username,
    releasedAt: row.releasedAt?.toISOString() ?? null,
    lines: row.lines.map((line) => ({
      itemId: line.itemId,
      sku: line.item.sku,
      name: line.item.name,
      unit: line.item.unit,
      qty: line.qty,
    })),
  };
}

export async function getReservationOrThrow({ id, db = prisma() }: { id: string; db?: Db }): Promise<ReservationView> {
  const row = await db.reservation.findUnique({ where: { id }, include: reservationInclude });
  if (!row) throw new AppError("not_found", `Reservation ${id} does not exist.`);
  return toReservationView(row);
}
