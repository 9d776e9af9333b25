//! Rule packs: TOML files in `assets/rules/`, parsed strictly.
//!
//! Every rule has one `kind` from a closed set ([`Check`]) with typed parameters. Unknown
//! kinds, unknown keys, bad regular expressions, duplicate ids and malformed examples stop
//! loading with `file:line:col` — a broken pack must never silently switch checks off.

use ccm_core::diagnostic::Severity;
use ccm_core::model::{Channel, Purpose};
use regex::Regex;
use serde::{Deserialize, Deserializer};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

/// A pack could not be loaded or a template names a pack that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", position(*line, *column))]
pub struct PackError {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

fn position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

impl PackError {
    fn at(file: &str, text: &str, offset: Option<usize>, message: String) -> PackError {
        let (line, column) = match offset {
            Some(o) => {
                // Offsets from parsers may fall inside a multi-byte character: use its start.
                let mut o = o.min(text.len());
                while !text.is_char_boundary(o) {
                    o -= 1;
                }
                let before = &text[..o];
                let line = before.matches('\n').count() + 1;
                let start = before.rfind('\n').map_or(0, |i| i + 1);
                (Some(line), Some(before[start..].chars().count() + 1))
            }
            None => (None, None),
        };
        PackError {
            file: file.to_string(),
            line,
            column,
            message,
        }
    }
}

/// A compiled regular expression written in a pack. Compiled while the pack is parsed, so a
/// bad pattern is a load error, not a runtime surprise.
#[derive(Clone)]
pub struct Pattern(pub Regex);

impl Pattern {
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        compile_pattern(&s)
            .map(Pattern)
            .map_err(serde::de::Error::custom)
    }
}

/// Compiles a rule pattern within [`ccm_core::limits`]: matching with the `regex` crate is
/// always linear in the text, and the size limits bound what a pattern such as
/// `(a{1000}){1000}` may build at load time, so a slow or huge pattern is a load error.
pub fn compile_pattern(s: &str) -> Result<Regex, String> {
    use ccm_core::limits;
    let chars = s.chars().count();
    if chars > limits::RULE_PATTERN_CHARS {
        return Err(format!(
            "the regular expression is {chars} characters; patterns may be at most {} (split the rule)",
            limits::RULE_PATTERN_CHARS
        ));
    }
    regex::RegexBuilder::new(s)
        .size_limit(limits::RULE_PATTERN_COMPILED_BYTES)
        .dfa_size_limit(limits::RULE_PATTERN_DFA_BYTES)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(limit) => format!(
                "the regular expression {s:?} compiles to more than {limit} bytes: it repeats too much (e.g. nested counted repetitions); simplify it"
            ),
            e => format!("invalid regular expression {s:?}: {e}"),
        })
}

#[cfg(test)]
mod pattern_limit_tests {
    use super::*;

    #[test]
    fn a_huge_or_explosive_pattern_is_a_load_error() {
        let e = compile_pattern("(a{1000}){1000}").unwrap_err();
        assert!(e.contains("compiles to more than"), "{e}");
        let long = "a".repeat(ccm_core::limits::RULE_PATTERN_CHARS + 1);
        assert!(compile_pattern(&long).unwrap_err().contains("at most"));
        assert!(compile_pattern("(?i)free\\s+gift").is_ok());
        // A pattern that backtracks exponentially elsewhere is linear here.
        let re = compile_pattern("(a+)+$").unwrap();
        let text = format!("{}b", "a".repeat(100_000));
        assert!(!re.is_match(&text));
    }

    #[test]
    fn an_enormous_pack_is_refused_before_parsing() {
        let text = format!("# {}\n", "x".repeat(ccm_core::limits::RULE_PACK_BYTES));
        let e = RuleSet::from_str("big.toml", &text).unwrap_err();
        assert!(e.to_string().contains("big.toml"), "{e}");
        assert!(e.message.contains("at most"), "{e}");
    }
}

