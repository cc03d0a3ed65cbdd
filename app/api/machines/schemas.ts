import { z } from "zod";
import { reportableEventTypes } from "@/server/machines/next-machine-status";

const maxInt = 2_147_483_647;

export const machineIdParams = z.object({
  id: z.coerce.number().int("machine id must be a whole number").positive("machine id must be positive").max(maxInt),
});

export const reportMachineEventBody = z.strictObject({
  type: z.enum(reportableEventTypes, { message: `type must be one of ${reportableEventTypes.join(", ")}` }),
  note: z.string().trim().max(500, "note is at most 500 characters").optional(),
});
