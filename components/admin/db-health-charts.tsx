"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { type DbHealthAnswer, formatBytes } from "./db-health-types";

type Props = Pick<DbHealthAnswer, "tables" | "thresholds">;

/** HOT-update share per table against the goal line: a bar below it is the table to look at. */
export function HotRatioChart({ tables, thresholds }: Props) {
  // Tables without an update since the counters started have no ratio to show.
  const data = tables
    .filter((t) => t.hotRatio !== null)
    .map((t) => ({
      table: t.table,
      hot: t.hotRatio === null ? 0 : Math.round(t.hotRatio * 1000) / 10,
      low: t.hotRatio !== null && t.updates >= thresholds.minUpdatesForHotRatio && t.hotRatio < thresholds.minHotRatio,
      updates: t.updates,
    }));
  if (data.length === 0) {
    return (
      <figure className="chart" aria-label="Share of HOT updates per table, in per cent">
        <figcaption className="chart-title">HOT updates, % of all updates</figcaption>
        <p className="muted">No table has been updated since the counters started.</p>
      </figure>
    );
  }
  return (
    <figure className="chart" aria-label="Share of HOT updates per table, in per cent">
      <figcaption className="chart-title">HOT updates, % of all updates</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" domain={[0, 100]} unit=" %" tick={{ fontSize: 12 }} />
          <YAxis type="category" dataKey="table" width={150} interval={0} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(value, _name, item) => [`${value} % of ${item.payload.updates} updates`, "HOT"]} />
          <ReferenceLine x={thresholds.minHotRatio * 100} stroke="var(--warning)" strokeDasharray="4 4" />
          <Bar dataKey="hot" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.table} fill={d.low ? "var(--danger)" : "var(--primary)"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Table and index size per table, stacked: where the disk goes, and how much of it is indexes. */
export function TableSizeChart({ tables }: Pick<Props, "tables">) {
  const data = tables.map((t) => ({ table: t.table, table_bytes: t.tableBytes, index_bytes: t.indexBytes }));
  return (
    <figure className="chart" aria-label="Table and index size per table">
      <figcaption className="chart-title">Size on disk</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tickFormatter={(v) => formatBytes(Number(v))} tick={{ fontSize: 12 }} />
          <YAxis type="category" dataKey="table" width={150} interval={0} tick={{ fontSize: 12 }} />
          <Tooltip
            formatter={(value, name) => [formatBytes(Number(value)), name === "table_bytes" ? "table" : "indexes"]}
          />
          <Legend formatter={(name) => (name === "table_bytes" ? "table" : "indexes")} />
          <Bar dataKey="table_bytes" stackId="size" fill="var(--primary)" isAnimationActive={false} />
          <Bar dataKey="index_bytes" stackId="size" fill="#8fb3e8" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
