import type { Metadata } from "next";
import { MachinesTable } from "@/components/machines-table";
import { NotAllowed } from "@/components/not-allowed";
import { PageShell } from "@/components/page-shell";
import { requirePage } from "../_lib/page-auth";

export const metadata: Metadata = { title: "Shop floor · Factory ERP" };

export default async function FloorPage() {
  const { principal, allowed } = await requirePage("/floor");
  if (!allowed) {
    return (
      <PageShell principal={principal}>
        <NotAllowed principal={principal} pageLabel="the shop floor" />
      </PageShell>
    );
  }
  return (
    <PageShell principal={principal} current="/floor">
      <div className="page-title">
        <h1>Shop floor</h1>
        <p className="muted">
          {principal.workCenterId === null
            ? "Machines of every work center."
            : `Machines of your work center (no. ${principal.workCenterId}).`}
        </p>
      </div>
      <section className="card" aria-label="Machines">
        <p className="notice">The live tablet view (breakdowns, work orders, pushes) comes later.</p>
        <MachinesTable />
      </section>
    </PageShell>
  );
}
