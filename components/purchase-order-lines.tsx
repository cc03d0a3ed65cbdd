"use client";

import type { InventoryItemView } from "./inventory-queries";
import type { DraftPoLine } from "./purchase-order-draft";
import { formatMoney } from "./purchase-order-format";
import type { FieldErrors } from "./reserve-outcome";

type Props = {
  lines: DraftPoLine[];
  items: InventoryItemView[];
  errors: FieldErrors;
  disabled: boolean;
  onChange: (index: number, patch: Partial<DraftPoLine>) => void;
  onRemove: (index: number) => void;
};

/** The order's lines: which item, how many, at what unit price, and the line's amount. */
export function PurchaseOrderLines({ lines, items, errors, disabled, onChange, onRemove }: Props) {
  const byId = new Map(items.map((item) => [String(item.id), item]));
  return (
    <ol className="reserve-lines">
      {lines.map((line, index) => {
        const n = index + 1;
        const item = byId.get(line.itemId);
        const amount = Number(line.qty) * Number(line.unitPrice);
        const takenElsewhere = new Set(lines.filter((other) => other.id !== line.id).map((other) => other.itemId));
        const error = (field: string) => errors[`lines.${index}.${field}`];
        const described = (field: string) => (error(field) ? `${line.id}-${field}-error` : undefined);
        return (
          <li key={line.id} className="reserve-line po-line">
            <label className="field field-item">
              <span className="field-label">
                Item <span className="visually-hidden">(line {n})</span>
              </span>
              <select
                value={line.itemId}
                disabled={disabled}
                aria-invalid={error("itemId") ? true : undefined}
                aria-describedby={described("itemId")}
                onChange={(e) => onChange(index, { itemId: e.target.value })}
              >
                <option value="">Choose an item…</option>
                {items.map((option) => (
                  <option key={option.id} value={option.id} disabled={takenElsewhere.has(String(option.id))}>
                    {option.sku} · {option.name}
                  </option>
                ))}
              </select>
              <FieldError id={described("itemId")} text={error("itemId")} />
            </label>
            <label className="field field-qty">
              <span className="field-label">
                Quantity <span className="visually-hidden">(line {n})</span>
              </span>
              <span className="input-with-unit">
                <input
                  inputMode="numeric"
                  value={line.qty}
                  disabled={disabled}
                  aria-invalid={error("qty") ? true : undefined}
                  aria-describedby={described("qty")}
                  onChange={(e) => onChange(index, { qty: e.target.value })}
                />
                <span className="unit">{item?.unit ?? ""}</span>
              </span>
              <FieldError id={described("qty")} text={error("qty")} />
            </label>
            <label className="field field-price">
              <span className="field-label">
                Unit price <span className="visually-hidden">(line {n})</span>
              </span>
              <input
                inputMode="decimal"
                value={line.unitPrice}
                disabled={disabled}
                placeholder="0.00"
                aria-invalid={error("unitPrice") ? true : undefined}
                aria-describedby={described("unitPrice")}
                onChange={(e) => onChange(index, { unitPrice: e.target.value })}
              />
              <FieldError id={described("unitPrice")} text={error("unitPrice")} />
            </label>
            <p className="line-available">
              <span className="muted">Line amount</span>{" "}
              <strong>{Number.isFinite(amount) && line.qty && line.unitPrice ? formatMoney(amount) : "–"}</strong>
              {item ? (
                <span className="muted">
                  · in stock {item.stockQty.toLocaleString("en-GB")} {item.unit}
                </span>
              ) : null}
            </p>
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove line ${n}`}
              title="Remove line"
              disabled={disabled || lines.length === 1}
              onClick={() => onRemove(index)}
            >
              ×
            </button>
          </li>
        );
      })}
    </ol>
  );
}

function FieldError({ id, text }: { id?: string; text?: string }) {
  if (!text) return null;
  return (
    <span id={id} className="field-error">
      {text}
    </span>
  );
}
