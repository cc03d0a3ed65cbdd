"use client";

import { useMutation } from "@tanstack/react-query";
import { useRef } from "react";
import { apiFetch, newIdempotencyKey } from "./api-client";

/**
 * A form's POST under an Idempotency-Key that outlives an unknown outcome:
 * a retry of the same payload (after a timeout or a dropped answer) reuses
 * the key, so the server acts at most once; a changed payload, or an answer
 * the caller calls definite (`forget`), starts a new key. A success forgets
 * the key by itself.
 */
export function useRetrySafeSubmission<Payload, Result>(url: string) {
  const attempt = useRef<{ key: string; fingerprint: string } | null>(null);
  const mutation = useMutation({
    mutationFn: ({ payload, key }: { payload: Payload; key: string }) =>
      apiFetch<Result>(url, { method: "POST", json: payload, headers: { "Idempotency-Key": key } }),
  });

  async function submit(payload: Payload): Promise<Result> {
    const fingerprint = JSON.stringify(payload);
    if (attempt.current?.fingerprint !== fingerprint) attempt.current = { key: newIdempotencyKey(), fingerprint };
    const result = await mutation.mutateAsync({ payload, key: attempt.current.key });
    attempt.current = null;
    return result;
  }

  return {
    submit,
    /** The failure was a definite answer: the next submission gets a new key. */
    forget: () => {
      attempt.current = null;
    },
    isPending: mutation.isPending,
  };
}
