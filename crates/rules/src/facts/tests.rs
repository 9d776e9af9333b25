//! Each written form of each kind, Japanese and English, read to the same value.

use super::*;

fn values(text: &str, locale: &str) -> Vec<String> {
    extract(text, locale)
        .iter()
        .map(|f| f.value.to_string())
        .collect()
}

fn one(text: &str, locale: &str) -> Fact {
    let all = extract(text, locale);
    assert_eq!(all.len(), 1, "{text}: {all:?}");
    all.into_iter().next().expect("one fact")
}

#[test]
fn money_in_every_form() {
    for (text, locale) in [
        ("¥48,230", "ja"),
        ("￥48,230", "ja"),
        ("48,230円", "ja"),
        ("４８，２３０円", "ja"),
        ("JPY 48230", "en"),
        ("4万8230円", "ja"),
    ] {
        assert_eq!(values(text, locale), ["JPY 48230"], "{text}");
    }
    assert_eq!(values("$12.50", "en"), ["USD 12.5"]);
    assert_eq!(values("USD 12.5", "en"), ["USD 12.5"]);
    assert_ne!(values("¥48,320", "ja"), values("¥48,230", "ja"));
}

#[test]
fn dates_in_every_form() {
    for (text, locale) in [
        ("2026/12/10", "ja"),
        ("2026-12-10", "ja"),
        ("2026年12月10日", "ja"),
        ("２０２６年１２月１０日（木）", "ja"),
        ("Dec 10, 2026", "en"),
        ("December 10, 2026", "en"),
        ("Thursday, December 10, 2026", "en"),
        ("10 Dec 2026", "en"),
        ("12/10/2026", "en-US"),
        ("10/12/2026", "en-GB"),
    ] {
        assert_eq!(values(text, locale), ["2026-12-10"], "{text}");
    }
    let no_year = one("12月10日(木)", "ja").value;
    assert_eq!(no_year.to_string(), "--12-10");
    let full = one("2026/12/10", "ja").value;
    assert!(no_year.same(&full) && full.same(&no_year));
    assert!(!one("2026/12/11", "ja").value.same(&no_year));
    assert!(!one("2025/12/10", "ja").value.same(&full));
}

#[test]
fn times_phones_percents_emails() {
    for t in ["14:30", "14時30分", "午後2時半", "2:30 PM", "2:30pm"] {
        assert_eq!(values(t, "ja"), ["14:30"], "{t}");
    }
    assert!(values("24時間受付", "ja").is_empty());
    for p in [
        "+81 120-000-381",
        "0120-000-381",
        "0120000381",
        "０１２０－０００－３８１",
        "+81-120-000-381",
    ] {
        assert_eq!(values(p, "ja"), ["0120000381"], "{p}");
    }
    for p in ["(800) 555-0199", "+1 800 555 0199", "1-800-555-0199"] {
        assert_eq!(values(p, "en"), ["8005550199"], "{p}");
    }
    assert_eq!(values("10%OFF", "ja"), ["10%"]);
    assert_eq!(values("10％オフ", "ja"), ["10%"]);
    assert_eq!(
        values("Info@Sample-Bank.example.jp", "ja"),
        ["info@sample-bank.example.jp"]
    );
    // Postal codes, customer numbers and dates are no phone numbers.
    assert!(values("〒150-0001", "ja").is_empty());
    assert_eq!(values("2026-12-10", "ja"), ["2026-12-10"]);
}

#[test]
fn urls_set_tracking_aside() {
    let a = one(
        "https://Sakura-Bank.example.jp/card/?utm_source=sms&utm_medium=x",
        "ja",
    );
    let b = one("https://sakura-bank.example.jp/card?gclid=abc", "ja");
    assert_eq!(a.value, b.value);
    assert_eq!(a.value.to_string(), "https://sakura-bank.example.jp/card");
    let c = one("https://sakura-bank.example.jp/card?id=2", "ja");
    assert_ne!(a.value, c.value);
}

#[test]
fn accounts_masked_or_not() {
    let full = one("お客様番号：C-0012345", "ja");
    assert_eq!(full.role, Some("customer_number"));
    let masked = one("お客様番号 ****2345", "ja");
    assert!(full.value.same(&masked.value) && masked.value.same(&full.value));
    let other = one("お客様番号 ****2346", "ja");
    assert!(!full.value.same(&other.value));
    let card = one("card ending 4821", "en");
    assert_eq!(card.role, Some("card_number"));
}

#[test]
fn roles_come_from_the_words_next_to_a_fact() {
    let f = extract(
        "【さくら銀行】2026/12/10にカードご利用代金¥48,230をお引き落としします。",
        "ja",
    );
    let roles: Vec<_> = f.iter().map(|f| (f.kind(), f.role)).collect();
    assert_eq!(
        roles,
        [
            (Kind::Date, Some("due_date")),
            (Kind::Money, Some("amount"))
        ]
    );
    let en = extract(
        "Sakura Bank: your card payment of ¥48,230 will be debited on 12/10/2026.",
        "en",
    );
    let roles: Vec<_> = en.iter().map(|f| f.role).collect();
    assert_eq!(roles, [Some("amount"), Some("due_date")]);
    let table = extract(
        "お引き落とし日 2026年12月10日(木)\nお引き落とし金額 ¥48,230",
        "ja",
    );
    assert_eq!(table[0].role, Some("due_date"));
    assert_eq!(table[1].role, Some("amount"));
}

#[test]
fn facts_point_at_the_text_as_written() {
    let text = "期日：１２月１０日（木）";
    let f = one(text, "ja");
    assert_eq!(&text[f.range.clone()], "１２月１０日（木）");
    assert_eq!(f.written, "１２月１０日（木）");
}
