import { describe, it, expect } from "vitest";
import { en } from "../../src/lib/i18n/en";
import { ja } from "../../src/lib/i18n/ja";
import { format } from "../../src/lib/i18n/index.svelte";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("i18n tables", () => {
  it("have the same keys in Japanese and English", () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
  });

  it("use the same placeholders for each key in both languages", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ja[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("have no empty strings", () => {
    for (const [key, value] of [...Object.entries(en), ...Object.entries(ja)]) {
      expect(value.trim(), key).not.toBe("");
    }
  });

  it("format fills placeholders and leaves unknown ones visible", () => {
    expect(format("{count} templates", { count: 12 })).toBe("12 templates");
    expect(format("v{version} {x}", { version: 3 })).toBe("v3 {x}");
  });

  it("format picks the singular or plural word by the count", () => {
    const s = "{count} {count|template|templates}";
    expect(format(s, { count: 1 })).toBe("1 template");
    expect(format(s, { count: 0 })).toBe("0 templates");
    expect(format(s, { count: 16 })).toBe("16 templates");
    expect(format("{n|a|b}", {})).toBe("{n|a|b}");
  });
});
