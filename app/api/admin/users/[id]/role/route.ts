import { changeUserRole } from "@/server/auth/change-user-role";
import { route } from "../../../../_lib/route";
import { changeRoleBody, userIdParams } from "../../../schemas";

export const POST = route(
  { roles: ["admin"], params: userIdParams, body: changeRoleBody, maxBodyBytes: 1024 },
  async ({ params, body, principal }) => ({
    body: await changeUserRole({
      userId: params.id,
      role: body.role,
      workCenterId: body.workCenterId,
      actorId: principal.userId,
    }),
  }),
);
