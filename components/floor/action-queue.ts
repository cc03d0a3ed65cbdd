// The tablet's outbox: every button press (breakdown, resume, start, finish)
// becomes an entry with its Idempotency-Key, written to localStorage BEFORE
// anything is sent. Entries go out one at a time, oldest first; a network
// failure keeps the entry (same key) for the next try, so a request whose
// answer was lost is replayed by the server rather than applied twice. An
// entry leaves the queue when the server confirms it or refuses it for good.
// No React and no fetch in here, so the rules can be tested.

export type EntryState = "queued" | "sending" | "confirmed" | "refused";

export type QueueEntry<A> = {
  /** The Idempotency-Key, made when the button was pressed; every try sends it. */
  key: string;
  action: A;
  /** What the operator pressed, in their words ("Breakdown · WLD-01"). */
  label: string;
  createdAt: string;
  state: EntryState;
  attempts: number;
  /** Why the last try did not go through (kept while queued), or why the server refused. */
  error: string | null;
  settledAt: string | null;
};

/** What one try came to. `retry`: nothing is known to have happened, send again later with the same key. */
export type SendOutcome =
  | { outcome: "confirmed" }
  | { outcome: "retry"; error: string }
  | { outcome: "refused"; error: string };

export type QueueStorage = Pick<Storage, "getItem" | "setItem">;

export type ActionQueueOptions<A> = {
  storage: QueueStorage;
  /** One queue per user: another person's presses are never sent under this session. */
  storageKey: string;
  send: (action: A, key: string) => Promise<SendOutcome>;
  newKey: () => string;
  /** When false, nothing is tried (the browser knows it has no network). */
  isOnline?: () => boolean;
  now?: () => Date;
  /** Settled entries kept for the list on screen (the newest). */
  keepSettled?: number;
  /** Confirmed entries older than this leave the list. */
  confirmedVisibleMs?: number;
  onChange?: () => void;
};

export type FlushResult = {
  /** Entries the server confirmed or refused in this flush. */
  settled: QueueEntry<unknown>[];
  /** True when an entry is still waiting (offline, or a try failed): call flush again later. */
  stalled: boolean;
};

const storageVersion = 1;

export class ActionQueue<A> {
  private list: QueueEntry<A>[] = [];
  private flushing: Promise<FlushResult> | null = null;
  private flushAgain = false;
  /** Set when storage refused a write: from then on the list in memory is the truth. */
  private memoryOnly = false;

  constructor(private readonly options: ActionQueueOptions<A>) {
    this.reload();
  }

  /** Every entry, oldest first: waiting ones and the latest settled ones. */
  entries(): readonly QueueEntry<A>[] {
    return this.list;
  }

  /** The entries still to be sent, in the order they will go. */
  pending(): QueueEntry<A>[] {
    return this.list.filter((e) => e.state === "queued" || e.state === "sending");
  }

  /** Records a press; the caller then flushes. The key is made here, once. */
  enqueue(action: A, label: string): QueueEntry<A> {
    this.reload();
    const entry: QueueEntry<A> = {
      key: this.options.newKey(),
      action,
      label,
      createdAt: this.now().toISOString(),
      state: "queued",
      attempts: 0,
      error: null,
      settledAt: null,
    };
    this.list = [...this.list, entry];
    this.save();
    return entry;
  }

  /** Removes a settled entry from the list (the operator has read it). Waiting ones stay. */
  dismiss(key: string): void {
    this.reload();
    const before = this.list.length;
    this.list = this.list.filter((e) => e.key !== key || e.state === "queued" || e.state === "sending");
    if (this.list.length !== before) this.save();
  }

  /**
   * Sends the waiting entries in order, one at a time, and stops at the first
   * that cannot go yet so that none overtakes an earlier one. Only one flush
   * runs at a time; a call during one makes it go round once more.
   */
  flush(): Promise<FlushResult> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Reads the stored queue again (another tab of the same tablet may have changed it). */
  reload(): void {
    this.list = this.prune(this.read());
  }

  private async flushLoop(): Promise<FlushResult> {
    const settled: QueueEntry<unknown>[] = [];
    let stalled = false;
    do {
      this.flushAgain = false;
      this.reload();
      stalled = false;
      for (;;) {
        const next = this.pending()[0];
        if (!next) break;
        if (this.options.isOnline && !this.options.isOnline()) {
          this.update(next.key, {
            state: "queued",
            error: "No network: it will be sent when the tablet is back online.",
          });
          stalled = true;
          break;
        }
        this.update(next.key, { state: "sending", attempts: next.attempts + 1 });
        let outcome: SendOutcome;
        try {
          outcome = await this.options.send(next.action, next.key);
        } catch (error) {
          outcome = { outcome: "retry", error: error instanceof Error ? error.message : String(error) };
        }
        // Another tab may have settled it meanwhile: keep what was stored unless this is news.
        this.reload();
        if (outcome.outcome === "retry") {
          this.update(next.key, { state: "queued", error: outcome.error });
          stalled = true;
          break;
        }
        const done = this.update(next.key, {
          state: outcome.outcome,
          error: outcome.outcome === "refused" ? outcome.error : null,
          settledAt: this.now().toISOString(),
        });
        if (done) settled.push(done);
      }
    } while (this.flushAgain && !stalled);
    this.list = this.prune(this.list);
    this.save();
    return { settled, stalled };
  }

  private update(key: string, change: Partial<QueueEntry<A>>): QueueEntry<A> | undefined {
    let updated: QueueEntry<A> | undefined;
    this.list = this.list.map((e) => {
      if (e.key !== key) return e;
      updated = { ...e, ...change };
      return updated;
    });
    this.save();
    return updated;
  }

  /** Waiting entries always stay; settled ones only the newest few, and confirmed ones only for a while. */
  private prune(list: QueueEntry<A>[]): QueueEntry<A>[] {
    const keep = this.options.keepSettled ?? 6;
    const visibleMs = this.options.confirmedVisibleMs ?? 30 * 60_000;
    const now = this.now().getTime();
    const settled = list.filter((e) => e.state === "confirmed" || e.state === "refused");
    const shown = new Set(
      settled
        .filter((e) => e.state === "refused" || now - Date.parse(e.settledAt ?? e.createdAt) < visibleMs)
        .slice(-keep)
        .map((e) => e.key),
    );
    return list.filter((e) => e.state === "queued" || e.state === "sending" || shown.has(e.key));
  }

  private read(): QueueEntry<A>[] {
    if (this.memoryOnly) return this.list;
    let raw: string | null = null;
    try {
      raw = this.options.storage.getItem(this.options.storageKey);
    } catch {
      return this.list;
    }
    if (!raw) return [];
    try {
      const parsed = JSON.parse(raw) as { version?: number; entries?: unknown };
      if (parsed.version !== storageVersion || !Array.isArray(parsed.entries)) return [];
      return parsed.entries.filter(isEntry) as QueueEntry<A>[];
    } catch {
      return [];
    }
  }

  private save(): void {
    try {
      this.options.storage.setItem(
        this.options.storageKey,
        JSON.stringify({ version: storageVersion, entries: this.list }),
      );
    } catch {
      // Storage full or blocked: the queue still works for this page's life,
      // and must not read back the older stored copy.
      this.memoryOnly = true;
    }
    this.options.onChange?.();
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

function isEntry(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.key === "string" &&
    typeof e.label === "string" &&
    typeof e.createdAt === "string" &&
    ["queued", "sending", "confirmed", "refused"].includes(e.state as string) &&
    typeof e.attempts === "number" &&
    e.action !== undefined
  );
}
