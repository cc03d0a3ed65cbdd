import type { Metadata } from "next";
import { NotAllowed } from "@/components/not-allowed";
import { OutboxPanel } from "@/components/outbox-panel";
import { PageShell } from "@/components/page-shell";
import { requirePage } from "../../_lib/page-auth";

export const metadata: Metadata = { title: "Outbox · Factory ERP" };

export default async function OutboxPage() {
  const { principal, allowed } = await requirePage("/admin/outbox");
  if (!allowed) {
    return (
      <PageShell principal={principal}>
        <NotAllowed principal={principal} pageLabel="Outbox" />
      </PageShell>
    );
  }
  return (
    <PageShell principal={principal} current="/admin/outbox">
      <div className="page-title">
        <h1>Outbox</h1>
        <p className="muted">
          Messages waiting to reach suppliers and the shop floor, how far behind delivery is, and the dead letters that
          need a decision.
        </p>
      </div>
      <OutboxPanel />
    </PageShell>
  );
}
