import { access } from "@/server/auth/roles";
import { listWorkOrders } from "@/server/work-orders/list-work-orders";
import { route } from "../_lib/route";
import { listWorkOrdersQuery } from "./schemas";

// Operators get their own work center's orders whatever they filter on.
export const GET = route({ roles: access.planRead, query: listWorkOrdersQuery }, async ({ principal, query }) => ({
  body: { workOrders: await listWorkOrders({ principal, ...query }) },
}));
