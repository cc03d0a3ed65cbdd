import { prisma } from "../db";

export type InventoryItemView = {
  id: number;
  sku: string;
  name: string;
  unit: string;
  stockQty: number;
  reservedQty: number;
  availableQty: number;
};

/** Items in SKU order, optionally filtered by a text found in the SKU or the name. */
export async function listItems({ q, limit }: { q?: string; limit: number }): Promise<InventoryItemView[]> {
  const term = q?.trim();
  const rows = await prisma().inventoryItem.findMany({
    where: term
      ? {
          OR: [{ sku: { contains: term, mode: "insensitive" } }, { name: { contains: term, mode: "insensitive" } }],
        }
      : undefined,
    orderBy: { sku: "asc" },
    take: limit,
  });
  return rows.map((row) => ({
    id: row.id,
    sku: row.sku,
    name: row.name,
    unit: row.unit,
    stockQty: row.stockQty,
    reservedQty: row.reservedQty,
    availableQty: row.stockQty - row.reservedQty,
  }));
}
