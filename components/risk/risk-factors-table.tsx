import { type Column, DataTable } from "../data-table";
import { formatFactorValue, formatPoints, formatWeight } from "./risk-format";
import type { RiskFactor } from "./risk-types";

const columns: Column<RiskFactor>[] = [
  {
    key: "factor",
    header: "Factor",
    cell: (f) => (
      <>
        {f.label}
        {f.detail ? <span className="risk-factor-detail">{f.detail}</span> : null}
      </>
    ),
  },
  { key: "figure", header: "Figure", numeric: true, value: (f) => f.value, cell: (f) => formatFactorValue(f) },
  { key: "weight", header: "Max points", numeric: true, value: (f) => f.weight, cell: (f) => formatWeight(f.weight) },
  {
    key: "points",
    header: "Points",
    numeric: true,
    value: (f) => f.contribution,
    cell: (f) => formatPoints(f.contribution),
  },
];

/** The raw figures behind the score, in the order the model lists them. */
export function RiskFactorsTable({ factors, supplierName }: { factors: RiskFactor[]; supplierName: string }) {
  return (
    <DataTable
      caption={`Risk factors of ${supplierName}`}
      hideCaption
      columns={columns}
      rows={factors}
      rowKey={(f) => f.key}
      rowLabel={(f) => f.key}
      empty="No factors recorded."
    />
  );
}
