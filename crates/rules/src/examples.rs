//! Worked examples inside packs (`[[rules.examples]]`): each `pass` text must give no
//! finding of its rule, each `fail` text at least one. They document the rule for the
//! compliance team and make every pack self-testing (`cargo test`, `ccm rules test`).
//!
//! Examples run against [`example_brand`], a fixed brand kit, so packs stay independent of
//! the brands installed.

use crate::engine::check_rule;
use crate::input::{field, ChannelText, CheckInput, Field};
use crate::pack::{Check, Example, PurposeFilter, Rule, RuleSet};
use ccm_core::model::{
    BrandColors, BrandFonts, BrandKit, BrandLocale, Channel, Contact, PostalAddress, Purpose,
};
use std::collections::BTreeMap;

/// The brand kit examples are checked against (documented in `assets/rules/README.md`).
pub fn example_brand() -> BrandKit {
    BrandKit {
        id: "example".into(),
        name: "サンプル銀行".into(),
        legal_name: "株式会社サンプル銀行".into(),
        default_locale: "ja".into(),
        address: PostalAddress {
            lines: vec!["〒100-0005".into(), "東京都千代田区丸の内1-1-1".into()],
            country: "JP".into(),
        },
        contact: Contact {
            phone: "0120-000-000".into(),
            email: "info@sample-bank.example.jp".into(),
            website: "https://www.sample-bank.example.jp".into(),
            enquiries_url: Some("https://www.sample-bank.example.jp/contact".into()),
            opt_out_url: Some("https://www.sample-bank.example.jp/optout".into()),
        },
        colors: BrandColors {
            primary: "#0b5394".into(),
            secondary: "#e69138".into(),
            text: "#222222".into(),
            background: "#ffffff".into(),
            muted: "#666666".into(),
            accent: None,
        },
        fonts: BrandFonts::default(),
        logo: "logo.png".into(),
        voice: Vec::new(),
        locales: BTreeMap::from([(
            "en".to_string(),
            BrandLocale {
                name: Some("Sample Bank".into()),
                legal_name: Some("Sample Bank, Ltd.".into()),
                address: Some(PostalAddress {
                    lines: vec![
                        "1-1-1 Marunouchi, Chiyoda-ku".into(),
                        "Tokyo 100-0005, Japan".into(),
                    ],
                    country: "JP".into(),
                }),
            },
        )]),
    }
}

/// The field an example's text goes into when it names none.
pub fn default_field(rule: &Rule, channel: Channel) -> String {
    match &rule.check {
        Check::MaxLength { field, .. } | Check::AllCaps { field, .. } => field.clone(),
        Check::Header { .. } => field::HEADERS.into(),
        Check::NonEmpty { fields } => fields[0].clone(),
        _ => match channel {
            Channel::Email => field::HTML.into(),
            Channel::Sms | Channel::Print => field::TEXT.into(),
            Channel::Push => field::BODY.into(),
        },
    }
}

/// The one-channel input an example describes.
pub fn example_input(rule: &Rule, ex: &Example) -> CheckInput {
    let channel = ex.channel.unwrap_or_else(|| {
        rule.applies_to
            .channels
            .as_ref()
            .and_then(|c| c.first().copied())
            .unwrap_or(Channel::Email)
    });
    let purpose = ex.purpose.unwrap_or(match rule.applies_to.purpose {
        Some(PurposeFilter::Transactional) => Purpose::Transactional,
        _ => Purpose::Marketing,
    });
    let locale = ex.locale.clone().unwrap_or_else(|| {
        rule.applies_to
            .locales
            .as_ref()
            .and_then(|l| l.first().cloned())
            .unwrap_or_else(|| "ja".into())
    });
    let industry = rule
        .applies_to
        .industries
        .as_ref()
        .and_then(|i| i.first().cloned())
        .unwrap_or_else(|| "bank".into());
    let main = ex
        .field
        .clone()
        .unwrap_or_else(|| default_field(rule, channel));
    let text = ex
        .pass
        .clone()
        .or_else(|| ex.fail.clone())
        .unwrap_or_default();
    let mut ch = ChannelText::new(channel);
    ch.fields.push(Field {
        name: main.clone(),
        value: text,
        source_file: None,
    });
    for (name, value) in &ex.fields {
        if *name != main {
            ch.fields.push(Field {
                name: name.clone(),
                value: value.clone(),
                source_file: None,
            });
        }
    }
    ch.metrics = ex.metrics.clone();
    let mut channels = vec![ch];
    for other in &ex.also {
        let mut c = ChannelText::new(other.channel);
        for (name, value) in &other.fields {
            c.fields.push(Field {
                name: name.clone(),
                value: value.clone(),
                source_file: None,
            });
        }
        channels.push(c);
    }
    let mut brand = example_brand();
    for (name, value) in &ex.brand_colors {
        let c = &mut brand.colors;
        match name.as_str() {
            "primary" => c.primary = value.clone(),
            "secondary" => c.secondary = value.clone(),
            "text" => c.text = value.clone(),
            "background" => c.background = value.clone(),
            "muted" => c.muted = value.clone(),
            "accent" => c.accent = Some(value.clone()),
            _ => {}
        }
    }
    CheckInput {
        template_id: "example".into(),
        persona: "example".into(),
        locale,
        default_locale: "ja".into(),
        purpose,
        industry,
        rule_packs: Vec::new(),
        essential: ex.essential.clone(),
        brand,
        channels,
    }
}

/// An example whose outcome differs from what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleFailure {
    pub rule_id: String,
    /// 0-based position among the rule's examples.
    pub index: usize,
    pub expected_fail: bool,
    /// Messages of the findings the rule produced (empty when it expected some).
    pub findings: Vec<String>,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.expected_fail {
            write!(
                f,
                "{} example #{}: `fail` text produced no finding",
                self.rule_id,
                self.index + 1
            )
        } else {
            write!(
                f,
                "{} example #{}: `pass` text produced {}",
                self.rule_id,
                self.index + 1,
                self.findings.join(" | ")
            )
        }
    }
}

/// Runs every example of every rule in `set`.
pub fn run_examples(set: &RuleSet) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for pack in &set.packs {
        for rule in &pack.rules {
            for (index, ex) in rule.examples.iter().enumerate() {
                let findings = check_rule(pack, rule, &example_input(rule, ex));
                let expected_fail = ex.fail.is_some();
                if expected_fail == findings.is_empty() {
                    failures.push(ExampleFailure {
                        rule_id: rule.id.clone(),
                        index,
                        expected_fail,
                        findings: findings
                            .iter()
                            .map(|f| {
                                let (field, excerpt) = f
                                    .rendition
                                    .as_ref()
                                    .map_or(("", ""), |r| (r.field.as_str(), r.excerpt.as_str()));
                                format!("{field}: {} [{excerpt}]", f.message.en)
                            })
                            .collect(),
                    });
                }
            }
        }
    }
    failures
}
