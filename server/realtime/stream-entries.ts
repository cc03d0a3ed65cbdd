/** An entry of the `events` stream; `fields` is null when it was trimmed away before we read it. */
export type StreamEntry = { id: string; fields: Record<string, string> | null };

export type RawStreamEntry = [id: string, fields: string[] | null];

export function toStreamEntries(raw: RawStreamEntry[]): StreamEntry[] {
  return raw.map(([id, list]) => {
    if (!list) return { id, fields: null };
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < list.length; i += 2) fields[list[i] as string] = list[i + 1] as string;
    return { id, fields };
  });
}

export type ParsedLiveEntry = { type: string; payload: unknown; at: string; outboxId: string };

/** The event an entry carries, as the outbox relay wrote it (server/outbox/publish-live-events.ts). */
export function parseLiveEntry(entry: StreamEntry): ParsedLiveEntry | { problem: string } {
  const f = entry.fields;
  if (!f) return { problem: "trimmed from the stream before it was read" };
  if (!f.type) return { problem: "no type" };
  let payload: unknown;
  try {
    payload = JSON.parse(f.payload ?? "null");
  } catch {
    return { problem: "payload is not JSON" };
  }
  return { type: f.type, payload, at: f.at ?? new Date().toISOString(), outboxId: f.outboxId ?? `stream:${entry.id}` };
}
