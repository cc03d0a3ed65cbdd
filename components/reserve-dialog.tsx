"use client";

import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { errorText } from "./api-client";
import { FormAlert } from "./form-alert";
import { queryKeys, type ReservationView, useAllItems } from "./inventory-queries";
import { ReserveLines } from "./reserve-lines";
import { type DraftLine, describeFailure, type FieldErrors, type FormMessage, validateDraft } from "./reserve-outcome";
import { useToast } from "./toast";
import { useModalDialog } from "./use-modal-dialog";
import { useRetrySafeSubmission } from "./use-retry-safe-submission";

type Props = { open: boolean; onClose: () => void };
type Payload = { orderRef: string; lines: { itemId: number; qty: number }[] };

let lineSeq = 0;
const emptyLine = (): DraftLine => ({ id: `line-${++lineSeq}`, itemId: "", qty: "" });

/** A modal form that reserves several items for one order in a single, retry-safe submission. */
export function ReserveDialog({ open, onClose }: Props) {
  const orderRefInput = useRef<HTMLInputElement>(null);
  const queryClient = useQueryClient();
  const notify = useToast();
  const items = useAllItems(open);

  const [orderRef, setOrderRef] = useState("");
  const [lines, setLines] = useState<DraftLine[]>(() => [emptyLine()]);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage | null>(null);
  const { dialogRef, messageRef } = useModalDialog({ open, message, focusOnOpen: orderRefInput });
  const reserve = useRetrySafeSubmission<Payload, ReservationView>("/api/reservations");

  function changeLine(index: number, patch: Partial<DraftLine>) {
    setLines((all) => all.map((line, i) => (i === index ? { ...line, ...patch } : line)));
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (reserve.isPending) return;
    const errors = validateDraft(orderRef, lines);
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      setMessage({ tone: "error", title: "Some fields need attention." });
      return;
    }
    const payload: Payload = {
      orderRef: orderRef.trim(),
      lines: lines.map((line) => ({ itemId: Number(line.itemId), qty: Number(line.qty) })),
    };
    setMessage(null);

    try {
      const reservation = await reserve.submit(payload);
      await invalidateStock();
      notify({
        tone: "success",
        title: `Reserved for order ${reservation.orderRef}`,
        body: reservation.lines.map((l) => `${l.qty} ${l.unit} ${l.sku}`).join(", "),
      });
      setOrderRef("");
      setLines([emptyLine()]);
      setFieldErrors({});
      onClose();
    } catch (error) {
      const failure = describeFailure(error, lines, items.data ?? []);
      if (!failure.keepKey) reserve.forget();
      setFieldErrors(failure.fieldErrors);
      setMessage(failure.message);
      if (failure.stockChanged) void invalidateStock();
    }
  }

  function invalidateStock() {
    return Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.inventory }),
      queryClient.invalidateQueries({ queryKey: queryKeys.reservations }),
    ]);
  }

  const pending = reserve.isPending;
  return (
    <dialog ref={dialogRef} className="dialog" aria-labelledby="reserve-title" onClose={onClose}>
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        <header className="dialog-header">
          <h2 id="reserve-title">Reserve for order</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>

        {message ? <FormAlert message={message} ref={messageRef} /> : null}

        <label className="field">
          <span className="field-label">Order reference</span>
          <input
            ref={orderRefInput}
            value={orderRef}
            maxLength={64}
            disabled={pending}
            placeholder="e.g. SO-2026-0142"
            aria-invalid={fieldErrors.orderRef ? true : undefined}
            aria-describedby={fieldErrors.orderRef ? "order-ref-error" : undefined}
            onChange={(e) => setOrderRef(e.target.value)}
          />
          {fieldErrors.orderRef ? (
            <span id="order-ref-error" className="field-error">
              {fieldErrors.orderRef}
            </span>
          ) : null}
        </label>

        <fieldset className="lines-fieldset">
          <legend>Lines</legend>
          {items.isPending ? (
            <p className="muted">Loading items…</p>
          ) : items.isError ? (
            <p className="alert alert-error">Could not load the items: {errorText(items.error)}</p>
          ) : (
            <ReserveLines
              lines={lines}
              items={items.data}
              errors={fieldErrors}
              disabled={pending}
              onChange={changeLine}
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

        <footer className="dialog-footer">
          <button type="button" className="button button-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
            {pending ? "Reserving…" : `Reserve ${lines.length} ${lines.length === 1 ? "line" : "lines"}`}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
