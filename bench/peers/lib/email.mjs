// Peer side of the email comparison: npm `mjml` compiles the very MJML document CCM Studio's
// renderer compiled (`ccm render --emit mjml`), then `juice` inlines the CSS — the usual
// Node email stack. Warm, in-process, N iterations; prints JSON.
//
//   node lib/email.mjs EMAIL.mjml [ITERATIONS=50] [WARMUP=3]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const mjml2html = require('mjml');
const juice = require('juice');
const [file, itersArg, warmArg] = process.argv.slice(2);
const iterations = Number(itersArg ?? 50);
const warmup = Number(warmArg ?? 3);
const mjml = readFileSync(file, 'utf8');
// The same switches CCM Studio gives mrml: no comments, no web-font links.
const options = { keepComments: false, fonts: {}, validationLevel: 'soft', minify: false };

async function once() {
  const result = await mjml2html(mjml, options);
  return juice(result.html);
}

let html = '';
for (let i = 0; i < warmup; i++) html = await once();
const times = [];
const started = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) {
  const t = process.hrtime.bigint();
  html = await once();
  times.push(Number(process.hrtime.bigint() - t) / 1e6);
}
const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
times.sort((a, b) => a - b);
const at = (p) => times[Math.max(0, Math.ceil((times.length * p) / 100) - 1)];
console.log(JSON.stringify({
  tool: `mjml ${require('mjml/package.json').version} + juice ${require('juice/package.json').version}`,
  iterations,
  total_ms: totalMs,
  mean_ms: totalMs / iterations,
  p50_ms: at(50),
  p95_ms: at(95),
  per_second: iterations / (totalMs / 1000),
  last_output_bytes: Buffer.byteLength(html),
  contains_body_text: process.env.EXPECT_TEXT ? html.includes(process.env.EXPECT_TEXT) : null,
}));
