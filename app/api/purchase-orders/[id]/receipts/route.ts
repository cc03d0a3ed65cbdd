import { access } from "@/server/auth/roles";
import { receiveGoods } from "@/server/purchasing/receive-goods";
import { route } from "../../../_lib/route";
import { purchaseOrderIdParams, receiveGoodsBody } from "../../schemas";

// Idempotent: a receipt retried after a lost answer must not book the goods twice.
export const POST = route(
  { roles: access.placePurchaseOrders, params: purchaseOrderIdParams, body: receiveGoodsBody, idempotent: true },
  async ({ params, principal, body, idempotencyKey, requestHash }) => ({
    body: await receiveGoods({
      purchaseOrderId: params.id,
      lines: body.lines,
      actorId: principal.userId,
      idempotencyKey,
      requestHash,
    }),
  }),
);
