// Exporting a signed pack from the real app (Japanese UI) as a brand team member: the dialog
// lists the approved sakura-bank template as going in and the others as left out with why
// (never approved), the pack is written with the per-channel layout while the progress bar
// follows the core, and the result names path, size, sha256 and key. The file is then checked
// as a receiver would, with the built `ccm pack verify` and the brand member's public key.
// The library is prepared with the `ccm` CLI: samples imported, a designer, a compliance
// officer and a brand member on the team, and jp-bank-payment-reminder approved.
// Run alone: CCM_APP_BIN=… CCM_CLI_BIN=… TAURI_DRIVER=… xvfb-run -a node --test tests/e2e/pack-export.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startApp, shot, makeWaitFor, repoRoot, sampleIdsOfBrand } from "./harness.mjs";

/** @type {import("webdriverio").Browser} */
let browser;
let stop;
let libraryDir;
let brandKey;
const APPROVED = "jp-bank-payment-reminder";
const cliBinary = resolve(process.env.CCM_CLI_BIN ?? join(repoRoot, "target/debug/ccm"));

const byTest = (id) => browser.$(`[data-testid="${id}"]`);
const waitFor = makeWaitFor(() => browser, "failed-pack-export-");

const cli = (dir, who, args) =>
  execFileSync(cliBinary, args, {
    env: { ...process.env, CCM_LIBRARY: join(dir, "library.sqlite"), CCM_IDENTITY_DIR: join(dir, who), LANG: "C" },
    encoding: "utf8",
  });

/** A library in `dir` with the samples, a team of three, and one template approved. */
function prepareLibrary(dir) {
  const samples = join(dir, "samples");
  cpSync(join(repoRoot, "templates"), join(samples, "templates"), { recursive: true });
  cpSync(join(repoRoot, "assets"), join(samples, "assets"), { recursive: true });
  const people = [
    ["aiko", "Aiko Designer", "designer"],
    ["hanako", "佐藤 花子", "compliance"],
    ["kenji", "田中 健二", "brand"],
  ];
  const keys = people.map(([who, name, role]) => JSON.parse(cli(dir, who, ["--json", "id", "init", "--name", name, "--role", role])).public_key);
  cli(dir, "aiko", ["import", samples]);
  people.forEach(([, name, role], i) => cli(dir, "aiko", ["team", "add", "--name", name, "--role", role, "--key", keys[i]]));
  cli(dir, "aiko", ["review", "submit", APPROVED]);
  cli(dir, "hanako", ["review", "approve", APPROVED]);
  return keys[2];
}

before(async () => {
  libraryDir = mkdtempSync(join(tmpdir(), "ccm-e2e-pack-"));
  brandKey = prepareLibrary(libraryDir);
  ({ browser, stop } = await startApp({ libraryDir, env: { CCM_IDENTITY_DIR: join(libraryDir, "kenji") } }));
  await waitFor(async () => (await browser.$$('[data-testid="template-row"]')).length >= 12, "the library did not load", 30_000);
  await (await byTest("lang-ja")).click();
});

after(async () => {
  await stop?.();
});

test("a brand member exports sakura-bank's approved template as a signed pack that verifies", async () => {
  await (await byTest("nav-brands")).click();
  const card = await browser.$('[data-testid="brand-card"][data-id="sakura-bank"]');
  await waitFor(() => card.isExisting(), "no sakura-bank card");
  await card.click();
  await waitFor(async () => (await (await byTest("brand-detail")).getAttribute("data-id")) === "sakura-bank", "sakura-bank did not open");
  await (await byTest("brand-export")).click();
  await waitFor(() => byTest("pack-dialog").then((d) => d.isExisting()), "the export dialog did not open");
  assert.match(await (await byTest("pack-dialog")).getText(), /さくら銀行 の署名付きパックを書き出す/);

  // Before anything is written: what goes in, what is left out and why.
  await waitFor(async () => (await byTest("pack-plan")).isExisting(), "the selection was not checked", 30_000);
  const plan = await byTest("pack-plan");
  assert.equal(await plan.getAttribute("data-included"), "1");
  const included = await browser.execute(() =>
    [...document.querySelectorAll('[data-testid="pack-included"]')].map((r) => r.getAttribute("data-id")),
  );
  assert.deepEqual(included, [APPROVED]);
  const leftOut = await browser.execute(() =>
    [...document.querySelectorAll('[data-testid="pack-left-out"]')].map((r) => [r.getAttribute("data-id"), r.getAttribute("data-state"), r.textContent ?? ""]),
  );
  assert.deepEqual(
    leftOut.map(([id]) => id).sort(),
    sampleIdsOfBrand("sakura-bank").filter((id) => id !== APPROVED),
    `the other sakura-bank templates are listed: ${JSON.stringify(leftOut)}`,
  );
  for (const [id, state, text] of leftOut) {
    assert.equal(state, "draft", `${id} is a draft`);
    assert.match(text, /承認されたことがありません/, `${id} says why, in Japanese`);
  }
  await shot(browser, "pack-export-01-plan");

  // Choose the per-channel layout and a file of this run, then export.
  const out = join(libraryDir, "sakura.ccmpack");
  await (await byTest("pack-layout-channels")).click();
  await (await byTest("pack-out")).setValue(out);
  const start = await byTest("pack-start");
  await waitFor(() => start.isEnabled(), "export stays disabled for a brand member");
  await start.click();
  await waitFor(async () => (await byTest("pack-progress-box")).isExisting(), "no progress bar appeared");
  await waitFor(async () => (await byTest("pack-result")).isExisting(), "the export did not finish", 120_000);
  assert.equal(await (await byTest("pack-progress")).getAttribute("data-stage"), "sign", "the bar followed the core to its last stage");
  assert.equal(await (await byTest("pack-progress")).getAttribute("data-percent"), "100", "the bar is full");
  await shot(browser, "pack-export-02-done");

  const result = await byTest("pack-result");
  assert.equal(await result.getAttribute("data-path"), out);
  assert.equal(await (await byTest("pack-result-layout")).getAttribute("data-layout"), "channels");
  assert.ok(existsSync(out), "the pack file exists");
  assert.ok(existsSync(`${out}.minisig`), "its signature is beside it");
  const bytes = readFileSync(out);
  assert.equal(await result.getAttribute("data-sha256"), createHash("sha256").update(bytes).digest("hex"), "the sha256 shown is the file's");
  assert.equal(await (await byTest("pack-result-size")).getAttribute("data-bytes"), String(statSync(out).size));
  const id = JSON.parse(cli(libraryDir, "kenji", ["--json", "id", "show"]));
  assert.equal(await result.getAttribute("data-key"), id.fingerprint ?? id.key, "signed with the brand member's key");

  // A receiver's check: the whole file's signature, every entry, hash and approval.
  const report = JSON.parse(cli(libraryDir, "aiko", ["--json", "pack", "verify", out, "--key", brandKey]));
  assert.equal(report.brand, "sakura-bank");
  assert.deepEqual(report.templates.map((t) => t.id), [APPROVED]);
  assert.equal(report.sha256, await result.getAttribute("data-sha256"));
});
