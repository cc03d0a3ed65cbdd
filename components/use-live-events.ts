"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { LiveEventType } from "@/server/realtime/events";
import { LiveEventTracker } from "@/server/realtime/live-event-tracker";
import { type LiveMessage, liveEventName, type ReadyMessage, readyEventName } from "@/server/realtime/live-message";
import { ResyncGate } from "./resync-gate";

/**
 * live: connected and receiving. reconnecting: the link dropped (or is
 * being set up) and the client is trying again. offline: the browser has no
 * network, or the server refused the session (logged out): no retry until
 * the network returns or the page is reloaded.
 */
export type LiveConnectionState = "live" | "reconnecting" | "offline";

type Handler<T extends LiveEventType> = (message: LiveMessage<T>) => void;

/** Retry after the server could not check the session (its database was away): it says so with "unavailable". */
const unavailableRetryMs = 3000;
/** After the server closed the socket itself (a session check failed once): one more try, later. */
const serverDisconnectRetryMs = 5000;
/** A tablet whose page was hidden this long may hold a dead connection that still looks open. */
const longHiddenMs = 30_000;

/**
 * The realtime connection of a page, on its own origin (`/ws/socket.io`,
 * through nginx; the session cookie authenticates it).
 *
 * `onResync` is called whenever the page may have missed events: on the
 * first connection (events between the page's fetch and the connection), on
 * every reconnection that was not recovered (away past the server's
 * recovery window, or the session could not be resumed), and when an
 * event's room number shows a gap. It returns a promise (the page's
 * `invalidateQueries`, which settles once the refetch has landed); events
 * that arrive meanwhile are held back and handed to the handlers after it, in
 * order, so that a refetch that read the database before an event can never
 * overwrite what that event changed. A recovered reconnection needs nothing:
 * the server replays what was missed.
 *
 * Events seen twice (same outboxId) are dropped before handlers see them.
 */
export function useLiveEvents({
  onResync,
  enabled = true,
}: {
  /** Refetch what the page shows; return the promise (`invalidateQueries` gives one) to hold events until it lands. */
  onResync: () => unknown;
  enabled?: boolean;
}) {
  const [state, setState] = useState<LiveConnectionState>("reconnecting");
  const [lastConfirmedAt, setLastConfirmedAt] = useState<Date | null>(null);
  const [lastSeq, setLastSeq] = useState<string | undefined>(undefined);
  const handlers = useRef(new Map<string, Set<(message: LiveMessage) => void>>());
  const resync = useRef(onResync);
  resync.current = onResync;

  useEffect(() => {
    if (!enabled) return;
    const tracker = new LiveEventTracker();
    const dispatch = (message: LiveMessage) => {
      for (const key of [message.type, "*"]) {
        for (const handler of handlers.current.get(key) ?? []) handler(message);
      }
    };
    const gate = new ResyncGate<LiveMessage>({ resync: () => resync.current(), deliver: dispatch });
    const socket: Socket = io({
      path: "/ws/socket.io",
      // WebSocket first (no sticky sessions needed for it), long-polling if it fails.
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      // Tablets come back from a dead spot quickly: try soon, and never wait long.
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    let retry: ReturnType<typeof setTimeout> | undefined;
    const retryLater = (ms: number) => {
      clearTimeout(retry);
      retry = setTimeout(() => socket.connect(), ms);
    };
    const confirm = () => setLastConfirmedAt(new Date());
    const browserOffline = () => typeof navigator !== "undefined" && navigator.onLine === false;

    socket.on("connect", () => {
      setState(browserOffline() ? "offline" : "live");
      confirm();
      if (!socket.recovered) {
        tracker.restartNumbering();
        gate.request();
      }
    });
    socket.on("disconnect", (reason) => {
      if (browserOffline()) setState("offline");
      else setState(socket.active ? "reconnecting" : "offline");
      // The server closed this socket itself (its session failed a check): try
      // once more later; a session that is really over is refused at the
      // handshake ("unauthenticated") and the state stays offline.
      if (reason === "io server disconnect") retryLater(serverDisconnectRetryMs);
    });
    socket.on("connect_error", (error) => {
      if (browserOffline()) {
        setState("offline");
      } else if (socket.active) {
        setState("reconnecting"); // a network error: socket.io tries again by itself
      } else if (error.message === "unavailable") {
        setState("reconnecting");
        retryLater(unavailableRetryMs);
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
      if (gap) gate.request();
      if (duplicate) return;
      setLastSeq(tracker.lastSeq);
      gate.push(message);
    });
    // The server's heartbeat (every 25 s): the link is alive even when nothing happens.
    socket.io.on("ping", confirm);

    /**
     * Connect again now rather than after the backoff. A socket that still
     * looks connected may be dead (the tablet changed access point): its
     * transport is dropped, which keeps the session on the server, so the
     * reconnection resumes it and gets what was missed.
     */
    const kick = () => {
      clearTimeout(retry);
      if (socket.connected) {
        socket.io.engine?.close();
      } else {
        // Cancels the pending backoff timer and opens at once; the socket
        // keeps its session id and offset, so recovery is still asked for.
        socket.disconnect();
        socket.connect();
      }
    };
    const wentOffline = () => {
      setState("offline");
      // Closed here rather than left to time out: events sent meanwhile are
      // replayed on reconnection, not lost in a dead connection.
      if (socket.connected) socket.io.engine?.close();
    };
    const cameOnline = () => {
      setState(socket.connected ? "live" : "reconnecting");
      kick();
    };
    let hiddenSince: number | null = null;
    const visibilityChanged = () => {
      if (document.visibilityState === "hidden") {
        hiddenSince = Date.now();
        return;
      }
      const wasHidden = hiddenSince !== null && Date.now() - hiddenSince > longHiddenMs;
      hiddenSince = null;
      if (wasHidden && !browserOffline()) kick();
    };
    window.addEventListener("offline", wentOffline);
    window.addEventListener("online", cameOnline);
    document.addEventListener("visibilitychange", visibilityChanged);
    if (browserOffline()) setState("offline");

    return () => {
      clearTimeout(retry);
      gate.close();
      window.removeEventListener("offline", wentOffline);
      window.removeEventListener("online", cameOnline);
      document.removeEventListener("visibilitychange", visibilityChanged);
      socket.io.off("ping", confirm);
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
