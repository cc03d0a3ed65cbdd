import type { Metadata } from "next";
import { NotAllowed } from "@/components/not-allowed";
import { PageShell } from "@/components/page-shell";
import { RiskDashboard } from "@/components/risk/risk-dashboard";
import { RiskLevelsView } from "@/components/risk/risk-levels-view";
import { requirePage } from "../_lib/page-auth";
import { seesRiskDetail } from "./risk-access";
import "@/components/risk/risk.css";

export const metadata: Metadata = { title: "Supplier risk · Factory ERP" };

export default async function RiskPage() {
  const { principal, allowed } = await requirePage("/risk");
  if (!allowed) {
    return (
      <PageShell principal={principal}>
        <NotAllowed principal={principal} pageLabel="Supplier risk" />
      </PageShell>
    );
  }
  const detail = seesRiskDetail(principal.role);
  return (
    <PageShell principal={principal} current="/risk">
      <div className="page-title">
        <h1>Supplier risk</h1>
        <p className="muted">
          {detail
            ? "Each supplier's risk score and level, the trend, the factors behind it and who assessed it. New assessments appear as they are made."
            : "Each supplier's current risk level. Ask for a fresh assessment before a big order."}
        </p>
      </div>
      {detail ? <RiskDashboard /> : <RiskLevelsView />}
    </PageShell>
  );
}
