import type { Channel } from "./types/Channel";
import type { Diagnostic } from "./types/Diagnostic";
import type { Severity } from "./types/Severity";
import { CHANNELS } from "./channels";

/** The findings panel shows the persona and language on screen, or every persona × language. */
export type FindingsScope = "current" | "all";

export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

export type SeverityCounts = Record<Severity, number>;

/** Error / warning / info counts for each channel that has at least one finding, in channel order. */
export function countsByChannel(findings: readonly Diagnostic[]): { channel: Channel; counts: SeverityCounts }[] {
  const out: { channel: Channel; counts: SeverityCounts }[] = [];
  for (const channel of CHANNELS) {
    const mine = findings.filter((f) => f.channel === channel);
    if (!mine.length) continue;
    out.push({ channel, counts: severityTotals(mine) });
  }
  return out;
}

/** Errors first, then warnings, then info; within a severity by channel, then source line. */
export function sortFindings(findings: readonly Diagnostic[]): Diagnostic[] {
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  const chan = (c: Channel | null) => (c === null ? CHANNELS.length : CHANNELS.indexOf(c));
  return [...findings].sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) ||
      chan(a.channel) - chan(b.channel) ||
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      a.code.localeCompare(b.code),
  );
}

/**
 * The message and hint in the UI language. The core fills both languages (rule packs write
 * them; renderer details get the code's Japanese summary), so this only falls back on the other
 * language when a pack left one empty.
 */
export function localized(d: Diagnostic, lang: "ja" | "en"): { message: string; suggestion: string | null } {
  const other = lang === "ja" ? "en" : "ja";
  const hint = d.hint ? d.hint[lang] || d.hint[other] : null;
  return { message: d.message[lang] || d.message[other], suggestion: hint || null };
}

/** The law or guideline a rule finding cites; null for other diagnostics. */
export function citation(d: Diagnostic): string | null {
  return d.origin.kind === "rule" ? d.origin.citation : null;
}

/** The text the finding is about in the rendered output (what the preview marks), or "". */
export function excerpt(d: Diagnostic): string {
  return d.rendition?.excerpt ?? "";
}

/** A place in one channel's preview to mark: the text the finding is about there. */
export interface PreviewMark {
  channel: Channel;
  excerpt: string;
}

/**
 * Every preview place a finding is about: its own and, for a cross-channel inconsistency, the
 * other channel's ("the SMS says 12/11, the letter says 12月10日"), so a click marks both panes.
 */
export function previewMarks(d: Diagnostic): PreviewMark[] {
  const out: PreviewMark[] = [];
  const own = excerpt(d);
  if (d.channel && own) out.push({ channel: d.channel, excerpt: own });
  const other = d.related;
  if (other?.channel && other.rendition?.excerpt) out.push({ channel: other.channel, excerpt: other.rendition.excerpt });
  return out;
}

/** Error / warning / info totals over all channels. */
export function severityTotals(findings: readonly Diagnostic[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}
