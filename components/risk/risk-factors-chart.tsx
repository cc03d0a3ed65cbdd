"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { type FactorBar, formatPoints } from "./risk-format";

type Props = { bars: FactorBar[]; supplierName: string };

/** Points each factor adds to the deterministic score, biggest first. */
export function RiskFactorsChart({ bars, supplierName }: Props) {
  return (
    <div
      className="chart risk-chart"
      role="img"
      aria-label={`Factors behind the score of ${supplierName}: ${bars
        .map((b) => `${b.label} ${formatPoints(b.contribution)} points`)
        .join(", ")}`}
    >
      <ResponsiveContainer width="100%" height={Math.max(160, 44 * bars.length + 40)}>
        <BarChart data={bars} layout="vertical" margin={{ top: 8, right: 24, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tick={{ fontSize: 12 }} allowDecimals={false} />
          <YAxis type="category" dataKey="label" width={170} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(value) => [`${formatPoints(Number(value))} points`, "Contribution"]} />
          <Bar dataKey="contribution" fill="var(--primary)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