/// Which purpose a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PurposeFilter {
    Any,
    Transactional,
    Marketing,
}

impl PurposeFilter {
    pub fn matches(self, p: Purpose) -> bool {
        match self {
            PurposeFilter::Any => true,
            PurposeFilter::Transactional => p == Purpose::Transactional,
            PurposeFilter::Marketing => p == Purpose::Marketing,
        }
    }
}

/// Where a rule applies. Each key left out inherits the pack's `applies_to`, and "any" when
/// the pack leaves it out too.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppliesTo {
    pub channels: Option<Vec<Channel>>,
    pub purpose: Option<PurposeFilter>,
    /// Locale prefixes: "en" matches "en" and "en-US".
    pub locales: Option<Vec<String>>,
    pub industries: Option<Vec<String>>,
    /// Fields searched by text rules (`required`, `forbidden`, `pii`); defaults per channel.
    pub fields: Option<Vec<String>>,
}

impl AppliesTo {
    /// `self` with the pack defaults filled in.
    pub fn merged(&self, pack: &AppliesTo) -> AppliesTo {
        AppliesTo {
            channels: self.channels.clone().or_else(|| pack.channels.clone()),
            purpose: self.purpose.or(pack.purpose),
            locales: self.locales.clone().or_else(|| pack.locales.clone()),
            industries: self.industries.clone().or_else(|| pack.industries.clone()),
            fields: self.fields.clone().or_else(|| pack.fields.clone()),
        }
    }

    pub fn matches(
        &self,
        channel: Channel,
        purpose: Purpose,
        locale: &str,
        industry: &str,
    ) -> bool {
        self.channels.as_ref().is_none_or(|c| c.contains(&channel))
            && self.purpose.is_none_or(|p| p.matches(purpose))
            && self.locales.as_ref().is_none_or(|ls| {
                ls.iter().any(|l| {
                    locale == l
                        || locale
                            .strip_prefix(l.as_str())
                            .is_some_and(|rest| rest.starts_with('-'))
                })
            })
            && self
                .industries
                .as_ref()
                .is_none_or(|is| is.iter().any(|i| i == industry))
    }
}

/// A brand-kit value that must appear in the message (compared ignoring spaces and
/// full-width/half-width differences; the locale's `[locales.xx]` variant counts too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BrandItem {
    Name,
    LegalName,
    /// The whole address, or at least its longest line.
    Address,
    Phone,
    Email,
    Website,
    EnquiriesUrl,
    OptOutUrl,
}

/// One way to satisfy a `required` rule (exactly one key): a regex over the text, a
/// brand-kit value, or a link whose label (link text and the words just before it, or the
/// words before a bare URL) matches — "会社情報: https://…" in an SMS.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Needle {
    pub pattern: Option<Pattern>,
    pub brand: Option<BrandItem>,
    pub link: Option<Pattern>,
}

