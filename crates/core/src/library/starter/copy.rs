//! The words of a starter template: placeholder copy a designer replaces, in Japanese and
//! English, shaped like the bundled samples so that a fresh starter already passes the rule
//! packs it declares (legal footer in letters, opt-out block and unsubscribe URL in marketing
//! email, the sender details marketing SMS must carry).
//!
//! Two things decide the words: the language of the file ([`Lang`]) and the country the
//! template is written for ([`Market`], from its default locale), which fixes the postal
//! address format, the envelope and page size, and which law's SMS wording applies.

use crate::model::Purpose;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lang {
    Ja,
    En,
}

impl Lang {
    pub(super) fn of(locale: &str) -> Lang {
        if locale == "ja" {
            Lang::Ja
        } else {
            Lang::En
        }
    }
}

/// Where the recipients live: Japan (〒 addresses, 長3 envelope, A4, 特定電子メール法) or the
/// United States (street/city/state/ZIP, #10 envelope, Letter, CAN-SPAM and TCPA/CTIA).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Market {
    Japan,
    UnitedStates,
}

impl Market {
    pub(super) fn of(default_locale: &str) -> Market {
        if default_locale == "ja" {
            Market::Japan
        } else {
            Market::UnitedStates
        }
    }
}

/// One channel file's voice: its language, the template's market and purpose.
#[derive(Debug, Clone, Copy)]
pub(super) struct Voice {
    pub lang: Lang,
    pub market: Market,
    pub purpose: Purpose,
}

pub(super) fn email(v: Voice) -> String {
    match (v.lang, v.purpose) {
        (Lang::Ja, Purpose::Transactional) => r#"+++
subject = "【{{ brand.name }}】ここに件名を書きます"
preheader = "受信トレイで件名の後に表示される要約です。{{ notice.date | date }}のご案内など、本文の要点を一文で書きます。"
+++
{{ customer.name }} 様

いつも{{ brand.name }}をご利用いただき、ありがとうございます。

ここに本文を書きます。最初の段落で、お伝えしたいことと、お客様にお願いしたいことを簡潔にまとめてください。

| 項目 | 内容 |
|---|---|
| 対象日 | {{ notice.date | date }} |
| お客様番号 | {{ customer.id }} |

{% if notice.note %}
{{ notice.note }}
{% endif %}

詳しくは[{{ brand.name }}のウェブサイト]({{ brand.website }})をご覧ください。

{% include "blocks/no-reply" %}
"#
        .into(),
        (Lang::Ja, Purpose::Marketing) => r#"+++
subject = "【{{ brand.name }}】ここにご案内の件名を書きます"
preheader = "{{ offer.end_date | date }}までのご案内です。特典の内容を一文で書きます。"
unsubscribe_url = "{{ brand.opt_out_url }}?u={{ customer.id | urlencode }}"
+++
{{ customer.name }} 様

いつも{{ brand.name }}をご利用いただき、ありがとうございます。

ここにご案内の本文を書きます。どなたに、どのような特典を、いつまでご用意しているかを最初の段落で伝えてください。

## ここに見出しを書きます

| 項目 | 内容 |
|---|---|
| お申し込み期限 | {{ offer.end_date | date }} |
| 適用条件 | ここに適用条件を書きます |

{% if offer.note %}
{{ offer.note }}
{% endif %}

詳しくは[{{ brand.name }}のウェブサイト]({{ brand.website }})をご覧ください。

{% include "blocks/optout" %}
"#
        .into(),
        (Lang::En, Purpose::Transactional) => r#"+++
subject = "{{ brand.name }}: your subject here"
preheader = "A one-line summary shown after the subject in the inbox, e.g. what happens on {{ notice.date | date }}."
+++
Dear {{ customer.name }},

Thank you for choosing {{ brand.name }}.

Write the message here. Use the first paragraph to say what has happened and what, if anything, the customer needs to do.

| Item | Details |
|---|---|
| Date | {{ notice.date | date }} |
| Customer number | {{ customer.id }} |

{% if notice.note %}
{{ notice.note }}
{% endif %}

For more information, visit [the {{ brand.name }} website]({{ brand.website }}).

{% include "blocks/no-reply" %}
"#
        .into(),
        (Lang::En, Purpose::Marketing) => r#"+++
subject = "{{ brand.name }}: your offer here"
preheader = "Sum up the offer in one line. It ends on {{ offer.end_date | date }}."
unsubscribe_url = "{{ brand.opt_out_url }}?u={{ customer.id | urlencode }}"
+++
Dear {{ customer.name }},

Write the offer here. Say who it is for, what it is and when it ends in the first paragraph.

## Write a heading here

| Item | Details |
|---|---|
| Offer ends | {{ offer.end_date | date }} |
| Terms | Write the conditions that apply here |

{% if offer.note %}
{{ offer.note }}
{% endif %}

For details, visit [the {{ brand.name }} website]({{ brand.website }}).

{% include "blocks/optout" %}
"#
        .into(),
    }
}

