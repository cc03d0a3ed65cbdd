import type { Metadata } from "next";
import { NotAllowed } from "@/components/not-allowed";
import { PageShell } from "@/components/page-shell";
import styles from "@/components/planning/planning.module.css";
import { PlanningBoard } from "@/components/planning/planning-board";
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
    <PageShell principal={principal} current="/planning" className={styles.widePage}>
      <div className="page-title">
        <h1>Planning</h1>
        <p className="muted">
          The production plan per machine, re-routed live when a machine stops: what moved, where, and why.
        </p>
      </div>
      <PlanningBoard />
    </PageShell>
  );
}
