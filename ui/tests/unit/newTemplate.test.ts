import { describe, it, expect } from "vitest";
import {
  brandLocale,
  canCreate,
  copyId,
  idVerdict,
  keepDefault,
  orderedLocales,
  toRequest,
  type NewTemplateForm,
} from "../../src/lib/newTemplate";
import type { IdCheck } from "../../src/lib/types/IdCheck";

const ok: IdCheck = { problem: null, taken: false, suggestion: null };

const form = (over: Partial<NewTemplateForm> = {}): NewTemplateForm => ({
  name: "ご利用限度額変更のお知らせ",
  id: "card-limit",
  start: "starter",
  copyFrom: "",
  brand: "sakura-bank",
  purpose: "transactional",
  industry: "bank",
  locales: ["en", "ja"],
  defaultLocale: "ja",
  channels: ["print", "email"],
  ...over,
});

describe("id verdict", () => {
  it("is only as good as the check made for the current spelling", () => {
    expect(idVerdict("card-limit", ok, "card-limit")).toEqual({ key: "new.idOk", ok: true });
    expect(idVerdict("card-limit2", ok, "card-limit").key).toBe("new.idChecking");
    expect(idVerdict("card-limit", null, null).ok).toBe(false);
    expect(idVerdict("", ok, "").key).toBe("new.idEmpty");
  });

  it("names each problem and a taken id", () => {
    const v = (check: Partial<IdCheck>) => idVerdict("x", { ...ok, ...check }, "x");
    expect(v({ problem: "invalid_characters" })).toEqual({ key: "new.idInvalidCharacters", ok: false });
    expect(v({ problem: "dash_at_edge" }).key).toBe("new.idDashAtEdge");
    expect(v({ taken: true })).toEqual({ key: "new.idTaken", ok: false });
  });
});

describe("locales", () => {
  it("put the default first and keep the dialog's order for the rest", () => {
    expect(orderedLocales(["en", "ja"], "ja")).toEqual(["ja", "en"]);
    expect(orderedLocales(["ja", "en"], "en")).toEqual(["en", "ja"]);
    expect(orderedLocales(["en"], "ja")).toEqual(["en"]);
    expect(orderedLocales([], "ja")).toEqual([]);
  });

  it("move the default to a chosen locale when it is unticked", () => {
    expect(keepDefault(["ja", "en"], "en")).toBe("en");
    expect(keepDefault(["en"], "ja")).toBe("en");
    expect(keepDefault([], "ja")).toBe("ja");
  });

  it("start from the brand's locale when the starter has copy in it", () => {
    expect(brandLocale("ja")).toBe("ja");
    expect(brandLocale("en")).toBe("en");
    expect(brandLocale("fr")).toBe("en");
  });
});

describe("creating", () => {
  const good = idVerdict("card-limit", ok, "card-limit");

  it("needs a usable id, a name and what the chosen start needs", () => {
    expect(canCreate(form(), good)).toBe(true);
    expect(canCreate(form(), idVerdict("card-limit", { ...ok, taken: true }, "card-limit"))).toBe(false);
    expect(canCreate(form({ name: "  " }), good)).toBe(false);
    expect(canCreate(form({ industry: "" }), good)).toBe(false);
    expect(canCreate(form({ channels: [] }), good)).toBe(false);
    expect(canCreate(form({ locales: [] }), good)).toBe(false);
    expect(canCreate(form({ start: "copy", copyFrom: "" }), good)).toBe(false);
    expect(canCreate(form({ start: "copy", copyFrom: "jp-bank-welcome", brand: "" }), good)).toBe(true);
  });

  it("sends a starter request in canonical order, or a copy request", () => {
    expect(toRequest(form({ name: " 名前 ", industry: " bank " }))).toEqual({
      id: "card-limit",
      name: "名前",
      start: {
        kind: "starter",
        brand: "sakura-bank",
        purpose: "transactional",
        industry: "bank",
        locales: ["ja", "en"],
        channels: ["email", "print"],
      },
    });
    expect(toRequest(form({ start: "copy", copyFrom: "jp-bank-welcome" }))).toEqual({
      id: "card-limit",
      name: "ご利用限度額変更のお知らせ",
      start: { kind: "copy", from: "jp-bank-welcome" },
    });
    expect(copyId("jp-bank-welcome")).toBe("jp-bank-welcome-copy");
  });
});
