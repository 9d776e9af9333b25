//! Personal data detectors: payment card numbers (Luhn), マイナンバー (check digit), labelled
//! account numbers.

use crate::pack::PiiDetector;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// Digit runs that may contain single spaces or hyphens between digits (half- or full-width).
static DIGIT_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9０-９](?:[ \-－]?[0-9０-９])*").expect("static regex"));

static ACCOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:口座番号|口座|account\s*(?:number|no\.?|#)?)\s*[:：]?\s*([0-9０-９][0-9０-９\- ]{5,}[0-9０-９])")
        .expect("static regex")
});

fn digits(s: &str) -> Vec<u32> {
    s.chars()
        .filter_map(|c| match c {
            '0'..='9' => c.to_digit(10),
            '０'..='９' => Some(c as u32 - '０' as u32),
            _ => None,
        })
        .collect()
}

pub fn luhn_valid(d: &[u32]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum();
    sum.rem_euclid(10) == 0
}

/// Check digit of the 12-digit individual number (番号法施行令 formula): weights 2–7 then 2–6
/// from the right over the first 11 digits; 11 − (sum mod 11), or 0 when the remainder ≤ 1.
pub fn my_number_valid(d: &[u32]) -> bool {
    if d.len() != 12 {
        return false;
    }
    let sum: u32 = (1..=11)
        .map(|n| {
            let p = d[11 - n];
            let q = if n <= 6 { n as u32 + 1 } else { n as u32 - 5 };
            p * q
        })
        .sum();
    let r = sum % 11;
    let check = if r <= 1 { 0 } else { 11 - r };
    d[11] == check
}

/// Byte ranges of personal data in `text`.
pub fn detect(text: &str, detector: PiiDetector) -> Vec<Range<usize>> {
    match detector {
        PiiDetector::CardNumber => DIGIT_RUN
            .find_iter(text)
            .filter(|m| {
                let d = digits(m.as_str());
                (13..=19).contains(&d.len()) && (3..=6).contains(&d[0]) && luhn_valid(&d)
            })
            .map(|m| m.range())
            .collect(),
        PiiDetector::MyNumber => DIGIT_RUN
            .find_iter(text)
            .filter(|m| {
                let s = m.as_str();
                let d = digits(s);
                // 12 digits together or grouped 4-4-4; other groupings are phone or ids.
                let grouped = s
                    .split([' ', '-', '－'])
                    .map(|g| g.chars().count())
                    .collect::<Vec<_>>();
                (grouped == [12] || grouped == [4, 4, 4]) && my_number_valid(&d)
            })
            .map(|m| m.range())
            .collect(),
        PiiDetector::AccountNumber => ACCOUNT
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .filter(|m| digits(m.as_str()).len() >= 7)
            .map(|m| m.range())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, d: PiiDetector) -> Vec<&str> {
        detect(text, d).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn card_numbers_need_luhn_and_a_card_prefix() {
        assert_eq!(
            found("カード番号4111 1111 1111 1111です", PiiDetector::CardNumber),
            ["4111 1111 1111 1111"]
        );
        assert!(found("4111 1111 1111 1112", PiiDetector::CardNumber).is_empty());
        assert!(found("****1111", PiiDetector::CardNumber).is_empty());
        assert_eq!(
            found("５５５５５５５５５５５５４４４４", PiiDetector::CardNumber).len(),
            1
        );
    }

    #[test]
    fn my_number_check_digit() {
        assert!(my_number_valid(&digits("123456789018")));
        assert!(!my_number_valid(&digits("123456789017")));
        assert_eq!(
            found("番号1234-5678-9018", PiiDetector::MyNumber),
            ["1234-5678-9018"]
        );
        assert!(found("TEL 0120-123-456", PiiDetector::MyNumber).is_empty());
    }

    #[test]
    fn account_numbers_only_when_labelled_and_unmasked() {
        assert_eq!(
            found("口座番号：1234567", PiiDetector::AccountNumber),
            ["1234567"]
        );
        assert_eq!(
            found("Account no. 12345678", PiiDetector::AccountNumber),
            ["12345678"]
        );
        assert!(found("口座番号 ****567", PiiDetector::AccountNumber).is_empty());
        assert!(found("お支払い 1234567円", PiiDetector::AccountNumber).is_empty());
    }
}
