import type { Metadata } from "next";
import { MachinesTable } from "@/components/machines-table";
import { NotAllowed } from "@/components/not-allowed";
import { PageShell } from "@/components/page-shell";
import { requirePage } from "../_lib/page-auth";

export const metadata: Metadata = { title: "Planning · Factory ERP" };

export default async function PlanningPage() {
  const { principal, allowed } = await requirePage("/planning");
  if (!allowed) {
    return (
      <PageShell principal={principal}>
        <NotAllowed principal={principal} pageLabel="Planning" />
      </PageShell>
    );
  }
  return (
    <PageShell principal={principal} current="/planning">
      <div className="page-title">
        <h1>Planning</h1>
        <p className="muted">Machines and their state across the plant.</p>
      </div>
      <section className="card" aria-label="Machines">
        <p className="notice">The live production plan, re-routed when a machine stops, comes later.</p>
        <MachinesTable />
      </section>
    </PageShell>
  );
}
