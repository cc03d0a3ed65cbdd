import { listSupplierRisk } from "@/server/risk/supplier-risk-views";
import { route } from "../../_lib/route";
import { riskDashboardRoles } from "../schemas";

export const GET = route({ roles: riskDashboardRoles }, async () => ({
  body: { suppliers: await listSupplierRisk() },
}));
