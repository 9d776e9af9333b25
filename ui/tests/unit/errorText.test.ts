import { describe, it, expect, afterEach } from "vitest";
import { localizedError } from "../../src/lib/errorText";
import { i18n } from "../../src/lib/i18n/index.svelte";

describe("localizedError", () => {
  const before = i18n.lang;
  afterEach(() => {
    i18n.lang = before;
  });

  it("leads with a Japanese summary of the code in the Japanese UI", () => {
    i18n.lang = "ja";
    expect(localizedError("not_found", "template `x` not found")).toBe(
      "見つかりません: template `x` not found",
    );
    expect(localizedError("library_busy", "database is locked")).toMatch(/^ライブラリは使用中/);
  });

  it("keeps the message alone in English and for unknown codes", () => {
    i18n.lang = "en";
    expect(localizedError("not_found", "template `x` not found")).toBe("template `x` not found");
    i18n.lang = "ja";
    expect(localizedError("superseded", "a newer edit replaced this render")).toBe(
      "a newer edit replaced this render",
    );
  });
});
