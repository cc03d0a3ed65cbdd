"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { errorText } from "./api-client";
import { FormAlert } from "./form-alert";
import { queryKeys, useAllItems } from "./inventory-queries";
import { rememberRaisedOrder } from "./orders-raised-here";
import {
  type DraftPoLine,
  describePoFailure,
  type PoPayload,
  toPayload,
  validatePoDraft,
} from "./purchase-order-draft";
import { formatMoney } from "./purchase-order-format";
import { PurchaseOrderLines } from "./purchase-order-lines";
import { type PurchaseOrderView, purchaseOrderKeys, useSuppliers } from "./purchase-order-queries";
import type { FieldErrors, FormMessage } from "./reserve-outcome";
import { SupplierField } from "./supplier-field";
import { useToast } from "./toast";
import { useModalDialog } from "./use-modal-dialog";
import { useRetrySafeSubmission } from "./use-retry-safe-submission";

type Props = { open: boolean; onClose: () => void };

let lineSeq = 0;
const emptyLine = (): DraftPoLine => ({ id: `po-line-${++lineSeq}`, itemId: "", qty: "", unitPrice: "" });

/** Raises a purchase order in one retry-safe submission; the relay then delivers it to the supplier. */
export function NewPurchaseOrderDialog({ open, onClose }: Props) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const notify = useToast();
  const items = useAllItems(open);
  const suppliers = useSuppliers(open);

  const [supplierId, setSupplierId] = useState("");
  const [lines, setLines] = useState<DraftPoLine[]>(() => [emptyLine()]);
  const [note, setNote] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage | null>(null);
  const { dialogRef, messageRef } = useModalDialog({ open, message });
  // A retry of the same payload reuses its key, so the supplier gets the order once.
  const create = useRetrySafeSubmission<PoPayload, PurchaseOrderView>("/api/purchase-orders");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (create.isPending) return;
    const errors = validatePoDraft(supplierId, lines, note);
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      setMessage({ tone: "error", title: "Some fields need attention." });
      return;
    }
    const payload = toPayload(supplierId, lines, note);
    setMessage(null);

    try {
      const order = await create.submit(payload);
      rememberRaisedOrder(order.id);
      await queryClient.invalidateQueries({ queryKey: purchaseOrderKeys.all });
      notify({
        tone: "success",
        title: `Purchase order for ${order.supplier.name} created`,
        body: `${order.lines.length} ${order.lines.length === 1 ? "line" : "lines"}, total ${formatMoney(order.total)}. It is on its way to the supplier.`,
      });
      setSupplierId("");
      setLines([emptyLine()]);
      setNote("");
      setFieldErrors({});
      onClose();
      router.push(`/purchasing/orders/${order.id}`);
    } catch (error) {
      const failure = describePoFailure(error, lines);
      if (!failure.keepKey) create.forget();
      setFieldErrors(failure.fieldErrors);
      setMessage(failure.message);
      if (failure.refetch) {
        void queryClient.invalidateQueries({ queryKey: purchaseOrderKeys.suppliers });
        void queryClient.invalidateQueries({ queryKey: queryKeys.inventory });
      }
    }
  }

  const pending = create.isPending;
  const total = lines.reduce((sum, l) => sum + (Number(l.qty) * Number(l.unitPrice) || 0), 0);
  return (
    <dialog ref={dialogRef} className="dialog" aria-labelledby="po-title" onClose={onClose}>
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        <header className="dialog-header">
          <h2 id="po-title">New purchase order</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>

        {message ? <FormAlert ref={messageRef} message={message} /> : null}

        <SupplierField
          suppliers={suppliers}
          value={supplierId}
          error={fieldErrors.supplierId}
          disabled={pending}
          onChange={setSupplierId}
        />

        <fieldset className="lines-fieldset">
          <legend>Lines</legend>
          {items.isPending ? (
            <p className="muted">Loading items…</p>
          ) : items.isError ? (
            <p className="alert alert-error">Could not load the items: {errorText(items.error)}</p>
          ) : (
            <PurchaseOrderLines
              lines={lines}
              items={items.data}
              errors={fieldErrors}
              disabled={pending}
              onChange={(index, patch) => setLines((all) => all.map((l, i) => (i === index ? { ...l, ...patch } : l)))}
              onRemove={(index) => setLines((all) => all.filter((_, i) => i !== index))}
            />
          )}
          {fieldErrors.lines ? <p className="field-error">{fieldErrors.lines}</p> : null}
          <button
            type="button"
            className="button button-secondary"
            disabled={pending || lines.length >= 200}
            onClick={() => setLines((all) => [...all, emptyLine()])}
          >
            + Add line
          </button>
        </fieldset>

        <label className="field">
          <span className="field-label">
            Note <span className="muted">(optional)</span>
          </span>
          <input value={note} maxLength={500} disabled={pending} onChange={(e) => setNote(e.target.value)} />
          {fieldErrors.note ? <span className="field-error">{fieldErrors.note}</span> : null}
        </label>

        <footer className="dialog-footer">
          <p className="po-dialog-total">
            <span className="muted">Total</span> <strong>{formatMoney(total)}</strong>
          </p>
          <button type="button" className="button button-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
            {pending ? "Creating…" : "Create purchase order"}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
