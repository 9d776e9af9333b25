//! The rule-pack parser and engine: the input is a pack (TOML) and, after a line `=== text`,
//! the rendered text every channel is checked with.
#![no_main]

use ccm_rules::{check, ChannelText, CheckInput, Channel, Purpose, RuleSet};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static BRAND: LazyLock<ccm_core::model::BrandKit> = LazyLock::new(|| {
    ccm_core::format::parse_brand_kit(
        "brand.toml",
        include_str!("../../assets/brands/sakura-bank/brand.toml"),
    )
    .expect("sample brand parses")
});

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (pack, text) = input.split_once("\n=== text\n").unwrap_or((input, "お知らせ"));
    let Ok(rules) = RuleSet::from_str("fuzz.toml", pack) else {
        return;
    };
    let ids: Vec<String> = rules.packs.iter().map(|p| p.meta.id.clone()).collect();
    let channels = [Channel::Email, Channel::Sms, Channel::Push, Channel::Print]
        .into_iter()
        .map(|c| {
            let field = if c == Channel::Push { "body" } else { "text" };
            ChannelText::new(c)
                .with_field(field, text)
                .with_field("subject", text)
        })
        .collect();
    let input = CheckInput {
        template_id: "fuzz".into(),
        persona: "typical".into(),
        locale: "ja".into(),
        default_locale: "ja".into(),
        purpose: Purpose::Marketing,
        industry: "bank".into(),
        rule_packs: ids,
        essential: vec![],
        brand: BRAND.clone(),
        channels,
    };
    let _ = check(&rules, &input);
});
