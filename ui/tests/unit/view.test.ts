import { describe, it, expect } from "vitest";
import { truncateToWidth, displayWidth } from "../../src/lib/textWidth";
import { inboxRow, INBOX_COLUMNS } from "../../src/lib/inbox";
import { channelOfFile, problemsFor, orderFiles, sourceFile } from "../../src/lib/channels";
import { facets, visibleRows, windowRange } from "../../src/lib/libraryFilter";
import type { Diagnostic } from "../../src/lib/types/Diagnostic";
import type { TemplateSummary } from "../../src/lib/types/TemplateSummary";

describe("display width", () => {
  it("counts kana and kanji as two columns", () => {
    expect(displayWidth("お支払いabc")).toBe(11);
  });
  it("truncates Japanese at half the characters of English", () => {
    const ja = truncateToWidth("あ".repeat(30), 20);
    const en = truncateToWidth("a".repeat(30), 20);
    expect(ja.truncated && en.truncated).toBe(true);
    expect([...ja.text].length).toBe(10); // 9 kana + "…"
    expect([...en.text].length).toBe(20);
  });
  it("keeps short text and flattens line breaks", () => {
    expect(truncateToWidth("a\n b", 10)).toEqual({ text: "a b", truncated: false });
  });
});

describe("inbox row", () => {
  it("falls back to the body text when there is no preheader", () => {
    const row = inboxRow("Bank", "Subject", "  ", "Body text here");
    expect(row.preview).toBe("Body text here");
  });
  it("cuts a long Japanese subject to one phone line", () => {
    const row = inboxRow("さくら銀行", "【さくら銀行】" + "お引き落とし日のお知らせ".repeat(3), "pre", "");
    expect(row.subjectTruncated).toBe(true);
    expect(displayWidth(row.subject)).toBeLessThanOrEqual(INBOX_COLUMNS.subject);
  });
});

const problem = (p: Partial<Diagnostic> & { text?: string }): Diagnostic => {
  const { text = "m", ...rest } = p;
  return {
    code: "format.invalid",
    severity: "error",
    channel: null,
    file: null,
    line: null,
    column: null,
    message: { en: text, ja: `ファイルの書式エラー: ${text}` },
    hint: null,
    origin: { kind: "format" },
    subject: null,
    rendition: null,
    ...rest,
  };
};

describe("channels", () => {
  it("maps channel files, including locale variants, to their channel", () => {
    expect(channelOfFile("sms.txt")).toBe("sms");
    expect(channelOfFile("email.en.md")).toBe("email");
    expect(channelOfFile("template.toml")).toBeNull();
    expect(channelOfFile("data/typical.json")).toBeNull();
  });
  it("routes a problem to its pane; shared-file problems go to every pane", () => {
    const list = [
      problem({ channel: "sms", text: "tera" }),
      problem({ file: "email.md", text: "front matter" }),
      problem({ file: "template.toml", text: "manifest" }),
    ];
    expect(problemsFor("sms", list).map((p) => p.message.en)).toEqual(["tera", "manifest"]);
    expect(problemsFor("email", list).map((p) => p.message.en)).toEqual(["front matter", "manifest"]);
    expect(problemsFor("push", list).map((p) => p.message.en)).toEqual(["manifest"]);
  });
  it("names source files like the Rust side", () => {
    expect(sourceFile("sms", "ja", "ja")).toBe("sms.txt");
    expect(sourceFile("email", "en", "ja")).toBe("email.en.md");
  });
  it("orders tabs manifest, channels, personas", () => {
    expect(orderFiles(["data/a.json", "sms.txt", "email.en.md", "template.toml", "email.md", "print.md"])).toEqual([
      "template.toml",
      "email.md",
      "email.en.md",
      "sms.txt",
      "print.md",
      "data/a.json",
    ]);
  });
});

const summary = (id: string, tags: string[], brand: string): TemplateSummary => ({
  id,
  name: id,
  description: "",
  tags,
  industry: "bank",
  purpose: "transactional",
  brand,
  locales: ["ja"],
  latest_version: 1,
  latest_hash: "0".repeat(64),
  updated_at: "2026-01-01T00:00:00Z",
});

describe("library list", () => {
  const all = [summary("a", ["x", "y"], "b1"), summary("b", ["y"], "b2"), summary("c", [], "b1")];
  it("offers each tag and brand once, sorted", () => {
    expect(facets(all)).toEqual({ tags: ["x", "y"], brands: ["b1", "b2"], industries: ["bank"] });
  });
  it("shows search hits in hit order, within the filtered rows", () => {
    expect(visibleRows(all, null).map((s) => s.id)).toEqual(["a", "b", "c"]);
    expect(visibleRows(all.slice(0, 2), ["c", "b", "a", "b"]).map((s) => s.id)).toEqual(["b", "a"]);
  });
  it("renders only the rows on screen of a 10,000-row list", () => {
    const r = windowRange(34 * 5000, 680, 34, 10000);
    expect(r.end - r.start).toBeLessThan(60);
    expect(r.start).toBeLessThanOrEqual(5000);
    expect(r.end).toBeGreaterThan(5020);
  });
});
