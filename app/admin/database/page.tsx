import type { Metadata } from "next";
import { DbHealthPanel } from "@/components/admin/db-health-panel";
import { GuardedPage } from "../../_lib/guarded-page";

export const metadata: Metadata = { title: "Database · Factory ERP" };

export default function DatabasePage() {
  return (
    <GuardedPage
      path="/admin/database"
      title="Database health"
      intro="How the tables that change all day are holding up: HOT updates, dead rows and vacuum, size, the WAL and the outbox."
    >
      {() => <DbHealthPanel />}
    </GuardedPage>
  );
}
