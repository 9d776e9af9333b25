import { describe, it, expect } from "vitest";
import { countsByChannel, sortFindings, localized, severityTotals, citation, excerpt, previewMarks } from "../../src/lib/findings";
import type { Diagnostic } from "../../src/lib/types/Diagnostic";

/** A rule finding as the core sends it (the rule id is the code). */
function finding(over: Partial<Diagnostic> & { suggestion?: Diagnostic["hint"] }): Diagnostic {
  const { suggestion = null, ...rest } = over;
  return {
    code: "jp-keihyo/superlative",
    severity: "warning",
    channel: "sms",
    file: "sms.txt",
    line: 1,
    column: 1,
    message: { en: "Superlative claim", ja: "最上級表現" },
    hint: suggestion,
    origin: { kind: "rule", pack: "jp-keihyo", rule: "jp-keihyo/superlative", citation: "景品表示法 第5条" },
    subject: { template_id: "t", persona: "typical", locale: "ja" },
    rendition: { field: "text", span: { start: 0, end: 9, line: 1, column: 1 }, excerpt: "日本一" },
    ...rest,
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
      finding({ code: "c", severity: "info", channel: "email" }),
      finding({ code: "b", severity: "warning", channel: "sms", line: 4 }),
      finding({ code: "a", severity: "warning", channel: "sms", line: 2 }),
      finding({ code: "d", severity: "error", channel: "push" }),
    ]);
    expect(sorted.map((f) => f.code)).toEqual(["d", "a", "b", "c"]);
  });
  it("speaks the UI language and falls back to the other one", () => {
    const f = finding({ suggestion: { en: "Show evidence", ja: "" } });
    expect(localized(f, "ja")).toEqual({ message: "最上級表現", suggestion: "Show evidence" });
    expect(localized(f, "en").message).toBe("Superlative claim");
    expect(localized(finding({}), "ja").suggestion).toBeNull();
  });
  it("reads the citation and excerpt of rule findings only", () => {
    expect(citation(finding({}))).toBe("景品表示法 第5条");
    expect(excerpt(finding({}))).toBe("日本一");
    const render = finding({ origin: { kind: "render" }, rendition: null });
    expect(citation(render)).toBeNull();
    expect(excerpt(render)).toBe("");
  });
});

describe("severityTotals", () => {
  it("counts each severity over every channel", () => {
    const f = (severity: Diagnostic["severity"], channel: Diagnostic["channel"]) => finding({ severity, channel });
    expect(severityTotals([f("error", "email"), f("error", "print"), f("info", "sms")])).toEqual({
      error: 2,
      warning: 0,
      info: 1,
    });
    expect(severityTotals([])).toEqual({ error: 0, warning: 0, info: 0 });
  });
});

describe("previewMarks", () => {
  it("marks the finding's own excerpt and, for an inconsistency, the other channel's", () => {
    const conflict = finding({
      code: "consistency/conflict",
      rendition: { field: "text", span: null, excerpt: "12/11" },
      related: {
        channel: "print",
        file: "letter.md",
        line: 4,
        column: 1,
        rendition: { field: "text", span: null, excerpt: "2026年12月10日" },
      },
    });
    expect(previewMarks(conflict)).toEqual([
      { channel: "sms", excerpt: "12/11" },
      { channel: "print", excerpt: "2026年12月10日" },
    ]);
  });

  it("marks nothing for a finding without a channel or excerpt", () => {
    expect(previewMarks(finding({ channel: null }))).toEqual([]);
    expect(previewMarks(finding({ rendition: null }))).toEqual([]);
  });
});
