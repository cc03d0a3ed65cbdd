import type { Metadata } from "next";
import { AuditPanel } from "@/components/admin/audit-panel";
import { GuardedPage } from "../../_lib/guarded-page";

export const metadata: Metadata = { title: "Audit log · Factory ERP" };

export default function AuditPage() {
  return (
    <GuardedPage
      path="/admin/audit"
      title="Audit log"
      intro="Logins, logouts, role and token changes, reservations, purchase orders and machine events: who, what and when."
    >
      {() => <AuditPanel />}
    </GuardedPage>
  );
}