pub(super) fn sms(v: Voice) -> String {
    let text = match (v.lang, v.purpose, v.market) {
        (Lang::Ja, Purpose::Transactional, _) => {
            r#"【{{ brand.name }}】ここに本文を書きます。{{ notice.date | date(format="short") }}のご案内です。詳しくは {{ brand.website }}"#
        }
        (Lang::En, Purpose::Transactional, _) => {
            r#"{{ brand.name }}: Write the message here. Date: {{ notice.date | date(format="short") }}. Details: {{ brand.website }}"#
        }
        // 特定電子メール法: sender's legal name, opt-out URL with the notice beside it, and a
        // labelled link for the address and complaints (as in the bundled telco campaign).
        (Lang::Ja, Purpose::Marketing, Market::Japan) => {
            r#"【{{ brand.name }}】ここにご案内の本文を書きます。{{ offer.end_date | date(format="short") }}まで。詳細 {{ brand.website }}
送信者：{{ brand.legal_name }}
配信停止をご希望の方はこちら {{ brand.opt_out_url }}
住所・苦情・お問合せ先 {{ brand.enquiries_url }}"#
        }
        (Lang::En, Purpose::Marketing, Market::Japan) => {
            r#"{{ brand.name }}: Write the offer here. Ends {{ offer.end_date | date(format="short") }}. Details: {{ brand.website }}
From: {{ brand.legal_name }}
To stop receiving these messages: {{ brand.opt_out_url }}
Company info, address and enquiries: {{ brand.enquiries_url }}"#
        }
        // TCPA/CTIA: the programme's name, STOP and HELP (the keywords are English on US
        // carriers, so the Japanese text keeps them).
        (Lang::Ja, Purpose::Marketing, Market::UnitedStates) => {
            r#"【{{ brand.name }}】ここにご案内の本文を書きます。{{ offer.end_date | date(format="short") }}まで。詳細 {{ brand.website }}
配信停止はSTOP、ヘルプはHELPと返信してください（Reply STOP to opt out, HELP for help）。"#
        }
        (Lang::En, Purpose::Marketing, Market::UnitedStates) => {
            r#"{{ brand.name }}: Write the offer here. Ends {{ offer.end_date | date(format="short") }}. Details: {{ brand.website }} Msg&data rates may apply. Reply STOP to opt out, HELP for help."#
        }
    };
    format!("{text}\n")
}

pub(super) fn push(v: Voice) -> String {
    let (title, body) = match (v.lang, v.purpose) {
        (Lang::Ja, Purpose::Transactional) => (
            "ここにタイトルを書きます",
            "{{ notice.date | date }}のご案内です。本文を短く書きます。",
        ),
        (Lang::Ja, Purpose::Marketing) => (
            "ここにご案内のタイトルを書きます",
            "{{ offer.end_date | date }}まで。特典を短く書きます。",
        ),
        (Lang::En, Purpose::Transactional) => (
            "Write a short title here",
            "Write the message here. Date: {{ notice.date | date }}.",
        ),
        (Lang::En, Purpose::Marketing) => (
            "Write the offer headline here",
            "Ends {{ offer.end_date | date }}. Write the offer here.",
        ),
    };
    format!("title = \"{title}\"\nbody = \"{body}\"\ndeep_link = \"{{{{ brand.website }}}}\"\n")
}

