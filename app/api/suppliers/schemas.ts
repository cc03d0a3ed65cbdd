import { z } from "zod";
import type { Role } from "@/server/auth/roles";

export const supplierIdParams = z.object({
  id: z.coerce
    .number({ message: "supplier id must be a number" })
    .int("supplier id must be a whole number")
    .positive("supplier id must be a positive id")
    .max(2_147_483_647),
});

export const riskHistoryQuery = z.object({
  days: z.coerce
    .number({ message: "days must be a number" })
    .int("days must be a whole number")
    .min(1, "days is at least 1")
    .max(365, "days is at most 365")
    .default(30),
});

/** The risk dashboard: scores, factors and analyses of every supplier. Buyers see levels only. */
export const riskDashboardRoles = ["manager", "admin"] as const satisfies readonly Role[];
