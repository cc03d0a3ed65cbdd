import { listAuditEntries } from "@/server/audit/list-audit-entries";
import { route } from "../../_lib/route";
import { auditQuery } from "../schemas";

export const GET = route({ roles: ["admin"], query: auditQuery }, async ({ query }) => ({
  body: await listAuditEntries(query),
}));
