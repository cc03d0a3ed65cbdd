"use client";

import { useEffect, useState } from "react";
import type { LiveConnectionState } from "../use-live-events";

/** A first connection normally takes well under this; past it, the page says how it keeps up instead. */
const connectingGraceMs = 5000;

const words = {
  live: "Live: new assessments appear by themselves",
  connecting: "Connecting to live updates…",
  reconnecting: "No live updates at the moment: the page checks for new assessments every 30 s",
  offline: "Offline: showing what was last loaded",
} as const;

/** Whether pushes are arriving; while they are not, the page polls and still follows its own requests. */
export function LiveStatus({ state }: { state: LiveConnectionState }) {
  const [waitedLong, setWaitedLong] = useState(false);
  useEffect(() => {
    setWaitedLong(false);
    if (state !== "reconnecting") return;
    const timer = setTimeout(() => setWaitedLong(true), connectingGraceMs);
    return () => clearTimeout(timer);
  }, [state]);
  const shown = state === "reconnecting" && !waitedLong ? "connecting" : state;
  return (
    <p className={`live-status live-status-${state}`} data-live={state} aria-live="polite">
      <span className="live-dot" aria-hidden="true" /> {words[shown]}
    </p>
  );
}
