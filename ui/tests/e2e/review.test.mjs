// Review and the archive in the real app, two people on one library: a designer says who she
// is ("Who are you?"), submits a sample template and is refused when she tries to approve it
// herself (REVIEW_WRONG_ROLE, in Japanese and English); then, on the same library with
// another identity, a compliance officer approves it, finds the approval in the archive and
// verifies the archive intact (and leaves a comment anchored to the SMS).
// Run alone: CCM_APP_BIN=… TAURI_DRIVER=… xvfb-run -a node --test tests/e2e/review.test.mjs
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApp, makeWaitFor, shot } from "./harness.mjs";

/** @type {import("webdriverio").Browser} */
let browser;
let stop;
let libraryDir;
const TEMPLATE = "jp-bank-welcome";
// One identity folder per person, as on two computers.
const designerDir = mkdtempSync(join(tmpdir(), "ccm-id-designer-"));
const officerDir = mkdtempSync(join(tmpdir(), "ccm-id-officer-"));

const byTest = (id) => browser.$(`[data-testid="${id}"]`);
const waitFor = makeWaitFor(() => browser, "failed-review-");
const attr = async (id, name) => {
  const el = await byTest(id);
  return (await el.isExisting()) ? el.getAttribute(name) : null;
};

after(async () => {
  await stop?.();
});

/** Fills "Who are you?" and waits for the person in the header. */
async function sayWhoIAm(name, role) {
  await waitFor(async () => (await byTest("identity-dialog")).isExisting(), "Who are you? did not open");
  await (await byTest("identity-name")).setValue(name);
  await (await byTest("identity-role")).selectByAttribute("value", role);
  await (await byTest("identity-create")).click();
  await waitFor(async () => (await (await byTest("current-person")).isExisting()) && (await (await byTest("current-person")).getText()).includes(name), `${name} is not shown in the header`);
  assert.equal(await (await byTest("identity-dialog")).isExisting(), false, "the dialog closes");
}

/** Opens the approval form and gives every error rule of the template a reason. */
async function fillApproval() {
  await (await byTest("review-approve")).click();
  await waitFor(async () => (await byTest("approve-confirm")).isExisting(), "the approval form did not open");
  await waitFor(async () => (await (await byTest("approve-confirm")).isEnabled()) || (await browser.$$('[data-testid="waiver-reason"]')).length > 0, "the waiver list did not load", 60_000);
  for (const input of await browser.$$('[data-testid="waiver-reason"]')) await input.setValue("approved campaign wording (legal sign-off 2026-12)");
  await waitFor(async () => (await byTest("approve-confirm")).isEnabled(), "approval stays disabled with every reason given");
}

test("a designer submits; approving it herself is refused with a typed, bilingual refusal", async () => {
  ({ browser, stop, libraryDir } = await startApp({ env: { CCM_IDENTITY_DIR: designerDir } }));
  try {
    await designerJourney();
  } finally {
    // The officer opens the same library next: this app must let go of it, pass or fail.
    await stop();
    stop = null;
  }
});

async function designerJourney() {
  await waitFor(async () => (await browser.$$('[data-testid="template-row"]')).length >= 12, "the sample library did not load", 30_000);
  await (await byTest("lang-en")).click();
  assert.equal(await (await byTest("identity-dialog")).isExisting(), false, "nobody is asked who they are before a review action");

  await (await browser.$(`[data-testid="template-row"][data-id="${TEMPLATE}"]`)).click();
  await waitFor(async () => (await attr("review-badge", "data-state")) === "draft", "the template is not shown as a draft");
  await (await byTest("review-identity")).click();
  await sayWhoIAm("Aiko Designer", "designer");

  await (await byTest("review-submit")).click();
  await waitFor(async () => (await attr("review-badge", "data-state")) === "in_review", "submitting did not put it in review");
  assert.match(await (await byTest("review-pending")).getText(), /submitted by Aiko Designer/);

  await fillApproval();
  await (await byTest("approve-confirm")).click();
  await waitFor(async () => (await attr("review-refusal", "data-code")) === "REVIEW_WRONG_ROLE", "no typed refusal for a designer approving");
  assert.match(await (await byTest("review-refusal-message")).getText(), /needs the compliance role/);
  assert.equal(await attr("review-badge", "data-state"), "in_review", "a refusal changes nothing");

  await (await byTest("lang-ja")).click();
  await waitFor(async () => /コンプライアンス担当の役割が必要です/.test(await (await byTest("review-refusal-message")).getText()), "the refusal is not shown in Japanese");
  assert.match(await (await byTest("review-refusal-hint")).getText(), /対処:.*コンプライアンス担当者/);
}

