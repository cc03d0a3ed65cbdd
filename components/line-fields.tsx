"use client";

import type { InventoryItemView } from "./inventory-queries";

// The fields every order line has, shared by the reservation and the
// purchase-order dialogs: the item (items on other lines greyed out), the
// quantity in the item's unit, and the line's remove button. Errors come
// keyed as the API gives them (`lines.<index>.<field>`).

type LineRef = { id: string; itemId: string; qty: string };

export type LineFieldProps = {
  line: LineRef;
  /** 1-based, for the screen-reader labels. */
  n: number;
  error?: string;
  disabled: boolean;
};

export const fieldErrorId = (line: LineRef, field: string) => `${line.id}-${field}-error`;

export function ItemSelectField({
  line,
  n,
  error,
  disabled,
  items,
  takenElsewhere,
  onChange,
}: LineFieldProps & {
  items: InventoryItemView[];
  takenElsewhere: ReadonlySet<string>;
  onChange: (itemId: string) => void;
}) {
  return (
    <label className="field field-item">
      <span className="field-label">
        Item <span className="visually-hidden">(line {n})</span>
      </span>
      <select
        value={line.itemId}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? fieldErrorId(line, "itemId") : undefined}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">Choose an item…</option>
        {items.map((option) => (
          <option key={option.id} value={option.id} disabled={takenElsewhere.has(String(option.id))}>
            {option.sku} · {option.name}
          </option>
        ))}
      </select>
      <FieldError id={fieldErrorId(line, "itemId")} text={error} />
    </label>
  );
}

export function QtyField({
  line,
  n,
  error,
  disabled,
  unit,
  describedBy,
  onChange,
}: LineFieldProps & { unit: string | undefined; describedBy?: string; onChange: (qty: string) => void }) {
  const ids = [describedBy, error ? fieldErrorId(line, "qty") : undefined].filter(Boolean).join(" ");
  return (
    <label className="field field-qty">
      <span className="field-label">
        Quantity <span className="visually-hidden">(line {n})</span>
      </span>
      <span className="input-with-unit">
        <input
          inputMode="numeric"
          value={line.qty}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={ids || undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        <span className="unit">{unit ?? ""}</span>
      </span>
      <FieldError id={fieldErrorId(line, "qty")} text={error} />
    </label>
  );
}

export function RemoveLineButton({ n, disabled, onRemove }: { n: number; disabled: boolean; onRemove: () => void }) {
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={`Remove line ${n}`}
      title="Remove line"
      disabled={disabled}
      onClick={onRemove}
    >
      ×
    </button>
  );
}

export function FieldError({ id, text }: { id: string; text?: string }) {
  if (!text) return null;
  return (
    <span id={id} className="field-error">
      {text}
    </span>
  );
}

/** The item ids chosen on the other lines, which this line may not choose again. */
export function itemsTakenElsewhere(lines: readonly LineRef[], line: LineRef): ReadonlySet<string> {
  return new Set(lines.filter((other) => other.id !== line.id).map((other) => other.itemId));
}
