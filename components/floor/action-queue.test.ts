import { describe, expect, it, vi } from "vitest";
import { ActionQueue, type QueueStorage, type SendOutcome } from "./action-queue";

type Press = { what: string };

function memoryStorage(): QueueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

/** A queue on `storage` whose server answers each try from `answers` in turn (then confirms). */
function setup({
  storage = memoryStorage() as QueueStorage,
  answers = [] as SendOutcome[],
  online = (): boolean => true,
  now = () => new Date("2026-11-25T10:00:00Z"),
} = {}) {
  const sent: { what: string; key: string }[] = [];
  let keys = 0;
  const send = vi.fn(async (action: Press, key: string) => {
    sent.push({ what: action.what, key });
    return answers.shift() ?? { outcome: "confirmed" as const };
  });
  const make = () =>
    new ActionQueue<Press>({
      storage,
      storageKey: "floor-queue:7",
      send,
      newKey: () => `key-${++keys}`,
      isOnline: online,
      now,
    });
  return { storage, sent, send, make, queue: make() };
}

const networkDown: SendOutcome = { outcome: "retry", error: "No answer from the server" };

describe("ActionQueue", () => {
  it("stores a press with its key before anything is sent, so a reload finds it", () => {
    const { queue, make, send } = setup();
    const entry = queue.enqueue({ what: "breakdown" }, "Breakdown · WLD-01");
    expect(send).not.toHaveBeenCalled();
    const afterReload = make();
    expect(afterReload.pending()).toEqual([
      expect.objectContaining({ key: entry.key, label: "Breakdown · WLD-01", state: "queued", attempts: 0 }),
    ]);
  });

  it("sends each press once and then drops it from the queue", async () => {
    const { queue, make, sent } = setup();
    queue.enqueue({ what: "resume" }, "Resume");
    const first = await queue.flush();
    expect(first).toMatchObject({ stalled: false, settled: [expect.objectContaining({ state: "confirmed" })] });
    await queue.flush();
    await make().flush(); // a reload after the confirmation sends nothing either
    expect(sent).toEqual([{ what: "resume", key: "key-1" }]);
    expect(queue.pending()).toEqual([]);
    expect(make().entries()).toEqual([expect.objectContaining({ state: "confirmed", error: null })]);
  });

  it("keeps the order of presses, and a waiting press holds back the ones after it", async () => {
    const { queue, sent } = setup({ answers: [networkDown] });
    queue.enqueue({ what: "breakdown" }, "Breakdown");
    queue.enqueue({ what: "resume" }, "Resume");
    queue.enqueue({ what: "start" }, "Start");
    expect(await queue.flush()).toMatchObject({ stalled: true, settled: [] });
    expect(sent.map((s) => s.what)).toEqual(["breakdown"]);
    expect(queue.pending().map((e) => e.action.what)).toEqual(["breakdown", "resume", "start"]);

    await queue.flush();
    expect(sent.map((s) => s.what)).toEqual(["breakdown", "breakdown", "resume", "start"]);
  });

  it("sends the same key again after a failed try, in this page and after a reload", async () => {
    const { queue, make, sent } = setup({ answers: [networkDown, networkDown] });
    queue.enqueue({ what: "breakdown" }, "Breakdown");
    await queue.flush();
    expect(queue.pending()[0]).toMatchObject({ state: "queued", attempts: 1, error: "No answer from the server" });
    await make().flush();
    await make().flush();
    expect(sent).toEqual([
      { what: "breakdown", key: "key-1" },
      { what: "breakdown", key: "key-1" },
      { what: "breakdown", key: "key-1" },
    ]);
    expect(make().pending()).toEqual([]);
  });

  it("sends again, with its key, a press that was being sent when the page was closed", async () => {
    const storage = memoryStorage();
    const { queue } = setup({ storage });
    queue.enqueue({ what: "finish" }, "Finish");
    // The page died while the request was out: the entry was stored as "sending".
    const stored = JSON.parse(storage.data.get("floor-queue:7") as string);
    stored.entries[0].state = "sending";
    stored.entries[0].attempts = 1;
    storage.data.set("floor-queue:7", JSON.stringify(stored));

    const { make, sent } = setup({ storage });
    const reloaded = make();
    expect(reloaded.pending()).toHaveLength(1);
    await reloaded.flush();
    expect(sent).toEqual([{ what: "finish", key: "key-1" }]);
    expect(reloaded.entries()[0]).toMatchObject({ state: "confirmed", attempts: 2 });
  });

  it("drops a press the server refused for good, shows why, and goes on with the next", async () => {
    const refusal: SendOutcome = { outcome: "refused", error: "WO-10001 is done, not queued." };
    const { queue, sent } = setup({ answers: [refusal] });
    queue.enqueue({ what: "start" }, "Start WO-10001");
    queue.enqueue({ what: "breakdown" }, "Breakdown");
    const { settled, stalled } = await queue.flush();
    expect(stalled).toBe(false);
    expect(settled.map((e) => e.state)).toEqual(["refused", "confirmed"]);
    expect(sent.map((s) => s.what)).toEqual(["start", "breakdown"]);
    expect(queue.pending()).toEqual([]);
    expect(queue.entries()[0]).toMatchObject({ state: "refused", error: "WO-10001 is done, not queued." });
    await queue.flush();
    expect(sent).toHaveLength(2);
  });

  it("tries nothing while the browser is offline, and sends when it is back", async () => {
    let online = false;
    const { queue, sent } = setup({ online: () => online });
    queue.enqueue({ what: "resume" }, "Resume");
    expect(await queue.flush()).toMatchObject({ stalled: true });
    expect(sent).toEqual([]);
    expect(queue.pending()[0]).toMatchObject({ state: "queued", attempts: 0, error: expect.stringMatching(/online/) });
    online = true;
    await queue.flush();
    expect(sent).toEqual([{ what: "resume", key: "key-1" }]);
  });

  it("runs one flush at a time: presses made during it go in the same run, each sent once", async () => {
    const { queue, sent, send } = setup();
    let release: () => void = () => {};
    send.mockImplementationOnce(async (action, key) => {
      sent.push({ what: action.what, key });
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return { outcome: "confirmed" };
    });
    queue.enqueue({ what: "breakdown" }, "Breakdown");
    const first = queue.flush();
    queue.enqueue({ what: "resume" }, "Resume");
    const second = queue.flush();
    await Promise.resolve();
    release();
    await Promise.all([first, second]);
    expect(sent).toEqual([
      { what: "breakdown", key: "key-1" },
      { what: "resume", key: "key-2" },
    ]);
  });

  it("treats a send that throws as a failed try", async () => {
    const { queue, send } = setup();
    send.mockRejectedValueOnce(new Error("boom"));
    queue.enqueue({ what: "resume" }, "Resume");
    expect(await queue.flush()).toMatchObject({ stalled: true });
    expect(queue.pending()[0]).toMatchObject({ error: "boom", attempts: 1 });
  });

  it("keeps only the newest settled entries, forgets old confirmations and lets the operator dismiss", async () => {
    let now = new Date("2026-11-25T10:00:00Z");
    const { queue, make } = setup({ now: () => now });
    for (let i = 0; i < 8; i++) queue.enqueue({ what: `press-${i}` }, `Press ${i}`);
    await queue.flush();
    expect(queue.entries().map((e) => e.action.what)).toEqual(["2", "3", "4", "5", "6", "7"].map((n) => `press-${n}`));

    queue.dismiss(queue.entries()[0]?.key ?? "");
    expect(make().entries()).toHaveLength(5);
    now = new Date("2026-11-25T11:00:00Z");
    expect(make().entries()).toEqual([]);
  });

  it("starts empty from unreadable storage, and works in memory when storage refuses writes", async () => {
    const storage = memoryStorage();
    storage.data.set("floor-queue:7", "{not json");
    expect(setup({ storage }).queue.entries()).toEqual([]);

    const full: QueueStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    const { queue, sent } = setup({ storage: full, answers: [networkDown] });
    queue.enqueue({ what: "breakdown" }, "Breakdown");
    await queue.flush();
    await queue.flush();
    expect(sent).toEqual([
      { what: "breakdown", key: "key-1" },
      { what: "breakdown", key: "key-1" },
    ]);
    expect(queue.pending()).toEqual([]);
  });
});
