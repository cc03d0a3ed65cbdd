"use client";

import styles from "./floor.module.css";
import type { FloorEntry } from "./use-action-queue";

const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const clock = (iso: string | null) => (iso ? timeFormat.format(new Date(iso)) : "");

const stateWords: Record<FloorEntry["state"], string> = {
  queued: "Queued",
  sending: "Sending…",
  confirmed: "Confirmed",
  refused: "Refused",
};

/**
 * What this tablet pressed and what became of it: queued (offline, or a try
 * failed; sent by itself later), sending, confirmed by the server, or refused
 * with the server's reason. Settled ones can be dismissed.
 */
export function QueuedActions({
  entries,
  onDismiss,
}: {
  entries: readonly FloorEntry[];
  onDismiss: (key: string) => void;
}) {
  if (entries.length === 0) return null;
  const waiting = entries.filter((e) => e.state === "queued" || e.state === "sending").length;
  return (
    <section className={styles.queue} aria-labelledby="queued-actions-title">
      <h2 id="queued-actions-title" className={styles.queueTitle}>
        Actions from this tablet
        {waiting > 0 ? <span className={styles.queueCount}>{waiting} waiting to be sent</span> : null}
      </h2>
      <ul className={styles.queueList}>
        {[...entries].reverse().map((entry) => (
          <li key={entry.key} className={styles.queueEntry} data-state={entry.state}>
            <span className={styles.queueLabel}>{entry.label}</span>
            <span className={styles.queueState} data-state={entry.state}>
              {stateWords[entry.state]}
              {entry.state === "confirmed" || entry.state === "refused" ? ` ${clock(entry.settledAt)}` : ""}
            </span>
            <span className={styles.queueDetail}>
              pressed {clock(entry.createdAt)}
              {entry.attempts > 1 ? ` · ${entry.attempts} tries` : ""}
              {entry.error ? ` · ${entry.error}` : ""}
            </span>
            {entry.state === "confirmed" || entry.state === "refused" ? (
              <button
                type="button"
                className={styles.dismiss}
                aria-label={`Dismiss ${entry.label}`}
                onClick={() => onDismiss(entry.key)}
              >
                ×
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
