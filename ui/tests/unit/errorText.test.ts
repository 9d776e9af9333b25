import { describe, it, expect, afterEach } from "vitest";
import { localizedError } from "../../src/lib/errorText";
import { i18n } from "../../src/lib/i18n/index.svelte";

/** As the core's code registry sends it in `IpcError.summary`. */
const NOT_FOUND = { en: "Not found", ja: "見つかりません" };

describe("localizedError", () => {
  const before = i18n.lang;
  afterEach(() => {
    i18n.lang = before;
  });

  it("leads with the Japanese summary of the code in the Japanese UI", () => {
    i18n.lang = "ja";
    expect(localizedError(NOT_FOUND, "template `x` not found")).toBe("見つかりません: template `x` not found");
  });

  it("keeps the message alone in English and without a summary", () => {
    i18n.lang = "en";
    expect(localizedError(NOT_FOUND, "template `x` not found")).toBe("template `x` not found");
    i18n.lang = "ja";
    expect(localizedError(null, "a newer edit replaced this render")).toBe("a newer edit replaced this render");
    expect(localizedError({ en: "x", ja: "" }, "detail")).toBe("detail");
  });
});