test("a compliance officer on the same library approves it; the archive has the entry and verifies intact", async () => {
  ({ browser, stop } = await startApp({ libraryDir, env: { CCM_IDENTITY_DIR: officerDir } }));
  await waitFor(async () => (await byTest("nav-review")).isExisting(), "the app did not start on the library", 30_000);
  // The language the last run chose may or may not have reached web storage before it stopped.
  await (await byTest("lang-en")).click();
  await (await byTest("nav-review")).click();
  await sayWhoIAm("Kenji Officer", "compliance");

  const row = `[data-testid="review-queue-row"][data-id="${TEMPLATE}"]`;
  await waitFor(async () => (await browser.$(row)).isExisting(), "the submitted template is not in the officer's queue");
  assert.equal(await (await browser.$(row)).getAttribute("data-state"), "in_review");
  await (await browser.$(`${row} button`)).click();
  await waitFor(async () => (await attr("review-badge", "data-state")) === "in_review", "the template view does not show it in review");

  await fillApproval();
  await (await byTest("approve-confirm")).click();
  await waitFor(async () => (await attr("review-badge", "data-state")) === "approved", "the approval was not recorded", 180_000);
  assert.equal(await (await byTest("review-badge")).getText(), "Approved");
  assert.match(await (await byTest("review-approved-by")).getText(), /approved by Kenji Officer/);
  await shot(browser, "review-approved");

  // A comment anchored to the SMS and the text it is about, listed as made on this version.
  await (await byTest("review-comments")).click();
  await (await byTest("comment-channel")).selectByAttribute("value", "sms");
  await (await byTest("comment-text")).setValue("Keep the card delivery date in the SMS");
  await (await byTest("comment-add")).click();
  await waitFor(async () => (await browser.$$('[data-testid="review-comment"]')).length === 1, "the comment is not listed");
  assert.equal(await (await byTest("review-comment")).getAttribute("data-standing"), "current");
  assert.match(await (await byTest("review-comment")).getText(), /Kenji Officer[\s\S]*sms[\s\S]*Keep the card delivery date/);

  await (await byTest("nav-archive")).click();
  const approval = '[data-testid="archive-row"][data-kind="approve"]';
  await waitFor(async () => (await browser.$(approval)).isExisting(), "the approval is not in the archive");
  const kinds = await browser.$$('[data-testid="archive-row"]').map((r) => r.getAttribute("data-kind"));
  assert.deepEqual([...kinds].sort(), ["approve", "comment", "submit"], "the submission, the approval and the comment");
  await (await browser.$(`${approval} [data-testid="archive-open"]`)).click();
  await waitFor(async () => (await byTest("archive-detail")).isExisting(), "the entry did not open");
  assert.equal(await attr("archive-signature", "data-valid"), "true", "the officer's signature verifies");
  const renditions = await browser.$$('[data-testid="archive-renditions"] tr');
  assert.ok(renditions.length >= 4, `every channel's rendition is bound (${renditions.length})`);

  await (await byTest("archive-kind")).selectByAttribute("value", "submit");
  await (await byTest("archive-search")).click();
  await waitFor(async () => (await browser.$$('[data-testid="archive-row"]')).length === 1, "searching by kind did not narrow to the submission");

  await (await byTest("archive-verify")).click();
  await waitFor(async () => (await attr("archive-verify-result", "data-ok")) === "true", "the archive did not verify intact", 60_000);
  assert.match(await (await byTest("archive-verify-result")).getText(), /Verify archive: intact/);
  await shot(browser, "review-archive-verified");
});
