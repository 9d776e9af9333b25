//! What a fact is for, from the words written next to it: "お引き落とし日：12月10日",
//! "will be debited on Dec 10", "12/10にお引き落とし". Two channels stating the same role
//! state the same fact, which is how a message with several dates is compared without noise.
//!
//! The roles are the closed set of `ccm_core::model::FACT_ROLES` (template.toml's
//! `[consistency] essential` names them); their label words are below, Japanese and English.

use super::parse::Found;
use super::{Fact, Kind, Value};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// One role: the kinds it applies to and the words that announce it.
pub struct Role {
    pub id: &'static str,
    pub kinds: &'static [Kind],
    pub en: &'static str,
    pub ja: &'static str,
    label: &'static str,
}

use Kind::*;

/// In priority order: when two labels are equally close, the first role wins.
pub const ROLES: [Role; 17] = [
    Role {
        id: "due_date",
        kinds: &[Date],
        en: "due date",
        ja: "お支払い・お引き落とし日",
        label: r"引き?落とし|引落|口座振替|振替日|支払期限|支払い?期日|お?支払い?日|お?支払い?いただ|払込期限|納付期限|\bdue\b|\bdebit|payment date|pay(?:ment)? by|paid on|charged on|withdrawn",
    },
    Role {
        id: "deadline",
        kinds: &[Date, Time],
        en: "deadline",
        ja: "期限",
        label: r"まで|迄|期限|締切|締め切り|満期|終了|\bby\b|until|through|expires?|expiry|\bends?\b|deadline|valid|use by",
    },
    Role {
        id: "start",
        kinds: &[Date, Time],
        en: "start",
        ja: "開始日時",
        label: r"から|より|開始|発生|\bsince\b|\bfrom\b|starting|begins?",
    },
    Role {
        id: "appointment",
        kinds: &[Date, Time],
        en: "appointment",
        ja: "ご予約日時",
        label: r"予約|相談|来店|訪問|面談|appointment|visit|consultation|booking",
    },
    Role {
        id: "delivery",
        kinds: &[Date],
        en: "delivery date",
        ja: "お届け日",
        label: r"お届け|到着|配達|着予定|発送|出荷|\barriv|\bdeliver|\bship",
    },
    Role {
        id: "amount",
        kinds: &[Money],
        en: "amount",
        ja: "金額",
        label: r"金額|代金|料金|請求|お?支払|合計|総額|残高|価格|ご利用|\btotal|amount|payment|\bbill|charge|debited|balance|price",
    },
    Role {
        id: "discount",
        kinds: &[Money, Percent],
        en: "discount",
        ja: "割引",
        label: r"割引|値引|円引|オフ|OFF|\boff\b|discount|\bsave|reward|ポイント|クーポン|coupon",
    },
    Role {
        id: "rate",
        kinds: &[Percent],
        en: "rate",
        ja: "率",
        label: r"金利|利率|年率|還元|\brate|APR|APY|\bback\b",
    },
    Role {
        id: "contact_phone",
        kinds: &[Phone],
        en: "contact phone number",
        ja: "お問い合わせ電話番号",
        label: r"電話|\btel\b|フリーダイヤル|お?問い?合わ?せ|窓口|ダイヤル|\bcall|phone|contact|helpline",
    },
    Role {
        id: "contact_email",
        kinds: &[Email],
        en: "contact email address",
        ja: "お問い合わせメールアドレス",
        label: r"メール|お?問い?合わ?せ|e-?mail|contact|write to",
    },
    Role {
        id: "opt_out_link",
        kinds: &[Url],
        en: "opt-out link",
        ja: "配信停止リンク",
        label: r"配信停止|配信解除|受信拒否|停止をご希望|unsubscribe|opt[ \-]?out|stop receiving|preferences",
    },
    Role {
        id: "details_link",
        kinds: &[Url],
        en: "link",
        ja: "リンク先",
        label: r"詳細|詳しく|くわしく|こちら|確認|明細|最新情報|状況|追跡|条件|お申し?込|手続き|details|\bmore\b|track|status|updates|\bshop|\bview|learn|apply|renew|terms|recall|refund|rewards",
    },
    Role {
        id: "customer_number",
        kinds: &[Account],
        en: "customer number",
        ja: "お客様番号",
        label: r"お客(?:様|さま)番号|顧客番号|会員番号|customer (?:no\.?|number|id)|member(?:ship)? (?:no\.?|number|id)",
    },
    Role {
        id: "account_number",
        kinds: &[Account],
        en: "account number",
        ja: "口座番号",
        label: r"口座番号|口座|\baccount(?: number| no\.?)?",
    },
    Role {
        id: "card_number",
        kinds: &[Account],
        en: "card number",
        ja: "カード番号",
        label: r"カード番号|末尾|card ending(?: in)?|ending in|\bending|card number",
    },
    Role {
        id: "policy_number",
        kinds: &[Account],
        en: "policy number",
        ja: "証券番号",
        label: r"証券番号|契約番号|\bpolicy(?: number| no\.?)?",
    },
    Role {
        id: "order_number",
        kinds: &[Account],
        en: "order number",
        ja: "注文番号",
        label: r"ご?注文番号|ご?注文|\border(?: number| no\.?| #)?",
    },
];

