"use client";

import type { InventoryItemView } from "./inventory-queries";
import {
  FieldError,
  fieldErrorId,
  ItemSelectField,
  itemsTakenElsewhere,
  QtyField,
  RemoveLineButton,
} from "./line-fields";
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
        const priceError = errors[`lines.${index}.unitPrice`];
        return (
          <li key={line.id} className="reserve-line po-line">
            <ItemSelectField
              line={line}
              n={n}
              error={errors[`lines.${index}.itemId`]}
              disabled={disabled}
              items={items}
              takenElsewhere={itemsTakenElsewhere(lines, line)}
              onChange={(itemId) => onChange(index, { itemId })}
            />
            <QtyField
              line={line}
              n={n}
              error={errors[`lines.${index}.qty`]}
              disabled={disabled}
              unit={item?.unit}
              onChange={(value) => onChange(index, { qty: value })}
            />
            <label className="field field-price">
              <span className="field-label">
                Unit price <span className="visually-hidden">(line {n})</span>
              </span>
              <input
                inputMode="decimal"
                value={line.unitPrice}
                disabled={disabled}
                placeholder="0.00"
                aria-invalid={priceError ? true : undefined}
                aria-describedby={priceError ? fieldErrorId(line, "unitPrice") : undefined}
                onChange={(e) => onChange(index, { unitPrice: e.target.value })}
              />
              <FieldError id={fieldErrorId(line, "unitPrice")} text={priceError} />
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
            <RemoveLineButton n={n} disabled={disabled || lines.length === 1} onRemove={() => onRemove(index)} />
          </li>
        );
      })}
    </ol>
  );
}
