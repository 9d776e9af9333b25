// The app as installed from the .deb, on a machine where the source tree cannot be read
// (scripts/test-installed.sh hides it and sets CCM_APP_BIN to the installed binary): the
// sample library and rule packs must come from inside the binary.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startApp, shot, makeWaitFor } from "../e2e/harness.mjs";

let app;
after(async () => app?.stop?.());

test("the installed app fills a new library with the bundled samples and shows four panes and findings", async () => {
  app = await startApp({ samples: false, env: { CCM_WATCH: "" } });
  const { browser, started } = app;
  const waitFor = makeWaitFor(() => browser, "failed-installed-");
  const byTest = (id) => browser.$(`[data-testid="${id}"]`);
  await waitFor(async () => (await browser.$$('[data-testid="template-row"]')).length >= 12, "the bundled sample library did not show", 60_000);
  const coldStartMs = Date.now() - started;
  assert.ok(await byTest("imported-notice").isExisting(), "the samples were imported into the new library");
  await shot(browser, "installed-01-library");

  await (await browser.$('[data-testid="template-row"][data-id="jp-cosme-campaign-noncompliant"]')).click();
  await waitFor(async () => {
    const s = await browser.execute(() => {
      const q = (sel) => document.querySelector(sel);
      return {
        email: q('[data-testid="email-frame"]')?.getAttribute("srcdoc") ?? "",
        sms: q('[data-testid="sms-bubble"]')?.textContent ?? "",
        push: q('[data-testid="push-ios-title"]')?.textContent ?? "",
        print: q('[data-testid="print-image"]')?.getAttribute("src") ?? "",
      };
    });
    return s.email.length > 0 && s.sms.length > 0 && s.push.length > 0 && s.print.startsWith("data:image/png");
  }, "not all four panes rendered", 90_000);
  await waitFor(async () => (await browser.$$('[data-testid="finding"]')).length > 0, "no rule findings (are the bundled packs loaded?)", 60_000);
  assert.equal(await byTest("findings-rules-error").isExisting(), false, "the bundled rule packs load");
  await shot(browser, "installed-02-four-panes-findings");
  console.log(`figures: {"installed_cold_start_to_library_ms": ${coldStartMs}}`);
});
