import { access } from "@/server/auth/roles";
import { requestSupplierRisk } from "@/server/risk/request-supplier-risk";
import { getSupplierRisk } from "@/server/risk/supplier-risk-views";
import { route } from "../../../_lib/route";
import { riskDashboardRoles, supplierIdParams } from "../../schemas";

const fullDetail: readonly string[] = riskDashboardRoles;

// Managers and admins get the whole assessment; buyers its headline (score,
// level, source, time), without the factors and the written analysis.
export const GET = route({ roles: access.purchasing, params: supplierIdParams }, async ({ params, principal }) => ({
  body: await getSupplierRisk({
    supplierId: params.id,
    detail: fullDetail.includes(principal.role) ? "full" : "headline",
  }),
}));

// 202 at once: the worker makes the assessment within a few seconds and it
// arrives as a `supplier.risk` push and in the GET. No Idempotency-Key: a
// repeat while one is waiting joins it instead of asking again.
export const POST = route({ roles: access.purchasing, params: supplierIdParams }, async ({ params, principal }) => ({
  status: 202,
  body: await requestSupplierRisk({ supplierId: params.id, principal }),
}));
