"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { newIdempotencyKey } from "../api-client";
import { ActionQueue, type QueueEntry } from "./action-queue";
import { actionLabel, type FloorAction, sendFloorAction } from "./floor-actions";

export type FloorEntry = QueueEntry<FloorAction>;

const retryDelaysMs = [1000, 2000, 4000, 8000, 15_000];

/**
 * The tablet's queue of presses (see action-queue.ts), kept in localStorage
 * per user. It is flushed when a press is made, when the page loads, when
 * the browser comes back online, when `flush` is called (the page does on
 * every live reconnection), and after a failed try with a growing delay.
 */
export function useActionQueue(userId: number, onSettled: (entry: FloorEntry) => void) {
  const [entries, setEntries] = useState<readonly FloorEntry[]>([]);
  const queueRef = useRef<ActionQueue<FloorAction> | null>(null);
  const settledRef = useRef(onSettled);
  settledRef.current = onSettled;
  const retry = useRef<{ timer?: ReturnType<typeof setTimeout>; failures: number }>({ failures: 0 });

  const flush = useCallback(async () => {
    const queue = queueRef.current;
    if (!queue) return;
    clearTimeout(retry.current.timer);
    const { settled, stalled } = await queue.flush();
    for (const entry of settled) settledRef.current(entry as FloorEntry);
    if (!stalled) {
      retry.current.failures = 0;
      return;
    }
    // Offline: the "online" event flushes. Online but failing: try again soon.
    if (navigator.onLine === false) return;
    const delay = retryDelaysMs[Math.min(retry.current.failures, retryDelaysMs.length - 1)];
    retry.current.failures += 1;
    clearTimeout(retry.current.timer);
    retry.current.timer = setTimeout(() => void flush(), delay);
  }, []);

  useEffect(() => {
    const storageKey = `erp.floor.actions.v1:${userId}`;
    const queue = new ActionQueue<FloorAction>({
      storage: window.localStorage,
      storageKey,
      send: sendFloorAction,
      newKey: newIdempotencyKey,
      isOnline: () => navigator.onLine !== false,
      onChange: () => {
        if (queueRef.current === queue) setEntries(queue.entries());
      },
    });
    queueRef.current = queue;
    setEntries(queue.entries());
    void flush();

    const cameOnline = () => {
      retry.current.failures = 0;
      void flush();
    };
    // Another tab on this tablet changed the queue.
    const storageChanged = (event: StorageEvent) => {
      if (event.key !== storageKey) return;
      queue.reload();
      setEntries(queue.entries());
    };
    window.addEventListener("online", cameOnline);
    window.addEventListener("storage", storageChanged);
    return () => {
      clearTimeout(retry.current.timer);
      window.removeEventListener("online", cameOnline);
      window.removeEventListener("storage", storageChanged);
      queueRef.current = null;
    };
  }, [userId, flush]);

  const enqueue = useCallback(
    (action: FloorAction) => {
      queueRef.current?.enqueue(action, actionLabel(action));
      void flush();
    },
    [flush],
  );
  const dismiss = useCallback((key: string) => queueRef.current?.dismiss(key), []);

  return { entries, enqueue, dismiss, flush };
}