static LABELS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    ROLES
        .iter()
        // ASCII word boundaries, as in `parse::re`: fast on Japanese text.
        .map(|r| {
            Regex::new(&format!("(?i){}", r.label.replace(r"\b", r"(?-u:\b)")))
                .expect("static regex")
        })
        .collect()
});

pub fn role(id: &str) -> Option<&'static Role> {
    ROLES.iter().find(|r| r.id == id)
}

/// How far (in characters) a label may stand from its fact.
const WINDOW: usize = 30;

/// Gives each fact the role whose label stands closest before it in the same sentence
/// (after the previous fact of its kind), else closest after it (before the next one of its
/// kind). For a link, an opt-out label anywhere in reach wins: "配信停止はこちら".
pub fn assign(text: &str, facts: &mut [Fact]) {
    for i in 0..facts.len() {
        if facts[i].role.is_some() || facts[i].kind() == Kind::Sender {
            continue;
        }
        let kind = facts[i].kind();
        let range = facts[i].range.clone();
        let prev_end = facts[..i]
            .iter()
            .rev()
            .find(|f| f.kind() == kind)
            .map_or(0, |f| f.range.end);
        let next_start = facts[i + 1..]
            .iter()
            .find(|f| f.kind() == kind)
            .map_or(text.len(), |f| f.range.start);
        let before = window_before(text, prev_end, range.start);
        let after = window_after(text, range.end, next_start);
        facts[i].role = role_in(text, kind, before.clone(), after);
        // "お電話番号：090-…" in a list of the customer's own details is their number, not
        // the one to call.
        if facts[i].role == Some("contact_phone")
            && OWN_NUMBER.is_match(&text[before.clone()])
            && !CONTACT.is_match(&text[before])
        {
            facts[i].role = None;
        }
    }
}

static OWN_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)お電話番号|ご登録|携帯番号|your (?:phone|mobile|number)")
        .expect("static regex")
});
static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)問い?合わ?せ|窓口|センター|call us|contact").expect("static regex")
});

/// The role of a fact of `kind` with these label windows (used for links whose label is the
/// link text itself).
pub fn role_in(
    text: &str,
    kind: Kind,
    before: Range<usize>,
    after: Range<usize>,
) -> Option<&'static str> {
    if kind == Kind::Url {
        let opt_out = role_index("opt_out_link");
        if LABELS[opt_out].is_match(&text[before.clone()]) {
            return Some(ROLES[opt_out].id);
        }
    }
    closest(text, kind, before, true).or_else(|| closest(text, kind, after, false))
}

fn role_index(id: &str) -> usize {
    ROLES.iter().position(|r| r.id == id).expect("known role")
}

