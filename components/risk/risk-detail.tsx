"use client";

import { useId } from "react";
import { errorText } from "../api-client";
import { formatDateTime } from "../quantities";
import { ReassessButton } from "./reassess-button";
import { RiskFactorsChart } from "./risk-factors-chart";
import { RiskFactorsTable } from "./risk-factors-table";
import {
  compareWithBaseline,
  describeSource,
  describeTrigger,
  factorBars,
  formatLatency,
  formatScore,
  levelLabel,
  trendSeries,
} from "./risk-format";
import { RiskLevelBadge } from "./risk-level-badge";
import { useRiskHistory } from "./risk-queries";
import { RiskTrendChart } from "./risk-trend-chart";
import type { SupplierRisk } from "./risk-types";

export const historyDayChoices = [7, 30, 90] as const;

type Props = {
  supplier: SupplierRisk;
  days: number;
  onDaysChange: (days: number) => void;
  pending: boolean;
  onReassess: () => void;
};

/** One supplier's latest assessment: score, trend, factors, analysis, and who produced it how fast. */
export function RiskDetail({ supplier, days, onDaysChange, pending, onReassess }: Props) {
  const headingId = useId();
  const assessed = supplier.assessedAt !== null;
  return (
    <section className="card risk-detail" aria-labelledby={headingId} data-supplier-id={supplier.id}>
      <div className="card-header">
        <div className="risk-detail-title">
          <h2 id={headingId}>{supplier.name}</h2>
          <p className="risk-headline">
            <RiskLevelBadge level={supplier.level} />
            {assessed ? (
              <span className="risk-headline-score" data-figure="score">
                <strong>{formatScore(supplier.score)}</strong>
                <span className="muted"> / 100</span>
              </span>
            ) : null}
          </p>
        </div>
        <ReassessButton supplierName={supplier.name} pending={pending} onClick={onReassess} />
      </div>
      {assessed ? (
        <AssessmentBody supplier={supplier} days={days} onDaysChange={onDaysChange} />
      ) : (
        <p className="risk-empty">
          {supplier.name} has not been assessed yet. <strong>Reassess now</strong> gets its first assessment in a few
          seconds.
        </p>
      )}
    </section>
  );
}

function AssessmentBody({ supplier, days, onDaysChange }: Pick<Props, "supplier" | "days" | "onDaysChange">) {
  const source = describeSource(supplier.source, supplier.model);
  const versusBaseline = compareWithBaseline(supplier.score, supplier.baseline?.score);
  const bars = factorBars(supplier.factors);
  const trigger = describeTrigger(supplier.trigger);
  return (
    <>
      <dl className="risk-meta">
        <div>
          <dt>Source</dt>
          <dd data-figure="source" className={source.builtIn ? "risk-source-builtin" : undefined}>
            {source.label}
          </dd>
        </div>
        <div>
          <dt>Took</dt>
          <dd data-figure="latency">{formatLatency(supplier.latencyMs)}</dd>
        </div>
        <div>
          <dt>Assessed</dt>
          <dd data-figure="assessed-at" data-value={supplier.assessedAt ?? undefined}>
            {supplier.assessedAt ? formatDateTime(supplier.assessedAt) : "—"}
            {trigger ? <span className="muted risk-meta-note">{trigger}</span> : null}
          </dd>
        </div>
        <div>
          <dt>Built-in model</dt>
          <dd data-figure="baseline">
            {supplier.baseline?.score != null
              ? `${formatScore(supplier.baseline.score)} (${levelLabel(supplier.baseline.level).toLowerCase()})`
              : "—"}
            {versusBaseline && !source.builtIn ? <span className="muted risk-meta-note">{versusBaseline}</span> : null}
          </dd>
        </div>
      </dl>

      <div className="risk-analysis">
        <h3>Analysis</h3>
        <p data-figure="analysis">{supplier.analysis?.trim() || "No written analysis came with this assessment."}</p>
      </div>

      <div className="risk-charts">
        <div className="risk-chart-panel">
          <div className="risk-chart-heading">
            <h3>Trend</h3>
            <label className="risk-days">
              <span className="visually-hidden">Period</span>
              <select value={days} onChange={(e) => onDaysChange(Number(e.target.value))}>
                {historyDayChoices.map((d) => (
                  <option key={d} value={d}>
                    Last {d} days
                  </option>
                ))}
              </select>
            </label>
          </div>
          <RiskTrend supplier={supplier} days={days} />
        </div>
        <div className="risk-chart-panel">
          <h3>What drives the score</h3>
          <p className="muted risk-chart-note">Points per factor in the built-in model's score.</p>
          {bars.length > 0 ? (
            <>
              {bars.every((b) => b.contribution === 0) ? (
                <p className="risk-chart-note" data-figure="no-points">
                  No factor adds points: nothing in the order history counts against this supplier.
                </p>
              ) : null}
              <RiskFactorsChart bars={bars} supplierName={supplier.name} />
              <RiskFactorsTable factors={supplier.factors ?? []} supplierName={supplier.name} />
            </>
          ) : (
            <p className="muted">No factors recorded with this assessment.</p>
          )}
        </div>
      </div>
    </>
  );
}

function RiskTrend({ supplier, days }: { supplier: SupplierRisk; days: number }) {
  const history = useRiskHistory(supplier.id, days);
  if (history.isPending) return <p className="loading">Loading the trend…</p>;
  if (history.isError && !history.data) {
    return <p className="alert alert-error">Could not load the trend: {errorText(history.error)}</p>;
  }
  const points = trendSeries(history.data);
  if (points.length === 0) return <p className="muted">No assessments in the last {days} days.</p>;
  return (
    <>
      <RiskTrendChart points={points} supplierName={supplier.name} days={days} />
      {points.length === 1 ? (
        <p className="muted risk-chart-note">One assessment so far: the trend starts here.</p>
      ) : null}
    </>
  );
}
