//! A large, realistic library in the file format, for benchmarks and crash tests: a mix of
//! Japanese and English templates across industries, each with four channels, two personas
//! (one an edge case), shared legal-footer blocks and two brand kits with a PNG logo.
//!
//! Deterministic: the same `count` always writes the same bytes.

use std::fs;
use std::io;
use std::path::Path;

use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder};

struct Topic {
    slug: &'static str,
    industry: &'static str,
    purpose: &'static str,
    ja_name: &'static str,
    en_name: &'static str,
    ja_lead: &'static str,
    en_lead: &'static str,
    tags: &'static [&'static str],
}

const TOPICS: &[Topic] = &[
    Topic {
        slug: "payment-reminder",
        industry: "bank",
        purpose: "transactional",
        ja_name: "お支払い期日のお知らせ",
        en_name: "Payment due reminder",
        ja_lead: "カードご利用代金のお支払い期日が近づいております。",
        en_lead: "Your card payment is due soon.",
        tags: &["bank", "collections", "reminder"],
    },
    Topic {
        slug: "fraud-alert",
        industry: "bank",
        purpose: "transactional",
        ja_name: "不正利用の可能性に関するご確認",
        en_name: "Suspicious card activity",
        ja_lead: "お客様のカードで普段と異なるご利用を検知しました。",
        en_lead: "We noticed unusual activity on your card.",
        tags: &["bank", "security", "fraud"],
    },
    Topic {
        slug: "service-outage",
        industry: "utility",
        purpose: "transactional",
        ja_name: "計画停電のお知らせ",
        en_name: "Planned power outage",
        ja_lead: "設備点検のため、下記の日時に停電を予定しております。",
        en_lead: "We will switch off power in your area for maintenance.",
        tags: &["utility", "outage", "notice"],
    },
    Topic {
        slug: "appointment-reminder",
        industry: "insurance",
        purpose: "transactional",
        ja_name: "ご面談予約日のお知らせ",
        en_name: "Appointment reminder",
        ja_lead: "ご予約いただいたご面談の日時をお知らせします。",
        en_lead: "This is a reminder of your upcoming appointment.",
        tags: &["insurance", "appointment", "reminder"],
    },
    Topic {
        slug: "product-recall",
        industry: "retail",
        purpose: "transactional",
        ja_name: "製品回収（リコール）のお知らせ",
        en_name: "Product recall notice",
        ja_lead: "お買い上げいただいた製品の一部に不具合が判明しました。",
        en_lead: "A product you bought from us is being recalled.",
        tags: &["retail", "recall", "safety"],
    },
    Topic {
        slug: "account-update",
        industry: "bank",
        purpose: "transactional",
        ja_name: "ご登録情報変更のお知らせ",
        en_name: "Your account details changed",
        ja_lead: "お客様のご登録住所が変更されました。",
        en_lead: "The address on your account was changed.",
        tags: &["bank", "account", "security"],
    },
    Topic {
        slug: "policy-renewal",
        industry: "insurance",
        purpose: "transactional",
        ja_name: "保険契約更新のご案内",
        en_name: "Policy renewal",
        ja_lead: "ご契約中の自動車保険の満期日が近づいております。",
        en_lead: "Your car insurance policy renews next month.",
        tags: &["insurance", "renewal"],
    },
    Topic {
        slug: "bill-ready",
        industry: "telco",
        purpose: "transactional",
        ja_name: "ご請求金額確定のお知らせ",
        en_name: "Your bill is ready",
        ja_lead: "今月のご請求金額が確定しました。",
        en_lead: "Your monthly bill is ready to view.",
        tags: &["telco", "billing"],
    },
    Topic {
        slug: "welcome",
        industry: "bank",
        purpose: "transactional",
        ja_name: "口座開設のお手続き完了",
        en_name: "Welcome aboard",
        ja_lead: "このたびは口座をお申し込みいただき、誠にありがとうございます。",
        en_lead: "Thanks for opening an account with us.",
        tags: &["bank", "onboarding", "welcome"],
    },
    Topic {
        slug: "loyalty-reward",
        industry: "retail",
        purpose: "marketing",
        ja_name: "ポイント還元キャンペーンのご案内",
        en_name: "You earned a reward",
        ja_lead: "いつもご愛顧いただき、ありがとうございます。",
        en_lead: "You have reached a new reward level.",
        tags: &["retail", "loyalty", "campaign"],
    },
    Topic {
        slug: "shipping-notice",
        industry: "retail",
        purpose: "transactional",
        ja_name: "商品発送のお知らせ",
        en_name: "Your order has shipped",
        ja_lead: "ご注文いただいた商品を発送いたしました。",
        en_lead: "Good news: your order is on its way.",
        tags: &["retail", "shipping", "order"],
    },
    Topic {
        slug: "optin-confirmation",
        industry: "telco",
        purpose: "marketing",
        ja_name: "メール配信登録完了のお知らせ",
        en_name: "Please confirm your subscription",
        ja_lead: "メールマガジンへのご登録ありがとうございます。",
        en_lead: "Please confirm you want to hear from us.",
        tags: &["telco", "consent", "optin"],
    },
];

