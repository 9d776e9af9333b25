// End-to-end journeys on the real CCM Studio binary (tauri-driver + WebKitWebDriver, Xvfb).
// Run: ui/scripts/test-app.sh (builds everything first). Needs a display; the script provides one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startApp, shot, makeWaitFor } from "./harness.mjs";

/** @type {import("webdriverio").Browser} */
let browser;
let stop;
let started;
let samplesDir;
let openedId = "jp-bank-payment-reminder";
const figures = {};

const $ = (sel) => browser.$(sel);
const byTest = (id) => browser.$(`[data-testid="${id}"]`);
const text = async (id) => (await byTest(id)).getText();

const waitFor = makeWaitFor(() => browser, "failed-");

/** What each pane currently shows, to tell whether it changed. */
async function paneState() {
  return browser.execute(() => {
    const q = (s) => document.querySelector(s);
    return {
      email: (q('[data-testid="email-frame"]')?.getAttribute("srcdoc") ?? "").length + ":" + (q('[data-testid="email-subject"]')?.textContent ?? ""),
      emailHtml: q('[data-testid="email-frame"]')?.getAttribute("srcdoc") ?? "",
      sms: q('[data-testid="sms-bubble"]')?.textContent ?? "",
      push: (q('[data-testid="push-ios-title"]')?.textContent ?? "") + "|" + (q('[data-testid="push-ios-body"]')?.textContent ?? ""),
      print: q('[data-testid="print-image"]')?.getAttribute("src") ?? "",
    };
  });
}

async function openFile(name) {
  const tab = await $(`[data-testid="file-tab"][data-file="${name}"]`);
  await tab.click();
  await waitFor(async () => (await $(`.cm-content[data-file="${name}"]`)).isExisting(), `editor for ${name} did not open`);
  return $(`.cm-content[data-file="${name}"]`);
}

/** Types at the end of the open editor, as a person would. */
async function typeAtEnd(editor, keys) {
  await editor.click();
  await browser.keys(["Control", "End"]);
  await browser.keys(["Control"]); // release
  // One key per command: WebKitWebDriver drops some shifted characters ("{") sent in a burst.
  for (const ch of keys) await browser.keys([ch]);
}

before(async () => {
  ({ browser, stop, started, samplesDir } = await startApp());
});

const p95 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] : null;
};

after(async () => {
  try {
    const el = await byTest("render-ms");
    if (await el.isExisting()) {
      const list = (attr) => ((el.getAttribute(attr)) ?? Promise.resolve("")).then((v) => (v ?? "").split(",").filter(Boolean).map(Number));
      // ms from an edit to the frame showing it (the full run is tests/e2e/preview-timing.test.mjs).
      for (const series of ["sms", "print", "all"]) {
        const xs = await list(`data-${series}`);
        figures[`edit_to_${series}_painted_ms`] = { n: xs.length, p50: xs.sort((a, b) => a - b)[xs.length >> 1], p95: p95(xs) };
      }
    }
  } catch {
    /* figures are informative only */
  }
  if (Object.keys(figures).length) console.log("figures:", JSON.stringify(figures));
  await stop?.();
});

test("starts on the bundled sample library, imported into a new library", async () => {
  await waitFor(async () => (await browser.$$('[data-testid="template-row"]')).length >= 12, "the library list did not show 12 templates");
  figures.cold_start_to_library_ms = Date.now() - started;
  assert.match(await text("library-path"), /library\.sqlite/, "the library location is shown");
  assert.ok(await byTest("imported-notice").isExisting(), "the first start says the samples were imported");
  await shot(browser, "01-library");
});

test("searches the library in Japanese and filters by brand", async () => {
  const search = await byTest("library-search");
  await search.setValue("お支払い");
  await waitFor(async () => {
    const n = (await browser.$$('[data-testid="template-row"]')).length;
    return n >= 1 && n < 12;
  }, "a Japanese search did not narrow the list");
  await shot(browser, "02-search-ja");
  await search.click();
  await browser.keys(["Control", "a"]);
  await browser.keys(["Control"]);
  await browser.keys(["Backspace"]);
  await waitFor(async () => (await browser.$$('[data-testid="template-row"]')).length >= 12, "clearing the search did not restore the list");
  const brand = await byTest("filter-brand");
  const options = await brand.$$("option");
  assert.ok(options.length >= 3, "two brands and 'all' are offered");
  await brand.selectByIndex(1);
  await waitFor(async () => (await browser.$$('[data-testid="template-row"]')).length < 12, "the brand filter did not narrow the list");
  await brand.selectByIndex(0);
  await waitFor(async () => (await browser.$$('[data-testid="template-row"]')).length >= 12, "'all brands' did not restore the list");
});