pub(super) fn print(v: Voice) -> String {
    let (page, envelope) = match v.market {
        Market::Japan => ("a4", "naga3"),
        Market::UnitedStates => ("letter", "us10"),
    };
    let honorific = match v.lang {
        Lang::Ja => " 様",
        Lang::En => "",
    };
    let address = match v.market {
        Market::Japan => "〒{{ customer.postal_code }}\n{{ customer.address }}",
        Market::UnitedStates => "{{ customer.address_line1 }}{% if customer.address_line2 %}\n{{ customer.address_line2 }}{% endif %}\n{{ customer.city }}, {{ customer.state }} {{ customer.zip }}",
    };
    // A Japanese letter puts the name last (after the address); a US one first.
    let recipient = match v.market {
        Market::Japan => format!("{address}\n{{{{ customer.name }}}}{honorific}"),
        Market::UnitedStates => format!("{{{{ customer.name }}}}{honorific}\n{address}"),
    };
    let (title, body) = match (v.lang, v.purpose) {
        (Lang::Ja, Purpose::Transactional) => (
            "ここに文書の表題を書きます",
            r#"拝啓　平素より格別のお引き立てを賜り、厚く御礼申し上げます。

ここに本文を書きます。お知らせしたい内容と、お客様にお願いしたいことを順に書いてください。

敬具

記

- 対象日：{{ notice.date | date }}
- お客様番号：{{ customer.id }}

{% if notice.note %}
{{ notice.note }}
{% endif %}

以上
"#,
        ),
        (Lang::Ja, Purpose::Marketing) => (
            "ここにご案内の表題を書きます",
            r#"いつも{{ brand.name }}をご利用いただき、ありがとうございます。

ここにご案内の本文を書きます。どなたに、どのような特典を、いつまでご用意しているかを最初の段落で伝えてください。

- お申し込み期限：{{ offer.end_date | date }}
- 適用条件：ここに適用条件を書きます

{% if offer.note %}
{{ offer.note }}
{% endif %}

今後、当社からのダイレクトメールの送付を希望されない場合は、{{ brand.opt_out_url }} からお手続きいただくか、下記のお問い合わせ窓口までご連絡ください。
"#,
        ),
        (Lang::En, Purpose::Transactional) => (
            "Write the title of the letter here",
            r#"Dear {{ customer.name }},

Write the letter here. Say what has happened and what, if anything, the customer needs to do.

- Date: {{ notice.date | date }}
- Customer number: {{ customer.id }}

{% if notice.note %}
{{ notice.note }}
{% endif %}

Yours sincerely,

{{ brand.name }}
"#,
        ),
        (Lang::En, Purpose::Marketing) => (
            "Write the offer title here",
            r#"Dear {{ customer.name }},

Write the offer here. Say who it is for, what it is and when it ends.

- Offer ends: {{ offer.end_date | date }}
- Terms: write the conditions that apply here

{% if offer.note %}
{{ offer.note }}
{% endif %}

To stop receiving mail offers from us, visit {{ brand.opt_out_url }} or call {{ brand.phone }}.
"#,
        ),
    };
    format!(
        "+++\npage = \"{page}\"\nenvelope = \"{envelope}\"\nrecipient = \"\"\"\n{recipient}\"\"\"\ntitle = \"{title}\"\n+++\n{body}\n{{% include \"blocks/legal-footer\" %}}\n"
    )
}

/// A declared variable: dotted name, type, required, description, example.
pub(super) struct Var {
    pub name: &'static str,
    pub kind: &'static str,
    pub required: bool,
    pub description: &'static str,
    pub example: &'static str,
}

/// The variables the starter's files use. Descriptions are in the default locale's language;
/// postal fields only when there is a letter to address.
pub(super) fn variables(market: Market, purpose: Purpose, has_print: bool) -> Vec<Var> {
    let ja = market == Market::Japan;
    let var = |name, kind, required, ja_text, en_text, example| Var {
        name,
        kind,
        required,
        description: if ja { ja_text } else { en_text },
        example,
    };
    let mut vars = vec![
        var(
            "customer.id",
            "string",
            true,
            "お客様番号",
            "Customer number",
            "C-0012345",
        ),
        var(
            "customer.name",
            "string",
            true,
            "氏名",
            "Full name",
            if ja { "山田 花子" } else { "Jordan Lee" },
        ),
    ];
    if has_print {
        match market {
            Market::Japan => vars.extend([
                var(
                    "customer.postal_code",
                    "string",
                    true,
                    "郵便番号",
                    "郵便番号",
                    "150-0001",
                ),
                var(
                    "customer.address",
                    "string",
                    true,
                    "住所（都道府県から建物名まで）",
                    "住所（都道府県から建物名まで）",
                    "東京都渋谷区神宮前一丁目2番3号 メゾン神宮前405",
                ),
            ]),
            Market::UnitedStates => vars.extend([
                var(
                    "customer.address_line1",
                    "string",
                    true,
                    "Street address",
                    "Street address",
                    "1200 NW Everett Street",
                ),
                var(
                    "customer.address_line2",
                    "string",
                    false,
                    "Apartment, suite or unit (empty if none)",
                    "Apartment, suite or unit (empty if none)",
                    "Apt 5C",
                ),
                var("customer.city", "string", true, "City", "City", "Portland"),
                var(
                    "customer.state",
                    "string",
                    true,
                    "State (two-letter code)",
                    "State (two-letter code)",
                    "OR",
                ),
                var(
                    "customer.zip",
                    "string",
                    true,
                    "ZIP code",
                    "ZIP code",
                    "97209",
                ),
            ]),
        }
    }
    match purpose {
        Purpose::Transactional => vars.extend([
            var(
                "notice.date",
                "date",
                true,
                "ご案内する日付（期限・実施日など）",
                "The date the message is about (a deadline, an appointment …)",
                "2026-12-10",
            ),
            var(
                "notice.note",
                "string",
                false,
                "補足（空の場合は表示しません）",
                "An extra note (not shown when empty)",
                note(market, purpose),
            ),
        ]),
        Purpose::Marketing => vars.extend([
            var(
                "offer.end_date",
                "date",
                true,
                "お申し込み期限（キャンペーン終了日）",
                "Last day of the offer",
                "2027-01-31",
            ),
            var(
                "offer.note",
                "string",
                false,
                "補足（空の場合は表示しません）",
                "An extra note (not shown when empty)",
                note(market, purpose),
            ),
        ]),
    }
    vars
}

