// How fast the live preview follows the designer: ≥ 200 edits on the real app — typing in each
// channel file, switching persona and language — and, per pane and for "all four painted",
// p50/p95 of the time from the edit to the frame that shows it (measured by the app's editing
// session, ui/src/lib/previewSession.ts). Measurement only: it prints figures, asserts no times.
// CCM_E2E_PREVIEW_EDITS sets the number of edits (default 200; under a minute).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startApp, shot, makeWaitFor } from "./harness.mjs";

const EDITS = Math.max(10, Number(process.env.CCM_E2E_PREVIEW_EDITS ?? 200));
// A quick typist: about seven keys a second (CCM_E2E_KEY_INTERVAL_MS to change).
const KEY_INTERVAL_MS = Number(process.env.CCM_E2E_KEY_INTERVAL_MS ?? 140);
// `core`: the Rust side's time per request, receipt to last pane (no IPC, no drawing).
const SERIES = ["email", "sms", "push", "print", "all", "core"];

/** @type {import("webdriverio").Browser} */
let browser;
let stop;
const byTest = (id) => browser.$(`[data-testid="${id}"]`);
const waitFor = makeWaitFor(() => browser, "failed-timing-");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  ({ browser, stop } = await startApp());
});

after(async () => {
  await stop?.();
});

/** The timings the app recorded so far, per series. */
async function timings() {
  return browser.execute((series) => {
    const el = document.querySelector('[data-testid="render-ms"]');
    const out = {};
    for (const s of series) out[s] = (el?.getAttribute(`data-${s}`) ?? "").split(",").filter(Boolean).map(Number);
    return out;
  }, SERIES);
}

/** True once no render is out and every pane has shown the newest edit. */
async function idle(expectedAll) {
  const t = await timings();
  const busy = await browser.execute(() => document.querySelector('[data-testid="print-pane-busy"]') !== null);
  return !busy && t.all.length >= expectedAll;
}

async function openFile(name) {
  await (await browser.$(`[data-testid="file-tab"][data-file="${name}"]`)).click();
  const editor = await browser.$(`.cm-content[data-file="${name}"]`);
  await waitFor(async () => editor.isExisting(), `editor for ${name} did not open`);
  return editor;
}

/** Types `count` keys into `file` at a typist's pace; `place` puts the cursor first. */
async function typeInto(file, count, place) {
  const editor = await openFile(file);
  await editor.click();
  await place();
  const letters = "abcdefghij klmnopqrst uvwxyz ";
  let next = Date.now();
  for (let i = 0; i < count; i++) {
    const wait = next - Date.now();
    if (wait > 0) await sleep(wait);
    next = Date.now() + KEY_INTERVAL_MS;
    await browser.keys([letters[i % letters.length]]);
  }
}

const toEnd = async () => {
  await browser.keys(["Control", "End"]);
  await browser.keys(["Control"]);
};
// push.toml ends with `deep_link = "…"` and a newline: type inside that string.
const intoLastString = async () => {
  await toEnd();
  await browser.keys(["ArrowLeft"]);
  await browser.keys(["ArrowLeft"]);
};

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  return s.length ? { n: s.length, p50: at(0.5), p95: at(0.95), max: s[s.length - 1] } : { n: 0 };
}

test(`${EDITS} edits: keystroke → pane painted, per pane and all four`, async () => {
  await waitFor(async () => (await browser.$$('[data-testid="template-row"]')).length >= 12, "the library list did not show", 30_000);
  await (await browser.$('[data-testid="template-row"][data-id="jp-bank-payment-reminder"]')).click();
  await waitFor(async () => (await timings()).all.length >= 1, "the four panes did not paint", 60_000);
  await sleep(500);
  const start = await timings();
  const typed = Math.round(EDITS * 0.8);
  const perFile = Math.floor(typed / 4);
  const switches = EDITS - perFile * 4;
  const started = Date.now();

  await typeInto("email.md", perFile, toEnd);
  await typeInto("sms.txt", perFile, toEnd);
  await typeInto("push.toml", perFile, intoLastString);
  await typeInto("print.md", perFile, toEnd);

  // Persona and language, alternately, as someone clicking through them looks at each result.
  const persona = await byTest("persona-select");
  const locale = await byTest("locale-select");
  const values = async (select) => {
    const out = [];
    for (const o of await select.$$("option")) out.push(await o.getAttribute("value"));
    return out;
  };
  const personas = await values(persona);
  const locales = await values(locale);
  assert.ok(personas.length >= 2 && locales.length >= 2, "the template has two personas and two languages");
  for (let i = 0; i < switches; i++) {
    const before = (await timings()).all.length;
    if (i % 2 === 0) await persona.selectByAttribute("value", personas[(i / 2 + 1) % personas.length]);
    else await locale.selectByAttribute("value", locales[((i - 1) / 2 + 1) % locales.length]);
    await waitFor(async () => (await timings()).all.length > before, `switch ${i + 1} did not paint all four panes`, 30_000);
  }
  await waitFor(async () => idle(0), "the preview did not settle", 30_000);
  await sleep(300);
  const end = await timings();
  await shot(browser, "timing-after-edits");

  const figures = {
    edits: perFile * 4 + switches,
    typed_per_file: perFile,
    switches,
    key_interval_ms: KEY_INTERVAL_MS,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  for (const s of SERIES) figures[s] = stats(end[s].slice(start[s].length));
  console.log("preview timing (ms from edit to the frame showing it):", JSON.stringify(figures));
  assert.ok(figures.all.n >= EDITS * 0.9, `most edits were timed to all four panes (${figures.all.n} of ${EDITS})`);
});
