"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch, errorText } from "../api-client";
import { type Column, DataTable } from "../data-table";
import { formatDateTime } from "../quantities";
import { HotRatioChart, TableSizeChart } from "./db-health-charts";
import { type DbHealthAnswer, formatBytes, formatPercent, type TableHealthRow } from "./db-health-types";

const lastRun = (auto: string | null, manual: string | null) => {
  const latest = [auto, manual]
    .filter((d): d is string => d !== null)
    .sort()
    .at(-1);
  return latest ? formatDateTime(latest) : "never";
};

/** The hot tables' HOT ratio, dead rows, vacuum and size; the WAL; the outbox lag; with warnings. */
export function DbHealthPanel() {
  const health = useQuery({
    queryKey: ["admin", "db-health"],
    queryFn: () => apiFetch<DbHealthAnswer>("/api/admin/db-health"),
    refetchInterval: 10_000,
  });
  if (health.isPending) return <p className="loading">Reading the database's statistics…</p>;
  if (health.isError) return <p className="alert alert-error">Could not read them: {errorText(health.error)}</p>;
  const h = health.data;
  const t = h.thresholds;

  const columns: Column<TableHealthRow>[] = [
    { key: "table", header: "Table", cell: (r) => <code>{r.table}</code> },
    {
      key: "hot",
      header: "HOT ratio",
      numeric: true,
      cell: (r) => formatPercent(r.hotRatio),
      value: (r) => r.hotRatio ?? "",
    },
    { key: "updates", header: "Updates", numeric: true, cell: (r) => r.updates.toLocaleString("en-GB") },
    { key: "live", header: "Live rows", numeric: true, cell: (r) => r.liveTuples.toLocaleString("en-GB") },
    { key: "dead", header: "Dead rows", numeric: true, cell: (r) => r.deadTuples.toLocaleString("en-GB") },
    { key: "vacuum", header: "Last vacuum", cell: (r) => lastRun(r.lastAutovacuum, r.lastVacuum) },
    { key: "analyze", header: "Last analyze", cell: (r) => lastRun(r.lastAutoanalyze, r.lastAnalyze) },
    { key: "size", header: "Table", numeric: true, cell: (r) => formatBytes(r.tableBytes) },
    { key: "indexes", header: "Indexes", numeric: true, cell: (r) => formatBytes(r.indexBytes) },
    { key: "fillfactor", header: "Fillfactor", numeric: true, cell: (r) => r.fillfactor },
  ];

  return (
    <>
      <section className="card" aria-labelledby="db-warnings-title">
        <h2 id="db-warnings-title" className="visually-hidden">
          Warnings
        </h2>
        {h.warnings.length === 0 ? (
          <p className="alert alert-success" role="status">
            No warnings. Checked {formatDateTime(h.checkedAt)}.
          </p>
        ) : (
          <div className="alert alert-warning" role="alert">
            <p className="alert-title">
              {h.warnings.length} warning{h.warnings.length === 1 ? "" : "s"}
            </p>
            <ul className="warning-list">
              {h.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </div>
        )}
        <dl className="figures">
          <div>
            <dt>WAL on disk</dt>
            <dd data-figure="wal">
              {h.wal.sizeBytes === null ? <span className="muted">not permitted</span> : formatBytes(h.wal.sizeBytes)}
            </dd>
          </div>
          <div>
            <dt>max_wal_size</dt>
            <dd>{formatBytes(h.wal.maxWalSizeBytes)}</dd>
          </div>
          <div>
            <dt>Outbox waiting</dt>
            <dd data-figure="outbox-pending">{h.outbox.pending}</dd>
          </div>
          <div>
            <dt>Outbox lag</dt>
            <dd
              data-figure="outbox-lag"
              className={h.outbox.oldestPendingSeconds > t.maxOutboxLagSeconds ? "figure-bad" : undefined}
            >
              {Math.round(h.outbox.oldestPendingSeconds)} s
            </dd>
          </div>
          <div>
            <dt>Dead letters</dt>
            <dd className={h.outbox.deadLettered > 0 ? "figure-bad" : undefined}>{h.outbox.deadLettered}</dd>
          </div>
        </dl>
        {h.wal.sizeBytes === null ? (
          <p className="muted">
            The database user may not list pg_wal (pg_ls_waldir needs pg_monitor). WAL written since the cluster began:{" "}
            {h.wal.writtenSinceInitBytes === null ? "unknown" : formatBytes(h.wal.writtenSinceInitBytes)} (position{" "}
            {h.wal.currentLsn ?? "unknown"}).
          </p>
        ) : null}
      </section>
      <section className="card" aria-labelledby="db-tables-title">
        <div className="card-header">
          <h2 id="db-tables-title">Hot tables</h2>
          <p className="muted">
            Counters since {h.statsSince ? formatDateTime(h.statsSince) : "the server started"}. Refreshed every 10 s.
          </p>
        </div>
        <div className="chart-row">
          <HotRatioChart tables={h.tables} thresholds={t} />
          <TableSizeChart tables={h.tables} />
        </div>
        <DataTable
          caption="Hot tables"
          hideCaption
          columns={columns}
          rows={h.tables}
          rowKey={(r) => r.table}
          rowLabel={(r) => r.table}
          rowClassName={(r) => (r.warnings.length > 0 ? "row-low" : undefined)}
        />
        <details className="thresholds">
          <summary>When does this page warn?</summary>
          <ul>
            <li>
              HOT ratio under {formatPercent(t.minHotRatio)} over at least {t.minUpdatesForHotRatio} updates: updates
              are writing index entries (an index on a changing column, or full pages).
            </li>
            <li>
              Dead rows above {formatPercent(t.maxDeadTupleRatio)} of the live ones and at least {t.minDeadTuples}:
              autovacuum is not keeping up.
            </li>
            <li>The oldest undelivered outbox message older than {t.maxOutboxLagSeconds} s.</li>
            <li>WAL on disk above max_wal_size: checkpoints are behind.</li>
          </ul>
        </details>
      </section>
    </>
  );
}