fn note(market: Market, purpose: Purpose) -> &'static str {
    match (market, purpose) {
        (Market::Japan, Purpose::Transactional) => "お手続きは、アプリからも行えます。",
        (Market::Japan, Purpose::Marketing) => "ご家族でのお申し込みも対象です。",
        (Market::UnitedStates, Purpose::Transactional) => {
            "You can also take care of this in our app."
        }
        (Market::UnitedStates, Purpose::Marketing) => {
            "Members also get free shipping on this offer."
        }
    }
}

/// The two sample customers: a typical one, and an edge case with a very long name and
/// address and the optional fields empty. Each is a `(persona id, JSON text)` pair, written
/// field by field (in the layout of the bundled samples) so the bytes never depend on how a
/// JSON library orders keys.
pub(super) fn personas(
    market: Market,
    purpose: Purpose,
    has_print: bool,
) -> Vec<(&'static str, String)> {
    let typical: &[(&str, &str)] = match market {
        Market::Japan => &[
            ("id", "C-0012345"),
            ("name", "山田 花子"),
            ("postal_code", "150-0001"),
            ("address", "東京都渋谷区神宮前一丁目2番3号 メゾン神宮前405"),
        ],
        Market::UnitedStates => &[
            ("id", "C-0012345"),
            ("name", "Jordan Lee"),
            ("address_line1", "1200 NW Everett Street"),
            ("address_line2", "Apt 5C"),
            ("city", "Portland"),
            ("state", "OR"),
            ("zip", "97209"),
        ],
    };
    let long: &[(&str, &str)] = match market {
        Market::Japan => &[
            ("id", "C-0098761"),
            ("name", "アレクサンドラ・エカテリーナ・ヴォルコンスカヤ＝長谷川"),
            ("postal_code", "060-0042"),
            (
                "address",
                "北海道札幌市中央区大通西二十八丁目3番地15 グランドメゾン円山公園ウエストタワー棟1802号室",
            ),
        ],
        Market::UnitedStates => &[
            ("id", "C-0098761"),
            (
                "name",
                "Bartholomew Alexander Fitzgerald-Worthington-Okonkwo Jr.",
            ),
            (
                "address_line1",
                "10550 North Lombard Street Building C, Riverside Commons Cooperative Housing",
            ),
            ("address_line2", ""),
            ("city", "Port Townsend"),
            ("state", "WA"),
            ("zip", "98368-1234"),
        ],
    };
    let (group, date_key, date) = match purpose {
        Purpose::Transactional => ("notice", "date", "2026-12-10"),
        Purpose::Marketing => ("offer", "end_date", "2027-01-31"),
    };
    let (typical_label, long_label) = match market {
        Market::Japan => (
            "標準的なお客様",
            "長い氏名と住所・補足なし（折り返しと空の任意項目の確認用）",
        ),
        Market::UnitedStates => (
            "Typical customer",
            "Very long name and address, no optional details (wrapping and empty fields)",
        ),
    };
    let person = |label: &str, edge: bool, customer: &[(&str, &str)], note_text: &str| {
        // Without a letter there is no address to declare or fill in.
        let customer: Vec<String> = customer
            .iter()
            .filter(|(k, _)| has_print || matches!(*k, "id" | "name"))
            .map(|(k, v)| format!("    {}: {}", json_str(k), json_str(v)))
            .collect();
        format!(
            "{{\n  \"$persona\": {{ \"label\": {}, \"edge_case\": {edge} }},\n  \"customer\": {{\n{}\n  }},\n  {}: {{ {}: {}, \"note\": {} }}\n}}\n",
            json_str(label),
            customer.join(",\n"),
            json_str(group),
            json_str(date_key),
            json_str(date),
            json_str(note_text),
        )
    };
    vec![
        (
            "typical",
            person(typical_label, false, typical, note(market, purpose)),
        ),
        ("long-name", person(long_label, true, long, "")),
    ]
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises")
}
