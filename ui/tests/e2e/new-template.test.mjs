// Creating templates in the real app: "New template" from the library (live id check, the
// suggestion from an English name, a taken id refused), the new template opening with all
// four previews and no error findings, then "Duplicate" of it.
// Run alone: CCM_APP_BIN=… TAURI_DRIVER=… xvfb-run -a node --test tests/e2e/new-template.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startApp, shot, makeWaitFor } from "./harness.mjs";

/** @type {import("webdriverio").Browser} */
let browser;
let stop;

const byTest = (id) => browser.$(`[data-testid="${id}"]`);

const waitFor = makeWaitFor(() => browser, "failed-new-");

/** What each preview pane shows right now. */
function panes() {
  return browser.execute(() => {
    const q = (s) => document.querySelector(s);
    return {
      email: q('[data-testid="email-frame"]')?.getAttribute("srcdoc") ?? "",
      subject: q('[data-testid="email-subject"]')?.textContent ?? "",
      sms: q('[data-testid="sms-bubble"]')?.textContent ?? "",
      push: q('[data-testid="push-ios-title"]')?.textContent ?? "",
      print: q('[data-testid="print-image"]')?.getAttribute("src") ?? "",
    };
  });
}

const allFourShown = async () => {
  const p = await panes();
  return p.email.length > 0 && p.sms.length > 0 && p.push.length > 0 && p.print.startsWith("data:image/png");
};

async function idStatus() {
  const el = await byTest("new-id-status");
  return { ok: (await el.getAttribute("data-ok")) === "true", text: await el.getText() };
}

/** Replaces an input's text the way a person would: select all, then type. */
async function retype(testId, value) {
  const input = await byTest(testId);
  await input.click();
  await browser.keys(["Control", "a"]);
  await browser.keys(["Control"]);
  await browser.keys(["Backspace"]);
  for (const ch of value) await browser.keys([ch]);
}

before(async () => {
  ({ browser, stop } = await startApp());
  await waitFor(async () => (await browser.$$('[data-testid="template-row"]')).length >= 12, "the sample library did not load", 30_000);
  await (await byTest("lang-ja")).click();
});

after(async () => {
  await stop?.();
});

test("a new template made in the dialog opens with all four previews and no error findings", async () => {
  await (await byTest("new-template")).click();
  await waitFor(async () => (await byTest("new-template-dialog")).isExisting(), "the New template dialog did not open");
  assert.equal(await (await byTest("new-create")).isEnabled(), false, "nothing to create yet");

  // An English name suggests the id while the id is untouched.
  await retype("new-name", "Card Limit Notice");
  await waitFor(async () => (await (await byTest("new-id")).getValue()) === "card-limit-notice", "no id was suggested from the name");
  await waitFor(async () => (await idStatus()).ok, "the suggested id was not accepted");
  assert.match((await idStatus()).text, /使用できます/, "the id check speaks Japanese");

  // A taken id is refused live; the suggestion puts the free one back.
  await retype("new-id", "jp-bank-welcome");
  await waitFor(async () => /すでにあります/.test((await idStatus()).text), "a taken id was not reported");
  assert.equal(await (await byTest("new-create")).isEnabled(), false, "a taken id cannot be created");
  await retype("new-id", "Card_Limit");
  await waitFor(async () => /英小文字/.test((await idStatus()).text), "a badly spelled id was not reported");
  await (await byTest("new-id-suggestion")).click();
  await waitFor(async () => (await idStatus()).ok, "using the suggestion did not give a valid id");
  assert.equal(await (await byTest("new-id")).getValue(), "card-limit-notice");

  // Starter choices: a Japanese bank, Japanese and English, marketing, all channels.
  await (await byTest("new-brand")).selectByAttribute("value", "sakura-bank");
  assert.equal(await (await byTest("new-industry")).getValue(), "bank", "the brand's usual industry is preselected");
  await (await byTest("new-purpose")).selectByAttribute("value", "marketing");
  await (await byTest("new-locale-en")).click();
  assert.equal(await (await byTest("new-default-ja")).isSelected(), true, "Japanese stays the default locale");
  await retype("new-name", "ご利用限度額のご案内");
  await waitFor(async () => (await idStatus()).ok, "changing the name broke the chosen id");
  assert.equal(await (await byTest("new-id")).getValue(), "card-limit-notice", "a chosen id is not replaced");
  await shot(browser, "new-01-dialog");

  await (await byTest("new-create")).click();
  await waitFor(async () => (await byTest("template-version")).isExisting(), "the new template did not open", 30_000);
  assert.match(await (await byTest("template-version")).getText(), /1/, "it opens at version 1");
  await waitFor(allFourShown, "the four previews of the new template did not all render", 60_000);
  const p = await panes();
  assert.match(p.subject, /さくら銀行/, "the email subject names the brand");
  assert.match(p.sms, /配信停止/, "the marketing SMS says how to opt out");
  const files = [];
  for (const tab of await browser.$$('[data-testid="file-tab"]')) files.push(await tab.getAttribute("data-file"));
  for (const f of ["template.toml", "email.md", "email.en.md", "sms.txt", "push.toml", "print.md", "data/typical.json"]) {
    assert.ok(files.includes(f), `the editor lists ${f}`);
  }
  await waitFor(async () => (await byTest("findings-panel")).isExisting(), "no findings panel");
  // Rule findings arrive with the preview; a starter has none at error level.
  await new Promise((r) => setTimeout(r, 1000));
  const errors = await browser.$$('[data-testid="findings-count"] [data-severity="error"]');
  assert.equal(errors.length, 0, "the starter has no error-level findings");
  await shot(browser, "new-02-opened");
});

test("Duplicate copies the open template under a new id and opens the copy", async () => {
  await (await byTest("duplicate")).click();
  await waitFor(async () => (await byTest("new-template-dialog")).isExisting(), "the Duplicate dialog did not open");
  assert.equal(await (await byTest("new-id")).getValue(), "card-limit-notice-copy", "the copy's id is offered");
  assert.match(await (await byTest("new-name")).getValue(), /ご利用限度額のご案内（コピー）/);
  assert.equal(await (await byTest("new-start-copy")).isSelected(), true, "the dialog starts from a copy");
  assert.equal(await (await byTest("new-copy-from")).getValue(), "card-limit-notice");
  await waitFor(async () => (await idStatus()).ok, "the copy's id was not accepted");
  await (await byTest("new-create")).click();
  await waitFor(
    async () => (await browser.$("code=card-limit-notice-copy")).isExisting(),
    "the copy did not open",
    30_000,
  );
  await waitFor(allFourShown, "the copy's previews did not render", 60_000);
  await shot(browser, "new-03-duplicated");

  await (await byTest("back")).click();
  // Both sort first ("card-…"), so they are on screen.
  for (const id of ["card-limit-notice", "card-limit-notice-copy"]) {
    const row = `[data-testid="template-row"][data-id="${id}"]`;
    await waitFor(async () => (await browser.$(row)).isExisting(), `${id} is not in the library list`);
  }
});
