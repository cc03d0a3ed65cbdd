"use client";

import { errorText } from "../api-client";
import { type Column, DataTable } from "../data-table";
import type { SupplierView } from "../purchase-order-queries";
import { LiveStatus } from "./live-status";
import { ReassessButton } from "./reassess-button";
import { sortByRisk } from "./risk-format";
import { RiskLevelBadge } from "./risk-level-badge";
import { offlinePollMs, useSupplierLevels } from "./risk-queries";
import { useNotifiedReassessment } from "./use-notified-reassessment";
import { useRiskLive } from "./use-risk-live";

/**
 * The buyers' view of supplier risk: each supplier's level, which is what
 * they choose suppliers by, and the button to ask for a fresh assessment.
 * Scores, factors and the written analysis are for managers; this view
 * reads only GET /api/suppliers, which is all a buyer needs.
 */
export function RiskLevelsView() {
  const live = useRiskLive();
  const suppliers = useSupplierLevels({ pollMs: live.state === "live" ? false : offlinePollMs });

  const reassessment = useNotifiedReassessment(live, "level");

  if (suppliers.isPending) return <p className="loading">Loading the suppliers…</p>;
  if (suppliers.isError && !suppliers.data) {
    return (
      <p className="alert alert-error" role="alert">
        Could not load the suppliers: {errorText(suppliers.error)}
      </p>
    );
  }

  const rows = sortByRisk(suppliers.data.map((s) => ({ ...s, level: s.riskLevel, score: null })));
  const columns: Column<(typeof rows)[number]>[] = [
    { key: "supplier", header: "Supplier", cell: (s) => s.name },
    { key: "code", header: "Code", cell: (s) => <code>{s.code}</code> },
    { key: "country", header: "Country", cell: (s) => s.country ?? "—" },
    {
      key: "level",
      header: "Risk level",
      value: (s) => s.level ?? "",
      cell: (s) => <RiskLevelBadge level={s.level} />,
    },
    {
      key: "action",
      header: <span className="visually-hidden">Action</span>,
      cell: (s) => (
        <ReassessButton
          small
          supplierName={s.name}
          pending={reassessment.pendingIds.has(s.id)}
          onClick={() => void reassessment.request({ id: s.id, name: s.name })}
        />
      ),
    },
  ];

  return (
    <section className="card" aria-labelledby="risk-levels-title">
      <div className="card-header">
        <div>
          <h2 id="risk-levels-title">Supplier risk levels</h2>
          <LiveStatus state={live.state} />
        </div>
      </div>
      <p className="notice">
        Levels only: scores, the factors behind them and the written analyses are on the managers' dashboard.
      </p>
      <DataTable
        caption="Supplier risk levels, most worrying first"
        hideCaption
        columns={columns}
        rows={rows}
        rowKey={(s: SupplierView) => s.id}
        rowLabel={(s) => s.name}
        rowClassName={(s) => (live.justUpdated.has(s.id) ? "row-just-updated" : undefined)}
        empty="No suppliers yet."
      />
    </section>
  );
}
