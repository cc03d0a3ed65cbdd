"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatScore, type TrendPoint } from "./risk-format";

const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" });
const timeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});

type Props = { points: TrendPoint[]; supplierName: string; days: number };

/** The score over time beside the built-in model's score for the same figures. */
export function RiskTrendChart({ points, supplierName, days }: Props) {
  const sameDay = points.length > 0 && dayFormat.format(points[0]?.at) === dayFormat.format(points.at(-1)?.at);
  const tick = (at: number) =>
    sameDay ? new Date(at).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" }) : dayFormat.format(at);
  return (
    <div
      className="chart risk-chart"
      role="img"
      aria-label={`Risk score of ${supplierName} over the last ${days} days: ${points.length} assessments`}
      data-points={points.length}
    >
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="at"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            tickFormatter={tick}
            tick={{ fontSize: 12 }}
            minTickGap={24}
          />
          <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tick={{ fontSize: 12 }} width={36} />
          <Tooltip
            labelFormatter={(at) => timeFormat.format(Number(at))}
            formatter={(value, name) => [formatScore(Number(value)), name]}
          />
          <Legend wrapperStyle={{ fontSize: 13 }} />
          <Line
            name="Score"
            dataKey="score"
            stroke="var(--primary)"
            strokeWidth={2}
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
          <Line
            name="Built-in model"
            dataKey="baseline"
            stroke="var(--text-muted)"
            strokeDasharray="5 4"
            dot={{ r: 2 }}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
