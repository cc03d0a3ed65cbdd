"use client";

import type { InventoryItemView } from "./inventory-queries";
import { formatQty } from "./quantities";
import type { DraftLine, FieldErrors } from "./reserve-outcome";

type Props = {
  lines: DraftLine[];
  items: InventoryItemView[];
  errors: FieldErrors;
  disabled: boolean;
  onChange: (index: number, patch: Partial<DraftLine>) => void;
  onRemove: (index: number) => void;
};

/** The order's lines: which item, how many, and how many are free right now. */
export function ReserveLines({ lines, items, errors, disabled, onChange, onRemove }: Props) {
  const byId = new Map(items.map((item) => [String(item.id), item]));
  return (
    <ol className="reserve-lines">
      {lines.map((line, index) => {
        const n = index + 1;
        const item = byId.get(line.itemId);
        const qty = Number(line.qty);
        const over = item !== undefined && Number.isFinite(qty) && qty > item.availableQty;
        const itemError = errors[`lines.${index}.itemId`];
        const qtyError = errors[`lines.${index}.qty`];
        const takenElsewhere = new Set(lines.filter((other) => other.id !== line.id).map((other) => other.itemId));
        return (
          <li key={line.id} className="reserve-line">
            <label className="field field-item">
              <span className="field-label">
                Item <span className="visually-hidden">(line {n})</span>
              </span>
              <select
                value={line.itemId}
                disabled={disabled}
                aria-invalid={itemError ? true : undefined}
                aria-describedby={itemError ? `${line.id}-item-error` : undefined}
                onChange={(e) => onChange(index, { itemId: e.target.value })}
              >
                <option value="">Choose an item…</option>
                {items.map((option) => (
                  <option key={option.id} value={option.id} disabled={takenElsewhere.has(String(option.id))}>
                    {option.sku} · {option.name}
                  </option>
                ))}
              </select>
              {itemError ? (
                <span id={`${line.id}-item-error`} className="field-error">
                  {itemError}
                </span>
              ) : null}
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
                  aria-invalid={qtyError ? true : undefined}
                  aria-describedby={`${line.id}-available${qtyError ? ` ${line.id}-qty-error` : ""}`}
                  onChange={(e) => onChange(index, { qty: e.target.value })}
                />
                <span className="unit">{item?.unit ?? ""}</span>
              </span>
              {qtyError ? (
                <span id={`${line.id}-qty-error`} className="field-error">
                  {qtyError}
                </span>
              ) : null}
            </label>
            <p id={`${line.id}-available`} className={`line-available${over ? " line-available-over" : ""}`}>
              {item ? (
                <>
                  <span className="muted">Available</span> <strong>{formatQty(item.availableQty, item.unit)}</strong>
                  {over ? <span className="line-warning">Not enough free</span> : null}
                </>
              ) : (
                <span className="muted">Choose an item to see what is free</span>
              )}
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
