//! SMS analysis: encoding (GSM-7 or UCS-2), units, segments and the exact text of each part,
//! the characters that force UCS-2 (with lookalike fixes) and Japanese long-SMS facts.
//!
//! Limits (3GPP TS 23.040 and TS 23.038): one SMS carries 140 octets; concatenated parts lose
//! 6 octets to the UDH, so GSM-7 is 160 septets single / 153 per part and UCS-2 is 70 / 67
//! UTF-16 units.
//! A part never splits an escape pair, a surrogate pair or a grapheme cluster, so a part may
//! end a unit or two short of the limit, exactly as peer implementations do.

use crate::gsm;
use ccm_core::diagnostic::{codes, Diagnostic, Severity};
use ccm_core::model::Channel;
use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

pub const GSM7_SINGLE: u32 = 160;
pub const GSM7_PART: u32 = 153;
pub const UCS2_SINGLE: u32 = 70;
pub const UCS2_PART: u32 = 67;
/// docomo, au and SoftBank accept up to 10 concatenated parts (670 full-width characters).
pub const JP_MAX_PARTS: usize = 10;
/// Japanese carriers' price tiers (UCS-2 units): the single message, then every 67-unit part.
pub const JP_PRICE_TIERS: [u32; 10] = [70, 134, 201, 268, 335, 402, 469, 536, 603, 670];
/// Older Japanese handsets show only this many characters.
pub const JP_OLD_HANDSET_VISIBLE: u32 = 70;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SmsEncoding {
    #[serde(rename = "GSM-7")]
    Gsm7,
    #[serde(rename = "UCS-2")]
    Ucs2,
}

