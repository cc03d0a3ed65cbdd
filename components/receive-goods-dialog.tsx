"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { apiFetch, newIdempotencyKey } from "./api-client";
import { FormAlert } from "./form-alert";
import { queryKeys } from "./inventory-queries";
import { type PurchaseOrderView, purchaseOrderKeys } from "./purchase-order-queries";
import { formatQty } from "./quantities";
import {
  describeReceiptFailure,
  initialReceipt,
  outstandingOf,
  type ReceiptDraft,
  receiptLines,
  validateReceipt,
} from "./receipt-draft";
import type { FieldErrors, FormMessage } from "./reserve-outcome";
import { useToast } from "./toast";

type Props = { order: PurchaseOrderView; open: boolean; onClose: () => void };
type Lines = { itemId: number; qty: number }[];

/** Books goods that arrived against the order; each line defaults to what is still outstanding. */
export function ReceiveGoodsDialog({ order, open, onClose }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const messageRef = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  const notify = useToast();
  const [draft, setDraft] = useState<ReceiptDraft>(() => initialReceipt(order));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage | null>(null);
  const attempt = useRef<{ key: string; fingerprint: string } | null>(null);

  const receive = useMutation({
    mutationFn: ({ lines, key }: { lines: Lines; key: string }) =>
      apiFetch<PurchaseOrderView>(`/api/purchase-orders/${order.id}/receipts`, {
        method: "POST",
        json: { lines },
        headers: { "Idempotency-Key": key },
      }),
  });

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      // Fresh defaults each time: someone may have received part since.
      setDraft(initialReceipt(order));
      setFieldErrors({});
      setMessage(null);
      dialog.showModal();
    } else if (!open && dialog.open) dialog.close();
  }, [open, order]);

  useEffect(() => {
    if (message) messageRef.current?.focus();
  }, [message]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (receive.isPending) return;
    const errors = validateReceipt(order, draft);
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      setMessage({ tone: "error", title: errors.form ?? "Some quantities need attention." });
      return;
    }
    const lines = receiptLines(draft);
    const fingerprint = JSON.stringify(lines);
    if (attempt.current?.fingerprint !== fingerprint) attempt.current = { key: newIdempotencyKey(), fingerprint };
    setMessage(null);
    try {
      const updated = await receive.mutateAsync({ lines, key: attempt.current.key });
      attempt.current = null;
      queryClient.setQueryData(purchaseOrderKeys.one(order.id), updated);
      void queryClient.invalidateQueries({ queryKey: purchaseOrderKeys.list });
      void queryClient.invalidateQueries({ queryKey: queryKeys.inventory });
      const count = lines.length;
      notify({
        tone: "success",
        title: `Received ${count} ${count === 1 ? "line" : "lines"}`,
        body:
          updated.status === "RECEIVED" ? "Everything on this order has now arrived." : "The stock has been updated.",
      });
      onClose();
    } catch (error) {
      const failure = describeReceiptFailure(error);
      if (!failure.keepKey) attempt.current = null;
      setFieldErrors(failure.fieldErrors);
      setMessage(failure.message);
      if (failure.refetch) void queryClient.invalidateQueries({ queryKey: purchaseOrderKeys.one(order.id) });
    }
  }

  const pending = receive.isPending;
  return (
    <dialog ref={dialogRef} className="dialog" aria-labelledby="receive-title" onClose={onClose}>
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        <header className="dialog-header">
          <h2 id="receive-title">Receive goods</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        {message ? <FormAlert ref={messageRef} message={message} /> : null}
        <p className="muted">
          Enter what arrived. Each line starts at what is still outstanding; 0 means none of it came.
        </p>
        <ol className="reserve-lines">
          {order.lines.map((line) => {
            const outstanding = outstandingOf(line);
            const error = fieldErrors[line.itemId];
            return (
              <li key={line.itemId} className="receive-line">
                <span>
                  <code className="sku">{line.sku}</code> {line.name}
                  <br />
                  <span className="muted">
                    ordered {formatQty(line.qty, line.unit)}, received {formatQty(line.receivedQty)}, outstanding{" "}
                    <strong>{formatQty(outstanding)}</strong>
                  </span>
                </span>
                <label className="field field-qty">
                  <span className="visually-hidden">Quantity received of {line.sku}</span>
                  <span className="input-with-unit">
                    <input
                      inputMode="numeric"
                      value={draft[line.itemId] ?? ""}
                      disabled={pending || outstanding === 0}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `receive-${line.itemId}-error` : undefined}
                      onChange={(e) => setDraft((d) => ({ ...d, [line.itemId]: e.target.value }))}
                    />
                    <span className="unit">{line.unit}</span>
                  </span>
                  {error ? (
                    <span id={`receive-${line.itemId}-error`} className="field-error">
                      {error}
                    </span>
                  ) : null}
                </label>
              </li>
            );
          })}
        </ol>
        <footer className="dialog-footer">
          <button type="button" className="button button-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
            {pending ? "Receiving…" : "Receive"}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
