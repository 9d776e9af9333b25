/**
 * The review screens' small decisions: which actions a person sees, which rules an approval
 * must waive, how a refusal reads in the user's language, and the archive form's query. The
 * rules themselves (four-eyes, roles, waivers) are enforced in the core; this only decides
 * what to offer and how to show the answer.
 */
import type { Role } from "./types/Role";
import type { State } from "./types/State";
import type { CheckAllReport } from "./types/CheckAllReport";
import type { ArchiveQuery } from "./types/ArchiveQuery";
import type { FileChange } from "./types/FileChange";
import type { Localized } from "./types/Localized";
import type { MessageKey } from "./i18n/en";

export type ReviewAction = "submit" | "withdraw" | "approve" | "request_changes";

/** The i18n key of a review state's badge. */
export function stateKey(state: State): MessageKey {
  return `review.state.${state}` as MessageKey;
}

/**
 * What a person with `role` is offered in `state`. Designers (and brand) submit drafts,
 * changes requested and stale approvals, and withdraw what is in review; compliance decides
 * what is in review. Offering is not permitting: the core still refuses (e.g. self-approval).
 */
export function actionsFor(state: State, role: Role | null): ReviewAction[] {
  if (role === null) return [];
  if (role === "compliance") return state === "in_review" ? ["approve", "request_changes"] : [];
  if (state === "in_review") return ["withdraw"];
  if (state === "approved") return [];
  return ["submit"];
}

/**
 * The rules with error findings in a whole-template check: each needs a waiver with a reason
 * before the approval can be signed. Render errors count too (as `ccm check` reports them).
 */
export function errorRules(report: CheckAllReport | null): string[] {
  if (!report) return [];
  const rules = new Set<string>();
  for (const set of report.sets) {
    for (const f of [...set.findings, ...set.render_errors]) if (f.severity === "error") rules.add(f.code);
  }
  return [...rules].sort();
}

/** Rules of `rules` whose waiver has no reason yet (blank or spaces). */
export function missingReasons(rules: string[], reasons: Record<string, string>): string[] {
  return rules.filter((r) => !(reasons[r] ?? "").trim());
}

/** A refusal (or any typed error) as the user reads it: what happened and what to do. */
export interface RefusalText {
  code: string;
  message: string;
  hint: string | null;
}

interface ErrorLike {
  code: string;
  message: string;
  summary: Localized | null;
  details: { hint: string | null; hint_localized?: Localized | null } | null;
}

const isReviewCode = (code: string) => code.startsWith("REVIEW_");

/**
 * A review refusal carries its message and hint in both languages; other errors have an
 * English message and their code's summary (shown first in Japanese).
 */
export function refusalText(e: ErrorLike, lang: "ja" | "en"): RefusalText {
  const hint = e.details?.hint_localized?.[lang] ?? e.details?.hint ?? null;
  if (isReviewCode(e.code) && e.summary) return { code: e.code, message: e.summary[lang], hint };
  const message = lang === "ja" && e.summary?.ja ? `${e.summary.ja}: ${e.message}` : e.message;
  return { code: e.code, message, hint };
}

/** The archive search form's fields (text inputs: "" means any). */
export interface ArchiveForm {
  from: string;
  to: string;
  template: string;
  brand: string;
  channel: string;
  actor: string;
  kind: string;
  rulePack: string;
}

export const EMPTY_ARCHIVE_FORM: ArchiveForm = {
  from: "",
  to: "",
  template: "",
  brand: "",
  channel: "",
  actor: "",
  kind: "",
  rulePack: "",
};

export function archiveQuery(form: ArchiveForm, limit = 200): ArchiveQuery {
  const given = (s: string) => (s.trim() ? s.trim() : null);
  return {
    from: given(form.from),
    to: given(form.to),
    template_id: given(form.template),
    brand: given(form.brand),
    channel: given(form.channel),
    actor: given(form.actor),
    kind: given(form.kind),
    rule_pack: given(form.rulePack),
    limit,
  };
}

/** The two approvals chosen for a diff, oldest first; a third choice replaces the older one. */
export function pickForDiff(chosen: number[], seq: number): number[] {
  if (chosen.includes(seq)) return chosen.filter((s) => s !== seq);
  const next = chosen.length >= 2 ? [chosen[1], seq] : [...chosen, seq];
  return next.sort((a, b) => a - b);
}

/** Changes grouped per channel, then persona × locale; files that did not change are left out. */
export function groupChanges(changes: FileChange[]): { channel: string; rows: FileChange[] }[] {
  const groups = new Map<string, FileChange[]>();
  for (const c of changes) {
    if (c.change === "same") continue;
    const list = groups.get(c.channel) ?? [];
    list.push(c);
    groups.set(c.channel, list);
  }
  return [...groups.entries()].map(([channel, rows]) => ({
    channel,
    rows: rows.sort((a, b) => `${a.persona}/${a.locale}/${a.path}`.localeCompare(`${b.persona}/${b.locale}/${b.path}`)),
  }));
}

/** Template id → state, for the badges on library rows (from the review queue). */
export function stateByTemplate(items: { template_id: string; state: State }[]): Map<string, State> {
  return new Map(items.map((i) => [i.template_id, i.state]));
}