test("opens a template and shows all four channels", async () => {
  const rows = await browser.$$('[data-testid="template-row"]');
  let row = rows[0];
  for (const r of rows) if ((await r.getAttribute("data-id")) === openedId) row = r;
  openedId = await row.getAttribute("data-id");
  await row.click();
  await waitFor(async () => {
    const s = await paneState();
    return s.emailHtml.length > 0 && s.sms.length > 0 && s.push.length > 1 && s.print.startsWith("data:image/png");
  }, "not all four panes rendered", 60_000);
  await shot(browser, "03-template-four-panes");
});

test("the email pane shows the plain-text part and lists every link and image", async () => {
  await (await byTest("email-part-text")).click();
  await waitFor(async () => (await byTest("email-text")).isExisting(), "the text part did not show");
  assert.match(await text("email-text"), /様/, "the text part is the personalised letter");
  await (await byTest("email-part-links")).click();
  await waitFor(async () => (await browser.$$('[data-testid="email-link"]')).length >= 1, "no links listed");
  const images = await browser.$$('[data-testid="email-image"]');
  assert.ok(images.length >= 1, "the logo is listed as an image");
  assert.match(await images[0].getText(), /メッセージに同梱|sent inside/, "the logo travels inside the message");
  await shot(browser, "03b-email-links");
  await (await byTest("email-part-html")).click();
  await waitFor(async () => (await byTest("email-frame")).isExisting(), "back to the HTML part");
});

test("typing in the SMS editor updates the segment counter and the SMS preview", async () => {
  const editor = await openFile("sms.txt");
  const before = { segments: await text("sms-segments"), units: await text("sms-units"), bubble: await text("sms-bubble") };
  const added = " 追加のご案内です。お問い合わせはアプリのチャットからどうぞ。ご不明な点がございましたらお気軽にご連絡ください。";
  const latencies = [];
  const t0 = Date.now();
  await typeAtEnd(editor, added);
  await waitFor(async () => (await text("sms-bubble")).includes("お気軽にご連絡ください"), "the SMS preview did not show the typed text");
  latencies.push(Number(await (await byTest("render-ms")).getAttribute("data-ms")));
  const after = { segments: await text("sms-segments"), units: await text("sms-units") };
  assert.notEqual(after.units, before.units, "the unit count changed");
  assert.ok(Number(after.segments) > Number(before.segments), `segments grew (${before.segments} → ${after.segments})`);
  assert.match(await text("sms-left"), /\d/, "units left in the segment are shown");
  figures.type_to_sms_preview_ms = Date.now() - t0;
  figures.render_roundtrip_ms = latencies[0];
  await shot(browser, "04-sms-typed");
});

test("switching persona changes all four panes", async () => {
  const select = await byTest("persona-select");
  const options = await select.$$("option");
  assert.ok(options.length >= 2, "the template has at least two personas");
  const before = await paneState();
  const current = await select.getValue();
  let next;
  for (const o of options) {
    const v = await o.getAttribute("value");
    if (v !== current) {
      next = v;
      break;
    }
  }
  await select.selectByAttribute("value", next);
  await waitFor(async () => {
    const s = await paneState();
    return s.emailHtml !== before.emailHtml && s.sms !== before.sms && s.push !== before.push && s.print !== before.print && s.print.length > 0;
  }, "not every pane changed after switching persona", 30_000);
  await shot(browser, "05-persona-switched");
});

