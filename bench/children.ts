// Processes this run started and has not stopped yet (workers, web servers
// of the outbox suite), so that a failure or Ctrl-C stops them before the
// database and the Redis keys go. Each runs in its own process group, out of
// reach of the terminal's Ctrl-C.

const running = new Set<() => Promise<void>>();

/** Remembers `stop` until it has run; returns the stop to call instead. */
export function track(stop: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  const once = () => {
    done ??= stop().finally(() => running.delete(once));
    return done;
  };
  running.add(once);
  return once;
}

export async function stopChildren(): Promise<void> {
  await Promise.all([...running].map((stop) => stop().catch(() => {})));
}
