import { getRiskHistory } from "@/server/risk/supplier-risk-views";
import { route } from "../../../../_lib/route";
import { riskDashboardRoles, riskHistoryQuery, supplierIdParams } from "../../../schemas";

export const GET = route(
  { roles: riskDashboardRoles, params: supplierIdParams, query: riskHistoryQuery },
  async ({ params, query }) => ({
    body: { assessments: await getRiskHistory({ supplierId: params.id, days: query.days }) },
  }),
);