/// "The match must sit within `within` characters before or after a URL like this."
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Near {
    /// URLs (link targets, link texts or bare URLs) that count as the anchor.
    pub url_pattern: Pattern,
    /// Also count the brand kit's `opt_out_url` as an anchor.
    #[serde(default)]
    pub brand_opt_out_url: bool,
    pub within: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phrase {
    pub pattern: Pattern,
    pub rewrite_en: Option<String>,
    pub rewrite_ja: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LengthUnit {
    /// Unicode scalar values.
    Chars,
    /// East Asian width: CJK and full-width count 2 (unicode-width).
    HalfWidth,
    /// UTF-8 bytes.
    Bytes,
    /// SMS parts (GSM-7 160/153, UCS-2 70/67); the `segments` metric when present.
    SmsSegments,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiDetector {
    /// 13–19 digit card numbers starting 3–6 that pass the Luhn check.
    CardNumber,
    /// 12-digit マイナンバー (individual number) with a valid check digit.
    MyNumber,
    /// A labelled account number (口座番号 / account number) of 7 or more unmasked digits.
    AccountNumber,
}

/// The closed set of rule kinds. `kind = "…"` in TOML picks the variant.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// At least one needle must match in the channel's text fields; with `near`, the match
    /// must sit within `near.within` characters of an anchor URL.
    Required {
        any_of: Vec<Needle>,
        #[serde(default)]
        near: Option<Near>,
    },
    /// Each match of a phrase is a finding, unless it overlaps an `allow` match, or `unless`
    /// matches anywhere in the channel (e.g. an end date next to 期間限定).
    Forbidden {
        phrases: Vec<Phrase>,
        #[serde(default)]
        allow: Vec<Pattern>,
        #[serde(default)]
        unless: Option<Pattern>,
    },
    /// `field` longer than `max` in `unit`.
    MaxLength {
        field: String,
        unit: LengthUnit,
        max: f64,
    },
    /// A renderer metric outside `[min, max]` (skipped when the metric is unknown, except
    /// `html_bytes`, which is measured from the html field).
    Metric {
        metric: String,
        #[serde(default)]
        min: Option<f64>,
        #[serde(default)]
        max: Option<f64>,
    },
    /// At least one link whose visible text or label matches `text_pattern` or whose target
    /// matches `href_pattern` (or is the brand opt-out URL when `brand_opt_out_url`).
    LinkRequired {
        #[serde(default)]
        text_pattern: Option<Pattern>,
        #[serde(default)]
        href_pattern: Option<Pattern>,
        #[serde(default)]
        brand_opt_out_url: bool,
    },
    /// Every link uses one of these schemes.
    LinkScheme { allowed: Vec<String> },
    /// Every web link points at one of these hosts or their subdomains; `{brand}` stands for
    /// the hosts of the brand's website, enquiries and opt-out URLs.
    LinkDomains { allowed: Vec<String> },
    /// No link points at these hosts (public URL shorteners hide the destination).
    LinkShorteners { hosts: Vec<String> },
    /// A header line `name: value` must exist in the `headers` field with a matching value.
    Header {
        name: String,
        value_pattern: Pattern,
    },
    /// Every `<img>` has an `alt` attribute (empty is fine for decoration).
    ImageAlt {},
    /// `<html>` carries a non-empty `lang`.
    HtmlLang {},
    /// The email has images but less than `min_text_chars` characters of visible text.
    ImageOnly { min_text_chars: usize },
    /// `field` is (nearly) all capitals: at least `min_letters` Latin letters, making up at
    /// least half the visible characters, of which at least `ratio` are upper case.
    AllCaps {
        field: String,
        min_letters: usize,
        ratio: f64,
    },
    /// WCAG contrast of the brand colour pairs (`[["text", "background"], …]`) and, with
    /// `css = true`, of every text run's inline-styled colour against its background.
    Contrast {
        min_normal: f64,
        min_large: f64,
        #[serde(default)]
        brand_pairs: Vec<[String; 2]>,
        #[serde(default)]
        css: bool,
    },
    /// Colours in email HTML/CSS must be brand colours (or listed in `also_allow`); with
    /// `allow_tints`, a brand colour mixed with white (a layout's light table header or
    /// divider) counts as that brand colour.
    BrandPalette {
        #[serde(default)]
        also_allow: Vec<String>,
        #[serde(default)]
        allow_tints: bool,
    },
    /// These fields must not render empty.
    NonEmpty { fields: Vec<String> },
    /// Personal data that must never be sent in clear.
    Pii { detector: PiiDetector },
    /// The same fact (amount, date, time, phone number, email address, link, account number,
    /// percentage, sender) stated with different values in two channels of one persona ×
    /// locale. `facts` limits the kinds compared (default: all). Runs once per input, not per
    /// channel; the message may use `{channel}`, `{value}`, `{other_channel}`,
    /// `{other_value}` and `{fact}`.
    Consistency {
        #[serde(default)]
        facts: Option<Vec<String>>,
    },
    /// A fact the template marks essential (`[consistency] essential` in template.toml)
    /// stated in one channel but missing from another with room (email, SMS, print).
    ConsistencyEssential {},
}

impl Check {
    pub fn kind(&self) -> &'static str {
        match self {
            Check::Required { .. } => "required",
            Check::Forbidden { .. } => "forbidden",
            Check::MaxLength { .. } => "max_length",
            Check::Metric { .. } => "metric",
            Check::LinkRequired { .. } => "link_required",
            Check::LinkScheme { .. } => "link_scheme",
            Check::LinkDomains { .. } => "link_domains",
            Check::LinkShorteners { .. } => "link_shorteners",
            Check::Header { .. } => "header",
            Check::ImageAlt {} => "image_alt",
            Check::HtmlLang {} => "html_lang",
            Check::ImageOnly { .. } => "image_only",
            Check::AllCaps { .. } => "all_caps",
            Check::Contrast { .. } => "contrast",
            Check::BrandPalette { .. } => "brand_palette",
            Check::NonEmpty { .. } => "non_empty",
            Check::Pii { .. } => "pii",
            Check::Consistency { .. } => "consistency",
            Check::ConsistencyEssential {} => "consistency_essential",
        }
    }

    /// Rules that compare channels with each other run once per input.
    pub fn is_cross_channel(&self) -> bool {
        matches!(
            self,
            Check::Consistency { .. } | Check::ConsistencyEssential {}
        )
    }
}

/// A worked example inside a pack: `pass` must produce no finding of this rule, `fail` at
/// least one. The text goes into `field` (default: the rule's natural field) of `channel`
/// (default: the first channel the rule applies to); other fields and metrics may be given.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub pass: Option<String>,
    pub fail: Option<String>,
    pub channel: Option<Channel>,
    pub field: Option<String>,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    #[serde(default)]
    pub metrics: BTreeMap<String, f64>,
    pub locale: Option<String>,
    pub purpose: Option<Purpose>,
    /// Overrides of the example brand's colours, e.g. `{ muted = "#aaaaaa" }`.
    #[serde(default)]
    pub brand_colors: BTreeMap<String, String>,
    /// More channels of the same persona × locale, for rules that compare channels:
    /// `also = [{ channel = "email", fields = { html = "<p>…</p>" } }]`.
    #[serde(default)]
    pub also: Vec<ExampleChannel>,
    /// The template's `[consistency] essential` for this example.
    #[serde(default)]
    pub essential: Vec<String>,
}

