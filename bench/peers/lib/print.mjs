// Peer side of the print comparison: headless Chromium (Debian's `chromium`, driven by
// `puppeteer-core`) turns an HTML letter into a PDF with `page.pdf()` on a live, warm browser
// — the usual "HTML to PDF" stack. The letter has the content of CCM Studio's
// us-retail-product-recall letter (letterhead, address block, date, title, body with a list,
// signature, legal footer; US Letter) and, like `ccm bench render --vary`, a different
// recipient on every iteration: name and address get the iteration number appended, so every
// PDF is a fresh letter, never a cached one.
//
//   node lib/print.mjs [ITERATIONS=30] [WARMUP=3]
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const puppeteer = require('puppeteer-core');
const [itersArg, warmArg] = process.argv.slice(2);
const iterations = Number(itersArg ?? 30);
const warmup = Number(warmArg ?? 3);
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const escape = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

// The typical persona of us-retail-product-recall, varied the way `ccm bench render --vary` varies it.
function recipient(i) {
  return {
    name: `Marcus Johnson ${i}`,
    line1: `219 Ridge Road ${i}`,
    city: `Bend ${i}`,
    state: 'OR',
    zip: '97701',
    phone: '(503) 555-0187',
  };
}

function letter(r) {
  const name = escape(r.name);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IMPORTANT SAFETY RECALL</title>
<style>
  @page { size: Letter; margin: 0.75in 0.9in 0.9in 0.9in; }
  body { font-family: 'Noto Sans', 'Noto Sans JP', sans-serif; font-size: 10.5pt; line-height: 1.5; color: #1c1c1c; margin: 0; }
  header { display: flex; justify-content: space-between; border-bottom: 2pt solid #1e4d2b; padding-bottom: 8pt; }
  header .brand { font-size: 16pt; font-weight: bold; color: #1e4d2b; }
  header .contact { text-align: right; font-size: 8.5pt; color: #5a5a5a; }
  .window { margin-top: 0.9in; height: 1.1in; width: 4in; font-size: 10.5pt; }
  .date { text-align: right; margin: 12pt 0; }
  h1 { font-size: 14pt; color: #1e4d2b; margin: 8pt 0 12pt 0; }
  ul { padding-left: 18pt; } li { margin-bottom: 4pt; }
  hr { border: 0; border-top: 0.5pt solid #999; margin: 16pt 0 8pt 0; }
  footer { font-size: 8.5pt; color: #5a5a5a; }
</style></head>
<body>
<header>
  <div class="brand">Northwind Outfitters</div>
  <div class="contact">1200 NW Harbor Street, Suite 400<br>Portland, OR 97209<br>+1 503-555-0142 · help@northwind.example.com<br>https://www.northwind.example.com</div>
</header>
<div class="window">${name}<br>${escape(r.line1)}<br>${escape(r.city)}, ${r.state} ${r.zip}</div>
<div class="date">December 3, 2026</div>
<h1>IMPORTANT SAFETY RECALL</h1>
<p>Dear ${name},</p>
<p>Our records show you bought a <strong>Summit 2-Burner Camp Stove</strong> (model SCS-200) from Northwind Outfitters on June 14, 2026 (order NW-098311). We are voluntarily recalling this stove because the fuel regulator can leak propane and cause a fire.</p>
<p><strong>Please stop using the stove immediately.</strong></p>
<p>To get a full refund of $129.95:</p>
<ul>
  <li>Return the stove to any Northwind store (no receipt needed), or</li>
  <li>Request a free prepaid return label at www.northwind.example.com/recall/scs-200 or by calling +1 503-555-0142.</li>
</ul>
<p>Only model SCS-200 sold between April 1 and September 30, 2026 is affected. The model number is printed under the stove base.</p>
<p>We will also text updates about this recall to ${escape(r.phone)}.</p>
<p>We're sorry for the inconvenience, and thank you for helping us keep you safe.</p>
<p>Sincerely,</p>
<p>Sarah Lindqvist<br>Chief Product Safety Officer</p>
<hr>
<footer><strong>Questions?</strong><br>Northwind Outfitters, Inc., 1200 NW Harbor Street, Suite 400, Portland, OR 97209<br>Questions or complaints: +1 503-555-0142 or https://www.northwind.example.com/help</footer>
</body></html>`;
}

const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  // Root in a container has no user namespace sandbox; the letter is our own HTML.
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage();
  const once = async (i) => {
    await page.setContent(letter(recipient(i)), { waitUntil: 'load' });
    return page.pdf({ format: 'Letter', printBackground: true, preferCSSPageSize: true });
  };
  for (let i = 0; i < warmup; i++) await once(1000000 + i);
  const times = [];
  let pdf;
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint();
    pdf = await once(i);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  times.sort((a, b) => a - b);
  const at = (p) => times[Math.max(0, Math.ceil((times.length * p) / 100) - 1)];
  console.log(JSON.stringify({
    tool: `Chromium ${(await browser.version()).replace(/^HeadlessChrome\//, '')} via puppeteer-core ${require('puppeteer-core/package.json').version}`,
    iterations,
    total_ms: totalMs,
    mean_ms: totalMs / iterations,
    p50_ms: at(50),
    p95_ms: at(95),
    per_second: iterations / (totalMs / 1000),
    last_output_bytes: pdf.length,
  }));
} finally {
  await browser.close();
}
