// GET /api/admin/db-health, as the database page reads it (server/db-health/get-db-health.ts).
import type { DbHealth } from "@/server/db-health/get-db-health";
import type { TableHealth } from "@/server/db-health/table-health";

export type TableHealthRow = TableHealth;
export type DbHealthAnswer = DbHealth;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export const formatPercent = (ratio: number | null) => (ratio === null ? "—" : `${(ratio * 100).toFixed(1)} %`);