impl SmsEncoding {
    pub fn limits(self) -> (u32, u32) {
        match self {
            SmsEncoding::Gsm7 => (GSM7_SINGLE, GSM7_PART),
            SmsEncoding::Ucs2 => (UCS2_SINGLE, UCS2_PART),
        }
    }
    pub fn unit_name(self) -> &'static str {
        match self {
            SmsEncoding::Gsm7 => "septets",
            SmsEncoding::Ucs2 => "utf16_units",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SmsPart {
    /// 1-based.
    pub index: usize,
    pub text: String,
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    pub units: u32,
}

/// One character that keeps the message out of GSM-7.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ucs2Char {
    pub char: String,
    /// `U+201C`.
    pub codepoint: String,
    /// 0-based index in Unicode scalar values (what an editor's cursor counts).
    pub char_index: usize,
    /// 0-based index in UTF-16 code units (what JavaScript's `String` counts).
    pub utf16_index: usize,
    /// A GSM-7 lookalike, when one exists (a suggestion, never applied silently).
    pub replacement: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JapanLongSms {
    pub max_parts: usize,
    pub within_cap: bool,
    /// The price tier (UCS-2 units) this message falls in, `None` when over the cap or GSM-7.
    pub price_tier: Option<u32>,
    /// What an older handset shows: the first 70 characters.
    pub older_handset_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SmsAnalysis {
    pub encoding: SmsEncoding,
    pub unit_name: &'static str,
    /// Unicode scalar values.
    pub characters: usize,
    pub units: u32,
    pub segments: usize,
    pub single_limit: u32,
    pub part_limit: u32,
    /// Units still free in the last segment before another part is needed.
    pub units_left_in_segment: u32,
    pub crlf_count: usize,
    pub utf8_bytes: usize,
    pub parts: Vec<SmsPart>,
    pub ucs2_forcing: Vec<Ucs2Char>,
    pub japan: JapanLongSms,
    /// Channel advice (UCS-2, parts, Japanese carrier limits), without a source file: the
    /// pipeline names the SMS file.
    #[serde(serialize_with = "artifact_warnings")]
    pub warnings: Vec<Diagnostic>,
}

/// `sms.json` (this analysis) is a rendition artifact whose bytes are hashed and bound by
/// approvals, so its warnings keep their compact `{severity, code, message}` English form; the
/// full [`Diagnostic`] reaches `--json`, SARIF and the app through the render set.
fn artifact_warnings<S: serde::Serializer>(w: &[Diagnostic], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Compact<'a> {
        severity: Severity,
        code: &'a str,
        message: &'a str,
    }
    s.collect_seq(w.iter().map(|d| Compact {
        severity: d.severity,
        code: &d.code,
        message: &d.message.en,
    }))
}

/// Cost of one character in the chosen encoding.
fn cost(c: char, enc: SmsEncoding) -> u32 {
    match enc {
        // Only called for GSM-7 when every char is GSM, so the fallback is never hit; keep it
        // total anyway.
        SmsEncoding::Gsm7 => gsm::septets(c).unwrap_or(2),
        SmsEncoding::Ucs2 => c.len_utf16() as u32,
    }
}

/// Strips the one trailing newline the file format ignores (`sms.txt`).
pub fn strip_trailing_newline(text: &str) -> &str {
    text.strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text)
}

/// Analyses the final SMS text. `locale` only changes advice (UCS-2 is expected in Japanese).
pub fn analyze(text: &str, locale: &str) -> SmsAnalysis {
    let mut ucs2_forcing = Vec::new();
    let mut utf16_index = 0usize;
    for (char_index, c) in text.chars().enumerate() {
        if !gsm::is_gsm(c) {
            ucs2_forcing.push(Ucs2Char {
                char: c.to_string(),
                codepoint: format!("U+{:04X}", c as u32),
                char_index,
                utf16_index,
                replacement: gsm::replacement(c).map(str::to_string),
            });
        }
        utf16_index += c.len_utf16();
    }
    let encoding = if ucs2_forcing.is_empty() {
        SmsEncoding::Gsm7
    } else {
        SmsEncoding::Ucs2
    };
    let (single_limit, part_limit) = encoding.limits();
    let units: u32 = text.chars().map(|c| cost(c, encoding)).sum();
    let parts = if units <= single_limit {
        if text.is_empty() {
            Vec::new()
        } else {
            vec![SmsPart {
                index: 1,
                text: text.to_string(),
                units,
            }]
        }
    } else {
        split_parts(text, encoding, part_limit)
    };
    let segments = parts.len();
    let units_left_in_segment = match segments {
        0 => single_limit,
        1 => single_limit - units.min(single_limit),
        _ => part_limit.saturating_sub(parts.last().map_or(0, |p| p.units)),
    };
    let crlf_count = text.matches("\r\n").count();
    let ucs2_units: u32 = text.chars().map(|c| c.len_utf16() as u32).sum();
    let japan = JapanLongSms {
        max_parts: JP_MAX_PARTS,
        within_cap: segments <= JP_MAX_PARTS,
        price_tier: match encoding {
            SmsEncoding::Ucs2 => JP_PRICE_TIERS.iter().copied().find(|t| ucs2_units <= *t),
            SmsEncoding::Gsm7 => None,
        },
        older_handset_text: text.chars().take(JP_OLD_HANDSET_VISIBLE as usize).collect(),
    };
    let mut a = SmsAnalysis {
        encoding,
        unit_name: encoding.unit_name(),
        characters: text.chars().count(),
        units,
        segments,
        single_limit,
        part_limit,
        units_left_in_segment,
        crlf_count,
        utf8_bytes: text.len(),
        parts,
        ucs2_forcing,
        japan,
        warnings: Vec::new(),
    };
    a.warnings = advise(&a, locale);
    a
}

fn is_japanese(locale: &str) -> bool {
    locale == "ja" || locale.starts_with("ja-")
}

fn advise(a: &SmsAnalysis, locale: &str) -> Vec<Diagnostic> {
    let mut w = Vec::new();
    let ja = is_japanese(locale);
    if a.characters == 0 {
        w.push(Diagnostic::render(
            Severity::Error,
            Channel::Sms,
            codes::SMS_EMPTY,
            "the SMS text is empty",
        ));
        return w;
    }
    let fixable: Vec<&Ucs2Char> = a
        .ucs2_forcing
        .iter()
        .filter(|c| c.replacement.is_some())
        .collect();
    if a.encoding == SmsEncoding::Ucs2 && !ja {
        let listed: Vec<String> = a
            .ucs2_forcing
            .iter()
            .take(5)
            .map(|c| format!("'{}' ({}) at {}", c.char, c.codepoint, c.char_index))
            .collect();
        w.push(Diagnostic::render(
            Severity::Warning,
            Channel::Sms,
            codes::SMS_UCS2_FORCED,
            format!(
                "{} character(s) force UCS-2 (70 units per SMS instead of 160): {}{}",
                a.ucs2_forcing.len(),
                listed.join(", "),
                if a.ucs2_forcing.len() > 5 {
                    ", …"
                } else {
                    ""
                }
            ),
        ));
    } else if a.encoding == SmsEncoding::Ucs2 && !fixable.is_empty() {
        w.push(Diagnostic::render(
            Severity::Info,
            Channel::Sms,
            codes::SMS_GSM_LOOKALIKES,
            format!(
                "{} character(s) have GSM-7 lookalikes (e.g. '{}' → '{}'); replacing them alone does not leave UCS-2 while Japanese text remains",
                fixable.len(),
                fixable[0].char,
                fixable[0].replacement.as_deref().unwrap_or_default()
            ),
        ));
    }
    if a.segments > 1 {
        w.push(Diagnostic::render(
            Severity::Info,
            Channel::Sms,
            codes::SMS_MULTIPART,
            format!(
                "{} units in {} parts of up to {} {} each (a single SMS holds {})",
                a.units, a.segments, a.part_limit, a.unit_name, a.single_limit
            ),
        ));
    }
    if a.segments > JP_MAX_PARTS {
        w.push(Diagnostic::render(
            if ja { Severity::Error } else { Severity::Warning },
            Channel::Sms,
            codes::SMS_JP_LONG_SMS_CAP,
            format!(
                "{} parts exceed Japanese carriers' long-SMS cap of {} parts (670 full-width / 1,530 half-width characters)",
                a.segments, JP_MAX_PARTS
            ),
        ));
    }
    if ja && a.encoding == SmsEncoding::Ucs2 && a.units > JP_OLD_HANDSET_VISIBLE {
        w.push(Diagnostic::render(
            Severity::Info,
            Channel::Sms,
            codes::SMS_JP_FIRST_70,
            format!(
                "{} units: older handsets show only the first {} characters — put the key content first",
                a.units, JP_OLD_HANDSET_VISIBLE
            ),
        ));
    }
    if a.crlf_count > 0 {
        w.push(Diagnostic::render(
            Severity::Warning,
            Channel::Sms,
            codes::SMS_CRLF,
            format!(
                "{} CRLF line break(s) count two characters each; use LF line breaks",
                a.crlf_count
            ),
        ));
    }
    w
}

/// Packs grapheme clusters into parts of at most `limit` units. A cluster larger than a whole
/// part (a pathological run of combining marks) is split between characters, which still never
/// splits an escape pair or a surrogate pair.
fn split_parts(text: &str, enc: SmsEncoding, limit: u32) -> Vec<SmsPart> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut cur_units = 0u32;
    let flush = |cur: &mut String, cur_units: &mut u32, parts: &mut Vec<SmsPart>| {
        if !cur.is_empty() {
            parts.push(SmsPart {
                index: parts.len() + 1,
                text: std::mem::take(cur),
                units: *cur_units,
            });
            *cur_units = 0;
        }
    };
    // CR LF is one grapheme cluster but two characters of the alphabet (3GPP TS 23.038): a
    // part may end between them, as with any two characters.
    let clusters = text.graphemes(true).flat_map(|g| {
        let (first, second) = if g == "\r\n" {
            ("\r", Some("\n"))
        } else {
            (g, None)
        };
        std::iter::once(first).chain(second)
    });
    for g in clusters {
        let g_units: u32 = g.chars().map(|c| cost(c, enc)).sum();
        if g_units <= limit {
            if cur_units + g_units > limit {
                flush(&mut cur, &mut cur_units, &mut parts);
            }
            cur.push_str(g);
            cur_units += g_units;
        } else {
            for c in g.chars() {
                let u = cost(c, enc);
                if cur_units + u > limit {
                    flush(&mut cur, &mut cur_units, &mut parts);
                }
                cur.push(c);
                cur_units += u;
            }
        }
    }
    flush(&mut cur, &mut cur_units, &mut parts);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(n: usize) -> String {
        "1234567890".chars().cycle().take(n).collect()
    }