test("a Tera error shows in its pane while the other panes keep their content", async () => {
  const editor = await openFile("sms.txt");
  await typeAtEnd(editor, " {{ broken");
  const smsError = '[data-testid="problems-sms"] [data-testid="problem-error"]';
  await waitFor(async () => (await $(smsError).isExisting()), "no error shown in the SMS pane");
  const problems = await (await $(smsError)).getText();
  assert.match(problems, /sms\.txt/, "the error names the file");
  assert.match(problems, /sms\.txt:\d+/, "the error names the line");
  const s = await paneState();
  assert.ok(s.sms.length > 0, "the SMS pane keeps its last good rendition");
  assert.ok(s.emailHtml.length > 0 && s.push.length > 1 && s.print.startsWith("data:image/png"), "the other panes keep content");
  assert.equal(await $('[data-testid="problems-email"] [data-testid="problem-error"]').isExisting(), false, "the email pane shows no error");
  await shot(browser, "06-tera-error");
  // Undo the broken tag (Ctrl+Z in the editor) so later tests start from a valid template.
  for (let i = 0; i < 5 && (await $(smsError).isExisting()); i++) {
    await browser.keys(["Control", "z"]);
    await browser.keys(["Control"]);
    await new Promise((r) => setTimeout(r, 400));
  }
  await waitFor(async () => !(await $(smsError).isExisting()), "undo did not clear the error");
});

test("a <script> in the email body does not run", async () => {
  const editor = await openFile("email.md");
  const marker = "ccm-e2e-pwned";
  await typeAtEnd(
    editor,
    `\n\n<script>document.title="${marker}";try{parent.document.title="${marker}"}catch(e){}</script><img src="x" onerror="parent.document.title='${marker}'">\n`,
  );
  await waitFor(async () => (await paneState()).emailHtml.includes(marker) || (await paneState()).emailHtml.length > 0, "email did not re-render");
  await new Promise((r) => setTimeout(r, 1500));
  const title = await browser.getTitle();
  assert.equal(title, "CCM Studio", "the app's title was not changed by the email");
  const sandbox = await (await byTest("email-frame")).getAttribute("sandbox");
  assert.equal(sandbox, "", "the email frame is fully sandboxed");
  await shot(browser, "07-script-not-run");
});

