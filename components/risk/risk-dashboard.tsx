"use client";

import { useState } from "react";
import { errorText } from "../api-client";
import { type Column, DataTable } from "../data-table";
import { formatDateTime } from "../quantities";
import { LiveStatus } from "./live-status";
import { ReassessButton } from "./reassess-button";
import { RiskDetail } from "./risk-detail";
import { countByLevel, describeSource, formatLatency, formatScore, sortByRisk } from "./risk-format";
import { RiskLevelBadge, RiskScore } from "./risk-level-badge";
import { offlinePollMs, useSupplierRisks } from "./risk-queries";
import type { SupplierRisk } from "./risk-types";
import { useNotifiedReassessment } from "./use-notified-reassessment";
import { useRiskLive } from "./use-risk-live";

/**
 * The managers' risk dashboard: every supplier with its latest score, level,
 * source and timing; the chosen supplier's trend, factors and analysis below.
 */
export function RiskDashboard() {
  const live = useRiskLive();
  const risks = useSupplierRisks({ pollMs: live.state === "live" ? false : offlinePollMs });
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [days, setDays] = useState(30);

  const reassessment = useNotifiedReassessment(live, "score");

  if (risks.isPending) return <p className="loading">Loading the suppliers' risk…</p>;
  if (risks.isError && !risks.data) {
    return (
      <p className="alert alert-error" role="alert">
        Could not load the suppliers' risk: {errorText(risks.error)}
      </p>
    );
  }

  const suppliers = sortByRisk(risks.data);
  const selected = suppliers.find((s) => s.id === selectedId) ?? suppliers[0];
  const reassess = (s: SupplierRisk) => void reassessment.request({ id: s.id, name: s.name });

  const columns: Column<SupplierRisk>[] = [
    {
      key: "supplier",
      header: "Supplier",
      cell: (s) => (
        <button
          type="button"
          className="link-button"
          aria-pressed={s.id === selected?.id}
          onClick={() => setSelectedId(s.id)}
        >
          {s.name}
        </button>
      ),
    },
    { key: "level", header: "Level", value: (s) => s.level ?? "", cell: (s) => <RiskLevelBadge level={s.level} /> },
    {
      key: "score",
      header: "Score",
      numeric: true,
      value: (s) => s.score ?? "",
      cell: (s) => <RiskScore score={s.score} level={s.level} />,
    },
    {
      key: "baseline",
      header: "Built-in model",
      numeric: true,
      value: (s) => s.baseline?.score ?? "",
      cell: (s) => formatScore(s.baseline?.score),
    },
    { key: "source", header: "Source", cell: (s) => describeSource(s.source, s.model).label },
    { key: "latency", header: "Took", numeric: true, cell: (s) => formatLatency(s.latencyMs) },
    {
      key: "assessed",
      header: "Assessed",
      value: (s) => s.assessedAt ?? "",
      cell: (s) => (s.assessedAt ? formatDateTime(s.assessedAt) : <span className="muted">never</span>),
    },
    {
      key: "action",
      header: <span className="visually-hidden">Action</span>,
      cell: (s) => (
        <ReassessButton
          small
          supplierName={s.name}
          pending={reassessment.pendingIds.has(s.id)}
          onClick={() => reassess(s)}
        />
      ),
    },
  ];

  return (
    <>
      <section className="card" aria-labelledby="risk-overview-title">
        <div className="card-header">
          <div>
            <h2 id="risk-overview-title">Suppliers by risk</h2>
            <LiveStatus state={live.state} />
          </div>
          <dl className="risk-counts" aria-label="Suppliers per level">
            {countByLevel(suppliers).map(({ level, count }) => (
              <div key={level ?? "none"}>
                <dt>
                  <RiskLevelBadge level={level} />
                </dt>
                <dd>{count}</dd>
              </div>
            ))}
          </dl>
        </div>
        {risks.isError ? (
          <p className="alert alert-warning">Could not refresh: {errorText(risks.error)}. Showing what was loaded.</p>
        ) : null}
        <DataTable
          caption="Suppliers by risk, most worrying first"
          hideCaption
          columns={columns}
          rows={suppliers}
          rowKey={(s) => s.id}
          rowLabel={(s) => s.name}
          rowClassName={(s) =>
            [s.id === selected?.id ? "row-selected" : "", live.justUpdated.has(s.id) ? "row-just-updated" : ""]
              .join(" ")
              .trim() || undefined
          }
          empty="No suppliers yet."
        />
      </section>
      {selected ? (
        <RiskDetail
          key={selected.id}
          supplier={selected}
          days={days}
          onDaysChange={setDays}
          pending={reassessment.pendingIds.has(selected.id)}
          onReassess={() => reassess(selected)}
        />
      ) : null}
    </>
  );
}
