import { useCallback, useEffect, useRef, useState } from "react";
import { io } from "socket.io-client";
import type { LiveEventType } from "@/server/realtime/events";
import { LiveEventTracker } from "@/server/realtime/live-event-tracker";
import { type LiveMessage, liveEventName, type ReadyMessage, readyEventName } from "@/server/realtime/live-message";

/**
 * live: connected and receiving. reconnecting: the link dropped (or is
 * being set up) and the client is trying again. offline: the browser has no
 * network, or the server refused the session (logged out): no retry until
 * the page is reloaded or the network returns.
 */
export type LiveConnectionState = "live" | "reconnecting" | "offline";

type Handler<T extends LiveEventType> = (message: LiveMessage<T>) => void;

/** Retry after the server could not check the session (its database was away): it says so with "unavailable". */
const unavailableRetryMs = 3000;

/**
 * The realtime connection of a page, on its own origin (`/ws/socket.io`,
 * through nginx; the session cookie authenticates it).
 *
 * `onResync` is called whenever the page may have missed events: on the
 * first connection (events between the page's fetch and the connection), on
 * every reconnection that was not recovered (away past the server's
 * recovery window, or the session could not be resumed), and when an
 * event's room number shows a gap. The page then invalidates its TanStack
 * Query keys, so it refetches before it relies on further events. A
 * recovered reconnection needs nothing: the server sends what was missed.
 *
 * Events seen twice (same outboxId) are dropped before handlers see them.
 */
export function useLiveEvents({ onResync, enabled = true }: { onResync: () => void; enabled?: boolean }) {
  const [state, setState] = useState<LiveConnectionState>("reconnecting");
  const [lastConfirmedAt, setLastConfirmedAt] = useState<Date | null>(null);
  const [lastSeq, setLastSeq] = useState<string | undefined>(undefined);
  const handlers = useRef(new Map<string, Set<(message: LiveMessage) => void>>());
  const resync = useRef(onResync);
  resync.current = onResync;

  useEffect(() => {
    if (!enabled) return;
    const tracker = new LiveEventTracker();
    const socket = io({
      path: "/ws/socket.io",
      // WebSocket first (no sticky sessions needed for it), long-polling if it fails.
      transports: ["websocket", "polling"],
      tryAllTransports: true,
    });
    let retry: ReturnType<typeof setTimeout> | undefined;
    const confirm = () => setLastConfirmedAt(new Date());

    socket.on("connect", () => {
      setState("live");
      confirm();
      if (!socket.recovered) {
        tracker.restartNumbering();
        resync.current();
      }
    });
    socket.on("disconnect", () => setState(socket.active ? "reconnecting" : "offline"));
    socket.on("connect_error", (error) => {
      if (socket.active) {
        setState("reconnecting"); // a network error: socket.io tries again by itself
      } else if (error.message === "unavailable") {
        setState("reconnecting");
        retry = setTimeout(() => socket.connect(), unavailableRetryMs);
      } else {
        setState("offline"); // "unauthenticated": the session is over
      }
    });
    socket.on(readyEventName, (ready: ReadyMessage) => {
      tracker.setRooms(ready.rooms);
      confirm();
    });
    socket.on(liveEventName, (message: LiveMessage) => {
      confirm();
      const { duplicate, gap } = tracker.track(message);
      if (gap) resync.current();
      if (duplicate) return;
      setLastSeq(tracker.lastSeq);
      for (const key of [message.type, "*"]) {
        for (const handler of handlers.current.get(key) ?? []) handler(message);
      }
    });
    // The server's heartbeat (every 25 s): the link is alive even when nothing happens.
    socket.io.on("ping", confirm);

    const wentOffline = () => setState("offline");
    const cameOnline = () => {
      setState(socket.connected ? "live" : "reconnecting");
      if (!socket.active) socket.connect();
    };
    window.addEventListener("offline", wentOffline);
    window.addEventListener("online", cameOnline);
    if (!navigator.onLine) setState("offline");

    return () => {
      clearTimeout(retry);
      window.removeEventListener("offline", wentOffline);
      window.removeEventListener("online", cameOnline);
      socket.disconnect();
    };
  }, [enabled]);

  /** Calls `handler` for each new event of `type` ("*" for all); returns the unsubscribe function. */
  const subscribe = useCallback(<T extends LiveEventType>(type: T | "*", handler: Handler<T>) => {
    const forType = handlers.current.get(type) ?? new Set();
    handlers.current.set(type, forType);
    const untyped = handler as (message: LiveMessage) => void;
    forType.add(untyped);
    return () => {
      forType.delete(untyped);
    };
  }, []);

  return { state, lastConfirmedAt, lastSeq, subscribe };
}
