import { access } from "@/server/auth/roles";
import { getPurchaseOrderOrThrow } from "@/server/purchasing/get-purchase-order-or-throw";
import { route } from "../../_lib/route";
import { purchaseOrderIdParams } from "../schemas";

export const GET = route({ roles: access.purchasing, params: purchaseOrderIdParams }, async ({ params }) => ({
  body: await getPurchaseOrderOrThrow({ id: params.id }),
}));
