// Writes the mixed SMS list both segmenters count: one JSON string per line, deterministic
// (seeded), every kind of text an SMS platform meets, with lengths clustered around the
// single-message and part boundaries (160/153 septets, 70/67 UTF-16 units) where counting
// mistakes show.
//
//   node lib/sms-list.mjs OUT.jsonl [COUNT=10000] [SEED=20261203]
import { writeFileSync } from 'node:fs';

const [out, countArg, seedArg] = process.argv.slice(2);
const COUNT = Number(countArg ?? 10000);
let state = Number(seedArg ?? 20261203) >>> 0;
// mulberry32: tiny, seeded, the same list on every machine.
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];

const words = 'your order has shipped track it at the link below reply STOP to opt out payment due on account balance appointment reminder code is valid for 10 minutes call us thank you'.split(' ');
const gsmBasicExtras = [...'@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà'];
const gsmExtension = [...'€[]{}^~|\\', '\f'];
const ucs2Latin = [...'çáíóúãõâêôÀÈÌ’‘“”–—…\u00a0«»°'];
const emoji = ['😀', '🎉', '👍', '👍🏽', '❤️', '✅', '📦', '🇯🇵', '🇺🇸', '👨‍👩‍👧‍👦', '🧑🏿‍💻', '1️⃣', '🏳️‍🌈', '☎', '★'];
const japanese = [...'ご利用ありがとうございます。お支払い期限は本日です。詳しくはこちら：カード番号末尾確認認証コード口座残高ｶﾀｶﾅﾃﾞｽ「」、・ー〜！？'];
const breaks = ['\n', '\r\n'];

// Length targets: around every boundary of 1..8 parts in both encodings, plus anything.
const boundaries = [];
for (const [single, part] of [[160, 153], [70, 67]]) {
  boundaries.push(single);
  for (let parts = 2; parts <= 8; parts++) boundaries.push(part * parts);
}
function targetLength() {
  if (random() < 0.6) return Math.max(1, pick(boundaries) + Math.floor(random() * 7) - 3);
  return 1 + Math.floor(random() * 1200);
}

function sentence(len, alphabet, mix) {
  let s = '';
  while ([...s].length < len) {
    if (random() < mix && alphabet.length) s += pick(alphabet);
    else s += (s ? ' ' : '') + pick(words);
  }
  return [...s].slice(0, len).join('');
}

const kinds = [
  ['gsm-ascii', (n) => sentence(n, [], 0)],
  ['gsm-basic-extras', (n) => sentence(n, gsmBasicExtras, 0.15)],
  ['gsm-extension', (n) => sentence(n, gsmExtension, 0.2)],
  ['gsm-line-breaks', (n) => sentence(n, breaks, 0.05)],
  ['ucs2-latin', (n) => sentence(n, ucs2Latin.concat(gsmExtension), 0.1)],
  ['emoji', (n) => sentence(n, emoji, 0.15)],
  ['japanese', (n) => Array.from({ length: n }, () => pick(japanese)).join('')],
  ['japanese-mixed', (n) => sentence(n, japanese.concat(emoji, gsmExtension, breaks), 0.5)],
];

const lines = [];
const kindOf = [];
for (let i = 0; i < COUNT; i++) {
  const [kind, make] = kinds[i % kinds.length];
  let text = make(targetLength());
  // An SMS is never empty (the app reports an empty one as an error).
  if (text.length === 0) text = 'x';
  lines.push(JSON.stringify(text));
  kindOf.push(kind);
}
writeFileSync(out, lines.join('\n') + '\n');
writeFileSync(out.replace(/\.jsonl$/, '') + '.kinds.json', JSON.stringify(kindOf));
console.error(`wrote ${COUNT} messages to ${out}`);
