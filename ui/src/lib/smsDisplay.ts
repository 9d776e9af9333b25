/** Presentation helpers for the SMS pane: highlighting and fixing UCS-2-forcing characters. */

export interface ForcingChar {
  char: string;
  /** 0-based index in UTF-16 code units of the rendered text. */
  utf16_index: number;
  replacement: string | null;
}

export interface Run {
  text: string;
  /** Set when this run is one character that forces UCS-2. */
  forcing?: ForcingChar;
}

/**
 * Kana, kanji, CJK punctuation and Hangul: they need UCS-2 and nobody can replace them, so in a
 * Japanese message they are expected rather than worth flagging one by one.
 */
export function isCjk(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return (
    (cp >= 0x3000 && cp <= 0x30ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xff61 && cp <= 0xff9f) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** The forcing characters worth a person's attention: fixable ones, and anything not CJK. */
export function worthFlagging(f: { char: string; replacement: string | null }): boolean {
  return f.replacement !== null || !isCjk(f.char);
}

/** Splits rendered SMS text into plain runs and one-character runs that force UCS-2. */
export function highlightRuns(text: string, forcing: readonly ForcingChar[]): Run[] {
  const sorted = forcing.filter(worthFlagging).sort((a, b) => a.utf16_index - b.utf16_index);
  const runs: Run[] = [];
  let at = 0;
  for (const f of sorted) {
    if (f.utf16_index < at || f.utf16_index >= text.length) continue;
    if (text.slice(f.utf16_index, f.utf16_index + f.char.length) !== f.char) continue;
    if (f.utf16_index > at) runs.push({ text: text.slice(at, f.utf16_index) });
    runs.push({ text: f.char, forcing: f });
    at = f.utf16_index + f.char.length;
  }
  if (at < text.length) runs.push({ text: text.slice(at) });
  return runs;
}

export interface ForcingGroup {
  char: string;
  codepoint: string;
  replacement: string | null;
  /** How often it occurs in the rendered message. */
  count: number;
  /** 1-based line numbers in the source where it occurs; empty when it comes from data. */
  sourceLines: number[];
}

/** One entry per distinct forcing character worth flagging, in order of first appearance. */
export function groupForcing(
  forcing: readonly (ForcingChar & { codepoint: string })[],
  source: string,
): ForcingGroup[] {
  const groups = new Map<string, ForcingGroup>();
  for (const f of forcing.filter(worthFlagging)) {
    const g = groups.get(f.char);
    if (g) {
      g.count += 1;
      continue;
    }
    groups.set(f.char, {
      char: f.char,
      codepoint: f.codepoint,
      replacement: f.replacement,
      count: 1,
      sourceLines: linesContaining(source, f.char),
    });
  }
  return [...groups.values()];
}

function linesContaining(source: string, ch: string): number[] {
  const lines: number[] = [];
  source.split("\n").forEach((line, i) => {
    if (line.includes(ch)) lines.push(i + 1);
  });
  return lines;
}

/**
 * Replaces every occurrence of `ch` in the source with `replacement`, outside Tera tags
 * (`{{ … }}`, `{% … %}`, `{# … #}`) so template logic is never changed by a copy fix.
 */
export function replaceInSource(source: string, ch: string, replacement: string): string {
  const tag = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;
  let out = "";
  let at = 0;
  for (const m of source.matchAll(tag)) {
    out += source.slice(at, m.index).split(ch).join(replacement);
    out += m[0];
    at = m.index + m[0].length;
  }
  out += source.slice(at).split(ch).join(replacement);
  return out;
}

/** Shows invisible replacements (an empty string, a space) so a button label is readable. */
export function visibleReplacement(r: string): string {
  if (r === "") return "∅";
  if (r === " ") return "␣";
  return r;
}

/** How many forcing characters are CJK text (expected in Japanese, listed as one count). */
export function cjkCount(forcing: readonly { char: string; replacement: string | null }[]): number {
  return forcing.filter((f) => !worthFlagging(f)).length;
}
