import { checkHealth } from "@/server/health/check-health";
import { route } from "../_lib/route";

// Public on purpose: load balancers and the launcher probe it. It says only
// whether each dependency answers, nothing about the data.
export const GET = route({ roles: "public" }, async () => {
  const health = await checkHealth();
  return { status: health.status === "ok" ? 200 : 503, body: health };
});
