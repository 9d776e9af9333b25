// Peer side of the SMS comparison: Twilio's npm `sms-segments-calculator` over the same list
// `ccm bench sms` reads, in-process; prints JSON with each message's encoding and segment
// count. The calculator takes milliseconds per long message, so one timed round (which also
// yields the counts) is the default; a short untimed warm-up pass runs first.
//
//   node lib/sms.mjs STRINGS.jsonl [ROUNDS=1]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SegmentedMessage } = require('sms-segments-calculator');
const [file, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 1);
const messages = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

// Warm the JIT on the first 500 messages (untimed).
for (const m of messages.slice(0, 500)) new SegmentedMessage(m, 'auto');
let first = [];
let checksum = 0;
const started = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) {
  for (const m of messages) {
    const s = new SegmentedMessage(m, 'auto');
    checksum += s.segmentsCount;
    if (r === 0) first.push({ encodingName: s.encodingName, segmentsCount: s.segmentsCount });
  }
}
const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
const analysed = messages.length * rounds;
console.log(JSON.stringify({
  tool: `sms-segments-calculator ${require('sms-segments-calculator/package.json').version}`,
  strings: messages.length,
  rounds,
  total_ms: totalMs,
  us_per_string: (totalMs * 1000) / analysed,
  strings_per_second: analysed / (totalMs / 1000),
  total_segments: checksum / rounds,
  encodings: first.map((s) => s.encodingName),
  segments: first.map((s) => s.segmentsCount),
}));
