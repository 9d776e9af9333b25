import { describe, it, expect } from "vitest";
import { highlightRuns, groupForcing, replaceInSource, visibleReplacement, cjkCount } from "../../src/lib/smsDisplay";

const curly = (utf16_index: number) => ({ char: "\u2019", codepoint: "U+2019", utf16_index, replacement: "'" });

describe("highlightRuns", () => {
  it("marks exactly the forcing characters and keeps all text", () => {
    const text = "It\u2019s due. Don\u2019t miss it";
    const runs = highlightRuns(text, [curly(2), curly(13)]);
    expect(runs.map((r) => r.text).join("")).toBe(text);
    expect(runs.filter((r) => r.forcing).map((r) => r.text)).toEqual(["\u2019", "\u2019"]);
    expect(runs[0]).toEqual({ text: "It" });
  });

  it("uses UTF-16 indexes, so an emoji before the character does not shift the mark", () => {
    const text = "😀 \u201Cok\u201D";
    const runs = highlightRuns(text, [
      { char: "😀", utf16_index: 0, replacement: null },
      { char: "\u201C", utf16_index: 3, replacement: '"' },
      { char: "\u201D", utf16_index: 6, replacement: '"' },
    ]);
    expect(runs.filter((r) => r.forcing).map((r) => r.text)).toEqual(["😀", "\u201C", "\u201D"]);
    expect(runs.map((r) => r.text).join("")).toBe(text);
  });

  it("ignores a position that does not hold the character (stale analysis)", () => {
    const runs = highlightRuns("abc", [curly(1)]);
    expect(runs).toEqual([{ text: "abc" }]);
  });
});

describe("groupForcing", () => {
  it("groups repeats and finds the source lines; data-only characters have none", () => {
    const source = "Hello {{ name }}\nIt\u2019s due\n";
    const groups = groupForcing(
      [curly(2), curly(20), { char: "é", codepoint: "U+00E9", utf16_index: 30, replacement: "e" }],
      source,
    );
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatchObject({ char: "\u2019", count: 2, sourceLines: [2] });
    expect(groups[1]).toMatchObject({ char: "é", sourceLines: [] });
  });
});

describe("replaceInSource", () => {
  it("replaces the character in copy but never inside Tera tags", () => {
    const src = "It\u2019s {{ x | default(value=\"\u2019\") }} \u2019{% if y %}\u2019{% endif %}";
    expect(replaceInSource(src, "\u2019", "'")).toBe("It's {{ x | default(value=\"\u2019\") }} '{% if y %}'{% endif %}");
  });

  it("can remove a character (empty replacement)", () => {
    expect(replaceInSource("a\u200Bb", "\u200B", "")).toBe("ab");
  });
});

describe("visibleReplacement", () => {
  it("labels invisible replacements", () => {
    expect(visibleReplacement("")).toBe("∅");
    expect(visibleReplacement(" ")).toBe("␣");
    expect(visibleReplacement("-")).toBe("-");
  });
});

describe("Japanese text", () => {
  it("flags fixable characters and non-CJK ones, not every kana and kanji", () => {
    const text = "お支払い\uFF08本日\uFF09😀";
    const forcing = [...text].map((char, i) => ({
      char,
      codepoint: "",
      utf16_index: [...text].slice(0, i).join("").length,
      replacement: char === "\uFF08" ? "(" : char === "\uFF09" ? ")" : null,
    }));
    const marked = highlightRuns(text, forcing).filter((r) => r.forcing).map((r) => r.text);
    expect(marked).toEqual(["\uFF08", "\uFF09", "😀"]);
    expect(cjkCount(forcing)).toBe(6);
    expect(groupForcing(forcing, text).map((g) => g.char)).toEqual(["\uFF08", "\uFF09", "😀"]);
  });
});
