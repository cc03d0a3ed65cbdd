import type { LiveConnectionState } from "../use-live-events";

const words: Record<LiveConnectionState, string> = {
  live: "Live: new assessments appear by themselves",
  reconnecting: "Connecting to live updates…",
  offline: "Offline: showing what was last loaded",
};

/** Whether pushes are arriving; when they are not, the page still refetches after each request. */
export function LiveStatus({ state }: { state: LiveConnectionState }) {
  return (
    <p className={`live-status live-status-${state}`} data-live={state} aria-live="polite">
      <span className="live-dot" aria-hidden="true" /> {words[state]}
    </p>
  );
}
