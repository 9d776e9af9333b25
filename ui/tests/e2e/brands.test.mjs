// Brand kits in the real app: the library rows show their brand's logo; the Brands view shows
// every kit as a card and, for sakura-bank, its logo, swatches, the WCAG contrast table with
// pass/fail chips, fonts, voice, identities per locale and the templates using it — one of
// which opens in the editor, and "back" returns to the same kit.
// Run alone: CCM_APP_BIN=… TAURI_DRIVER=… xvfb-run -a node --test tests/e2e/brands.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startApp, shot, makeWaitFor, sampleIdsOfBrand } from "./harness.mjs";

/** @type {import("webdriverio").Browser} */
let browser;
let stop;

const byTest = (id) => browser.$(`[data-testid="${id}"]`);

const waitFor = makeWaitFor(() => browser, "failed-brands-");

/** src and decoded width of an image (0 until the browser has decoded it). */
function image(selector) {
  return browser.execute((sel) => {
    const img = document.querySelector(sel);
    return img ? { src: img.getAttribute("src") ?? "", width: img.naturalWidth } : null;
  }, selector);
}

const decodedPng = async (selector) => {
  const img = await image(selector);
  return img !== null && img.src.startsWith("data:image/png;base64,") && img.width > 0;
};

before(async () => {
  ({ browser, stop } = await startApp());
  await waitFor(async () => (await browser.$$('[data-testid="template-row"]')).length >= 12, "the sample library did not load", 30_000);
  await (await byTest("lang-ja")).click();
});

after(async () => {
  await stop?.();
});

test("a library row shows its brand's logo thumbnail", async () => {
  const row = '[data-testid="template-row"][data-id="jp-bank-payment-reminder"]';
  await waitFor(() => decodedPng(`${row} [data-testid="row-brand-logo"]`), "the row of a sakura-bank template shows no logo");
  // Every row of the same brand shows the same (cached) thumbnail.
  const srcs = await browser.execute(() =>
    [...document.querySelectorAll('[data-testid="template-row"]')]
      .filter((r) => r.textContent.includes("sakura-bank"))
      .map((r) => r.querySelector('[data-testid="row-brand-logo"]')?.getAttribute("src") ?? ""),
  );
  assert.ok(srcs.length >= 2, "several sakura-bank rows are on screen");
  assert.ok(srcs.every((s) => s === srcs[0] && s.length > 0), "one thumbnail serves every row of the brand");
  await shot(browser, "brands-01-library-logos");
});

