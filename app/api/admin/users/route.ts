import { listUsers } from "@/server/auth/list-users";
import { route } from "../../_lib/route";

export const GET = route({ roles: ["admin"] }, async () => ({ body: await listUsers() }));
