import { getDbHealth } from "@/server/db-health/get-db-health";
import { route } from "../../_lib/route";

export const GET = route({ roles: ["admin"] }, async () => ({ body: await getDbHealth() }));
