import type { Metadata } from "next";
import { InventoryPanel } from "@/components/inventory-panel";
import { NotAllowed } from "@/components/not-allowed";
import { PageShell } from "@/components/page-shell";
import { ReservationsPanel } from "@/components/reservations-panel";
import { requirePage } from "../_lib/page-auth";

export const metadata: Metadata = { title: "Purchasing · Factory ERP" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function PurchasingPage({ searchParams }: Props) {
  const { principal, allowed } = await requirePage("/purchasing");
  if (!allowed) {
    return (
      <PageShell principal={principal}>
        <NotAllowed principal={principal} pageLabel="Purchasing" />
      </PageShell>
    );
  }
  const { q } = await searchParams;
  return (
    <PageShell principal={principal} current="/purchasing">
      <div className="page-title">
        <h1>Purchasing</h1>
        <p className="muted">Look up stock and reserve material for customer and production orders.</p>
      </div>
      <InventoryPanel initialQuery={typeof q === "string" ? q.slice(0, 100) : ""} />
      <ReservationsPanel />
    </PageShell>
  );
}
