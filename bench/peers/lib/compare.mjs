// Reads the figures run.sh collected in OUT/ (ours-*.json from `ccm bench`, peer-*.json from
// the Node scripts), prints one table of same-run ratios against the targets, checks the SMS
// segment counts string by string, and writes OUT/peers.json.
//
//   node lib/compare.mjs OUT
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { reference } from './sms-reference.mjs';

const out = process.argv[2];
const read = (name) => (existsSync(join(out, name)) ? JSON.parse(readFileSync(join(out, name), 'utf8')) : null);
const env = read('environment.json') ?? {};

const rows = [];
function timed(channel, target, ours, peer, measure) {
  if (!ours || !peer) return;
  const ratio = peer.mean_ms / ours.mean_ms;
  rows.push({
    channel,
    measure,
    ours_ms: ours.mean_ms,
    peer_ms: peer.mean_ms,
    peer: peer.tool,
    ratio,
    target,
    met: ratio >= target,
    ours_p95_ms: ours.p95_ms,
    peer_p95_ms: peer.p95_ms,
    iterations: ours.iterations,
  });
}
timed('email', 10, read('ours-email.json'), read('peer-email.json'),
  'ccm: full email render (Tera, Markdown, MJML via mrml, CSS inlining, text part, MIME), new recipient each time; peer: mjml → HTML, then juice inlining, of the MJML ccm emitted');
timed('print', 20, read('ours-print.json'), read('peer-print.json'),
  'ccm: letter render to PDF (Tera, Typst, PDF), new recipient each time; peer: page.setContent + page.pdf() of an equivalent HTML letter, new recipient each time, warm browser');

const oursSms = read('ours-sms.json');
const peerSms = read('peer-sms.json');
let sms = null;
if (oursSms && peerSms) {
  const ratio = peerSms.us_per_string / oursSms.us_per_string;
  rows.push({
    channel: 'sms',
    measure: `encoding + segment count of ${oursSms.strings} mixed messages (ccm: the analyser the app and ccm batch use)`,
    ours_ms: oursSms.us_per_string / 1000,
    peer_ms: peerSms.us_per_string / 1000,
    peer: peerSms.tool,
    ratio,
    target: 100,
    met: ratio >= 100,
    iterations: oursSms.strings,
  });
  const messages = readFileSync(join(out, 'sms-strings.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  const kinds = read('sms-strings.kinds.json') ?? [];
  const mismatches = [];
  let peerWrong = 0;
  let oursWrong = 0;
  for (let i = 0; i < messages.length; i++) {
    const same = oursSms.segments[i] === peerSms.segments[i] && oursSms.encodings[i] === peerSms.encodings[i];
    if (same) continue;
    // Who is right is decided by an independent count per 3GPP TS 23.038 (sms-reference.mjs).
    const ref = reference(messages[i]);
    const oursRight = ref.segments === oursSms.segments[i] && ref.encoding === oursSms.encodings[i];
    const peerRight = ref.segments === peerSms.segments[i] && ref.encoding === peerSms.encodings[i];
    if (!peerRight) peerWrong++;
    if (!oursRight) oursWrong++;
    mismatches.push({
      index: i,
      line: i + 1,
      kind: kinds[i],
      ours: { encoding: oursSms.encodings[i], segments: oursSms.segments[i] },
      peer: { encoding: peerSms.encodings[i], segments: peerSms.segments[i] },
      reference: ref,
      text: messages[i],
    });
  }
  sms = {
    strings: messages.length,
    identical: messages.length - mismatches.length,
    mismatches: mismatches.length,
    peer_wrong_per_ts_23_038: peerWrong,
    ours_wrong_per_ts_23_038: oursWrong,
    examples: mismatches.slice(0, 50),
  };
}

const fmt = (ms) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);
console.log(`Same-run comparison · ${env.date ?? ''} · ${env.cpus ?? '?'} cores · load before: ${env.load_before ?? '?'} · after: ${env.load_after ?? '?'}`);
console.log(`ccm build: ${read('ours-email.json')?.build ?? read('ours-sms.json')?.build ?? '?'}`);
console.log('');
console.log('CHANNEL  CCM (mean)    PEER (mean)   RATIO     TARGET  MET   PEER');
for (const r of rows) {
  console.log(`${r.channel.padEnd(8)} ${fmt(r.ours_ms).padEnd(13)} ${fmt(r.peer_ms).padEnd(13)} ${(r.ratio.toFixed(1) + '×').padEnd(9)} ≥${String(r.target).padEnd(5)} ${r.met ? 'yes' : 'NO '}   ${r.peer}`);
}
if (sms) {
  console.log('');
  console.log(`SMS counts: ${sms.identical}/${sms.strings} identical (encoding and segments); ${sms.mismatches} differ` +
    (sms.mismatches ? ` — the npm calculator is wrong per 3GPP TS 23.038 on ${sms.peer_wrong_per_ts_23_038}, ccm on ${sms.ours_wrong_per_ts_23_038}` : ''));
  for (const m of sms.examples.slice(0, 10)) {
    console.log(`  line ${m.line} (${m.kind}): ccm ${m.ours.encoding}/${m.ours.segments}, npm ${m.peer.encoding}/${m.peer.segments}, TS 23.038 ${m.reference.encoding}/${m.reference.segments}: ${JSON.stringify(m.text.slice(0, 60))}${m.text.length > 60 ? '…' : ''}`);
  }
}
writeFileSync(join(out, 'peers.json'), JSON.stringify({ environment: env, comparisons: rows, sms_counts: sms }, null, 2) + '\n');
console.log('');
console.log(`figures: ${join(out, 'peers.json')}`);