/// Another channel of an example.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleChannel {
    pub channel: Channel,
    pub fields: BTreeMap<String, String>,
}

/// One rule as written in a pack (`[[rules]]`).
#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    /// Globally unique, `<pack-id>/<name>`.
    pub id: String,
    pub severity: Severity,
    /// `{match}` is replaced by the matched text.
    pub message_en: String,
    pub message_ja: String,
    #[serde(default)]
    pub suggestion_en: Option<String>,
    #[serde(default)]
    pub suggestion_ja: Option<String>,
    /// Law or standard, cited as the compliance team wrote it.
    #[serde(default)]
    pub citation: Option<String>,
    #[serde(default)]
    pub help_uri: Option<String>,
    #[serde(default)]
    pub applies_to: AppliesTo,
    #[serde(default)]
    pub examples: Vec<Example>,
    // Kind and its parameters live in the same table; unknown keys are rejected by the
    // variant's deny_unknown_fields (serde cannot combine it with flatten on this struct).
    #[serde(flatten)]
    pub check: Check,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackMeta {
    pub id: String,
    pub name_en: String,
    pub name_ja: String,
    #[serde(default)]
    pub description: String,
    /// Applied to every template whether or not its manifest lists the pack.
    #[serde(default)]
    pub always_on: bool,
    #[serde(default)]
    pub applies_to: AppliesTo,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    pack: PackMeta,
    rules: Vec<toml::Spanned<Rule>>,
}

