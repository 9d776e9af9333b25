import { describe, it, expect } from "vitest";
import {
  applyFix,
  changedChannels,
  draftFromDetail,
  fixFor,
  pickerValue,
  problemsFor,
  problemText,
  toBase64,
  toEdit,
} from "../../src/lib/brandEdit";
import type { BrandKitDetail } from "../../src/lib/types/BrandKitDetail";
import type { KitChangeImpact } from "../../src/lib/types/KitChangeImpact";

const detail: BrandKitDetail = {
  id: "sakura-bank",
  name: "さくら銀行",
  default_locale: "ja",
  logo: null,
  version: 1,
  hash: "ab".repeat(32),
  updated_at: "2026-12-03T00:00:00Z",
  identities: [
    { locale: "ja", name: "さくら銀行", legal_name: "株式会社さくら銀行", address_lines: ["〒100-0005", "東京都千代田区"], country: "JP" },
    { locale: "en", name: "Sakura Bank", legal_name: "Sakura Bank, Ltd.", address_lines: ["3-4-1 Marunouchi"], country: "JP" },
  ],
  contact: { phone: "0120", email: "a@b.jp", website: "https://b.jp", enquiries_url: null, opt_out_url: "https://b.jp/stop" },
  swatches: [
    { role: "primary", hex: "#a61c48" },
    { role: "secondary", hex: "#f7dce4" },
    { role: "text", hex: "#1f1f1f" },
    { role: "background", hex: "#ffffff" },
    { role: "muted", hex: "#5f6368" },
  ],
  contrast: [],
  email_font_stack: null,
  print_fonts: ["Noto Sans JP"],
  voice: ["丁寧に。", "簡潔に。"],
  history: [],
  templates: [],
};

describe("the brand kit draft", () => {
  it("sends back exactly what the kit holds when nothing was touched", () => {
    const edit = toEdit(draftFromDetail(detail));
    expect(edit.colors).toEqual([
      { role: "primary", value: "#a61c48" },
      { role: "secondary", value: "#f7dce4" },
      { role: "text", value: "#1f1f1f" },
      { role: "background", value: "#ffffff" },
      { role: "muted", value: "#5f6368" },
      { role: "accent", value: "" },
    ]);
    expect(edit.logo_base64).toBeNull();
    expect(edit.email_font).toBe("");
    expect(edit.print_font).toBe("Noto Sans JP");
    expect(edit.voice).toEqual(["丁寧に。", "簡潔に。"]);
    expect(edit.identities?.[0].address_lines).toEqual(["〒100-0005", "東京都千代田区"]);
    expect(edit.contact).toEqual({
      phone: "0120",
      email: "a@b.jp",
      website: "https://b.jp",
      enquiries_url: null,
      opt_out_url: "https://b.jp/stop",
    });
  });

  it("takes a suggested colour for its role only", () => {
    const draft = draftFromDetail(detail);
    const fixed = applyFix(draft, {
      pair: "muted-on-background",
      role: "muted",
      from_hex: "#aaaaaa",
      to_hex: "#767676",
      ratio: 4.54,
      breaks: [],
    });
    expect(fixed.colors.muted).toBe("#767676".toUpperCase());
    expect(fixed.colors.primary).toBe(draft.colors.primary);
    expect(draft.colors.muted).toBe("#5f6368");
    expect(applyFix(draft, { pair: "x", role: "white", from_hex: "", to_hex: "#000000", ratio: 5, breaks: [] })).toBe(draft);
  });

  it("gives the colour picker a #rrggbb it accepts", () => {
    expect(pickerValue("#A61C48")).toBe("#a61c48");
    expect(pickerValue(" #abc ")).toBe("#aabbcc");
    expect(pickerValue("#12")).toBe("#000000");
    expect(pickerValue("")).toBe("#000000");
  });
});

describe("answers from the core", () => {
  const problems = [
    { field: "colors.primary", en: "bad", ja: "不正" },
    { field: "identities.en.legal_name", en: "required", ja: "必須" },
  ];

  it("finds the problems of a field and of its parts", () => {
    expect(problemsFor(problems, "colors.primary")).toHaveLength(1);
    expect(problemsFor(problems, "colors.prim")).toHaveLength(0);
    expect(problemsFor(problems, "identities.en")).toHaveLength(1);
    expect(problemText(problems[0], "ja")).toBe("不正");
    expect(problemText(problems[0], "en")).toBe("bad");
  });

  it("finds a pair's fix and counts changed channels", () => {
    const fix = { pair: "text-on-primary", role: "primary", from_hex: "#a61c48", to_hex: "#e0607f", ratio: 4.6, breaks: ["white-on-primary"] };
    expect(fixFor([fix], "text-on-primary")).toBe(fix);
    expect(fixFor([fix], "muted-on-background")).toBeNull();
    const impact = (states: ("changed" | "unchanged" | "absent")[]): KitChangeImpact => ({
      template_id: "t",
      name: "T",
      version: 1,
      approved_by: "花子",
      reasons: [],
      persona: "p",
      locale: "ja",
      channels: states.map((state, i) => ({ channel: (["email", "sms", "push", "print"] as const)[i], state, files: [] })),
    });
    expect(changedChannels([impact(["changed", "unchanged", "absent", "changed"]), impact(["changed"])])).toBe(3);
    expect(changedChannels([])).toBe(0);
  });

  it("encodes a logo file as base64 in chunks", () => {
    const bytes = new Uint8Array(40_000).map((_, i) => i % 251);
    const b64 = toBase64(bytes);
    expect(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))).toEqual(bytes);
    expect(toBase64(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBe("iVBORw==");
  });
});
