import { access } from "@/server/auth/roles";
import { createPurchaseOrder } from "@/server/purchasing/create-purchase-order";
import { listPurchaseOrders } from "@/server/purchasing/list-purchase-orders";
import { route } from "../_lib/route";
import { createPurchaseOrderBody, listPurchaseOrdersQuery } from "./schemas";

export const GET = route({ roles: access.purchasing, query: listPurchaseOrdersQuery }, async ({ query }) => ({
  body: { purchaseOrders: await listPurchaseOrders(query) },
}));

export const POST = route(
  { roles: access.placePurchaseOrders, body: createPurchaseOrderBody, idempotent: true },
  async ({ principal, body, idempotencyKey, requestHash }) => {
    // The wrapper refuses an idempotent POST without a key before this runs.
    if (!idempotencyKey) throw new Error("idempotent route called without an Idempotency-Key");
    const { purchaseOrder, replayed } = await createPurchaseOrder({
      ...body,
      actorId: principal.userId,
      idempotencyKey,
      requestHash,
    });
    return {
      status: 201,
      body: purchaseOrder,
      headers: replayed ? { "Idempotent-Replayed": "true" } : undefined,
    };
  },
);
