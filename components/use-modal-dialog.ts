"use client";

import { type RefObject, useEffect, useRef } from "react";

/**
 * A native <dialog> shown as a modal while `open`, and the form's message
 * focused whenever one appears (so screen readers and keyboards land on it).
 */
export function useModalDialog({
  open,
  message,
  focusOnOpen,
}: {
  open: boolean;
  message: unknown;
  focusOnOpen?: RefObject<HTMLElement | null>;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const messageRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      focusOnOpen?.current?.focus();
    } else if (!open && dialog.open) dialog.close();
  }, [open, focusOnOpen]);

  useEffect(() => {
    if (message) messageRef.current?.focus();
  }, [message]);

  return { dialogRef, messageRef };
}
