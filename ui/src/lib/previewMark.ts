/** Where a finding's excerpt sits in plain preview text, split so the match can be wrapped in <mark>. */
export interface MarkedText {
  before: string;
  match: string;
  after: string;
}

/** The first occurrence of `excerpt` in `text`, or null when absent (or the excerpt is empty). */
export function markFirst(text: string, excerpt: string | null | undefined): MarkedText | null {
  if (!excerpt) return null;
  const at = text.indexOf(excerpt);
  if (at < 0) return null;
  return { before: text.slice(0, at), match: excerpt, after: text.slice(at + excerpt.length) };
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

function escapeText(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ESCAPES[c]);
}

// Text inside these elements is never shown as body copy (or is not HTML text at all).
const HIDDEN = new Set(["head", "title", "style", "script", "textarea"]);

export const MARK_OPEN = '<mark style="background:#ffe066">';

/** True when `pos` falls inside a character reference such as `&amp;` or `&#x27;`. */
function insideEntity(text: string, pos: number): boolean {
  const amp = text.lastIndexOf("&", pos - 1);
  if (amp < 0) return false;
  return /^&#?[A-Za-z0-9]*$/.test(text.slice(amp, pos)) && /^[A-Za-z0-9]*;/.test(text.slice(pos));
}

/**
 * The email HTML with the first occurrence of the (HTML-escaped) excerpt in visible body text wrapped
 * in a presentational <mark>. Matches never start or end inside a tag, an attribute, a character
 * reference or a head/style/script element; the HTML is returned unchanged when there is no match.
 */
export function markInHtml(html: string, excerpt: string | null | undefined): string {
  if (!excerpt) return html;
  const needle = escapeText(excerpt);
  let hiddenUntil: string | null = null;
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    const end = lt < 0 ? html.length : lt;
    if (hiddenUntil === null && end > i) {
      const text = html.slice(i, end);
      let from = 0;
      for (;;) {
        const at = text.indexOf(needle, from);
        if (at < 0) break;
        if (!insideEntity(text, at) && !insideEntity(text, at + needle.length)) {
          const s = i + at;
          return `${html.slice(0, s)}${MARK_OPEN}${needle}</mark>${html.slice(s + needle.length)}`;
        }
        from = at + 1;
      }
    }
    if (lt < 0) break;
    const tagEnd = skipTag(html, lt);
    const name = /^<\/?([A-Za-z][A-Za-z0-9-]*)/.exec(html.slice(lt, tagEnd));
    if (html.startsWith("<!--", lt) || !name) {
      // comment, doctype or a stray "<": nothing to match inside
    } else if (html[lt + 1] === "/") {
      if (hiddenUntil === name[1].toLowerCase()) hiddenUntil = null;
    } else if (hiddenUntil === null && HIDDEN.has(name[1].toLowerCase())) {
      hiddenUntil = name[1].toLowerCase();
    }
    i = tagEnd;
  }
  return html;
}

/** Index just past the tag, comment or declaration starting at `lt` (quoted attributes may hold ">"). */
function skipTag(html: string, lt: number): number {
  if (html.startsWith("<!--", lt)) {
    const close = html.indexOf("-->", lt + 4);
    return close < 0 ? html.length : close + 3;
  }
  let quote: string | null = null;
  for (let j = lt + 1; j < html.length; j++) {
    const c = html[j];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ">") return j + 1;
  }
  return html.length;
}
