//! Length measures for limits: characters, half-width units, bytes, SMS parts.

use crate::pack::LengthUnit;
use unicode_width::UnicodeWidthChar;

/// Width in half-width units: CJK and full-width characters count 2, others 1 (control and
/// zero-width characters 0).
pub fn half_width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// GSM 03.38 basic table (one septet each).
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// GSM 03.38 extension table (escape + code: two septets each).
const GSM_EXT: &str = "\u{c}^{}\\[~]|€";

/// Number of SMS parts: GSM-7 160 single / 153 per part, otherwise UCS-2 70 / 67 UTF-16 units.
/// The renderer's exact count (which never splits escape or surrogate pairs) is preferred when
/// it supplies the `segments` metric; this is the fallback.
pub fn sms_segments(text: &str) -> usize {
    if text.is_empty() {
        return 0;
    }
    let mut septets = 0usize;
    let mut gsm = true;
    for c in text.chars() {
        if GSM_BASIC.contains(c) {
            septets += 1;
        } else if GSM_EXT.contains(c) {
            septets += 2;
        } else {
            gsm = false;
            break;
        }
    }
    let (units, single, multi) = if gsm {
        (septets, 160, 153)
    } else {
        (text.encode_utf16().count(), 70, 67)
    };
    if units <= single {
        1
    } else {
        units.div_ceil(multi)
    }
}

/// `text` measured in `unit`.
pub fn measure(text: &str, unit: LengthUnit) -> usize {
    match unit {
        LengthUnit::Chars => text.chars().count(),
        LengthUnit::HalfWidth => half_width(text),
        LengthUnit::Bytes => text.len(),
        LengthUnit::SmsSegments => sms_segments(text),
    }
}

/// Byte offset where `text` first exceeds `max` in `unit` (for chars/half-width/bytes), so a
/// finding can point at the part that will be cut.
pub fn overflow_start(text: &str, unit: LengthUnit, max: usize) -> Option<usize> {
    let mut used = 0usize;
    for (i, c) in text.char_indices() {
        used += match unit {
            LengthUnit::Chars => 1,
            LengthUnit::HalfWidth => c.width().unwrap_or(0),
            LengthUnit::Bytes => c.len_utf8(),
            LengthUnit::SmsSegments => return None,
        };
        if used > max {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_width_counts_cjk_double() {
        assert_eq!(half_width("abc"), 3);
        assert_eq!(half_width("お知らせ"), 8);
        assert_eq!(half_width("ｶﾀｶﾅ"), 4, "half-width katakana count 1");
    }

    #[test]
    fn sms_segment_boundaries() {
        assert_eq!(sms_segments(&"1".repeat(160)), 1);
        assert_eq!(sms_segments(&"1".repeat(161)), 2);
        assert_eq!(sms_segments(&"1".repeat(306)), 2);
        assert_eq!(sms_segments(&"1".repeat(307)), 3);
        assert_eq!(
            sms_segments(&"€".repeat(80)),
            1,
            "extension chars cost two septets"
        );
        assert_eq!(sms_segments(&"€".repeat(81)), 2);
        assert_eq!(sms_segments(&"あ".repeat(70)), 1);
        assert_eq!(sms_segments(&"あ".repeat(71)), 2);
        assert_eq!(sms_segments(&"a".repeat(100)), 1);
        assert_eq!(
            sms_segments(&format!("{}`", "a".repeat(70))),
            2,
            "backtick forces UCS-2"
        );
    }

    #[test]
    fn overflow_points_at_the_first_character_past_the_limit() {
        let t = "お知らせです";
        assert_eq!(
            overflow_start(t, LengthUnit::HalfWidth, 8),
            Some("お知らせ".len())
        );
        assert_eq!(overflow_start(t, LengthUnit::Chars, 6), None);
    }
}
