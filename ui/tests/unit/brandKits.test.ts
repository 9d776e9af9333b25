import { describe, it, expect } from "vitest";
import {
  BrandKitCache,
  cssFamily,
  failingPairs,
  formatRatio,
  logoMap,
  pairKey,
  roleKey,
  shortHash,
} from "../../src/lib/brandKits";
import { en } from "../../src/lib/i18n/en";
import type { BrandKitSummary } from "../../src/lib/types/BrandKitSummary";
import type { ContrastRow } from "../../src/lib/types/ContrastRow";
import type { LibraryEvent } from "../../src/lib/types/LibraryEvent";

const kit = (id: string, logo: string | null = `data:image/png;base64,${id}`): BrandKitSummary => ({
  id,
  name: id,
  default_locale: "ja",
  logo,
  templates: 1,
  version: 1,
  swatches: [],
});

/** A fetch whose answers the test releases one by one, counting calls. */
function fakeLoad() {
  const pending: { resolve: (k: BrandKitSummary[]) => void; reject: (e: unknown) => void }[] = [];
  const load = () =>
    new Promise<BrandKitSummary[]>((resolve, reject) => {
      pending.push({ resolve, reject });
    });
  return { load, pending };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("brand kit cache", () => {
  it("fetches once however many rows and views ask", async () => {
    const { load, pending } = fakeLoad();
    const cache = new BrandKitCache(load);
    const a = cache.list();
    const b = cache.list();
    expect(pending).toHaveLength(1);
    pending[0].resolve([kit("sakura-bank")]);
    expect(await a).toBe(await b);
    await cache.list();
    expect(pending).toHaveLength(1);
  });

  it("tries again after a failed fetch", async () => {
    const { load, pending } = fakeLoad();
    const cache = new BrandKitCache(load);
    const first = cache.list();
    pending[0].reject(new Error("library locked"));
    await expect(first).rejects.toThrow("library locked");
    const second = cache.list();
    expect(pending).toHaveLength(2);
    pending[1].resolve([kit("sakura-bank")]);
    expect((await second).map((k) => k.id)).toEqual(["sakura-bank"]);
  });

  it("reloads for its subscribers when the library changes, not for a problem report", async () => {
    const { load, pending } = fakeLoad();
    let emit: (e: LibraryEvent) => void = () => undefined;
    const cache = new BrandKitCache(load, (handler) => (emit = handler));
    const seen: string[][] = [];
    const unsubscribe = cache.subscribe((kits) => seen.push(kits.map((k) => k.id)));
    pending[0].resolve([kit("a")]);
    await tick();
    expect(seen).toEqual([["a"]]);

    emit({ kind: "watch_problem", problems: [] });
    expect(pending).toHaveLength(1);
    emit({ kind: "template_changed", template_id: "t", version: 2, hash: "h" });
    expect(pending).toHaveLength(2);
    pending[1].resolve([kit("a"), kit("b")]);
    await tick();
    expect(seen).toEqual([["a"], ["a", "b"]]);

    unsubscribe();
    emit({ kind: "template_changed", template_id: "t", version: 2, hash: "h" });
    pending[2]?.resolve([kit("c")]);
    await tick();
    expect(seen).toHaveLength(2);
  });

  it("never shows an older answer after a newer reload was asked for", async () => {
    const { load, pending } = fakeLoad();
    const cache = new BrandKitCache(load);
    const seen: string[][] = [];
    cache.subscribe((kits) => seen.push(kits.map((k) => k.id)));
    cache.invalidate();
    // The second fetch answers first; the first, stale one arrives later and is dropped.
    pending[1].resolve([kit("new")]);
    await tick();
    pending[0].resolve([kit("old")]);
    await tick();
    expect(seen).toEqual([["new"]]);
  });
});

describe("showing a kit", () => {
  it("maps brands to logos, leaving out kits without one", () => {
    const map = logoMap([kit("a"), kit("b", null)]);
    expect(map.get("a")).toBe("data:image/png;base64,a");
    expect(map.has("b")).toBe(false);
  });

  it("labels every pair and role the core reports in the UI strings", () => {
    const pairs = [
      "text-on-background",
      "muted-on-background",
      "primary-on-background",
      "white-on-primary",
      "text-on-primary",
      "text-on-secondary",
      "accent-on-background",
      "white-on-accent",
    ];
    for (const id of pairs) expect(pairKey(id), id).toBeTruthy();
    for (const key of pairs.map(pairKey)) expect(en[key!]).toBeTruthy();
    expect(pairKey("link-on-footer")).toBeNull();
    for (const role of ["primary", "secondary", "text", "background", "muted", "accent", "white"]) {
      expect(en[roleKey(role)!], role).toBeTruthy();
    }
    expect(roleKey("highlight")).toBeNull();
  });

  it("formats ratios with two decimals and counts pairs failing AA for normal text", () => {
    expect(formatRatio(4.48)).toBe("4.48:1");
    expect(formatRatio(21)).toBe("21.00:1");
    const row = (aa_normal: boolean): ContrastRow => ({
      id: "x",
      foreground: "text",
      background: "background",
      foreground_hex: "#000000",
      background_hex: "#ffffff",
      ratio: 3,
      aa_normal,
      aa_large: true,
    });
    expect(failingPairs([row(true), row(false), row(false)])).toBe(2);
  });

  it("quotes a font family so its name stays one family", () => {
    expect(cssFamily("Noto Serif CJK JP")).toBe('"Noto Serif CJK JP"');
    expect(cssFamily('Odd "Name" \\ Font')).toBe('"Odd \\"Name\\" \\\\ Font"');
  });

  it("shortens hashes like the rest of the app", () => {
    expect(shortHash("0123456789abcdef0123")).toBe("0123456789ab");
  });
});
