//! Cross-channel consistency over whole inputs: equal facts in other forms are clean, a
//! different value is one error naming both channels, essential facts are asked for.

mod common;

use ccm_rules::{check, Channel, ChannelText, CheckInput, Diagnostic, Severity};

fn input(channels: Vec<ChannelText>, locale: &str) -> CheckInput {
    let mut i = common::typical_input(vec![]);
    i.locale = locale.into();
    i.channels = channels;
    i
}

fn consistency(input: &CheckInput) -> Vec<Diagnostic> {
    check(&common::builtin(), input)
        .expect("packs")
        .into_iter()
        .filter(|d| d.pack() == Some("consistency"))
        .collect()
}

fn email(html: &str) -> ChannelText {
    let mut c = ChannelText::new(Channel::Email)
        .with_field("subject", "【サンプル銀行】お引き落としのお知らせ")
        .with_field(
            "html",
            format!("<html lang=\"ja\"><body>{html}</body></html>"),
        );
    c.fields[1].source_file = Some("email.md".into());
    c
}

fn sms(text: &str) -> ChannelText {
    ChannelText::new(Channel::Sms).with_field("text", text)
}

fn print(text: &str) -> ChannelText {
    ChannelText::new(Channel::Print).with_field("text", text)
}

const EMAIL_JA: &str = "<table><tr><td>お引き落とし日</td><td>2026年12月10日(木)</td></tr><tr><td>お引き落とし金額</td><td>¥48,230</td></tr></table><p>お問い合わせ：0120-000-381</p><p>詳細は<a href=\"https://www.sample-bank.example.jp/card/statement?utm_source=email\">こちら</a></p>";
const PRINT_JA: &str = "株式会社サンプル銀行\n\n- お引き落とし日：2026年12月10日(木)\n- お引き落とし金額：48,230円\nお問い合わせ：+81 120-000-381";

#[test]
fn the_same_facts_in_other_forms_are_clean() {
    let i = input(
        vec![
            email(EMAIL_JA),
            sms("【サンプル銀行】12月10日にカードご利用代金JPY 48230をお引き落としします。お問い合わせは０１２０－０００－３８１へ。詳細 https://www.sample-bank.example.jp/card/statement"),
            print(PRINT_JA),
        ],
        "ja",
    );
    let found = consistency(&i);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_different_date_in_the_sms_is_an_error_naming_both_channels() {
    let i = input(
        vec![
            email(EMAIL_JA),
            sms("【サンプル銀行】2026/12/11にカードご利用代金¥48,230をお引き落としします。"),
            print(PRINT_JA),
        ],
        "ja",
    );
    let found = consistency(&i);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(d.code, "consistency/conflict");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.channel, Some(Channel::Sms));
    assert!(
        d.message.en.contains("2026/12/11") && d.message.en.contains("2026年12月10日(木)"),
        "{}",
        d.message.en
    );
    assert!(
        d.message.en.starts_with("Due date differs"),
        "{}",
        d.message.en
    );
    assert!(
        d.message.ja.contains("SMS") && d.message.ja.contains("メール"),
        "{}",
        d.message.ja
    );
    let related = d.related.as_ref().expect("the other place");
    assert_eq!(related.channel, Some(Channel::Email));
    assert_eq!(related.file.as_deref(), Some("email.md"));
    let place = related.rendition.as_ref().expect("rendition");
    assert_eq!(place.excerpt, "2026年12月10日(木)");
    assert_eq!(d.rendition.as_ref().unwrap().excerpt, "2026/12/11");
}

#[test]
fn a_different_amount_phone_or_link_is_an_error() {
    for (sms_text, value) in [
        (
            "【サンプル銀行】12月10日にカードご利用代金¥48,320をお引き落としします。",
            "¥48,320",
        ),
        (
            "【サンプル銀行】お問い合わせは0120-000-318へ。",
            "0120-000-318",
        ),
        (
            "【サンプル銀行】詳細 https://www.sample-bank.example.com/card/statement",
            "https://www.sample-bank.example.com/card/statement",
        ),
    ] {
        let i = input(vec![email(EMAIL_JA), sms(sms_text), print(PRINT_JA)], "ja");
        let found = consistency(&i);
        assert_eq!(found.len(), 1, "{sms_text}: {found:#?}");
        assert_eq!(found[0].channel, Some(Channel::Sms));
        assert!(
            found[0].message.en.contains(value),
            "{}",
            found[0].message.en
        );
        assert!(found[0].related.is_some());
    }
}

#[test]
fn english_forms_compare_too() {
    let mail = ChannelText::new(Channel::Email)
        .with_field("subject", "Card payment due soon")
        .with_field(
            "html",
            "<p>Debit date: Thursday, December 10, 2026</p><p>Amount: ¥48,230</p>",
        );
    let same = sms("Sample Bank: your card payment of JPY 48,230 will be debited on 12/10/2026.");
    assert!(consistency(&input(vec![mail.clone(), same], "en")).is_empty());
    let other = sms("Sample Bank: your card payment of ¥48,230 will be debited on Dec 11, 2026.");
    let found = consistency(&input(vec![mail, other], "en"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].message.en.contains("Dec 11, 2026"),
        "{}",
        found[0].message.en
    );
}

#[test]
fn several_dates_with_different_roles_are_not_compared() {
    let i = input(
        vec![
            email("<p>ご利用期間：2026年10月1日〜2026年10月31日</p><p>お支払い期限：2026年12月10日</p>"),
            sms("【サンプル銀行】お支払い期限は12月10日です。"),
            print("ご利用期間 2026年10月1日〜10月31日\nお支払い期限 2026年12月10日"),
        ],
        "ja",
    );
    assert!(consistency(&i).is_empty());
}

#[test]
fn essential_facts_missing_from_a_channel_are_warnings() {
    let mut i = input(
        vec![
            email(EMAIL_JA),
            sms("【サンプル銀行】カードご利用代金¥48,230のお引き落としが近づいています。"),
            print(PRINT_JA),
            ChannelText::new(Channel::Push)
                .with_field("title", "お知らせ")
                .with_field("body", "お引き落としが近づいています。"),
        ],
        "ja",
    );
    assert!(consistency(&i).is_empty());
    i.essential = vec!["due_date".into(), "amount".into()];
    let found = consistency(&i);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "consistency/essential-missing");
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(found[0].channel, Some(Channel::Sms), "push is never asked");
}
