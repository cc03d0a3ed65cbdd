import { access } from "@/server/auth/roles";
import { finishWorkOrder } from "@/server/work-orders/finish-work-order";
import { route } from "../../../_lib/route";
import { workOrderIdParams } from "../../schemas";

// Idempotent like start: the repeat of a finish replays its first answer.
export const POST = route(
  { roles: access.shopFloor, params: workOrderIdParams, idempotent: true },
  async ({ principal, params }) => ({ body: await finishWorkOrder({ workOrderId: params.id, principal }) }),
);
