import type { Metadata } from "next";
import { AccountPanel } from "@/components/account-panel";
import { GuardedPage } from "../_lib/guarded-page";

export const metadata: Metadata = { title: "Your account · Factory ERP" };

export default function AccountPage() {
  return (
    <GuardedPage path="/account" title="Your account" intro="Your sessions, and logging out of all of them.">
      {(principal) => (
        <>
          <p className="muted">
            Logged in as <strong>{principal.username}</strong> ({principal.role}
            {principal.workCenterId !== null ? `, work center no. ${principal.workCenterId}` : ""}).
          </p>
          <AccountPanel />
        </>
      )}
    </GuardedPage>
  );
}
