// Editing a brand kit in the real app (Japanese UI): sakura-bank's small-print grey is typed
// as #aaaaaa and the WCAG table follows as it is typed (2.32:1, fails); the suggested fix
// (#767676, 4.54:1) is taken with one click; saving first lists the approved template the new
// kit version makes stale — with what changes in each of its channels — and only then saves.
// The library is prepared with the `ccm` CLI: samples imported, a designer and a compliance
// officer on the team, and jp-bank-payment-reminder approved.
// Run alone: CCM_APP_BIN=… CCM_CLI_BIN=… TAURI_DRIVER=… xvfb-run -a node --test tests/e2e/brand-edit.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startApp, shot, makeWaitFor, repoRoot } from "./harness.mjs";

/** @type {import("webdriverio").Browser} */
let browser;
let stop;
const APPROVED = "jp-bank-payment-reminder";
const cliBinary = resolve(process.env.CCM_CLI_BIN ?? join(repoRoot, "target/debug/ccm"));

const byTest = (id) => browser.$(`[data-testid="${id}"]`);
const waitFor = makeWaitFor(() => browser, "failed-brand-edit-");

/** A library in `dir` with the samples, a team of two, and one template approved. */
function prepareLibrary(dir) {
  const samples = join(dir, "samples");
  cpSync(join(repoRoot, "templates"), join(samples, "templates"), { recursive: true });
  cpSync(join(repoRoot, "assets"), join(samples, "assets"), { recursive: true });
  const run = (who, args) =>
    execFileSync(cliBinary, args, {
      env: { ...process.env, CCM_LIBRARY: join(dir, "library.sqlite"), CCM_IDENTITY_DIR: join(dir, who), LANG: "C" },
      encoding: "utf8",
    });
  const people = [
    ["aiko", "Aiko Designer", "designer"],
    ["hanako", "佐藤 花子", "compliance"],
  ];
  const keys = people.map(([who, name, role]) => JSON.parse(run(who, ["--json", "id", "init", "--name", name, "--role", role])).public_key);
  run("aiko", ["import", samples]);
  people.forEach(([, name, role], i) => run("aiko", ["team", "add", "--name", name, "--role", role, "--key", keys[i]]));
  run("aiko", ["review", "submit", APPROVED]);
  run("hanako", ["review", "approve", APPROVED]);
}

/** id, ratio text and AA verdict of every row of the editor's contrast table. */
const rows = () =>
  browser.execute(() =>
    [...document.querySelectorAll('[data-testid="edit-contrast-table"] [data-testid="contrast-row"]')].map((r) => ({
      id: r.getAttribute("data-id"),
      ratio: r.querySelector('[data-testid="contrast-ratio"]')?.textContent?.trim() ?? "",
      normal: r.querySelector('[data-testid="chip-normal"]')?.getAttribute("data-pass"),
    })),
  );
const row = async (id) => (await rows()).find((r) => r.id === id);

before(async () => {
  const libraryDir = mkdtempSync(join(tmpdir(), "ccm-e2e-kit-"));
  prepareLibrary(libraryDir);
  ({ browser, stop } = await startApp({ libraryDir }));
  await waitFor(async () => (await browser.$$('[data-testid="template-row"]')).length >= 12, "the library did not load", 30_000);
  await (await byTest("lang-ja")).click();
});

after(async () => {
  await stop?.();
});

test("typing a colour updates the contrast table, the fix is taken, and saving lists the stale approval first", async () => {
  await (await byTest("nav-brands")).click();
  await waitFor(async () => (await browser.$('[data-testid="brand-card"][data-id="sakura-bank"]')).isExisting(), "no sakura-bank card");
  await (await browser.$('[data-testid="brand-card"][data-id="sakura-bank"]')).click();
  await waitFor(async () => (await (await byTest("brand-detail")).getAttribute("data-id")) === "sakura-bank", "sakura-bank did not open");
  const versionBefore = await (await byTest("brand-version")).getText();
  await (await byTest("brand-edit")).click();
  await waitFor(async () => (await byTest("brand-editor")).isExisting(), "the editor did not open");
  assert.match(await (await byTest("brand-editor")).getText(), /さくら銀行 を編集中/);
  await waitFor(async () => (await rows()).length >= 6, "the editor's contrast table did not fill");
  const before = await row("muted-on-background");
  assert.equal(before.normal, "true", `the kit's grey passes to begin with: ${JSON.stringify(before)}`);
  await shot(browser, "brand-edit-01-open");

  // Type a pale grey: the table follows the typing.
  const muted = await browser.$('[data-testid="color-input"][data-role="muted"]');
  await muted.setValue("#aaaaaa");
  await waitFor(async () => (await row("muted-on-background"))?.ratio === "2.32:1", "the table did not follow the typed colour");
  assert.equal((await row("muted-on-background")).normal, "false", "#aaaaaa on white fails AA");
  const fix = await browser.$('[data-testid="use-fix"][data-pair="muted-on-background"]');
  await waitFor(() => fix.isExisting(), "no fix is suggested for the failing pair");
  assert.equal(await fix.getAttribute("data-hex"), "#767676");
  assert.match(await fix.getText(), /#767676 を使う/);
  await shot(browser, "brand-edit-02-typed-failing");

  await fix.click();
  await waitFor(async () => (await row("muted-on-background"))?.ratio === "4.54:1", "the fix did not update the table");
  assert.equal((await row("muted-on-background")).normal, "true");
  assert.equal((await muted.getValue()).toLowerCase(), "#767676");

  // Save: first the approved template that goes stale, with its channels.
  const review = await byTest("edit-review");
  await waitFor(() => review.isEnabled(), "review and save stays disabled");
  await review.click();
  await waitFor(async () => (await byTest("stale-summary")).isExisting(), "the stale list did not appear", 60_000);
  assert.equal(await (await byTest("stale-summary")).getAttribute("data-count"), "1");
  const stale = await browser.$(`[data-testid="stale-template"][data-id="${APPROVED}"]`);
  assert.ok(await stale.isExisting(), "the approved sample is listed");
  const text = await stale.getText();
  assert.match(text, /佐藤 花子/, "who approved it");
  assert.match(text, /ブランド/, "the reason names the brand kit");
  const channels = await browser.execute(() =>
    [...document.querySelectorAll('[data-testid="stale-channel"]')].map((c) => [c.getAttribute("data-channel"), c.getAttribute("data-state")]),
  );
  assert.deepEqual(channels.map(([c]) => c), ["email", "sms", "push", "print"]);
  assert.deepEqual(channels.find(([c]) => c === "sms"), ["sms", "unchanged"], "SMS has no colours");
  await shot(browser, "brand-edit-03-stale-list");

  await (await byTest("edit-save")).click();
  await waitFor(async () => (await byTest("brand-saved")).isExisting(), "the save did not finish");
  assert.match(await (await byTest("brand-saved")).getText(), /1 件の承認が無効/);
  await waitFor(async () => (await (await byTest("brand-version")).getText()) !== versionBefore, "the detail still shows the old version");
  const swatch = await browser.$('[data-testid="brand-swatch"][data-role="muted"]');
  assert.match(await swatch.getText(), /#767676/);
  await shot(browser, "brand-edit-04-saved");
});
