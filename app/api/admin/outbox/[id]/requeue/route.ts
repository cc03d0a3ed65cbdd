import { z } from "zod";
import { requeueDeadLetter } from "@/server/outbox/requeue-dead-letter";
import { route } from "../../../../_lib/route";

const params = z.object({ id: z.string().regex(/^\d{1,18}$/, "outbox message id must be a number") });

export const POST = route({ roles: ["admin"], params }, async ({ params, principal }) => ({
  body: await requeueDeadLetter({ id: params.id, actorId: principal.userId }),
}));
