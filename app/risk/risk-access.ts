import type { Role } from "@/server/auth/roles";

/**
 * Who sees scores, factors, analyses and sources, as GET /api/suppliers/risk
 * answers them; the other roles that may open the page (buyers) see levels
 * only, from GET /api/suppliers. The API checks again on every call.
 */
const detailRoles: readonly Role[] = ["manager", "admin"];

export function seesRiskDetail(role: Role): boolean {
  return detailRoles.includes(role);
}