    #[test]
    fn gsm_160_is_one_part_161_is_two() {
        let a = analyze(&digits(160), "en");
        assert_eq!(
            (a.encoding, a.units, a.segments),
            (SmsEncoding::Gsm7, 160, 1)
        );
        assert_eq!(a.units_left_in_segment, 0);
        let b = analyze(&digits(161), "en");
        assert_eq!(b.segments, 2, "161 septets need two parts");
        assert_eq!(b.parts[0].units, 153);
        assert_eq!(b.parts[1].units, 8);
        assert_eq!(b.parts[0].text.len() + b.parts[1].text.len(), 161);
    }

    #[test]
    fn a_part_may_end_between_cr_and_lf() {
        // 152 + CR | LF + 152: 306 septets fill two parts exactly.
        let text = format!("{}\r\n{}", digits(152), digits(152));
        let a = analyze(&text, "en");
        assert_eq!(a.segments, 2);
        assert!(a.parts[0].text.ends_with('\r') && a.parts[1].text.starts_with('\n'));
    }

    #[test]
    fn gsm_306_is_two_parts_307_is_three() {
        assert_eq!(analyze(&digits(306), "en").segments, 2);
        let a = analyze(&digits(307), "en");
        assert_eq!(a.segments, 3);
        assert_eq!(a.parts[2].text, "7", "the 307th digit starts part 3");
    }

    #[test]
    fn ucs2_70_is_one_part_71_is_two() {
        let s70: String = "あ".repeat(70);
        let a = analyze(&s70, "ja");
        assert_eq!(
            (a.encoding, a.units, a.segments),
            (SmsEncoding::Ucs2, 70, 1)
        );
        let a = analyze(&"あ".repeat(71), "ja");
        assert_eq!(a.segments, 2);
        assert_eq!(a.parts[0].units, 67);
        assert_eq!(a.parts[1].units, 4);
        assert_eq!(a.japan.price_tier, Some(134));
        assert!(a.warnings.iter().any(|w| w.code == "sms.jp-first-70"));
    }

