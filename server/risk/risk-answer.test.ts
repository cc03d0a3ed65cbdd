import { describe, expect, it } from "vitest";
import { retryAfterMs } from "./call-provider";
import { parseRiskAnswer } from "./risk-answer";

const completion = (content: string) => JSON.stringify({ choices: [{ message: { role: "assistant", content } }] });
const analysis = "Deliveries slip now and then; two items come from nobody else.";

describe("a provider's answer", () => {
  it("is read from the message of a chat completion", () => {
    expect(parseRiskAnswer(completion(JSON.stringify({ score: 42, level: "medium", analysis })))).toEqual({
      ok: true,
      answer: { score: 42, level: "medium", analysis },
    });
  });

  it("may come in a Markdown fence, and with a fractional score", () => {
    const fenced = `\`\`\`json\n${JSON.stringify({ score: 61.6, analysis })}\n\`\`\``;
    expect(parseRiskAnswer(completion(fenced))).toEqual({ ok: true, answer: { score: 62, analysis } });
  });

  it.each([
    ["a body that is not JSON", "<html>Bad gateway</html>", "not a chat completion"],
    ["a completion without choices", JSON.stringify({ choices: [] }), "not a chat completion"],
    ["a message cut off mid-object", completion('{"score": 42, "analysis": "Deliv'), "the message is not JSON"],
    ["prose", completion("The risk is moderate."), "the message is not JSON"],
    ["a score of 140", completion(JSON.stringify({ score: 140, analysis })), "score"],
    ["no analysis", completion(JSON.stringify({ score: 40 })), "analysis"],
    ["an unknown level", completion(JSON.stringify({ score: 40, level: "severe", analysis })), "level"],
  ])("is refused when it is %s", (_, body, problem) => {
    const parsed = parseRiskAnswer(body);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toContain(problem);
  });
});

describe("Retry-After", () => {
  it.each([
    ["2", 2000],
    ["0", 0],
    ["1.5", 1500],
    ["", undefined],
    ["soon", undefined],
  ])("%j → %s ms", (header, ms) => {
    expect(retryAfterMs(header)).toBe(ms);
  });

  it("reads an HTTP date", () => {
    const now = Date.parse("2026-11-25T10:00:00Z");
    expect(retryAfterMs("Wed, 25 Nov 2026 10:00:03 GMT", now)).toBe(3000);
    expect(retryAfterMs("Wed, 25 Nov 2026 09:00:00 GMT", now)).toBe(0);
  });
});