const JA_SENTENCES: &[&str] = &[
    "平素より格別のお引き立てを賜り、厚く御礼申し上げます。",
    "お手続きはアプリまたはインターネットバンキングからいつでも可能です。",
    "ご不明な点がございましたら、お問い合わせ窓口までご連絡ください。",
    "本メールと行き違いでお手続き済みの場合は、ご容赦ください。",
    "なお、当社からパスワードや暗証番号をお尋ねすることはございません。",
    "ご契約内容の詳細は、同封の書面にてご確認いただけます。",
    "引き続き変わらぬご愛顧を賜りますよう、お願い申し上げます。",
    "残高が不足している場合、お引き落としができないことがあります。",
];

const EN_SENTENCES: &[&str] = &[
    "You can manage this at any time in the app or online.",
    "If you have questions, our support team is happy to help.",
    "If you have already taken care of this, please ignore this message.",
    "We will never ask for your password or PIN by email or text.",
    "The full terms are available on our website.",
    "Thank you for being a valued customer.",
    "Please make sure your account has enough funds before the due date.",
    "Reply STOP to opt out of text messages at any time.",
];

const REGIONS_JA: &[&str] = &[
    "東京",
    "大阪",
    "名古屋",
    "札幌",
    "福岡",
    "仙台",
    "広島",
    "那覇",
];
const REGIONS_EN: &[&str] = &[
    "Seattle", "Austin", "Denver", "Boston", "Chicago", "Atlanta",
];

/// Search queries that a content designer would type into a library of this kind: Japanese
/// words of one to six characters, English words and phrases, tags, ids, and a few misses.
pub const BENCH_QUERIES: &[&str] = &[
    "お支払い",
    "請求",
    "停電",
    "保険",
    "更新",
    "ポイント",
    "発送",
    "リコール",
    "予約",
    "不正利用",
    "お知らせ",
    "口座",
    "暗証番号",
    "満期日",
    "お問い合わせ",
    "ご請求金額",
    "計画停電のお知らせ",
    "東京",
    "福岡",
    "様",
    "payment",
    "reminder",
    "outage",
    "recall",
    "shipped",
    "reward",
    "bill ready",
    "password",
    "subscription",
    "Austin",
    "insurance renewal",
    "gen-fraud-alert-00042",
    "collections",
    "loyalty",
    "存在しない語句",
    "zebra",
    "お支払い 口座",
    "card payment due",
];

/// What [`generate_library`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub templates: usize,
    pub files: usize,
    pub bytes: u64,
}

/// Writes `count` templates to `root/templates/` and two brands to `root/assets/brands/`.
pub fn generate_library(root: &Path, count: usize) -> io::Result<Generated> {
    let mut out = Generated {
        templates: 0,
        files: 0,
        bytes: 0,
    };
    let mut write = |rel: String, bytes: &[u8]| -> io::Result<()> {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&path, bytes)?;
        out.files += 1;
        out.bytes += bytes.len() as u64;
        Ok(())
    };

    write(
        "templates/_blocks/legal-footer.ja.md".into(),
        LEGAL_JA.as_bytes(),
    )?;
    write(
        "templates/_blocks/legal-footer.en.md".into(),
        LEGAL_EN.as_bytes(),
    )?;
    for (id, toml, rgb) in [
        ("gen-bank-jp", BRAND_JP, [166, 28, 72]),
        ("gen-retail-us", BRAND_US, [0, 82, 147]),
    ] {
        write(format!("assets/brands/{id}/brand.toml"), toml.as_bytes())?;
        write(format!("assets/brands/{id}/logo.png"), &logo_png(rgb)?)?;
    }
    for i in 0..count {
        for (rel, text) in template_files(i) {
            write(rel, text.as_bytes())?;
        }
    }
    out.templates = count;
    Ok(out)
}

