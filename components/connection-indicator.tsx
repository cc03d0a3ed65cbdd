import styles from "./connection-indicator.module.css";
import type { LiveConnectionState } from "./use-live-events";

const words: Record<LiveConnectionState, { label: string; hint: string }> = {
  live: { label: "Live", hint: "Changes arrive as they happen." },
  reconnecting: {
    label: "Reconnecting…",
    hint: "The live link dropped; trying again. What was missed is fetched when it is back.",
  },
  offline: {
    label: "Offline",
    hint: "No connection. What is shown may be out of date; presses are queued and sent when it is back.",
  },
};

const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/**
 * The state of a page's live link (useLiveEvents) and when the server last
 * confirmed it: its last event or heartbeat. Shared by the floor and the
 * planning page.
 */
export function ConnectionIndicator({
  state,
  lastConfirmedAt,
  className,
}: {
  state: LiveConnectionState;
  lastConfirmedAt: Date | null;
  className?: string;
}) {
  const { label, hint } = words[state];
  return (
    <div
      className={[styles.indicator, className].filter(Boolean).join(" ")}
      data-state={state}
      title={hint}
      data-testid="connection-indicator"
    >
      <span className={styles.dot} aria-hidden="true" />
      {/* Only the state is announced: the time changes with every heartbeat. */}
      <span className={styles.label} role="status" aria-live="polite">
        {label}
      </span>
      <span className={styles.confirmed}>
        {lastConfirmedAt ? (
          <>
            confirmed <time dateTime={lastConfirmedAt.toISOString()}>{timeFormat.format(lastConfirmedAt)}</time>
          </>
        ) : (
          "not confirmed yet"
        )}
      </span>
    </div>
  );
}
