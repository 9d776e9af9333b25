import { describe, it, expect } from "vitest";
import {
  actionsFor,
  archiveQuery,
  EMPTY_ARCHIVE_FORM,
  errorRules,
  groupChanges,
  missingReasons,
  pickForDiff,
  refusalText,
  stateByTemplate,
  stateKey,
} from "../../src/lib/review";
import { en } from "../../src/lib/i18n/en";
import { ja } from "../../src/lib/i18n/ja";
import type { CheckAllReport } from "../../src/lib/types/CheckAllReport";
import type { Diagnostic } from "../../src/lib/types/Diagnostic";
import type { FileChange } from "../../src/lib/types/FileChange";
import type { State } from "../../src/lib/types/State";

function finding(code: string, severity: Diagnostic["severity"]): Diagnostic {
  return {
    code,
    severity,
    channel: "email",
    file: null,
    line: null,
    column: null,
    message: { en: code, ja: code },
    hint: null,
    origin: { kind: "library" },
    subject: null,
    rendition: null,
  } as Diagnostic;
}

function report(sets: { findings: Diagnostic[]; render_errors?: Diagnostic[] }[]): CheckAllReport {
  return {
    seq: 1,
    elapsed_ms: 1,
    problems: [],
    rules_error: null,
    sets: sets.map((s, i) => ({
      persona: `p${i}`,
      persona_label: `P${i}`,
      locale: "ja",
      findings: s.findings,
      render_errors: s.render_errors ?? [],
    })),
  };
}

describe("review actions", () => {
  it("offer compliance a decision only on what is in review", () => {
    expect(actionsFor("in_review", "compliance")).toEqual(["approve", "request_changes"]);
    for (const s of ["draft", "approved", "stale", "changes_requested"] as State[]) {
      expect(actionsFor(s, "compliance"), s).toEqual([]);
    }
  });

  it("offer designers submit, or withdraw while in review, and nothing on an approval that stands", () => {
    expect(actionsFor("draft", "designer")).toEqual(["submit"]);
    expect(actionsFor("changes_requested", "designer")).toEqual(["submit"]);
    expect(actionsFor("stale", "brand")).toEqual(["submit"]);
    expect(actionsFor("in_review", "designer")).toEqual(["withdraw"]);
    expect(actionsFor("approved", "designer")).toEqual([]);
  });

  it("offer nothing to someone who has not said who they are", () => {
    expect(actionsFor("in_review", null)).toEqual([]);
  });

  it("name every state with a label in both languages", () => {
    for (const s of ["draft", "in_review", "changes_requested", "approved", "stale"] as State[]) {
      expect(en[stateKey(s)], s).toBeTruthy();
      expect(ja[stateKey(s)], s).toBeTruthy();
    }
    expect(ja[stateKey("stale")]).toBe("承認失効");
  });
});

describe("waivers", () => {
  it("lists each rule with an error once, across personas, render errors included", () => {
    const r = report([
      { findings: [finding("jp/b", "error"), finding("jp/warn", "warning")] },
      { findings: [finding("jp/b", "error"), finding("jp/a", "error")], render_errors: [finding("tera.missing", "error")] },
    ]);
    expect(errorRules(r)).toEqual(["jp/a", "jp/b", "tera.missing"]);
  });

  it("has nothing to waive without errors or a report", () => {
    expect(errorRules(report([{ findings: [finding("x", "info")] }]))).toEqual([]);
    expect(errorRules(null)).toEqual([]);
  });

  it("requires a reason that is more than spaces for every rule", () => {
    expect(missingReasons(["a", "b", "c"], { a: "campaign exception", b: "   " })).toEqual(["b", "c"]);
    expect(missingReasons(["a"], { a: "ok" })).toEqual([]);
  });
});

describe("refusal text", () => {
  const selfApproval = {
    code: "REVIEW_SELF_APPROVAL",
    message: "Ann made or submitted changes under review, so cannot approve them (four-eyes)",
    summary: {
      en: "Ann made or submitted changes under review, so cannot approve them (four-eyes)",
      ja: "Ann はレビュー対象の変更を作成または申請したため、承認できません（四つの目の原則）",
    },
    details: {
      hint: "another compliance officer who did not work on it must approve",
      hint_localized: {
        en: "another compliance officer who did not work on it must approve",
        ja: "作業に関わっていない別のコンプライアンス担当者が承認してください",
      },
    },
  };

  it("shows a review refusal wholly in Japanese, code kept", () => {
    const text = refusalText(selfApproval, "ja");
    expect(text.code).toBe("REVIEW_SELF_APPROVAL");
    expect(text.message).toContain("四つの目");
    expect(text.hint).toBe("作業に関わっていない別のコンプライアンス担当者が承認してください");
  });

  it("shows it in English without the Japanese", () => {
    const text = refusalText(selfApproval, "en");
    expect(text.message).toContain("four-eyes");
    expect(text.hint).toContain("another compliance officer");
  });

  it("puts a library error's Japanese summary before its English detail", () => {
    const text = refusalText(
      { code: "not_found", message: "template 'x' is not in the library", summary: { en: "Not found", ja: "見つかりません" }, details: { hint: "see ccm list" } },
      "ja",
    );
    expect(text.message).toBe("見つかりません: template 'x' is not in the library");
    expect(text.hint).toBe("see ccm list");
  });
});

describe("archive form", () => {
  it("sends blank fields as any and trims the rest", () => {
    const q = archiveQuery({ ...EMPTY_ARCHIVE_FORM, from: "2026-12-01", template: " jp-bank-welcome ", kind: "approve" }, 50);
    expect(q).toEqual({
      from: "2026-12-01",
      to: null,
      template_id: "jp-bank-welcome",
      brand: null,
      channel: null,
      actor: null,
      kind: "approve",
      rule_pack: null,
      limit: 50,
    });
  });

  it("keeps the two latest picks for a diff, in order, and unticks a pick", () => {
    let chosen: number[] = [];
    chosen = pickForDiff(chosen, 7);
    chosen = pickForDiff(chosen, 3);
    expect(chosen).toEqual([3, 7]);
    chosen = pickForDiff(chosen, 12);
    expect(chosen).toEqual([7, 12]);
    expect(pickForDiff(chosen, 7)).toEqual([12]);
  });

  it("groups changed renditions per channel and leaves unchanged ones out", () => {
    const c = (path: string, channel: string, persona: string, change: string): FileChange => ({
      path,
      channel,
      persona,
      locale: "ja",
      change,
      diff: null,
    });
    const groups = groupChanges([
      c("ja/b/sms.txt", "sms", "b", "changed"),
      c("ja/a/email.eml", "email", "a", "same"),
      c("ja/a/sms.txt", "sms", "a", "added"),
      c("ja/a/print.pdf", "print", "a", "changed"),
    ]);
    expect(groups.map((g) => g.channel)).toEqual(["sms", "print"]);
    expect(groups[0].rows.map((r) => r.persona)).toEqual(["a", "b"]);
  });

  it("maps the queue to a badge per template", () => {
    const m = stateByTemplate([{ template_id: "a", state: "stale" }]);
    expect(m.get("a")).toBe("stale");
    expect(m.has("b")).toBe(false);
  });
});
