// An independent SMS count, written from the standards, used only to decide who is right
// when CCM Studio and the npm calculator disagree:
// - 3GPP TS 23.038 §6.2.1: the GSM 7-bit default alphabet (128 characters, 0x1B being the
//   escape) and its extension table (§6.2.1.1: FF ^ { } \ [ ~ ] | €, each sent as ESC + code,
//   so two septets). Any other character means UCS-2 (UTF-16 code units on the wire).
// - 3GPP TS 23.040 §9.2.3.24.1: a concatenated part carries a 6-octet user data header, which
//   leaves 153 septets (GSM-7) or 67 UTF-16 units (UCS-2) of the 140 octets; a single message
//   holds 160 septets or 70 units.
// An escape pair or a surrogate pair is never split between parts (neither half is a
// character). Both tools also keep a user-perceived character (grapheme cluster: emoji with
// modifiers, flags, ZWJ sequences) in one part; the reference does the same with the
// runtime's Unicode segmentation (Intl.Segmenter).
const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '\f^{}\\[~]|€';
const basic = new Set([...BASIC].filter((c) => c !== '\u001b'));
const extension = new Set([...EXTENSION]);
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function reference(text) {
  const chars = [...text];
  const gsm = chars.every((c) => basic.has(c) || extension.has(c));
  const encoding = gsm ? 'GSM-7' : 'UCS-2';
  const cost = (c) => (gsm ? (extension.has(c) ? 2 : 1) : c.length);
  const [single, part] = gsm ? [160, 153] : [70, 67];
  const units = chars.reduce((n, c) => n + cost(c), 0);
  if (units === 0) return { encoding, units, segments: 0 };
  if (units <= single) return { encoding, units, segments: 1 };
  // "\r\n" is one grapheme cluster but two characters the standard counts separately.
  const clusters = [...segmenter.segment(text)].flatMap(({ segment }) => (segment === '\r\n' ? ['\r', '\n'] : [segment]));
  let segments = 1;
  let used = 0;
  for (const cluster of clusters) {
    const size = [...cluster].reduce((n, c) => n + cost(c), 0);
    if (used + size <= part) {
      used += size;
    } else if (size <= part) {
      segments++;
      used = size;
    } else {
      // A cluster longer than a part is split between its characters.
      for (const c of cluster) {
        if (used + cost(c) > part) {
          segments++;
          used = 0;
        }
        used += cost(c);
      }
    }
  }
  return { encoding, units, segments };
}
