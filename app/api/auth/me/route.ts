import { access } from "@/server/auth/roles";
import { route } from "../../_lib/route";

export const GET = route({ roles: access.anyone }, async ({ principal }) => ({
  body: {
    user: {
      id: principal.userId,
      username: principal.username,
      displayName: principal.displayName,
      role: principal.role,
      workCenterId: principal.workCenterId,
    },
  },
}));