/// A loaded pack: its header and rules, with `applies_to` already merged with the pack's.
#[derive(Debug, Clone)]
pub struct Pack {
    pub meta: PackMeta,
    pub rules: Vec<Rule>,
    /// Where it came from (file path or the name given to [`RuleSet::from_str`]).
    pub source: String,
    /// sha256 of the pack file's text: an approval records the exact packs it was checked with,
    /// and any later change to one makes the approval stale.
    pub digest: ccm_core::model::ContentHash,
}

/// All loaded packs, in load order (file name order for [`RuleSet::load_dir`]).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub packs: Vec<Pack>,
}

impl RuleSet {
    /// Parses one pack. `name` labels errors (use the file path).
    #[allow(clippy::should_implement_trait)] // takes a name too; not FromStr
    pub fn from_str(name: &str, text: &str) -> Result<RuleSet, PackError> {
        let mut set = RuleSet::default();
        set.add(parse_pack(name, text)?)?;
        Ok(set)
    }

    /// Loads every `*.toml` in `dir`, in file-name order. The pack id must equal the file
    /// stem, so `rule_packs = ["jp-yakki"]` finds `jp-yakki.toml`.
    pub fn load_dir(dir: &Path) -> Result<RuleSet, PackError> {
        let err = |m: String| PackError {
            file: dir.display().to_string(),
            line: None,
            column: None,
            message: m,
        };
        let entries = std::fs::read_dir(dir)
            .map_err(|e| err(format!("cannot read the rule pack folder: {e}")))?;
        let mut paths = Vec::new();
        for entry in entries {
            let path = entry
                .map_err(|e| err(format!("cannot read the rule pack folder: {e}")))?
                .path();
            if path.extension().is_some_and(|e| e == "toml") {
                paths.push(path);
            }
        }
        paths.sort();
        let mut set = RuleSet::default();
        for path in paths {
            let label = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| PackError {
                file: label.clone(),
                line: None,
                column: None,
                message: format!("cannot read: {e}"),
            })?;
            let pack = parse_pack(&label, &text)?;
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if pack.meta.id != stem {
                return Err(PackError::at(
                    &label,
                    &text,
                    text.find("id"),
                    format!(
                        "pack id '{}' differs from the file name '{stem}.toml': rename one so they match",
                        pack.meta.id
                    ),
                ));
            }
            set.add(pack)?;
        }
        Ok(set)
    }

    /// Adds a pack; pack ids and rule ids must stay unique across the set.
    pub fn add(&mut self, pack: Pack) -> Result<(), PackError> {
        if let Some(other) = self.packs.iter().find(|p| p.meta.id == pack.meta.id) {
            return Err(PackError {
                file: pack.source.clone(),
                line: None,
                column: None,
                message: format!(
                    "pack id '{}' is already defined by {}",
                    pack.meta.id, other.source
                ),
            });
        }
        for rule in &pack.rules {
            if let Some((other, _)) = self.rule(&rule.id) {
                return Err(PackError {
                    file: pack.source.clone(),
                    line: None,
                    column: None,
                    message: format!(
                        "rule id '{}' is already defined by {}",
                        rule.id, other.source
                    ),
                });
            }
        }
        self.packs.push(pack);
        Ok(())
    }

    pub fn pack(&self, id: &str) -> Option<&Pack> {
        self.packs.iter().find(|p| p.meta.id == id)
    }

    pub fn rule(&self, id: &str) -> Option<(&Pack, &Rule)> {
        self.packs
            .iter()
            .find_map(|p| p.rules.iter().find(|r| r.id == id).map(|r| (p, r)))
    }

    /// The packs that apply to a template: the always-on packs plus those it names, in set
    /// order. A name that is not loaded is an error naming the manifest.
    pub fn select(&self, template_id: &str, declared: &[String]) -> Result<Vec<&Pack>, PackError> {
        for name in declared {
            if self.pack(name).is_none() {
                let known: Vec<&str> = self.packs.iter().map(|p| p.meta.id.as_str()).collect();
                return Err(PackError {
                    file: format!("templates/{template_id}/template.toml"),
                    line: None,
                    column: None,
                    message: format!(
                        "rule_packs names unknown pack '{name}'; installed packs: {}",
                        known.join(", ")
                    ),
                });
            }
        }
        Ok(self
            .packs
            .iter()
            .filter(|p| p.meta.always_on || declared.contains(&p.meta.id))
            .collect())
    }
}

