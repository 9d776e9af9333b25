import { describe, it, expect } from "vitest";
import {
  blockedReason,
  formatSize,
  groupedFingerprint,
  leftOutReason,
  progressPercent,
  selectionOf,
  stageKey,
  tagsOf,
} from "../../src/lib/packExport";
import type { PackPlanView } from "../../src/lib/types/PackPlanView";
import type { TemplateSummary } from "../../src/lib/types/TemplateSummary";

const plan = (over: Partial<PackPlanView> = {}): PackPlanView => ({
  brand: "sakura-bank",
  included: [{ id: "jp-bank-welcome", version: 2, entry_seq: 7, approved_by: "佐藤 花子", approved_at: "2026-12-03T09:00:00Z" }],
  left_out: [],
  can_export: true,
  suggested_path: "/home/u/Documents/sakura-bank.ccmpack",
  ...over,
});

const summary = (id: string, tags: string[]): TemplateSummary =>
  ({ id, name: id, description: "", tags, industry: "banking", purpose: "notice", brand: "sakura-bank", locales: ["ja"], latest_version: 1, latest_hash: "00", updated_at: "" }) as unknown as TemplateSummary;

describe("the export selection", () => {
  it("is the brand, a tag within the brand, or exactly the ticked ids", () => {
    expect(selectionOf({ mode: "brand", brand: "sakura-bank", tag: "x", chosen: ["a"] })).toEqual({ brand: "sakura-bank", tag: null, ids: [] });
    expect(selectionOf({ mode: "tag", brand: "sakura-bank", tag: "billing", chosen: [] })).toEqual({ brand: "sakura-bank", tag: "billing", ids: [] });
    expect(selectionOf({ mode: "chosen", brand: "sakura-bank", tag: "", chosen: ["b", "a"] })).toEqual({ brand: null, tag: null, ids: ["a", "b"] });
  });

  it("is nothing until a tag is chosen or a template ticked", () => {
    expect(selectionOf({ mode: "tag", brand: "sakura-bank", tag: "", chosen: [] })).toBeNull();
    expect(selectionOf({ mode: "chosen", brand: "sakura-bank", tag: "", chosen: [] })).toBeNull();
    expect(selectionOf({ mode: "brand", brand: "", tag: "", chosen: [] })).toBeNull();
  });

  it("offers every tag of the brand's templates once, sorted", () => {
    expect(tagsOf([summary("a", ["reminder", "billing"]), summary("b", ["billing", "welcome"])])).toEqual(["billing", "reminder", "welcome"]);
  });
});

describe("starting an export", () => {
  it("is allowed for a brand member with approved templates and a file", () => {
    expect(blockedReason(plan(), "/tmp/x.ccmpack", false)).toBeNull();
  });

  it("names what is missing otherwise", () => {
    expect(blockedReason(null, "/tmp/x.ccmpack", false)).toBe("pack.noSelection");
    expect(blockedReason(plan({ can_export: false }), "/tmp/x.ccmpack", false)).toBe("pack.notBrand");
    expect(blockedReason(plan({ included: [] }), "/tmp/x.ccmpack", false)).toBe("pack.nothingApproved");
    expect(blockedReason(plan(), "   ", false)).toBe("pack.noPath");
    expect(blockedReason(plan(), "/tmp/x.ccmpack", true)).toBe("pack.running");
  });
});

describe("the progress bar", () => {
  it("moves forwards across the stages", () => {
    const seen = [
      progressPercent(null),
      progressPercent({ stage: "collect", done: 1, total: 4 }),
      progressPercent({ stage: "collect", done: 4, total: 4 }),
      progressPercent({ stage: "write", done: 1, total: 100 }),
      progressPercent({ stage: "write", done: 100, total: 100 }),
      progressPercent({ stage: "sign", done: 1, total: 1 }),
    ];
    expect(seen).toEqual([0, 13, 50, 50, 95, 100]);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it("never passes the end of a stage, even with an empty one", () => {
    expect(progressPercent({ stage: "write", done: 7, total: 5 })).toBe(95);
    expect(progressPercent({ stage: "collect", done: 0, total: 0 })).toBe(50);
  });

  it("labels each stage", () => {
    expect(stageKey("collect")).toBe("pack.stage.collect");
    expect(stageKey("write")).toBe("pack.stage.write");
    expect(stageKey("sign")).toBe("pack.stage.sign");
  });
});

describe("the result", () => {
  it("reads sizes in decimal units", () => {
    expect(formatSize(80)).toBe("80 B");
    expect(formatSize(512_000)).toBe("512 kB");
    expect(formatSize(132_400_000)).toBe("132.4 MB");
    expect(formatSize(2_500_000_000)).toBe("2.50 GB");
  });

  it("groups the key fingerprint in fours", () => {
    expect(groupedFingerprint("1A2B3C4D5E6F7081")).toBe("1A2B 3C4D 5E6F 7081");
    expect(groupedFingerprint("ABCDEF")).toBe("ABCD EF");
  });

  it("gives the reason a template is left out in the UI's language", () => {
    const l = { id: "jp-bank-welcome", state: "stale", why_en: "stale: the brand file logo.png changed", why_ja: "承認失効：ブランドのファイル logo.png が変わりました" };
    expect(leftOutReason(l, "en")).toBe(l.why_en);
    expect(leftOutReason(l, "ja")).toBe(l.why_ja);
  });
});
