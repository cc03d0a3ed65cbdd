import { describe, expect, it, vi } from "vitest";
import { ResyncGate } from "./resync-gate";

function deferred() {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("ResyncGate", () => {
  it("delivers at once when no refetch runs", () => {
    const delivered: number[] = [];
    const gate = new ResyncGate<number>({ resync: () => undefined, deliver: (n) => delivered.push(n) });
    gate.push(1);
    gate.push(2);
    expect(delivered).toEqual([1, 2]);
  });

  it("holds events back until the refetch has landed, then delivers them in order", async () => {
    const refetch = deferred();
    const delivered: number[] = [];
    const gate = new ResyncGate<number>({ resync: () => refetch.promise, deliver: (n) => delivered.push(n) });
    gate.request();
    gate.push(1);
    gate.push(2);
    await settle();
    expect(delivered).toEqual([]);
    expect(gate.resyncing).toBe(true);
    refetch.resolve();
    await settle();
    expect(delivered).toEqual([1, 2]);
    gate.push(3);
    expect(delivered).toEqual([1, 2, 3]);
  });

  it("runs a refetch asked for during another once more after it, not in parallel", async () => {
    const first = deferred();
    const second = deferred();
    const resync = vi.fn().mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const delivered: number[] = [];
    const gate = new ResyncGate<number>({ resync, deliver: (n) => delivered.push(n) });
    gate.request();
    gate.push(1);
    gate.request();
    gate.request();
    await settle();
    expect(resync).toHaveBeenCalledTimes(1);
    first.resolve();
    await settle();
    expect(resync).toHaveBeenCalledTimes(2);
    expect(delivered).toEqual([]);
    second.resolve();
    await settle();
    expect(delivered).toEqual([1]);
  });

  it("opens after a failed refetch, and after maxWaitMs when the refetch never answers", async () => {
    const delivered: number[] = [];
    const failing = new ResyncGate<number>({
      resync: () => Promise.reject(new Error("offline")),
      deliver: (n) => delivered.push(n),
      onError: () => {},
    });
    failing.request();
    failing.push(1);
    await settle();
    expect(delivered).toEqual([1]);

    vi.useFakeTimers();
    try {
      const hanging = new ResyncGate<number>({
        resync: () => new Promise(() => {}),
        deliver: (n) => delivered.push(n),
        maxWaitMs: 1000,
      });
      hanging.request();
      hanging.push(2);
      await vi.advanceTimersByTimeAsync(999);
      expect(delivered).toEqual([1]);
      await vi.advanceTimersByTimeAsync(1);
      expect(delivered).toEqual([1, 2]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("delivers nothing after close, and one failing handler does not stop the rest", async () => {
    const delivered: number[] = [];
    const errors: unknown[] = [];
    const gate = new ResyncGate<number>({
      resync: () => undefined,
      deliver: (n) => {
        if (n === 1) throw new Error("bug");
        delivered.push(n);
      },
      onError: (e) => errors.push(e),
    });
    gate.push(1);
    gate.push(2);
    gate.close();
    gate.push(3);
    expect(delivered).toEqual([2]);
    expect(errors).toHaveLength(1);
  });
});