fn pick<'a>(list: &[&'a str], i: usize) -> &'a str {
    list[i % list.len()]
}

fn template_files(i: usize) -> Vec<(String, String)> {
    let topic = &TOPICS[i % TOPICS.len()];
    // Two templates in three are Japanese with an English locale; the rest US English only.
    let japanese = i % 3 != 2;
    let id = format!("gen-{}-{i:05}", topic.slug);
    let dir = format!("templates/{id}");
    let mut files = Vec::new();
    let (brand, locales, default) = if japanese {
        ("gen-bank-jp", "[\"ja\", \"en\"]", "ja")
    } else {
        ("gen-retail-us", "[\"en\"]", "en")
    };
    let (name, description) = if japanese {
        let region = pick(REGIONS_JA, i / 7);
        (
            format!("{}（{region}・第{i}版）", topic.ja_name),
            format!("{}{}向けの{}", topic.ja_lead, region, topic.ja_name),
        )
    } else {
        let region = pick(REGIONS_EN, i / 7);
        (
            format!("{} — {region} #{i}", topic.en_name),
            format!("{} Sent to customers in {region}.", topic.en_lead),
        )
    };
    let tags = topic
        .tags
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(", ");
    files.push((
        format!("{dir}/template.toml"),
        format!(
            r#"id = "{id}"
name = "{name}"
description = "{description}"
tags = [{tags}, "{}"]
industry = "{}"
purpose = "{}"
brand = "{brand}"
default_locale = "{default}"
locales = {locales}

[[variables]]
name = "customer.name"
type = "string"
required = true
description = "氏名 / customer name"

[[variables]]
name = "amount"
type = "money"
required = true

[[variables]]
name = "due_date"
type = "date"
required = true
"#,
            topic.slug, topic.industry, topic.purpose
        ),
    ));
    if japanese {
        push_channels(&mut files, &dir, "", true, topic, i);
        push_channels(&mut files, &dir, ".en", false, topic, i);
    } else {
        push_channels(&mut files, &dir, "", false, topic, i);
    }
    files.push((
        format!("{dir}/data/typical.json"),
        format!(
            "{{\n  \"$persona\": {{ \"label\": \"標準的なお客様\", \"edge_case\": false }},\n  \"customer\": {{ \"id\": \"C-{i:07}\", \"name\": \"{}\" }},\n  \"amount\": {},\n  \"due_date\": \"2026-12-{:02}\"\n}}\n",
            if japanese { "山田 太郎" } else { "Jordan Miller" },
            1000 + (i * 37) % 90000,
            1 + i % 28
        ),
    ));
    files.push((
        format!("{dir}/data/edge-long-name.json"),
        format!(
            "{{\n  \"$persona\": {{ \"label\": \"長い氏名と高額 / long name, large amount\", \"edge_case\": true }},\n  \"customer\": {{ \"id\": \"C-{i:07}\", \"name\": \"{}\" }},\n  \"amount\": 123456789,\n  \"due_date\": \"2026-12-31\"\n}}\n",
            if japanese { "寿限無寿限無五劫の擦り切れ海砂利水魚 長久命之助 🎍" } else { "Maximilian Alexander Featherstonehaugh-Montgomery III" }
        ),
    ));
    files
}

