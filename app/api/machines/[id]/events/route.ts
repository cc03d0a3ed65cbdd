import { z } from "zod";
import { access } from "@/server/auth/roles";
import { listMachineEvents } from "@/server/machines/list-machine-events";
import { reportMachineEvent } from "@/server/machines/report-machine-event";
import { route } from "../../../_lib/route";
import { machineIdParams, reportMachineEventBody } from "../../schemas";

// The machine's log, newest first (operators: their own group's machines only).
export const GET = route(
  {
    roles: access.planRead,
    params: machineIdParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
  },
  async ({ principal, params, query }) => ({
    body: { events: await listMachineEvents({ machineId: params.id, principal, limit: query.limit }) },
  }),
);

// 202: the report is recorded and the machine's status changed; the
// re-routed plan follows as a push once the planner has run.
export const POST = route(
  { roles: access.shopFloor, params: machineIdParams, body: reportMachineEventBody, idempotent: true },
  async ({ principal, params, body, idempotencyKey, requestHash }) => {
    const { receipt, replayed } = await reportMachineEvent({
      machineId: params.id,
      type: body.type,
      note: body.note,
      principal,
      idempotencyKey,
      requestHash,
    });
    return { status: 202, body: receipt, headers: replayed ? { "Idempotent-Replayed": "true" } : undefined };
  },
);
