import type { Metadata } from "next";
import { UsersPanel } from "@/components/admin/users-panel";
import { GuardedPage } from "../../_lib/guarded-page";

export const metadata: Metadata = { title: "Users · Factory ERP" };

export default function UsersPage() {
  return (
    <GuardedPage path="/admin/users" title="Users" intro="Roles, work-center groups and open sessions.">
      {(principal) => <UsersPanel selfId={principal.userId} />}
    </GuardedPage>
  );
}