fn push_channels(
    files: &mut Vec<(String, String)>,
    dir: &str,
    suffix: &str,
    japanese: bool,
    topic: &Topic,
    i: usize,
) {
    let (name, lead, sentences) = if japanese {
        (topic.ja_name, topic.ja_lead, JA_SENTENCES)
    } else {
        (topic.en_name, topic.en_lead, EN_SENTENCES)
    };
    let body: Vec<&str> = (0..5).map(|k| pick(sentences, i + k * 3)).collect();
    let (greeting, amount_line) = if japanese {
        (
            "{{ customer.name }} 様",
            "ご請求金額：{{ amount | currency }}（お支払い期日 {{ due_date | date }}）",
        )
    } else {
        (
            "Dear {{ customer.name }},",
            "Amount: {{ amount | currency }} (due {{ due_date | date }})",
        )
    };
    files.push((
        format!("{dir}/email{suffix}.md"),
        format!(
            "+++\nsubject = \"{name} #{i}\"\npreheader = \"{lead}\"\n+++\n{greeting}\n\n{lead}\n\n{amount_line}\n\n{}\n\n{}\n\n{{% include \"blocks/legal-footer\" %}}\n",
            body[..3].join(""),
            body[3..].join("\n")
        ),
    ));
    files.push((
        format!("{dir}/sms{suffix}.txt"),
        format!("{name}: {lead} {amount_line}\n"),
    ));
    files.push((
        format!("{dir}/push{suffix}.toml"),
        format!(
            "title = \"{name}\"\nbody = \"{lead}\"\ndeep_link = \"https://example.com/app/{}\"\n",
            topic.slug
        ),
    ));
    let (page, envelope, recipient) = if japanese {
        ("a4", "naga3", "{{ customer.name }} 様")
    } else {
        ("letter", "us10", "{{ customer.name }}")
    };
    files.push((
        format!("{dir}/print{suffix}.md"),
        format!(
            "+++\npage = \"{page}\"\nenvelope = \"{envelope}\"\nrecipient = \"{recipient}\"\ntitle = \"{name}\"\n+++\n{greeting}\n\n{lead}\n\n{amount_line}\n\n{}\n\n{}\n",
            body.join(""),
            pick(sentences, i / 5)
        ),
    ));
}

fn logo_png(rgb: [u8; 3]) -> io::Result<Vec<u8>> {
    let (w, h) = (96u32, 32u32);
    let mut pixels = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let on = (x / 8 + y / 8) % 2 == 0;
            pixels.extend(if on { rgb } else { [255, 255, 255] });
        }
    }
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(&pixels, w, h, ExtendedColorType::Rgb8)
        .map_err(io::Error::other)?;
    Ok(out)
}

const LEGAL_JA: &str =
    "---\n\n{{ brand.legal_name }}\\\n{{ brand.address }}\\\nお問い合わせ：{{ brand.phone }}\n";
const LEGAL_EN: &str =
    "---\n\n{{ brand.legal_name }}\\\n{{ brand.address }}\\\nQuestions: {{ brand.phone }}\n";

const BRAND_JP: &str = r##"id = "gen-bank-jp"
name = "みなと銀行"
legal_name = "株式会社みなと銀行"
default_locale = "ja"
logo = "logo.png"

[address]
lines = ["〒100-0005", "東京都千代田区丸の内一丁目1番1号"]
country = "JP"

[contact]
phone = "0120-000-000"
email = "support@minato-bank.example.jp"
website = "https://minato-bank.example.jp"
enquiries_url = "https://minato-bank.example.jp/contact"
opt_out_url = "https://minato-bank.example.jp/mail/stop"

[colors]
primary = "#A61C48"
secondary = "#F7DCE4"
text = "#1F1F1F"
background = "#FFFFFF"
muted = "#5F6368"
"##;

const BRAND_US: &str = r##"id = "gen-retail-us"
name = "Harbor & Pine"
legal_name = "Harbor & Pine Retail, Inc."
default_locale = "en"
logo = "logo.png"

[address]
lines = ["1200 Market Street", "Seattle, WA 98101"]
country = "US"

[contact]
phone = "+1 206 555 0100"
email = "help@harborandpine.example.com"
website = "https://harborandpine.example.com"
opt_out_url = "https://harborandpine.example.com/unsubscribe"

[colors]
primary = "#005293"
secondary = "#E6F0F8"
text = "#1A1A1A"
background = "#FFFFFF"
muted = "#6B7280"
"##;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::load_library;

    #[test]
    fn generated_library_loads_without_problems_and_is_deterministic() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let written = generate_library(a.path(), 30).unwrap();
        generate_library(b.path(), 30).unwrap();
        let load = load_library(&a.path().join("templates"), &a.path().join("assets"));
        let problems: Vec<String> = load.problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(load.templates.len(), 30);
        assert_eq!(load.brands.len(), 2);
        assert_eq!(load.blocks.len(), 2);
        assert!(load
            .templates
            .iter()
            .any(|t| t.manifest.default_locale == "ja"));
        assert!(load
            .templates
            .iter()
            .any(|t| t.manifest.default_locale == "en"));
        let other = load_library(&b.path().join("templates"), &b.path().join("assets"));
        let hashes = |l: &crate::format::LibraryLoad| -> Vec<_> {
            l.templates.iter().map(|t| t.files.content_hash()).collect()
        };
        assert_eq!(hashes(&load), hashes(&other), "same count, same bytes");
        assert_eq!(written.templates, 30);
    }
}
