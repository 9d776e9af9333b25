/**
 * Display width as phones lay out a one-line preview: East Asian wide and full-width
 * characters (kana, kanji, full-width forms, most emoji) take two columns, others one.
 */
export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x1100) return 1;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/** Cuts `text` to at most `columns` display columns, ending in "…" when anything was cut. */
export function truncateToWidth(text: string, columns: number): { text: string; truncated: boolean } {
  const oneLine = text.replace(/\s+/g, " ").trim();
  if (displayWidth(oneLine) <= columns) return { text: oneLine, truncated: false };
  let out = "";
  let w = 0;
  for (const ch of oneLine) {
    const cw = charWidth(ch);
    if (w + cw > columns - 1) break;
    out += ch;
    w += cw;
  }
  return { text: out.trimEnd() + "…", truncated: true };
}
