import { describe, it, expect } from "vitest";
import { nextWatchProblems, nextWatchConflicts, shortFile, location } from "../../src/lib/watchProblems";
import type { Diagnostic } from "../../src/lib/types/Diagnostic";

const problem = (file: string, line: number | null = 3): Diagnostic => ({
  code: "format.invalid",
  severity: "error",
  channel: null,
  file,
  line,
  column: line === null ? null : 7,
  message: { en: "expected `=`", ja: "ファイルの書式エラー: expected `=`" },
  hint: { en: "write key = \"value\"", ja: "write key = \"value\"" },
  origin: { kind: "format" },
  subject: null,
  rendition: null,
});

describe("watched-folder problems", () => {
  it("keeps one entry per file: a newer problem in the same file replaces the older one", () => {
    let list = nextWatchProblems([], { kind: "watch_problem", problems: [problem("a/push.toml", 2)] });
    list = nextWatchProblems(list, { kind: "watch_problem", problems: [problem("b/sms.txt")] });
    list = nextWatchProblems(list, { kind: "watch_problem", problems: [problem("a/push.toml", 9)] });
    expect(list.map(location)).toEqual(["b/sms.txt:3:7", "a/push.toml:9:7"]);
  });

  it("clears a template's problems once it imports cleanly, and leaves the others", () => {
    const list = [
      problem("/w/templates/a/push.toml"),
      problem("a/email.md"),
      problem("/w/templates/ab/sms.txt"),
      problem("/w/templates/_blocks/optout.ja.md"),
    ];
    const after = nextWatchProblems(list, { kind: "template_changed", template_id: "a", version: 2, hash: "h" });
    expect(after.map((p) => p.file)).toEqual(["/w/templates/ab/sms.txt", "/w/templates/_blocks/optout.ja.md"]);
    const blocks = nextWatchProblems(after, { kind: "blocks_changed", blocks: ["optout.ja"] });
    expect(blocks.map((p) => p.file)).toEqual(["/w/templates/ab/sms.txt"]);
  });

  it("clears a brand kit's problems when the kit saves", () => {
    const list = [problem("/lib/assets/brands/sakura-bank/brand.toml"), problem("/lib/assets/brands/aoba/brand.toml")];
    const after = nextWatchProblems(list, { kind: "brand_changed", brand_id: "sakura-bank", version: 3 });
    expect(after.map((p) => p.file)).toEqual(["/lib/assets/brands/aoba/brand.toml"]);
  });

  it("prints a location without empty parts", () => {
    expect(location(problem("x/template.toml", null))).toBe("x/template.toml");
  });
});

describe("nextWatchConflicts", () => {
  const conflict = (id: string, version: number, files: string[]) =>
    ({ kind: "watch_conflict", template_id: id, library_version: version, files }) as const;

  it("keeps one conflict per template, the newest, until that template changes", () => {
    let list = nextWatchConflicts([], conflict("a", 2, ["/w/templates/a/sms.txt"]));
    list = nextWatchConflicts(list, conflict("b", 5, ["/w/templates/b/email.md"]));
    list = nextWatchConflicts(list, conflict("a", 3, ["/w/templates/a/sms.txt", "/w/templates/a/push.toml"]));
    expect(list.map((c) => [c.template_id, c.library_version])).toEqual([
      ["b", 5],
      ["a", 3],
    ]);
    list = nextWatchConflicts(list, { kind: "watch_problem", problems: [] });
    expect(list).toHaveLength(2);
    list = nextWatchConflicts(list, { kind: "template_changed", template_id: "a", version: 4, hash: "h" });
    expect(list.map((c) => c.template_id)).toEqual(["b"]);
  });

  it("names files relative to their template folder", () => {
    expect(shortFile("/w/templates/a/data/typical.json", "a")).toBe("data/typical.json");
    expect(shortFile("elsewhere.txt", "a")).toBe("elsewhere.txt");
  });
});
