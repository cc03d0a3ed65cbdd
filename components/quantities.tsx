import type { InventoryItemView } from "@/server/inventory/list-items";

const numberFormat = new Intl.NumberFormat("en-GB");

export function formatQty(qty: number, unit?: string): string {
  return unit ? `${numberFormat.format(qty)} ${unit}` : numberFormat.format(qty);
}

export type StockLevel = "out" | "low" | "ok";

/**
 * There is no reorder point in the data yet, so "low" is a plain rule: at most
 * a fifth of the stock is still free, or ten units or fewer.
 */
export function stockLevel(item: Pick<InventoryItemView, "stockQty" | "availableQty">): StockLevel {
  if (item.availableQty <= 0) return "out";
  if (item.availableQty <= 10 || item.availableQty <= item.stockQty * 0.2) return "low";
  return "ok";
}

export function AvailabilityBadge({ level }: { level: StockLevel }) {
  if (level === "ok") return null;
  return (
    <span
      className={`badge badge-${level}`}
      title={level === "out" ? "Nothing free to reserve" : "Ten or fewer free, or at most a fifth of the stock"}
    >
      {level === "out" ? "None free" : "Low"}
    </span>
  );
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

export function formatDateTime(iso: string): string {
  return dateFormat.format(new Date(iso));
}
