import type { Channel } from "./types/Channel";
import type { FindingView } from "./types/FindingView";
import type { ProblemSeverity } from "./types/ProblemSeverity";
import { CHANNELS } from "./channels";

/** The findings panel shows the persona and language on screen, or every persona × language. */
export type FindingsScope = "current" | "all";

export const SEVERITIES: readonly ProblemSeverity[] = ["error", "warning", "info"];

export type SeverityCounts = Record<ProblemSeverity, number>;

/** Error / warning / info counts for each channel that has at least one finding, in channel order. */
export function countsByChannel(findings: readonly FindingView[]): { channel: Channel; counts: SeverityCounts }[] {
  const out: { channel: Channel; counts: SeverityCounts }[] = [];
  for (const channel of CHANNELS) {
    const mine = findings.filter((f) => f.channel === channel);
    if (!mine.length) continue;
    const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
    for (const f of mine) counts[f.severity] += 1;
    out.push({ channel, counts });
  }
  return out;
}

/** Errors first, then warnings, then info; within a severity by channel, then source line. */
export function sortFindings(findings: readonly FindingView[]): FindingView[] {
  const rank = (s: ProblemSeverity) => SEVERITIES.indexOf(s);
  const chan = (c: Channel) => CHANNELS.indexOf(c);
  return [...findings].sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) ||
      chan(a.channel) - chan(b.channel) ||
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      a.rule_id.localeCompare(b.rule_id),
  );
}

/** The message, suggestion in the UI language (falling back to the other language). */
export function localized(f: FindingView, lang: "ja" | "en"): { message: string; suggestion: string | null } {
  return lang === "ja"
    ? { message: f.message_ja || f.message_en, suggestion: f.suggestion_ja ?? f.suggestion_en }
    : { message: f.message_en || f.message_ja, suggestion: f.suggestion_en ?? f.suggestion_ja };
}

/** Error / warning / info totals over all channels. */
export function severityTotals(findings: readonly FindingView[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}
