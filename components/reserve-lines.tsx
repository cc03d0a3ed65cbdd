"use client";

import type { InventoryItemView } from "./inventory-queries";
import { ItemSelectField, itemsTakenElsewhere, QtyField, RemoveLineButton } from "./line-fields";
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
        const availableId = `${line.id}-available`;
        return (
          <li key={line.id} className="reserve-line">
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
              describedBy={availableId}
              onChange={(value) => onChange(index, { qty: value })}
            />
            <p id={availableId} className={`line-available${over ? " line-available-over" : ""}`}>
              {item ? (
                <>
                  <span className="muted">Available</span> <strong>{formatQty(item.availableQty, item.unit)}</strong>
                  {over ? <span className="line-warning">Not enough free</span> : null}
                </>
              ) : (
                <span className="muted">Choose an item to see what is free</span>
              )}
            </p>
            <RemoveLineButton n={n} disabled={disabled || lines.length === 1} onRemove={() => onRemove(index)} />
          </li>
        );
      })}
    </ol>
  );
}