/// A bad regex inside a rule is reported by the TOML parser at the start of its `[[rules]]`
/// table (the rule is one flattened value); point at the pattern itself when it can be found.
fn bad_pattern_offset(text: &str, table_start: usize, message: &str) -> usize {
    let pattern = message
        .split_once("invalid regular expression \"")
        .and_then(|(_, rest)| rest.split_once("\": "))
        .map(|(p, _)| p.replace("\\\"", "\"").replace("\\\\", "\\"));
    pattern
        .filter(|p| !p.is_empty())
        .and_then(|p| text.get(table_start..)?.find(&p))
        .map_or(table_start, |at| table_start + at)
}

fn parse_pack(file: &str, text: &str) -> Result<Pack, PackError> {
    if text.len() > ccm_core::limits::RULE_PACK_BYTES {
        return Err(PackError {
            file: file.to_string(),
            line: None,
            column: None,
            message: format!(
                "the rule pack is {} bytes; packs may be at most {} bytes: split it into several packs",
                text.len(),
                ccm_core::limits::RULE_PACK_BYTES
            ),
        });
    }
    let parsed: PackFile = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_string();
        let offset = e
            .span()
            .map(|s| bad_pattern_offset(text, s.start, &message));
        PackError::at(file, text, offset, message)
    })?;
    let meta = parsed.pack;
    if !is_id(&meta.id) {
        return Err(PackError::at(
            file,
            text,
            text.find("id"),
            format!(
                "pack id '{}' must be lowercase letters, digits and '-'",
                meta.id
            ),
        ));
    }
    if parsed.rules.is_empty() {
        return Err(PackError::at(
            file,
            text,
            None,
            "the pack has no [[rules]]".into(),
        ));
    }
    let mut seen = BTreeSet::new();
    let mut rules = Vec::with_capacity(parsed.rules.len());
    for spanned in parsed.rules {
        let at = spanned.span().start;
        let fail = |m: String| PackError::at(file, text, Some(at), m);
        let mut rule = spanned.into_inner();
        let prefix = format!("{}/", meta.id);
        match rule.id.strip_prefix(&prefix) {
            Some(rest) if is_id(rest) => {}
            _ => {
                return Err(fail(format!(
                    "rule id '{}' must be '{prefix}<name>' with a lowercase name of letters, digits and '-'",
                    rule.id
                )))
            }
        }
        if !seen.insert(rule.id.clone()) {
            return Err(fail(format!("duplicate rule id '{}'", rule.id)));
        }
        validate_rule(&rule).map_err(|m| fail(format!("rule '{}': {m}", rule.id)))?;
        rule.applies_to = rule.applies_to.merged(&meta.applies_to);
        rules.push(rule);
    }
    Ok(Pack {
        meta,
        rules,
        source: file.to_string(),
        digest: ccm_core::model::ContentHash::of_bytes(text.as_bytes()),
    })
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn validate_rule(rule: &Rule) -> Result<(), String> {
    for (key, list) in [
        ("locales", rule.applies_to.locales.as_ref().map(Vec::len)),
        (
            "industries",
            rule.applies_to.industries.as_ref().map(Vec::len),
        ),
        ("channels", rule.applies_to.channels.as_ref().map(Vec::len)),
        ("fields", rule.applies_to.fields.as_ref().map(Vec::len)),
    ] {
        if list == Some(0) {
            return Err(format!(
                "applies_to.{key} is empty: leave it out to mean any"
            ));
        }
    }
    match &rule.check {
        Check::Required { any_of, near } => {
            if any_of.is_empty() {
                return Err("any_of needs at least one entry".into());
            }
            for n in any_of {
                let keys = [n.pattern.is_some(), n.brand.is_some(), n.link.is_some()];
                if keys.iter().filter(|k| **k).count() != 1 {
                    return Err(
                        "each any_of entry needs exactly one of pattern, brand or link".into(),
                    );
                }
            }
            if near.as_ref().is_some_and(|n| n.within == 0) {
                return Err("near.within must be at least 1".into());
            }
        }
        Check::Forbidden { phrases, .. } if phrases.is_empty() => {
            return Err("phrases needs at least one entry".into())
        }
        Check::Metric {
            min: None,
            max: None,
            ..
        } => return Err("metric needs min, max or both".into()),
        Check::LinkRequired {
            text_pattern: None,
            href_pattern: None,
            brand_opt_out_url: false,
        } => {
            return Err(
                "link_required needs text_pattern, href_pattern or brand_opt_out_url".into(),
            )
        }
        Check::AllCaps { ratio, .. } if !(0.0..=1.0).contains(ratio) => {
            return Err("ratio must be between 0 and 1".into())
        }
        Check::Contrast {
            min_normal,
            min_large,
            brand_pairs,
            css,
        } => {
            if *min_normal < 1.0 || *min_large < 1.0 {
                return Err("contrast ratios are at least 1".into());
            }
            if brand_pairs.is_empty() && !css {
                return Err("contrast needs brand_pairs, css = true or both".into());
            }
            for name in brand_pairs.iter().flatten() {
                if !crate::contrast::BRAND_COLOR_NAMES.contains(&name.as_str()) {
                    return Err(format!(
                        "unknown brand colour '{name}': use one of {}",
                        crate::contrast::BRAND_COLOR_NAMES.join(", ")
                    ));
                }
            }
        }
        Check::Consistency { facts: Some(kinds) } => {
            if kinds.is_empty() {
                return Err("facts is empty: leave it out to compare every kind".into());
            }
            for k in kinds {
                if crate::facts::Kind::from_name(k).is_none() {
                    return Err(format!(
                        "facts: unknown kind '{k}': use {}",
                        ccm_core::model::FACT_KINDS.join(", ")
                    ));
                }
            }
        }
        Check::BrandPalette { also_allow, .. } => {
            for c in also_allow {
                if crate::contrast::parse_color(c).is_none() {
                    return Err(format!("also_allow: '{c}' is not a colour"));
                }
            }
        }
        _ => {}
    }
    for ex in &rule.examples {
        if ex.pass.is_some() == ex.fail.is_some() {
            return Err("each example needs exactly one of pass or fail".into());
        }
        for name in &ex.essential {
            if !ccm_core::model::is_fact_name(name) {
                return Err(format!(
                    "example essential: '{name}' is not a fact kind or role"
                ));
            }
        }
        for (name, value) in &ex.brand_colors {
            if !crate::contrast::BRAND_COLOR_NAMES.contains(&name.as_str()) {
                return Err(format!(
                    "example brand_colors: unknown colour name '{name}'"
                ));
            }
            if crate::contrast::parse_color(value).is_none() {
                return Err(format!("example brand_colors: '{value}' is not a colour"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_offset_inside_a_multibyte_character_points_at_that_character() {
        // Found by the `rule_pack` fuzz target: a parser offset inside '観' panicked.
        let text = "id = \"x\"\n観点 = 1";
        let inside = text.find('観').unwrap() + 1;
        let e = PackError::at("p.toml", text, Some(inside), "bad".into());
        assert_eq!((e.line, e.column), (Some(2), Some(1)));
    }

    const GOOD: &str = r#"
[pack]
id = "demo"
name_en = "Demo"
name_ja = "デモ"
applies_to = { purpose = "marketing" }

[[rules]]
id = "demo/cure"
kind = "forbidden"
severity = "error"
message_en = "'{match}' is a medical claim"
message_ja = "「{match}」は医薬品的な効能表現です"
phrases = [{ pattern = "治る", rewrite_ja = "すこやかに保つ" }]
"#;

    #[test]
    fn a_good_pack_loads_and_inherits_pack_applies_to() {
        let set = RuleSet::from_str("demo.toml", GOOD).expect("pack loads");
        let (_, rule) = set.rule("demo/cure").expect("rule present");
        assert_eq!(rule.applies_to.purpose, Some(PurposeFilter::Marketing));
        assert_eq!(rule.check.kind(), "forbidden");
    }

    fn err(text: &str) -> PackError {
        RuleSet::from_str("bad.toml", text).expect_err("pack must be rejected")
    }

    #[test]
    fn unknown_kind_is_an_error_with_line_and_column() {
        let e = err(&GOOD.replace("kind = \"forbidden\"", "kind = \"forbiden\""));
        assert_eq!(e.file, "bad.toml");
        assert!(e.line.is_some() && e.column.is_some(), "{e}");
        assert!(e.message.contains("forbiden"), "{e}");
    }

    #[test]
    fn unknown_key_in_a_rule_is_an_error() {
        let e = err(&GOOD.replace("severity = \"error\"", "severity = \"error\"\nsevrity = 1"));
        assert!(e.message.contains("sevrity"), "{e}");
        assert!(e.line.is_some(), "{e}");
    }

    #[test]
    fn unknown_key_in_pack_header_is_an_error() {
        let e = err(&GOOD.replace("name_ja = \"デモ\"", "name_ja = \"デモ\"\nalways = true"));
        assert!(e.message.contains("always"), "{e}");
    }

    #[test]
    fn bad_regex_is_an_error_naming_the_pattern() {
        let text = GOOD.replace("pattern = \"治る\"", "pattern = \"治(る\"");
        let e = err(&text);
        assert!(e.message.contains("invalid regular expression"), "{e}");
        // The line of the pattern itself, not of the `[[rules]]` header above it.
        let want = text[..text.find("治(る").unwrap()].matches('\n').count() + 1;
        assert_eq!(e.line, Some(want), "{e}");
    }

    #[test]
    fn duplicate_rule_id_is_an_error_at_the_second_rule() {
        let text = format!("{GOOD}\n{}", &GOOD[GOOD.find("[[rules]]").unwrap()..]);
        let e = err(&text);
        assert!(e.message.contains("duplicate rule id 'demo/cure'"), "{e}");
        assert!(e.line.unwrap() > 10, "{e}");
    }

    #[test]
    fn rule_id_must_carry_the_pack_prefix() {
        let e = err(&GOOD.replace("id = \"demo/cure\"", "id = \"cure\""));
        assert!(e.message.contains("demo/"), "{e}");
    }

    #[test]
    fn example_needs_exactly_one_of_pass_or_fail() {
        let e = err(&format!("{GOOD}\n[[rules.examples]]\nchannel = \"sms\"\n"));
        assert!(e.message.contains("exactly one of pass or fail"), "{e}");
    }

    #[test]
    fn unknown_pack_named_by_a_template_is_an_error() {
        let set = RuleSet::from_str("demo.toml", GOOD).unwrap();
        let e = set
            .select("welcome", &["jp-yaki".to_string()])
            .expect_err("unknown pack");
        assert_eq!(e.file, "templates/welcome/template.toml");
        assert!(
            e.message.contains("jp-yaki") && e.message.contains("demo"),
            "{e}"
        );
    }

    #[test]
    fn locale_filter_matches_prefixes_only_at_a_dash() {
        let a = AppliesTo {
            locales: Some(vec!["en".into()]),
            ..Default::default()
        };
        assert!(a.matches(Channel::Sms, Purpose::Marketing, "en-US", "bank"));
        assert!(a.matches(Channel::Sms, Purpose::Marketing, "en", "bank"));
        assert!(!a.matches(Channel::Sms, Purpose::Marketing, "eng", "bank"));
        assert!(!a.matches(Channel::Sms, Purpose::Marketing, "ja", "bank"));
    }
}
