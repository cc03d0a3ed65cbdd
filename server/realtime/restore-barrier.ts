import { compareSeq } from "./live-event-tracker";

/**
 * Closes a gap in Socket.IO's session recovery. A restore takes three steps:
 * the adapter reads the missed events from its stream; Socket.IO creates the
 * socket in its rooms; after the middlewares, a tick later, it connects the
 * socket, and only from then on do broadcasts reach it (the adapter skips a
 * socket that is in a room but not yet connected). A broadcast delivered on
 * this instance before that reaches the client neither way: it is not in the
 * replay (written after the read) and not live. With events in flight, whole
 * batches fell into that gap in our tests; with the barrier ending when the
 * socket was created rather than connected, one event in a thousand still
 * did (a held broadcast released a tick too early).
 *
 * While a restore is in progress on this instance, then: the feeder here
 * waits before emitting (its events go through the same Redis connection as
 * the restore's reads, so anything emitted earlier is in the replay), and
 * broadcasts arriving from other instances are held and delivered once the
 * socket is connected. A broadcast the replay already contained is not
 * delivered to that socket again, whether it arrives during the restore or
 * after.
 */
export class RestoreBarrier {
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private held: { offset: string; deliver: (except: string[]) => void }[] = [];
  /** Restored sockets, and the last stream entry their replay covered. */
  private readonly replayed = new Map<string, { upTo: string; at: number }>();

  get idle(): boolean {
    return this.inFlight === 0;
  }

  whenIdle(): Promise<void> {
    return this.idle ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  /** A restore starts, before the adapter reads the stream; the function returned ends it (once, however often called). */
  begin(): () => void {
    this.inFlight++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.end();
    };
  }

  /** The adapter replayed the stream up to `upTo` for socket `sid`. */
  restored(sid: string, upTo: string): void {
    this.replayed.set(sid, { upTo, at: Date.now() });
  }

  /** A restore is over: the socket is connected (it receives broadcasts), or never will be. */
  private end(): void {
    this.inFlight--;
    if (this.inFlight > 0) return;
    const held = this.held;
    this.held = [];
    for (const { offset, deliver } of held) this.deliverNow(offset, deliver);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** A broadcast read from the adapter's stream (in stream order): delivered now, or after the restores. */
  incoming(offset: string, deliver: (except: string[]) => void): void {
    if (this.inFlight > 0) this.held.push({ offset, deliver });
    else this.deliverNow(offset, deliver);
  }

  private deliverNow(offset: string, deliver: (except: string[]) => void): void {
    const except: string[] = [];
    const stale = Date.now() - 60_000;
    for (const [sid, { upTo, at }] of this.replayed) {
      if (compareSeq(offset, upTo) <= 0) except.push(sid);
      // The stream is read in order: past its replay, nothing more can be a repeat for this socket.
      else this.replayed.delete(sid);
      if (at < stale) this.replayed.delete(sid);
    }
    deliver(except);
  }
}
