import { riskDashboardRoles } from "@/app/api/suppliers/schemas";
import type { Role } from "@/server/auth/roles";

/**
 * Who sees scores, factors, analyses and sources: the roles that GET
 * /api/suppliers/risk answers. The other roles that may open the page
 * (buyers) see levels only, from GET /api/suppliers. The API checks again on
 * every call.
 */
export function seesRiskDetail(role: Role): boolean {
  return (riskDashboardRoles as readonly Role[]).includes(role);
}
