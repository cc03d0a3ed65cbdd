import { endUserSessions } from "@/server/auth/end-user-sessions";
import { route } from "../../../../_lib/route";
import { userIdParams } from "../../../schemas";

// An admin logs someone out everywhere (a lost laptop, a person who left).
export const POST = route({ roles: ["admin"], params: userIdParams }, async ({ params, principal }) => ({
  body: await endUserSessions({ userId: params.id, actorId: principal.userId }),
}));
