import { describe, expect, it } from "vitest";
import { parseLiveEntry, toStreamEntries } from "./stream-entries";

describe("stream entries", () => {
  it("reads an entry the way the outbox relay writes it", () => {
    const [entry] = toStreamEntries([
      [
        "1-0",
        ["type", "machine.status", "payload", '{"workCenterId":1}', "at", "2026-01-01T00:00:00.000Z", "outboxId", "9"],
      ],
    ]);
    expect(entry && parseLiveEntry(entry)).toEqual({
      type: "machine.status",
      payload: { workCenterId: 1 },
      at: "2026-01-01T00:00:00.000Z",
      outboxId: "9",
    });
  });

  it.each([
    ["trimmed", null, /trimmed/],
    ["without a type", ["payload", "{}"], /no type/],
    ["with a payload that is not JSON", ["type", "x", "payload", "{"], /not JSON/],
  ])("refuses an entry %s", (_, fields, problem) => {
    const [entry] = toStreamEntries([["1-0", fields]]);
    expect(entry && parseLiveEntry(entry)).toEqual({ problem: expect.stringMatching(problem) });
  });
});
