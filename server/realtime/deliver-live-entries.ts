import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { LiveEmitter } from "./emit-live-message";
import type { OutgoingLiveMessage } from "./live-message";
import { emitFailures, emittedEvents, eventDelay, fanoutDuration } from "./metrics";
import type { RestoreBarrier } from "./restore-barrier";
import { roomsForEvent } from "./routes";
import { parseLiveEntry, type StreamEntry } from "./stream-entries";

/** Each room's last event number (a hash: room → count), for `roomSeq`. */
export const roomSeqKey = "realtime:room-seq";

/**
 * Emits a batch of stream entries, in stream order, each to the rooms its
 * type is routed to. Returns the ids that are done with (emitted, or not an
 * event at all): everything before the first entry that failed to reach the
 * adapter, which the caller acknowledges; the rest is emitted again later.
 */
export async function deliverLiveEntries({
  entries,
  redis,
  emit,
  barrier,
  log,
}: {
  entries: StreamEntry[];
  redis: Redis;
  emit: LiveEmitter;
  /** Emitting waits while a session is being restored here (see restore-barrier.ts). */
  barrier: RestoreBarrier;
  log: Logger;
}): Promise<{ done: string[]; complete: boolean }> {
  const takenAt = performance.now();
  const planned = entries.map((entry) => {
    const parsed = parseLiveEntry(entry);
    if ("problem" in parsed) {
      log.warn({ streamId: entry.id, problem: parsed.problem }, "stream entry skipped");
      return { entry, parsed: undefined, rooms: [] };
    }
    return { entry, parsed, rooms: roomsForEvent(parsed.type, parsed.payload) };
  });

  // Numbered before they are emitted, in one round trip. An entry emitted
  // again after a failure gets new numbers: its clients see a skipped number
  // and refetch, which is the safe side.
  const counting = redis.pipeline();
  for (const { rooms } of planned) for (const room of rooms) counting.hincrby(roomSeqKey, room, 1);
  const counts = planned.some((p) => p.rooms.length > 0) ? await counting.exec() : [];
  const failedCount = counts?.find(([error]) => error);
  if (!counts || failedCount) throw failedCount?.[0] ?? new Error("Redis pipeline returned nothing");

  // Checked right before the emissions, which start synchronously: no
  // restore can begin in between.
  while (!barrier.idle) await barrier.whenIdle();
  let next = 0;
  const emitted = planned.map(({ entry, parsed, rooms }) => {
    if (!parsed) return Promise.resolve(true);
    const roomSeq: Record<string, number> = {};
    for (const room of rooms) roomSeq[room] = Number(counts[next++]?.[1]);
    const message: OutgoingLiveMessage = { seq: entry.id, ...parsed, roomSeq };
    // Not awaited one by one: the adapter writes them to its stream on one
    // connection, in this order, and delivers each once it is written.
    // The adapter has written the packet to every local socket when this resolves.
    return emit(rooms, message).then((ok) => {
      if (ok) fanoutDuration.observe((performance.now() - takenAt) / 1000);
      return ok;
    });
  });
  const results = await Promise.all(emitted);

  const now = Date.now();
  const firstFailure = results.indexOf(false);
  const doneCount = firstFailure === -1 ? results.length : firstFailure;
  for (let i = 0; i < doneCount; i++) {
    const parsed = planned[i]?.parsed;
    if (!parsed) continue;
    emittedEvents.inc({ type: parsed.type });
    const at = Date.parse(parsed.at);
    if (Number.isFinite(at)) eventDelay.observe(Math.max(0, now - at) / 1000);
  }
  if (firstFailure !== -1) {
    emitFailures.inc(results.filter((ok) => !ok).length);
    log.warn(
      { streamId: entries[firstFailure]?.id },
      "live event not written to the adapter's stream; will emit again",
    );
  }
  return { done: entries.slice(0, doneCount).map((e) => e.id), complete: firstFailure === -1 };
}
