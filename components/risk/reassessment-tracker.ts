import { answersRequest } from "./risk-format";

export type AssessmentOutcome = {
  level: string | null;
  score: number | null;
  source: string | null;
  assessedAt: string | null;
};
export type SupplierRef = { id: number; name: string };

export type TrackerCallbacks = {
  /** Reads the supplier's latest assessment when no push came in time (null: none yet). */
  check: (supplierId: number) => Promise<AssessmentOutcome | null>;
  onResult: (supplier: SupplierRef, outcome: AssessmentOutcome) => void;
  /** Neither a push nor the API had the answer within `giveUpMs`. */
  onStillRunning: (supplier: SupplierRef) => void;
  /** The set of pending suppliers changed. */
  onChange: (pendingIds: ReadonlySet<number>) => void;
};

export type TrackerTimings = { pushGraceMs: number; checkEveryMs: number; giveUpMs: number };

/** Wait 10 s for the push, then ask every 3 s, and stop waiting after a minute. */
export const defaultTimings: TrackerTimings = { pushGraceMs: 10_000, checkEveryMs: 3_000, giveUpMs: 60_000 };

type Pending = {
  supplier: SupplierRef;
  /** Empty until the 202 came back. */
  requestedAt: string;
  startedAt: number;
  timer?: ReturnType<typeof setTimeout>;
  /** Pushes that came before the 202 did (a fast worker): checked once `requestedAt` is known. */
  early: AssessmentOutcome[];
};

/**
 * The reassessments a page is waiting for. A request is answered by the
 * first assessment of that supplier made at or after the moment the API
 * accepted it (`requestedAt`), whether it arrives as a `supplier.risk` push
 * or, when no push came within the grace period (realtime link down, push
 * lost), by asking the API every few seconds. One pending request per
 * supplier; several suppliers at once.
 */
export class ReassessmentTracker {
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly callbacks: () => TrackerCallbacks,
    private readonly timings: TrackerTimings = defaultTimings,
  ) {}

  /** Marks the supplier pending from the click on; false when it already is. */
  begin(supplier: SupplierRef): boolean {
    if (this.pending.has(supplier.id)) return false;
    this.pending.set(supplier.id, { supplier, requestedAt: "", startedAt: Date.now(), early: [] });
    this.changed();
    return true;
  }

  /** The API accepted the request (202) at `requestedAt`. */
  accepted(supplierId: number, requestedAt: string): void {
    const entry = this.pending.get(supplierId);
    if (!entry) return;
    entry.requestedAt = requestedAt;
    const answer = entry.early.find((outcome) => answersRequest(outcome.assessedAt, requestedAt));
    if (answer) {
      this.settle(entry, answer);
      return;
    }
    entry.timer = setTimeout(() => void this.poll(entry), this.timings.pushGraceMs);
  }

  /** The request did not go through: nothing to wait for. */
  failed(supplierId: number): void {
    const entry = this.pending.get(supplierId);
    if (entry) this.finish(entry);
  }

  /** A `supplier.risk` push. */
  push(supplierId: number, outcome: AssessmentOutcome): void {
    const entry = this.pending.get(supplierId);
    if (!entry) return;
    if (!entry.requestedAt) entry.early.push(outcome);
    else if (answersRequest(outcome.assessedAt, entry.requestedAt)) this.settle(entry, outcome);
  }

  pendingIds(): ReadonlySet<number> {
    return new Set(this.pending.keys());
  }

  dispose(): void {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }

  private async poll(entry: Pending): Promise<void> {
    let latest: AssessmentOutcome | null = null;
    try {
      latest = await this.callbacks().check(entry.supplier.id);
    } catch {
      // A passing network or server error: ask again at the next turn.
    }
    if (this.pending.get(entry.supplier.id) !== entry) return; // settled by a push meanwhile
    if (latest && answersRequest(latest.assessedAt, entry.requestedAt)) {
      this.settle(entry, latest);
    } else if (Date.now() - entry.startedAt >= this.timings.giveUpMs) {
      this.finish(entry);
      this.callbacks().onStillRunning(entry.supplier);
    } else {
      entry.timer = setTimeout(() => void this.poll(entry), this.timings.checkEveryMs);
    }
  }

  private settle(entry: Pending, outcome: AssessmentOutcome): void {
    this.finish(entry);
    this.callbacks().onResult(entry.supplier, outcome);
  }

  private finish(entry: Pending): void {
    clearTimeout(entry.timer);
    this.pending.delete(entry.supplier.id);
    this.changed();
  }

  private changed(): void {
    this.callbacks().onChange(this.pendingIds());
  }
}
