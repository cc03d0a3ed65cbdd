"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import { errorText } from "./api-client";
import { RiskBadge } from "./purchase-order-format";
import type { SupplierView } from "./purchase-order-queries";

type Props = {
  suppliers: UseQueryResult<SupplierView[]>;
  value: string;
  error?: string;
  disabled: boolean;
  onChange: (supplierId: string) => void;
};

/** Levels that deserve a second look before ordering. */
const riskyLevels = new Set(["high", "critical"]);

/**
 * Choosing the supplier, with each one's current risk level in the list (an
 * option cannot be coloured reliably, so the words say it) and, for the one
 * chosen, a coloured badge and a warning when the risk is high.
 */
export function SupplierField({ suppliers, value, error, disabled, onChange }: Props) {
  const chosen = suppliers.data?.find((s) => String(s.id) === value);
  const risky = riskyLevels.has(chosen?.riskLevel ?? "");
  return (
    <div className="field">
      <label className="field-label" htmlFor="po-supplier">
        Supplier
      </label>
      {suppliers.isError && !suppliers.data ? (
        <p className="alert alert-error">Could not load the suppliers: {errorText(suppliers.error)}</p>
      ) : (
        <select
          id="po-supplier"
          value={value}
          disabled={disabled || suppliers.isPending}
          aria-invalid={error ? true : undefined}
          aria-describedby={
            [chosen ? "po-supplier-risk" : "", error ? "po-supplier-error" : ""].join(" ").trim() || undefined
          }
          onChange={(e) => onChange(e.target.value)}
        >
          <option value="">{suppliers.isPending ? "Loading suppliers…" : "Choose a supplier…"}</option>
          {(suppliers.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.code}) — risk: {s.riskLevel ?? "not assessed"}
            </option>
          ))}
        </select>
      )}
      {chosen ? (
        <p id="po-supplier-risk" className="supplier-risk-line">
          <RiskBadge level={chosen.riskLevel} />
          {chosen.country ? <span className="muted">{chosen.country}</span> : null}
          {risky ? (
            <span className="line-warning">
              This supplier is rated {chosen.riskLevel} risk: consider a second source for critical parts.
            </span>
          ) : null}
        </p>
      ) : null}
      {error ? (
        <span id="po-supplier-error" className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
