import type { LiveEvent, LiveEventType } from "./events";

// What the realtime server sends on a socket. Shared by the server and the
// browser hook, so it imports types only.

/** The socket event that carries every live event. */
export const liveEventName = "event";
/** Sent to each socket once it is connected (and again after each reconnection). */
export const readyEventName = "ready";

/**
 * One live event as a socket receives it: `seq` is the entry's id in the
 * `events` stream ("<ms>-<n>", increasing); `outboxId` identifies the event
 * itself, so a client drops the rare duplicate; `roomSeq` numbers the event
 * in each room it was sent to, consecutively, so a client that sees a number
 * skipped in one of its rooms knows it missed something.
 */
export type LiveMessage<T extends LiveEventType = LiveEventType> = LiveEvent<T> & {
  outboxId: string;
  roomSeq: Record<string, number>;
};

/** As the server builds it: the type may be one this build does not know (admins get those). */
export type OutgoingLiveMessage = {
  seq: string;
  type: string;
  payload: unknown;
  at: string;
  outboxId: string;
  roomSeq: Record<string, number>;
};

export type ReadyMessage = {
  /** The rooms this socket is in: the client checks `roomSeq` for these only. */
  rooms: string[];
  recovered: boolean;
};
