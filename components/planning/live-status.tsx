import type { LiveConnectionState } from "../use-live-events";
import styles from "./planning.module.css";

const words: Record<LiveConnectionState, string> = {
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

/** Whether pushes arrive, and when the plan on screen was fetched. */
export function LiveStatus({
  state,
  fetching,
  updatedAt,
}: {
  state: LiveConnectionState;
  fetching: boolean;
  updatedAt: number;
}) {
  const time = updatedAt ? new Date(updatedAt).toLocaleTimeString("en-GB") : null;
  return (
    <p className={styles.liveStatus} data-state={state} data-testid="connection-indicator" role="status">
      <span className={styles.liveDot} aria-hidden="true" />
      <span>{words[state]}</span>
      {time ? <span className="muted"> · {fetching ? "updating…" : `plan of ${time}`}</span> : null}
    </p>
  );
}