test("the Brands view shows sakura-bank's logo and contrast table, and opens a template using it", async () => {
  const nav = await byTest("nav-brands");
  assert.equal(await nav.getText(), "ブランド", "the switch speaks Japanese");
  await nav.click();
  await waitFor(async () => (await browser.$$('[data-testid="brand-card"]')).length >= 6, "the brand cards did not appear");
  assert.equal(await (await byTest("nav-brands")).getAttribute("aria-pressed"), "true");

  await (await browser.$('[data-testid="brand-card"][data-id="sakura-bank"]')).click();
  await waitFor(
    async () => (await (await byTest("brand-detail")).getAttribute("data-id")) === "sakura-bank",
    "sakura-bank's detail did not open",
  );
  await waitFor(() => decodedPng('[data-testid="brand-logo"]'), "sakura-bank's logo image did not show");
  const detail = await (await byTest("brand-detail")).getText();
  assert.match(detail, /さくら銀行/);
  assert.match(detail, /株式会社さくら銀行/, "the Japanese legal name");
  assert.match(detail, /Sakura Bank, Ltd\./, "the English legal name");
  assert.match(detail, /丁寧で簡潔なビジネス敬語/, "the voice guidelines");
  assert.match(detail, /#a61c48/, "the primary swatch's hex");

  const rows = await browser.execute(() =>
    [...document.querySelectorAll('[data-testid="contrast-row"]')].map((r) => ({
      id: r.getAttribute("data-id"),
      ratio: r.querySelector('[data-testid="contrast-ratio"]')?.textContent ?? "",
      normal: r.querySelector('[data-testid="chip-normal"]')?.getAttribute("data-pass"),
      large: r.querySelector('[data-testid="chip-large"]')?.getAttribute("data-pass"),
      chip: r.querySelector('[data-testid="chip-normal"]')?.textContent?.trim() ?? "",
    })),
  );
  assert.ok(rows.length >= 6, `a contrast table with the kit's pairs: ${JSON.stringify(rows)}`);
  const body = rows.find((r) => r.id === "text-on-background");
  assert.equal(body?.normal, "true", "body text on the background passes AA");
  assert.match(body.ratio, /^\d+\.\d\d:1$/);
  assert.equal(body.chip, "適合");
  // Near-black text on the deep brand red is a real failure the table must show.
  const onPrimary = rows.find((r) => r.id === "text-on-primary");
  assert.deepEqual([onPrimary?.normal, onPrimary?.large], ["false", "false"], "text on primary fails both levels");
  assert.equal(onPrimary.chip, "不適合");
  await shot(browser, "brands-02-sakura-bank");

  const template = await browser.$('[data-testid="brand-template"][data-id="jp-bank-payment-reminder"]');
  await template.scrollIntoView();
  const locales = [];
  for (const el of await browser.$$('[data-testid="brand-identity"]')) locales.push(await el.getAttribute("data-locale"));
  assert.deepEqual(locales, ["ja", "en"], "name and address per locale, the default first");
  const using = await browser.$$('[data-testid="brand-template"]');
  assert.equal(using.length, sampleIdsOfBrand("sakura-bank").length, "every sakura-bank sample is what a change would touch");
  await shot(browser, "brands-03-impact");
  await template.click();
  await waitFor(async () => (await byTest("template-version")).isExisting(), "the template did not open", 30_000);
  await waitFor(
    async () => (await browser.$("code=jp-bank-payment-reminder")).isExisting(),
    "the editor shows another template",
  );
  assert.match(await (await byTest("back")).getText(), /ブランド/, "back leads to the Brands view");
  await shot(browser, "brands-04-opened-template");

  await (await byTest("back")).click();
  await waitFor(
    async () => (await (await byTest("brand-detail")).getAttribute("data-id")) === "sakura-bank",
    "back did not return to sakura-bank in the Brands view",
  );

  // The same view in English.
  await (await byTest("lang-en")).click();
  assert.equal(await (await byTest("nav-brands")).getText(), "Brands");
  const chips = await browser.execute(() =>
    [...document.querySelectorAll('[data-testid="contrast-row"] [data-testid="chip-normal"]')].map((c) => c.textContent.trim()),
  );
  assert.ok(chips.includes("Pass") && chips.includes("Fail"), `English verdicts: ${chips}`);
  await shot(browser, "brands-05-english");
});

test("the Blocks view shows the legal footer's text per language and opens a template that includes it", async () => {
  await (await byTest("lang-ja")).click();
  await (await byTest("nav-blocks")).click();
  const card = '[data-testid="block-card"][data-name="legal-footer"]';
  await waitFor(async () => (await browser.$(card)).isExisting(), "the legal footer is not listed");
  await (await browser.$(card)).click();
  await waitFor(
    async () => (await (await byTest("block-detail")).getAttribute("data-name")) === "legal-footer",
    "the legal footer did not open",
  );
  const ja = await browser.$('[data-testid="block-variant"][data-locale="ja"]');
  assert.match(await ja.getText(), /brand\.legal_name/, "the Japanese variant's source is shown");
  const users = await browser.$$('[data-testid="block-template"]');
  assert.ok(users.length >= 10, `every sample template includes the legal footer (${users.length})`);
  await shot(browser, "brands-06-blocks");
  const target = await browser.$('[data-testid="block-template"][data-id="jp-utility-bill-ready"]');
  await target.click();
  await waitFor(async () => (await byTest("template-version")).isExisting(), "the template did not open", 30_000);
  assert.match(await (await byTest("back")).getText(), /共通ブロック/, "back leads to the Blocks view");
  await (await byTest("back")).click();
  await waitFor(
    async () => (await (await byTest("block-detail")).getAttribute("data-name")) === "legal-footer",
    "back did not return to the legal footer",
  );
});
