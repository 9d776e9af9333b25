// What an installed desktop app owes its user besides templates, on the real binary:
// About (version, build, licences), the window and the open template remembered across a
// restart, and a library it cannot use (open in another instance, made by a newer version)
// shown in the window with a way out — never altered.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApp, shot, makeWaitFor, repoRoot } from "./harness.mjs";

const running = [];
after(async () => {
  for (const app of running) await app.stop?.();
});

async function start(options) {
  const app = await startApp(options);
  running.push(app);
  const waitFor = makeWaitFor(() => app.browser, "failed-desktop-");
  const byTest = (id) => app.browser.$(`[data-testid="${id}"]`);
  return { ...app, waitFor, byTest };
}

async function stop(app) {
  await app.stop();
  running.splice(running.indexOf(app), 1);
}

const rows = (browser) => browser.$$('[data-testid="template-row"]');

test("About names the version, the build and the licences of fonts, crates and npm packages", async () => {
  const app = await start();
  const { browser, waitFor, byTest } = app;
  await waitFor(async () => (await rows(browser)).length >= 12, "the library did not show");
  await (await byTest("about-open")).click();
  await waitFor(async () => (await byTest("about-version")).isExisting(), "About did not open");
  assert.match(await (await byTest("about-version")).getText(), /^\d+\.\d+\.\d+$/);
  assert.match(await (await byTest("about-build")).getText(), /^([0-9a-f]{7,}|unknown)$/);
  const fonts = await browser.$$('[data-testid="about-font"]');
  assert.ok(fonts.length >= 2, "Noto Sans JP and Noto Color Emoji");
  assert.match(await fonts[0].getText(), /SIL Open Font License/);
  const crates = Number(await (await byTest("about-crates")).getAttribute("data-count"));
  const npm = Number(await (await byTest("about-npm")).getAttribute("data-count"));
  assert.ok(crates > 100 && npm > 5, `crates ${crates}, npm ${npm}`);
  await shot(browser, "desktop-01-about");
  await browser.keys(["Escape"]);
  await waitFor(async () => !(await byTest("about-dialog").isExisting()), "Escape did not close About");
  await stop(app);
});

test("a restart reopens the template that was open, in the window as it was left", async () => {
  const first = await start();
  const { browser, waitFor, byTest } = first;
  await waitFor(async () => (await rows(browser)).length >= 12, "the library did not show");
  const id = "us-retail-spring-sale";
  await (await browser.$(`[data-testid="template-row"][data-id="${id}"]`)).click();
  await waitFor(async () => (await byTest("sms-bubble")).isExisting(), "the template did not open", 60_000);
  await browser.setWindowRect(40, 30, 1200, 760);
  const rect = await browser.getWindowRect();
  // The app saves the geometry once moves settle (400 ms); a kill after that loses nothing.
  await new Promise((r) => setTimeout(r, 1500));
  await stop(first);

  const second = await start({ libraryDir: first.libraryDir, homeDir: first.homeDir });
  await second.waitFor(async () => (await second.byTest("sms-bubble")).isExisting(), "the last template was not reopened", 60_000);
  const again = await second.browser.getWindowRect();
  assert.deepEqual([again.width, again.height], [rect.width, rect.height], "same size");
  assert.deepEqual([again.x, again.y], [rect.x, rect.y], "same place");
  await shot(second.browser, "desktop-02-restored");
  // Back to the library: the next start shows the library again.
  await (await second.byTest("nav-library")).click();
  await new Promise((r) => setTimeout(r, 500));
  await stop(second);
  const third = await start({ libraryDir: first.libraryDir, homeDir: first.homeDir });
  await third.waitFor(async () => (await rows(third.browser)).length >= 12, "the library did not show");
  assert.equal(await third.byTest("sms-bubble").isExisting(), false, "no template reopened");
  await stop(third);
});

test("a second instance on the same library says which process holds it and opens a new library instead", async () => {
  const holder = await start();
  await holder.waitFor(async () => (await rows(holder.browser)).length >= 12, "the first instance did not start");
  const second = await start({ libraryDir: holder.libraryDir, homeDir: mkdtempSync(join(tmpdir(), "ccm-e2e-home-")) });
  const { browser, waitFor, byTest } = second;
  await waitFor(async () => (await byTest("library-blocked")).isExisting(), "the second instance did not say the library is in use");
  assert.equal(await (await byTest("library-blocked")).getAttribute("data-code"), "library_in_use");
  assert.match(await (await byTest("blocked-holder")).getText(), /\d+/, "names the holding process");
  assert.match(await (await byTest("blocked-path")).getText(), /library\.sqlite$/);
  await shot(browser, "desktop-03-in-use");
  await (await byTest("blocked-new")).click();
  await waitFor(async () => (await rows(browser)).length >= 12, "the new library did not open with the samples");
  assert.match(await (await byTest("library-path")).getText(), /library-2\.sqlite/);
  await stop(second);
  await stop(holder);
});

test("a library made by a newer version is shown as such, left untouched, and Quit ends the app", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ccm-e2e-newer-"));
  const library = join(dir, "library.sqlite");
  const ccm = process.env.CCM_CLI_BIN ?? join(repoRoot, "target/debug/ccm");
  execFileSync(ccm, ["init"], { env: { ...process.env, CCM_LIBRARY: library } });
  const bytes = readFileSync(library);
  // SQLite header: the schema version (user_version) is the big-endian u32 at offset 60.
  bytes.writeUInt32BE(bytes.readUInt32BE(60) + 1, 60);
  writeFileSync(library, bytes);
  const app = await start({ libraryDir: dir, env: { CCM_WATCH: "off" } });
  const { browser, waitFor, byTest } = app;
  await waitFor(async () => (await byTest("library-blocked")).isExisting(), "the newer library was not refused in the window");
  assert.equal(await (await byTest("library-blocked")).getAttribute("data-code"), "library_too_new");
  assert.ok(await byTest("blocked-untouched").isExisting(), "says the file was not changed");
  await shot(browser, "desktop-04-newer");
  assert.ok(readFileSync(library).equals(bytes), "the newer library is byte for byte as it was");
  // The app ends while the click is answered: WebKitWebDriver then reports the session gone.
  try {
    await (await byTest("blocked-quit")).click();
  } catch (e) {
    assert.match(String(e), /session|crash|hang/i, `only the app going away may fail the click: ${e}`);
  }
  await waitFor(
    async () => {
      try {
        await browser.getTitle();
        return false;
      } catch {
        return true; // the app is gone
      }
    },
    "Quit did not end the app",
  );
  await stop(app);
});
