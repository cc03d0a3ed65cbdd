import { useEffect, useState } from "react";

/** The current time, ticking every `ms` while the component is shown (a countdown, the plan's "now" line). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
