import type { Metadata } from "next";
import { NotAllowed } from "@/components/not-allowed";
import { PageShell } from "@/components/page-shell";
import { PurchaseOrdersPanel } from "@/components/purchase-orders-panel";
import { access, type Role } from "@/server/auth/roles";
import { requirePage } from "../../_lib/page-auth";

export const metadata: Metadata = { title: "Purchase orders · Factory ERP" };

export default async function PurchaseOrdersPage() {
  const { principal, allowed } = await requirePage("/purchasing/orders");
  if (!allowed) {
    return (
      <PageShell principal={principal}>
        <NotAllowed principal={principal} pageLabel="Purchase orders" />
      </PageShell>
    );
  }
  return (
    <PageShell principal={principal} current="/purchasing/orders">
      <div className="page-title">
        <h1>Purchase orders</h1>
        <p className="muted">Raise orders to suppliers and follow each one until the supplier has it.</p>
      </div>
      <PurchaseOrdersPanel canCreate={(access.placePurchaseOrders as readonly Role[]).includes(principal.role)} />
    </PageShell>
  );
}
