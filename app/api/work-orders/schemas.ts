import { z } from "zod";
import { workOrderStatusFilters } from "@/server/work-orders/list-work-orders";

const maxInt = 2_147_483_647;
const id = (what: string) =>
  z.coerce.number().int(`${what} must be a whole number`).positive(`${what} must be positive`).max(maxInt);

export const workOrderIdParams = z.object({ id: id("work order id") });

export const listWorkOrdersQuery = z.object({
  machineId: id("machineId").optional(),
  workCenterId: id("workCenterId").optional(),
  status: z.enum(workOrderStatusFilters).default("open"),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});
