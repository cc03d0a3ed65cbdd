import { access } from "@/server/auth/roles";
import { listMachines } from "@/server/machines/list-machines";
import { route } from "../_lib/route";

export const GET = route({ roles: access.anyone }, async ({ principal }) => ({
  body: { machines: await listMachines({ principal }) },
}));
