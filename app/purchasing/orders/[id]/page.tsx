import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { NotAllowed } from "@/components/not-allowed";
import { PageShell } from "@/components/page-shell";
import { PurchaseOrderDetail } from "@/components/purchase-order-detail";
import { access, type Role } from "@/server/auth/roles";
import { requirePage } from "../../../_lib/page-auth";

export const metadata: Metadata = { title: "Purchase order · Factory ERP" };

type Props = { params: Promise<{ id: string }> };

// Gated like the list: whoever may see the list may open an order from it.
export default async function PurchaseOrderPage({ params }: Props) {
  const { principal, allowed } = await requirePage("/purchasing/orders");
  if (!allowed) {
    return (
      <PageShell principal={principal}>
        <NotAllowed principal={principal} pageLabel="Purchase orders" />
      </PageShell>
    );
  }
  const { id } = await params;
  const valid = z.uuid().safeParse(id).success;
  return (
    <PageShell principal={principal} current="/purchasing/orders">
      {valid ? (
        <PurchaseOrderDetail
          id={id.toLowerCase()}
          canReceive={(access.placePurchaseOrders as readonly Role[]).includes(principal.role)}
        />
      ) : (
        <section className="card" role="alert">
          <p className="alert-title">“{id.slice(0, 80)}” is not a purchase order number.</p>
          <p>
            <Link href="/purchasing/orders">Back to purchase orders</Link>
          </p>
        </section>
      )}
    </PageShell>
  );
}
