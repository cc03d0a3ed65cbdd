import { getOutboxStats } from "@/server/outbox/outbox-stats";
import { route } from "../../_lib/route";

export const GET = route({ roles: ["admin"] }, async () => ({ body: await getOutboxStats() }));
