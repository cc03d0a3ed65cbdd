import { z } from "zod";
import { access } from "@/server/auth/roles";
import { listItems } from "@/server/inventory/list-items";
import { route } from "../../_lib/route";

const query = z.object({
  q: z.string().max(100, "q is at most 100 characters").optional(),
  // At most 500 rows per call; a larger limit is served as 500.
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(100)
    .transform((n) => Math.min(n, 500)),
});

export const GET = route({ roles: access.inventoryRead, query }, async ({ query }) => ({
  body: { items: await listItems(query) },
}));
