// The email preview is untrusted content: a template (or a persona value) may carry scripts,
// script links, frames, forms, objects, a meta refresh, remote CSS, SVG with script and
// tracking pixels. In the real app nothing of it may run, nothing may be fetched until the
// user allows remote images, and no Tauri IPC may be reachable from the preview frame.
// A local HTTP server counts every request the preview makes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startApp, shot, makeWaitFor } from "./harness.mjs";

/** @type {import("webdriverio").Browser} */
let browser;
let stop;
let samplesDir;
let server;
/** Paths the preview asked the local server for. */
const hits = [];
const ID = "jp-bank-payment-reminder";
const MARKER = "ccm-isolation-marker";
const waitFor = makeWaitFor(() => browser, "isolation-");

before(async () => {
  server = createServer((req, res) => {
    hits.push(req.url);
    res.writeHead(200, { "content-type": "image/gif" });
    res.end();
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  ({ browser, stop, samplesDir } = await startApp());
});

after(async () => {
  await stop?.();
  await new Promise((ok) => server.close(ok));
});

/** Every vector of the threat model, as raw HTML and as Markdown. */
function hostileBody(base) {
  return `

${MARKER}

<script>document.title="pwned-script";parent.document.title="pwned-script";window.__TAURI_INTERNALS__.invoke("create_template",{id:"pwned"})</script>
<img src="${base}/raw-pixel.gif" width="1" height="1" alt="">
<img src="x" onerror="parent.document.title='pwned-onerror'">
<a href="javascript:parent.document.title='pwned-js'">raw js link</a>
<iframe src="${base}/frame"></iframe>
<form action="${base}/form" method="post"><input name="q" value="1"><button>Send</button></form>
<object data="${base}/object"></object>
<meta http-equiv="refresh" content="0;url=${base}/refresh">
<div style="background:url(${base}/css-bg)">styled</div>
<style>@import url(${base}/css-import); .x{background:url(${base}/css-rule)}</style>
<svg xmlns="http://www.w3.org/2000/svg"><script>parent.document.title='pwned-svg'</script><image href="${base}/svg-image"/></svg>
<link rel="stylesheet" href="${base}/link-css">

[js link](javascript:parent.document.title='pwned-md') [data link](data:text/html,<script>parent.document.title='pwned-data'</script>)
![tracking pixel](${base}/pixel.gif) ![svg image](${base}/image.svg)
`;
}

test("a hostile email runs nothing, fetches nothing and reaches no IPC", async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  // Saved in the watched folder, as a colleague's text editor would.
  const file = join(samplesDir, "templates", ID, "email.md");
  writeFileSync(file, readFileSync(file, "utf8") + hostileBody(base));

  const row = `[data-testid="template-row"][data-id="${ID}"]`;
  await waitFor(async () => (await browser.$(row)).isExisting(), "the sample is not listed", 60_000);
  await (await browser.$(row)).click();
  const srcdoc = () =>
    browser.execute(() => document.querySelector('[data-testid="email-frame"]')?.getAttribute("srcdoc") ?? "");
  await waitFor(async () => (await srcdoc()).includes(MARKER), "the hostile email did not reach the preview", 60_000);
  const doc = await srcdoc();
  // Not vacuous: the tracking pixel is a real <img> of the document the frame shows.
  assert.match(doc, new RegExp(`<img[^>]+src="${base}/pixel\\.gif"`), "the Markdown image is an <img> in the preview");
  const scriptTag = /<script[\s>]/i.exec(doc);
  assert.equal(scriptTag, null, `no <script> element reaches the frame: ${scriptTag && doc.slice(scriptTag.index - 80, scriptTag.index + 80)}`);
  const badLink = /<a\b[^>]*\bhref\s*=\s*["']?\s*(javascript|data):/i.exec(doc);
  assert.equal(badLink, null, `no javascript: or data: link reaches the frame: ${badLink && doc.slice(badLink.index, badLink.index + 120)}`);

  // Give a meta refresh, lazy images and CSS time to act, then click every link in the frame.
  await new Promise((r) => setTimeout(r, 2000));
  const frame = await browser.$('[data-testid="email-frame"]');
  assert.equal(await frame.getAttribute("sandbox"), "", "the frame is sandboxed without exceptions");
  const opaque = await browser.execute(() => {
    const f = document.querySelector('[data-testid="email-frame"]');
    try {
      return f.contentDocument === null && f.contentWindow.__TAURI_INTERNALS__ === undefined;
    } catch {
      return true; // cross-origin access throws: the frame is not the app's origin
    }
  });
  assert.ok(opaque, "the app cannot reach into the frame, so the frame cannot reach the app's IPC");
  await browser.switchFrame(frame);
  for (const link of await browser.$$("a")) {
    try {
      await link.click();
    } catch {
      /* a link the page keeps from being clicked is fine */
    }
  }
  await browser.switchFrame(null);
  await new Promise((r) => setTimeout(r, 1000));

  assert.equal(await browser.getTitle(), "CCM Studio", "no script changed the app's title");
  assert.deepEqual(hits, [], `the preview fetched nothing: ${JSON.stringify(hits)}`);
  assert.ok(await browser.$(row).isExisting() || (await browser.$('[data-testid="pane-email"]').isExisting()), "the app still shows its own page");
  const pwned = await browser.execute(() => [...document.querySelectorAll('[data-testid="template-row"]')].some((r) => r.getAttribute("data-id") === "pwned"));
  assert.equal(pwned, false, "no template was created through IPC");
  await shot(browser, "isolation-01-hostile-email");
});
