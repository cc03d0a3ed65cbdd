import type { LiveMessage } from "./live-message";

// The client's bookkeeping of live events, kept apart from React so that it
// can be tested: it drops duplicates (the same outboxId twice: an event
// emitted again after a realtime process died before acknowledging it) and
// notices gaps (a number skipped in one of the client's rooms).

/** Orders stream ids ("<ms>-<n>"): negative, zero or positive. */
export function compareSeq(a: string, b: string): number {
  const [aMs = 0, aN = 0] = a.split("-").map(Number);
  const [bMs = 0, bN = 0] = b.split("-").map(Number);
  return aMs - bMs || aN - bN;
}

export class LiveEventTracker {
  private rooms?: Set<string>;
  private readonly lastInRoom = new Map<string, number>();
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  lastSeq: string | undefined;

  constructor(private readonly remembered = 5000) {}

  /** The rooms the server put this socket in (its ready message): numbering is followed in these only. */
  setRooms(rooms: string[]): void {
    const next = new Set(rooms);
    if (this.rooms && [...next].sort().join() !== [...this.rooms].sort().join()) this.lastInRoom.clear();
    this.rooms = next;
  }

  /**
   * After a reconnection that was not recovered: the client refetches, and
   * numbering starts again from the next event (the ones in between are in
   * what it refetched).
   */
  restartNumbering(): void {
    this.lastInRoom.clear();
  }

  /** Whether to apply this event (not a duplicate), and whether events were missed before it. */
  track(message: Pick<LiveMessage, "seq" | "outboxId" | "roomSeq">): { duplicate: boolean; gap: boolean } {
    let gap = false;
    for (const [room, n] of Object.entries(message.roomSeq ?? {})) {
      if (!this.rooms?.has(room)) continue;
      const last = this.lastInRoom.get(room);
      if (last !== undefined && n > last + 1) gap = true;
      if (last === undefined || n > last) this.lastInRoom.set(room, n);
    }
    const duplicate = this.seen.has(message.outboxId);
    if (!duplicate) {
      this.seen.add(message.outboxId);
      this.seenOrder.push(message.outboxId);
      if (this.seenOrder.length > this.remembered) this.seen.delete(this.seenOrder.shift() as string);
      if (!this.lastSeq || compareSeq(message.seq, this.lastSeq) > 0) this.lastSeq = message.seq;
    }
    return { duplicate, gap };
  }
}
