import { revokeApiToken } from "@/server/auth/revoke-api-token";
import { route } from "../../../../_lib/route";
import { tokenIdParams } from "../../../schemas";

// Stops the token at once: the next HTTP request with it gets 401, and the
// realtime process closes its sockets.
export const POST = route({ roles: ["admin"], params: tokenIdParams }, async ({ params, principal }) => ({
  body: { token: await revokeApiToken({ id: params.id, actorId: principal.userId }) },
}));
