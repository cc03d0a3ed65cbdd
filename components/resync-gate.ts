// Holds live events back while the page refetches what it shows, then hands
// them over in order. Kept apart from React and Socket.IO so it can be tested.
//
// Why: a refetch may read the database just before an event commits and
// answer just after that event arrived. Applied at once, the event would be
// overwritten by the older answer; applied after the answer, it lands on top
// of it, and since events carry states ("breakdown"), not differences,
// replaying one the refetch already contains changes nothing.

export class ResyncGate<T> {
  private running = false;
  private again = false;
  private closed = false;
  private held: T[] = [];

  constructor(
    private readonly options: {
      /** Refetches; the gate stays shut until the promise settles (or `maxWaitMs` passes). */
      resync: () => unknown;
      deliver: (item: T) => void;
      /** A refetch that never answers (paused while offline, say) must not hold events forever. */
      maxWaitMs?: number;
      onError?: (error: unknown) => void;
    },
  ) {}

  /** Whether events are being held back right now. */
  get resyncing(): boolean {
    return this.running;
  }

  /** Asks for a refetch; one asked for while another runs is run once after it. */
  request(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.run();
  }

  /** Delivers now, or after the refetch in progress. */
  push(item: T): void {
    if (this.closed) return;
    if (this.running) this.held.push(item);
    else this.deliverSafely(item);
  }

  close(): void {
    this.closed = true;
    this.held = [];
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      await this.resyncOnce();
    } while (this.again && !this.closed);
    this.running = false;
    const held = this.held;
    this.held = [];
    for (const item of held) {
      if (this.closed) return;
      this.deliverSafely(item);
    }
  }

  private async resyncOnce(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.maxWaitMs ?? 15_000);
    });
    try {
      await Promise.race([Promise.resolve().then(() => this.options.resync()), timeout]);
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      clearTimeout(timer);
    }
  }

  private deliverSafely(item: T): void {
    try {
      this.options.deliver(item);
    } catch (error) {
      // One handler's bug must not stop the events after it.
      (this.options.onError ?? console.error)(error);
    }
  }
}
