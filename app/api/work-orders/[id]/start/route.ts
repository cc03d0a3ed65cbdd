import { access } from "@/server/auth/roles";
import { startWorkOrder } from "@/server/work-orders/start-work-order";
import { route } from "../../../_lib/route";
import { workOrderIdParams } from "../../schemas";

// Idempotent: a tablet that lost the answer sends the same key again and
// gets the first answer, not a 409 for an order it started itself.
export const POST = route(
  { roles: access.shopFloor, params: workOrderIdParams, idempotent: true },
  async ({ principal, params }) => ({ body: await startWorkOrder({ workOrderId: params.id, principal }) }),
);