    #[test]
    fn extension_char_at_septet_153_moves_to_the_next_part() {
        // 152 septets, then '€' (2 septets) would occupy 153–154: the escape pair is not split.
        let text = format!("{}€{}", digits(152), digits(20));
        let a = analyze(&text, "en");
        assert_eq!(a.encoding, SmsEncoding::Gsm7);
        assert_eq!(a.units, 152 + 2 + 20);
        assert_eq!(a.parts[0].units, 152, "part 1 ends one septet short");
        assert!(a.parts[1].text.starts_with('€'));
    }

    #[test]
    fn emoji_straddling_unit_67_moves_whole() {
        let text = format!("{}😀{}", "あ".repeat(66), "い".repeat(10));
        let a = analyze(&text, "ja");
        assert_eq!(a.units, 66 + 2 + 10, "non-BMP emoji costs two UTF-16 units");
        assert_eq!(a.parts[0].units, 66);
        assert!(a.parts[1].text.starts_with('😀'));
        let emoji = a.ucs2_forcing.iter().find(|c| c.char == "😀").unwrap();
        assert_eq!((emoji.char_index, emoji.utf16_index), (66, 66));
        let after = a.ucs2_forcing.iter().find(|c| c.char_index == 67).unwrap();
        assert_eq!(
            after.utf16_index, 68,
            "UTF-16 index counts the surrogate pair"
        );
    }

    #[test]
    fn flags_and_zwj_sequences_are_never_split() {
        let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦"; // 11 UTF-16 units, one grapheme
        let flag = "🇯🇵"; // 4 units, one grapheme
        let text = format!("{}{}{}{}", "a".repeat(60), family, flag, "b".repeat(10));
        let a = analyze(&text, "en");
        assert_eq!(a.encoding, SmsEncoding::Ucs2);
        assert_eq!(a.units, 60 + 11 + 4 + 10);
        assert_eq!(
            a.parts[0].text,
            "a".repeat(60),
            "the ZWJ family moves whole to part 2"
        );
        assert!(a.parts[1].text.starts_with(family));
        assert!(a.parts[1].text.contains(flag));
        let joined: String = a.parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, text, "parts concatenate back to the message");
    }

    #[test]
    fn crlf_counts_two_and_is_reported() {
        let a = analyze("Hello\r\nWorld", "en");
        assert_eq!(a.units, 12);
        assert_eq!(a.crlf_count, 1);
        assert!(a.warnings.iter().any(|w| w.code == "sms.crlf"));
        assert_eq!(analyze("Hello\nWorld", "en").units, 11);
    }

    #[test]
    fn curly_quote_forces_ucs2_with_a_fix() {
        let a = analyze("Don\u{2019}t miss it", "en");
        assert_eq!(a.encoding, SmsEncoding::Ucs2);
        assert_eq!(a.ucs2_forcing.len(), 1);
        assert_eq!(a.ucs2_forcing[0].char_index, 3);
        assert_eq!(a.ucs2_forcing[0].replacement.as_deref(), Some("'"));
        assert!(a.warnings.iter().any(|w| w.code == "sms.ucs2-forced"));
    }

    #[test]
    fn in_ucs2_an_extension_character_costs_one_unit() {
        let a = analyze("あ€", "ja");
        assert_eq!(a.units, 2);
    }

    #[test]
    fn japanese_cap_of_ten_parts() {
        let a = analyze(&"あ".repeat(670), "ja");
        assert_eq!(a.segments, 10);
        assert!(a.japan.within_cap);
        assert_eq!(a.japan.price_tier, Some(670));
        let b = analyze(&"あ".repeat(671), "ja");
        assert_eq!(b.segments, 11);
        assert!(!b.japan.within_cap);
        assert_eq!(b.japan.price_tier, None);
        assert!(b
            .warnings
            .iter()
            .any(|w| w.code == "sms.jp-long-sms-cap" && w.severity == Severity::Error));
    }

    #[test]
    fn oversized_grapheme_is_split_between_chars_without_panicking() {
        let zalgo = format!("a{}", "\u{0301}".repeat(200));
        let a = analyze(&zalgo, "en");
        assert!(a.segments >= 3);
        assert!(a.parts.iter().all(|p| p.units <= UCS2_PART));
    }

    #[test]
    fn trailing_newline_is_ignored_once() {
        assert_eq!(strip_trailing_newline("a\n\n"), "a\n");
        assert_eq!(strip_trailing_newline("a\r\n"), "a");
        assert!(analyze("", "en")
            .warnings
            .iter()
            .any(|w| w.code == "sms.empty"));
    }
}
