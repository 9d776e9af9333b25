//! GSM 03.38 (3GPP TS 23.038) default alphabet: which characters an SMS can carry in 7-bit
//! mode and what each costs, plus lookalike replacements that keep a message in GSM-7.

/// The 128 characters of the basic table, in code order (0x00–0x7F). 0x1B is the escape to
/// the extension table and is not a character of its own, so it is written as `\u{1B}` and
/// never matched (text containing a raw ESC is not GSM-7).
const BASIC: [char; 128] = [
    '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å', //
    'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', '\u{1B}', 'Æ', 'æ', 'ß', 'É', //
    ' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', //
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?', //
    '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', //
    'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§', //
    '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', //
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à', //
];

/// Extension table characters (sent as ESC + code, so they cost two septets in GSM-7).
const EXTENSION: [char; 10] = ['\u{0C}', '^', '{', '}', '\\', '[', '~', ']', '|', '€'];

/// Septets a character costs in GSM-7, or `None` when it cannot be sent in GSM-7 at all.
pub fn septets(c: char) -> Option<u32> {
    // Nothing in either table lies above Ω (U+03A9) but €: answers Japanese text and emoji
    // without scanning the tables (most of the cost of segmenting them).
    if c > '\u{03A9}' {
        return (c == '€').then_some(2);
    }
    if c != '\u{1B}' && is_basic(c) {
        Some(1)
    } else if EXTENSION.contains(&c) {
        Some(2)
    } else {
        None
    }
}

fn is_basic(c: char) -> bool {
    // Printable ASCII dominates real messages: answer it without scanning the table.
    match c {
        'A'..='Z' | 'a'..='z' | '0'..='9' | ' ' => true,
        _ => BASIC.contains(&c),
    }
}

pub fn is_gsm(c: char) -> bool {
    septets(c).is_some()
}

/// A GSM-7 replacement for a character that would force UCS-2, when a common lookalike exists
/// (curly quotes, dashes, ellipsis, NBSP / U+3000, full-width ASCII).
/// Only a suggestion: never applied silently, least of all to Japanese text.
pub fn replacement(c: char) -> Option<&'static str> {
    let r = match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => "-",
        '\u{2026}' => "...",
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\t' => " ",
        '\u{200B}' | '\u{00AD}' | '\u{FEFF}' | '\u{2060}' => "",
        '\u{2022}' | '\u{30FB}' => "-",
        'á' => "a",
        'í' => "i",
        'ó' => "o",
        'ú' => "u",
        'â' | 'ã' => "a",
        'ê' | 'ë' => "e",
        'î' | 'ï' => "i",
        'ô' | 'õ' => "o",
        'û' => "u",
        'Á' | 'À' | 'Â' | 'Ã' => "A",
        'È' | 'Ê' | 'Ë' => "E",
        'Í' | 'Ì' | 'Î' | 'Ï' => "I",
        'Ó' | 'Ò' | 'Ô' | 'Õ' => "O",
        'Ú' | 'Ù' | 'Û' => "U",
        '\u{FF01}'..='\u{FF5E}' => return fullwidth_ascii(c),
        _ => return None,
    };
    Some(r)
}

/// U+FF01–FF5E are full-width forms of ASCII 0x21–0x7E (offset 0xFEE0). Suggest the ASCII
/// character only when it is itself GSM-7 (the full-width backtick maps to '`', which is not).
fn fullwidth_ascii(c: char) -> Option<&'static str> {
    const ASCII: &str = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
    let i = (c as u32).checked_sub(0xFF01)? as usize;
    let s = ASCII.get(i..i + 1)?;
    let ascii = s.chars().next()?;
    if is_gsm(ascii) {
        Some(s)
    } else {
        fullwidth_fallback(ascii)
    }
}

fn fullwidth_fallback(ascii: char) -> Option<&'static str> {
    match ascii {
        '`' => Some("'"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_table_has_128_distinct_entries_and_no_extension_overlap() {
        let mut v = BASIC.to_vec();
        v.sort();
        v.dedup();
        assert_eq!(v.len(), 128, "basic table entries must be distinct");
        for e in EXTENSION {
            assert!(!BASIC.contains(&e), "{e:?} must not be in both tables");
        }
    }

    #[test]
    fn costs_follow_the_tables() {
        assert_eq!(septets('a'), Some(1));
        assert_eq!(septets('@'), Some(1), "@ is basic");
        assert_eq!(septets('$'), Some(1), "$ is basic");
        assert_eq!(septets('€'), Some(2));
        assert_eq!(
            septets('\u{0C}'),
            Some(2),
            "form feed is an extension character"
        );
        for c in ['^', '{', '}', '\\', '[', '~', ']', '|'] {
            assert_eq!(septets(c), Some(2), "{c} costs two septets");
        }
        assert_eq!(septets('\u{1B}'), None, "a raw ESC is not a character");
        assert_eq!(septets('`'), None);
        assert_eq!(septets('ç'), None);
        assert_eq!(septets('あ'), None);
        assert_eq!(septets('\u{00A0}'), None);
    }

    #[test]
    fn replacements_are_gsm_themselves() {
        for c in [
            '\u{201C}', '\u{2019}', '\u{2014}', '\u{2026}', '\u{3000}', 'Ａ', '！', '｀', '～',
        ] {
            let r = replacement(c).unwrap_or_else(|| panic!("{c:?} should have a replacement"));
            assert!(
                r.chars().all(is_gsm),
                "replacement {r:?} of {c:?} must be GSM-7"
            );
        }
        assert_eq!(replacement('Ａ'), Some("A"));
        assert_eq!(replacement('～'), Some("~"));
        assert_eq!(replacement('あ'), None, "kana has no GSM lookalike");
    }
}
