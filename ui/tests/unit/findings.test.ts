import { describe, it, expect } from "vitest";
import { countsByChannel, sortFindings, localized, severityTotals } from "../../src/lib/findings";
import type { FindingView } from "../../src/lib/types/FindingView";

function finding(over: Partial<FindingView>): FindingView {
  return {
    rule_id: "jp-keihyo/superlative",
    severity: "warning",
    channel: "sms",
    field: "text",
    excerpt: "日本一",
    file: "sms.txt",
    line: 1,
    column: 1,
    message_en: "Superlative claim",
    message_ja: "最上級表現",
    suggestion_en: null,
    suggestion_ja: null,
    citation: null,
    ...over,
  };
}

describe("findings panel", () => {
  it("counts severities per channel in channel order, skipping channels without findings", () => {
    const counts = countsByChannel([
      finding({ channel: "sms", severity: "error" }),
      finding({ channel: "email", severity: "warning" }),
      finding({ channel: "sms", severity: "warning" }),
      finding({ channel: "sms", severity: "warning" }),
      finding({ channel: "email", severity: "info" }),
    ]);
    expect(counts).toEqual([
      { channel: "email", counts: { error: 0, warning: 1, info: 1 } },
      { channel: "sms", counts: { error: 1, warning: 2, info: 0 } },
    ]);
  });
  it("lists errors first, then by channel and source line", () => {
    const sorted = sortFindings([
      finding({ rule_id: "c", severity: "info", channel: "email" }),
      finding({ rule_id: "b", severity: "warning", channel: "sms", line: 4 }),
      finding({ rule_id: "a", severity: "warning", channel: "sms", line: 2 }),
      finding({ rule_id: "d", severity: "error", channel: "push" }),
    ]);
    expect(sorted.map((f) => f.rule_id)).toEqual(["d", "a", "b", "c"]);
  });
  it("speaks the UI language and falls back to the other one", () => {
    const f = finding({ suggestion_en: "Show evidence", suggestion_ja: null });
    expect(localized(f, "ja")).toEqual({ message: "最上級表現", suggestion: "Show evidence" });
    expect(localized(f, "en").message).toBe("Superlative claim");
  });
});

describe("severityTotals", () => {
  it("counts each severity over every channel", () => {
    const f = (severity: FindingView["severity"], channel: FindingView["channel"]) => finding({ severity, channel });
    expect(severityTotals([f("error", "email"), f("error", "print"), f("info", "sms")])).toEqual({
      error: 2,
      warning: 0,
      info: 1,
    });
    expect(severityTotals([])).toEqual({ error: 0, warning: 0, info: 0 });
  });
});