test("an edit saved in a text editor on the watched folder appears live and keeps the app's saved edits", async () => {
  // Let autosave store the app's SMS and email edits first: the folder's edit to a file the
  // app did not touch (push.toml) merges with them.
  await waitFor(async () => /第\d+版として保存|Saved as v/.test(await text("save-status")), "autosave did not report a saved version", 20_000);
  const appSms = await text("sms-bubble");
  const file = join(samplesDir, "templates", openedId, "push.toml");
  const marker = "フォルダから編集";
  writeFileSync(file, readFileSync(file, "utf8").replace(/^title = "/m, `title = "${marker}`));
  await waitFor(async () => (await text("push-ios-title")).includes(marker), "the folder edit did not reach the push preview", 20_000);
  assert.ok(await byTest("external-notice").isExisting(), "the update from the folder is announced");
  assert.equal(await text("sms-bubble"), appSms, "the app's saved SMS edit is kept (merged, not overwritten)");
  await shot(browser, "08-watch-live");
});

test("the same file saved in the app and in the folder is a conflict; keeping the app's version rewrites the file", async () => {
  const file = join(samplesDir, "templates", openedId, "sms.txt");
  const appSms = await text("sms-bubble");
  writeFileSync(file, readFileSync(file, "utf8").replace(/\n?$/, " フォルダだけの変更\n"));
  const conflict = `[data-testid="watch-conflict"][data-template="${openedId}"]`;
  await waitFor(
    async () => (await $(conflict).isExisting()) && /sms\.txt/.test(await (await $(conflict)).getText()),
    "the folder conflict naming sms.txt was not shown",
    20_000,
  );
  assert.equal(await text("sms-bubble"), appSms, "nothing was imported over the app's version");
  await shot(browser, "08b-folder-conflict");
  await (await $(`${conflict} [data-testid="conflict-keep-library"]`)).click();
  await waitFor(async () => !(await $(conflict).isExisting()), "the conflict did not clear after choosing a side");
  const onDisk = readFileSync(file, "utf8");
  assert.ok(!onDisk.includes("フォルダだけの変更"), "the file now holds the app's version");
  assert.ok(onDisk.includes("お気軽にご連絡ください"), "the file holds the SMS edit typed in the app");
});

test("editing in the app and in the folder at once shows a conflict and overwrites nothing", async () => {
  const editor = await openFile("sms.txt");
  await typeAtEnd(editor, " アプリ側の変更");
  const file = join(samplesDir, "templates", openedId, "sms.txt");
  writeFileSync(file, readFileSync(file, "utf8").replace(/\n?$/, " フォルダ側の変更\n"));
  await waitFor(async () => (await byTest("conflict").isExisting()), "no conflict was shown", 20_000);
  const editorText = await (await $('.cm-content[data-file="sms.txt"]')).getText();
  assert.match(editorText, /アプリ側の変更/, "the app's unsaved edit is still in the editor");
  await shot(browser, "09-conflict");
  await (await byTest("conflict-theirs")).click();
  await waitFor(async () => (await text("sms-bubble")).includes("フォルダ側の変更"), "taking the folder's version did not load it");
});

test("History compares an earlier version with the current one, line by line", async () => {
  await (await byTest("history")).click();
  const compare = '[data-testid="history-compare"][data-version="1"]';
  await waitFor(async () => (await $(compare)).isExisting(), "version 1 has no Compare button");
  await (await $(compare)).click();
  await waitFor(async () => (await byTest("diff-view")).isExisting(), "the diff did not open");
  const sms = await $('[data-testid="diff-file"][data-file="sms.txt"]');
  assert.ok(await sms.isExisting(), "sms.txt changed since version 1");
  assert.equal(await sms.getAttribute("data-status"), "changed");
  const added = await sms.$$('[data-testid="diff-line"][data-kind="added"]');
  assert.ok(added.length >= 1, "the SMS edits are shown as added lines");
  await shot(browser, "10b-history-diff");
  await (await byTest("diff-close")).click();
  await (await byTest("history")).click();
});

test("the UI switches between Japanese and English", async () => {
  await (await byTest("lang-en")).click();
  await waitFor(async () => (await text("pane-sms")).includes("Segments"), "English labels did not appear");
  await shot(browser, "10-english");
  await (await byTest("lang-ja")).click();
  await waitFor(async () => (await text("pane-sms")).includes("分割数"), "Japanese labels did not come back");
});

test("a forbidden phrase typed in the SMS editor shows a finding that selects its source line", async () => {
  await (await byTest("back")).click();
  const id = "jp-telco-fiber-campaign"; // rule_packs include jp-keihyo
  const search = await byTest("library-search");
  await search.setValue("乗り換え割");
  const row = `[data-testid="template-row"][data-id="${id}"]`;
  await waitFor(async () => (await $(row)).isExisting(), "the marketing sample is not listed");
  await (await $(row)).click();
  await waitFor(async () => (await byTest("findings-panel")).isExisting(), "no findings panel", 60_000);
  assert.equal(await byTest("findings-rules-error").isExisting(), false, "the rule packs load");
  const phrase = '[data-testid="finding"][data-rule^="jp-keihyo/"][data-file="sms.txt"]';
  const typed = async () => {
    for (const el of await browser.$$(phrase)) if ((await el.getText()).includes("日本一")) return el;
    return null;
  };
  assert.equal(await typed(), null, "the compliant sample does not say 日本一");
  const editor = await openFile("sms.txt");
  await typeAtEnd(editor, " 日本一の速さ");
  await waitFor(async () => (await typed()) !== null, "typing 日本一 did not produce a finding", 20_000);
  const finding = await typed();
  const line = Number(await finding.getAttribute("data-line"));
  assert.ok(line >= 1, "the finding names its source line");
  const counts = await $('[data-testid="findings-count"][data-channel="sms"] [data-severity="warning"]');
  assert.ok(Number(await counts.getText()) >= 1, "the SMS warning count includes it");
  await shot(browser, "11-finding");
  // Move the cursor away first, so the selection after the click comes from the finding.
  await editor.click();
  await browser.keys(["Control", "Home"]);
  await browser.keys(["Control"]);
  await finding.click();
  await waitFor(
    async () => (await browser.execute(() => window.getSelection()?.toString() ?? "")).includes("日本一"),
    "clicking the finding did not select its line in the editor",
  );
  const selected = await browser.execute(() => window.getSelection()?.toString() ?? "");
  const lineText = await browser.execute(
    (n) => document.querySelectorAll('.cm-content[data-file="sms.txt"] .cm-line')[n - 1]?.textContent ?? null,
    line,
  );
  assert.equal(selected, lineText, "the selection is exactly the finding's source line");
  const smsMark = () =>
    browser.execute(() => document.querySelector('[data-testid="sms-bubble"] mark[data-testid="finding-mark"]')?.textContent ?? null);
  await waitFor(async () => (await smsMark()) !== null, "clicking the finding did not mark its text in the SMS bubble");
  assert.ok((await smsMark()).includes("日本一"), "the SMS bubble marks the finding's excerpt");
  await shot(browser, "12-finding-selected");
});

test("checking every persona × language lists each one's findings and switches the preview to it", async () => {
  await (await byTest("back")).click();
  const id = "jp-cosme-campaign-noncompliant";
  const search = await byTest("library-search");
  await search.setValue("noncompliant");
  await search.click();
  await browser.keys(["Control", "a"]);
  await browser.keys(["Control"]);
  await browser.keys(["Backspace"]);
  const row = `[data-testid="template-row"][data-id="${id}"]`;
  await waitFor(async () => (await $(row)).isExisting(), "the non-compliant sample is not listed");
  await (await $(row)).click();
  await waitFor(async () => (await browser.$$('[data-testid="finding"]')).length > 0, "no findings for the current persona", 60_000);
  const current = await (await byTest("persona-select")).getValue();
  await (await byTest("findings-scope-all")).click();
  await waitFor(async () => (await browser.$$('[data-testid="findings-set"]')).length >= 2, "the whole check did not list two persona × language sets", 60_000);
  const sets = await browser.$$('[data-testid="findings-set"]');
  let other = null;
  for (const s of sets) if ((await s.getAttribute("data-persona")) !== current) other = s;
  assert.ok(other, `a set for a persona other than ${current}`);
  const otherPersona = await other.getAttribute("data-persona");
  assert.ok((await other.$$('[data-testid="finding"]')).length > 0, "that persona's findings are listed");
  await shot(browser, "13-findings-all-personas");
  await (await other.$("button.set-head")).click();
  await waitFor(async () => (await (await byTest("persona-select")).getValue()) === otherPersona, "clicking the set did not switch the preview's persona");
  await (await byTest("findings-scope-current")).click();
  await waitFor(async () => !(await byTest("findings-set").isExisting()), "back to this persona's findings");
});

test("a cross-channel inconsistency names both channels and marks both panes", async () => {
  // The non-compliant sample is open: its push states a different price than its SMS.
  const conflict = '[data-testid="finding"][data-rule="consistency/conflict"]';
  await waitFor(async () => (await $(conflict)).isExisting(), "no consistency finding for the sample's deliberate inconsistency", 60_000);
  const item = await (await $(conflict)).parentElement();
  const related = await item.$('[data-testid="finding-related"]');
  assert.ok(await related.isExisting(), "the finding lists the other channel's place");
  await (await $(conflict)).click();
  const marks = () =>
    browser.execute(() =>
      [...document.querySelectorAll('[data-testid^="pane-"]')]
        .filter((pane) => pane.querySelector('[data-testid="finding-mark"]'))
        .map((pane) => pane.getAttribute("data-testid")),
    );
  await waitFor(async () => (await marks()).length >= 2, "clicking the finding did not mark both channels' panes");
  const panes = await marks();
  assert.ok(panes.includes("pane-sms") && panes.includes("pane-push"), `the SMS and push panes are marked (got ${panes})`);
  await shot(browser, "13b-consistency-both-marked");
});

test("a file saved broken in the watched folder is reported with file and line until it is fixed", async () => {
  const id = "jp-telco-service-outage";
  const file = join(samplesDir, "templates", id, "push.toml");
  const good = readFileSync(file, "utf8");
  writeFileSync(file, good.replace(/^title = /m, "title == "));
  const banner = `[data-testid="watch-problem"][data-file$="/${id}/push.toml"]`;
  await waitFor(async () => (await $(banner)).isExisting(), "the broken folder file was not reported", 20_000);
  assert.match(await (await $(banner)).getText(), new RegExp(`${id}/push\\.toml:\\d+`), "the report names file and line");
  await shot(browser, "14-watch-problem");
  writeFileSync(file, good);
  await waitFor(async () => !(await $(banner).isExisting()), "fixing the file did not clear the report", 20_000);
});