fn closest(text: &str, kind: Kind, window: Range<usize>, before: bool) -> Option<&'static str> {
    let hay = &text[window];
    let mut best: Option<(usize, &'static str)> = None;
    for (role, label) in ROLES.iter().zip(LABELS.iter()) {
        if !role.kinds.contains(&kind) {
            continue;
        }
        for m in label.find_iter(hay) {
            // Distance from the fact: characters between the label and it.
            let distance = if before {
                hay[m.end()..].chars().count()
            } else {
                hay[..m.start()].chars().count()
            };
            if best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, role.id));
            }
        }
    }
    best.map(|(_, id)| id)
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '\n')
}

/// Up to [`WINDOW`] characters before `at`, not before `floor`, a sentence end or a second
/// line break (a table cell's label sits on the line above its value in an email's visible
/// text; a blank line is a new paragraph).
pub fn window_before(text: &str, floor: usize, at: usize) -> Range<usize> {
    let mut start = at;
    let mut lines = 0;
    for (n, (i, c)) in text[floor..at].char_indices().rev().enumerate() {
        let i = floor + i;
        if c == '\n' {
            lines += 1;
        }
        if n >= WINDOW
            || lines > 1
            || matches!(c, '。' | '！' | '？' | '!' | '?')
            || (c == '.' && text[i + 1..].starts_with(' '))
        {
            break;
        }
        start = i;
    }
    start..at
}

/// Up to [`WINDOW`] characters after `at`, not past `ceiling` or a sentence end.
pub fn window_after(text: &str, at: usize, ceiling: usize) -> Range<usize> {
    let mut end = at;
    for (n, (i, c)) in text[at..ceiling.max(at)].char_indices().enumerate() {
        if n >= WINDOW || is_sentence_end(c) || (c == '.' && text[at + i + 1..].starts_with(' ')) {
            break;
        }
        end = at + i + c.len_utf8();
    }
    at..end
}

static ACCOUNT_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[*•●xX]{2,}[ \-]?\d{2,}|[A-Z]{0,3}-?\d[\d\-]{1,}\d").expect("static regex")
});

/// Account, customer, card, policy and order numbers: a number written just after its
/// label ("お客様番号：C-0012345", "口座：渋谷支店 普通 ****567", "card ending 4821").
pub(super) fn accounts(found: &mut Found) {
    let text = found.text;
    for (role, label) in ROLES.iter().zip(LABELS.iter()) {
        if !role.kinds.contains(&Kind::Account) {
            continue;
        }
        for m in label.find_iter(text) {
            let reach: usize = text[m.end()..]
                .char_indices()
                .nth(16)
                .map_or(text.len(), |(i, _)| m.end() + i);
            // The number starts within reach and is read to its end.
            let Some(token) = ACCOUNT_TOKEN
                .find(&text[m.end()..])
                .filter(|t| m.end() + t.start() < reach)
            else {
                continue;
            };
            let gap = &text[m.end()..m.end() + token.start()];
            // Only words between label and number ("渋谷支店 普通"), no other figures or
            // sentence ends.
            if gap
                .chars()
                .any(|c| c.is_ascii_digit() || is_sentence_end(c) || c == '、')
            {
                continue;
            }
            let range = m.end() + token.start()..m.end() + token.end();
            let written = token.as_str();
            let masked = written.contains(['*', '•', '●', 'x', 'X']);
            let digits: String = written.chars().filter(char::is_ascii_digit).collect();
            if digits.len() < 3 || !found.free(&range) {
                continue;
            }
            found.push(range, Value::Account { digits, masked });
            if let Some(f) = found.facts.last_mut() {
                f.role = Some(role.id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_the_vocabulary_template_toml_accepts() {
        let ours: Vec<(&str, Vec<&str>)> = ROLES
            .iter()
            .map(|r| (r.id, r.kinds.iter().map(|k| k.name()).collect()))
            .collect();
        let core: Vec<(&str, Vec<&str>)> = ccm_core::model::FACT_ROLES
            .iter()
            .map(|(id, kinds)| (*id, kinds.to_vec()))
            .collect();
        let mut a = ours.clone();
        let mut b = core.clone();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(kinds, ccm_core::model::FACT_KINDS);
        assert_eq!(LABELS.len(), ROLES.len());
    }
}
