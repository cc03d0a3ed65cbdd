import type { Metadata } from "next";
import { TokensPanel } from "@/components/admin/tokens-panel";
import { GuardedPage } from "../../_lib/guarded-page";

export const metadata: Metadata = { title: "Tokens · Factory ERP" };

export default function TokensPage() {
  return (
    <GuardedPage
      path="/admin/tokens"
      title="API tokens"
      intro="Bearer tokens for shop-floor tablets and integrations: who each acts for, in which role and work center, and whether it may only read."
    >
      {(principal) => <TokensPanel selfId={principal.userId} />}
    </GuardedPage>
  );
}
