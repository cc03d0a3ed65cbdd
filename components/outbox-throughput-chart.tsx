"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

type Props = { perMinute: { minute: string; delivered: number }[] };

/** Messages delivered per minute over the last quarter of an hour, gaps shown as zero. */
export function OutboxThroughputChart({ perMinute }: Props) {
  const byMinute = new Map(perMinute.map((p) => [new Date(p.minute).getTime(), p.delivered]));
  const now = new Date();
  now.setSeconds(0, 0);
  const data = Array.from({ length: 15 }, (_, i) => {
    const at = now.getTime() - (14 - i) * 60_000;
    return {
      minute: new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }),
      delivered: byMinute.get(at) ?? 0,
    };
  });
  return (
    <div className="chart" role="img" aria-label="Messages delivered per minute, last 15 minutes">
      <ResponsiveContainer width="100%" height={180}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="minute" tick={{ fontSize: 12 }} interval={2} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
          <Tooltip formatter={(value) => [value, "delivered"]} />
          <Bar dataKey="delivered" fill="var(--primary)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
