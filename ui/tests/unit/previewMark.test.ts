import { describe, it, expect } from "vitest";
import { markFirst, markInHtml, MARK_OPEN } from "../../src/lib/previewMark";

describe("markFirst", () => {
  it("splits around the first occurrence", () => {
    expect(markFirst("光回線は日本一の速さ、日本一", "日本一")).toEqual({
      before: "光回線は",
      match: "日本一",
      after: "の速さ、日本一",
    });
  });
  it("is null when absent or empty", () => {
    expect(markFirst("abc", "x")).toBeNull();
    expect(markFirst("abc", "")).toBeNull();
    expect(markFirst("abc", null)).toBeNull();
  });
  it("treats hostile excerpts as plain text", () => {
    expect(markFirst("a <script> b", "<script>")).toEqual({ before: "a ", match: "<script>", after: " b" });
  });
});

describe("markInHtml", () => {
  const m = (s: string) => `${MARK_OPEN}${s}</mark>`;

  it("wraps the first body-text occurrence", () => {
    const html = "<html><head><title>日本一</title><style>.日本一{}</style></head><body><p>速さ日本一です。日本一</p></body></html>";
    expect(markInHtml(html, "日本一")).toBe(
      `<html><head><title>日本一</title><style>.日本一{}</style></head><body><p>速さ${m("日本一")}です。日本一</p></body></html>`,
    );
  });
  it("never matches inside tags or attributes", () => {
    const html = '<p title="sale" class="sale"><a href="/sale?x=1>2">buy</a> sale</p>';
    expect(markInHtml(html, "sale")).toBe(`<p title="sale" class="sale"><a href="/sale?x=1>2">buy</a> ${m("sale")}</p>`);
    expect(markInHtml("<p>text</p>", "p")).toBe("<p>text</p>");
  });
  it("matches the escaped form of a hostile excerpt and never inserts markup from it", () => {
    const html = "<p>Type &lt;script&gt; here</p>";
    expect(markInHtml(html, "<script>")).toBe(`<p>Type ${m("&lt;script&gt;")} here</p>`);
    expect(markInHtml("<p>a</p><script>x</script>", "<script>")).toBe("<p>a</p><script>x</script>");
  });
  it("matches an excerpt that is itself an entity-looking string by its escaped form", () => {
    expect(markInHtml("<p>A &amp;amp; B</p>", "&amp;")).toBe(`<p>A ${m("&amp;amp;")} B</p>`);
    expect(markInHtml("<p>A &amp; B</p>", "&")).toBe(`<p>A ${m("&amp;")} B</p>`);
  });
  it("never splits a character reference", () => {
    expect(markInHtml("<p>A &amp; B</p>", "amp")).toBe("<p>A &amp; B</p>");
    expect(markInHtml("<p>R&amp;D amp</p>", "amp")).toBe(`<p>R&amp;D ${m("amp")}</p>`);
  });
  it("skips comments and returns the html unchanged without a match", () => {
    expect(markInHtml("<!-- 日本一 --><p>日本一</p>", "日本一")).toBe(`<!-- 日本一 --><p>${m("日本一")}</p>`);
    expect(markInHtml("<p>x</p>", "y")).toBe("<p>x</p>");
    expect(markInHtml("<p>x</p>", "")).toBe("<p>x</p>");
  });
});
