import { access } from "@/server/auth/roles";
import { getPlan } from "@/server/planning/get-plan";
import { route } from "../_lib/route";

// Operators get their own work center's machines and the changes touching them.
export const GET = route({ roles: access.planRead }, async ({ principal }) => ({
  body: await getPlan({ principal }),
}));
