//! The domain model shared by every part of CCM Studio.
//!
//! A template's content is kept exactly as its files (`TemplateFiles`): the file format *is*
//! the canonical form, so export is byte-stable and export → import is a no-op. A `Version`
//! is an immutable snapshot of those files identified by a sha256 `ContentHash` over a
//! canonical encoding (see [`TemplateFiles::content_hash`]); approvals, archive entries and
//! packs are all built on these hashes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;

/// The four channels. Closed on purpose: every `match` over it is exhaustive, so adding a
/// channel is a compile error everywhere it must be handled.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Sms,
    Push,
    Print,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Email, Channel::Sms, Channel::Push, Channel::Print];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Push => "push",
            Channel::Print => "print",
        }
    }

    /// Source file of this channel for `locale`; the template's default locale has no suffix
    /// (`email.md`), other locales carry one (`email.en.md`).
    pub fn source_file(self, locale: &str, default_locale: &str) -> String {
        let (stem, ext) = match self {
            Channel::Email => ("email", "md"),
            Channel::Sms => ("sms", "txt"),
            Channel::Push => ("push", "toml"),
            Channel::Print => ("print", "md"),
        };
        if locale == default_locale {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}.{locale}.{ext}")
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Channel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "email" => Ok(Channel::Email),
            "sms" => Ok(Channel::Sms),
            "push" => Ok(Channel::Push),
            "print" => Ok(Channel::Print),
            other => Err(format!(
                "unknown channel '{other}': use email, sms, push or print"
            )),
        }
    }
}

/// Why a message is sent; rule packs key off it (marketing mail needs opt-out, etc.).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    Transactional,
    Marketing,
}

/// A sha256 digest, shown and stored as 64 lowercase hex characters.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContentHash(pub String);

impl ContentHash {
    pub fn of_bytes(bytes: &[u8]) -> Self {
        ContentHash(hex::encode(Sha256::digest(bytes)))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// First 12 hex characters, for people.
    pub fn short(&self) -> &str {
        &self.0[..self.0.len().min(12)]
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The files of one template folder, relative path (always `/`-separated) → UTF-8 text.
/// e.g. `template.toml`, `email.md`, `email.en.md`, `sms.txt`, `push.toml`, `print.md`,
/// `data/typical.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateFiles(pub BTreeMap<String, String>);

impl TemplateFiles {
    /// sha256 over a canonical encoding: for each file in path order,
    /// `path NUL byte-length NUL bytes`. Path order comes from the BTreeMap, so the hash does
    /// not depend on the order files were read in.
    pub fn content_hash(&self) -> ContentHash {
        let mut h = Sha256::new();
        for (path, text) in &self.0 {
            h.update(path.as_bytes());
            h.update([0]);
            h.update(text.len().to_string().as_bytes());
            h.update([0]);
            h.update(text.as_bytes());
        }
        ContentHash(hex::encode(h.finalize()))
    }

    pub fn get(&self, path: &str) -> Option<&str> {
        self.0.get(path).map(String::as_str)
    }

    /// From `(path, text)` pairs, e.g. `[("sms.txt", "…")]` (test fixtures).
    #[cfg(test)]
    pub(crate) fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        TemplateFiles(
            pairs
                .iter()
                .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
                .collect(),
        )
    }
}

/// `template.toml`, parsed. Unknown fields are an error (a typo must not silently drop a
/// setting such as `purpose`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// bank | insurance | telco | utility | retail | …
    pub industry: String,
    pub purpose: Purpose,
    /// Brand kit id (`assets/brands/<brand>/`).
    pub brand: String,
    /// Locale of the unsuffixed channel files.
    pub default_locale: String,
    /// All locales this template has content for, default first.
    pub locales: Vec<String>,
    /// Rule packs that apply (`assets/rules/<id>.toml`).
    #[serde(default)]
    pub rule_packs: Vec<String>,
    /// Which channels the template has content for; defaults to all four.
    #[serde(default = "all_channels")]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub variables: Vec<Variable>,
    /// `[consistency]`: facts every channel with room must state (checked by the
    /// `consistency` rule pack).
    #[serde(default, skip_serializing_if = "ConsistencySettings::is_empty")]
    pub consistency: ConsistencySettings,
}

/// `[consistency]` in `template.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsistencySettings {
    /// Fact kinds (`amount`… see [`FACT_KINDS`]) or roles (`due_date`… see [`FACT_ROLES`])
    /// that email, SMS and print must each state when any channel states them.
    #[serde(default)]
    pub essential: Vec<String>,
}

impl ConsistencySettings {
    pub fn is_empty(&self) -> bool {
        self.essential.is_empty()
    }
}

/// Kinds of fact the consistency check reads from every channel and compares.
pub const FACT_KINDS: [&str; 9] = [
    "money", "date", "time", "phone", "email", "url", "account", "percent", "sender",
];

/// What a fact is for, told by the words next to it (`引き落とし日`, `due on`): two channels
/// stating the same role must state the same value. Each role with the kinds it applies to.
pub const FACT_ROLES: [(&str, &[&str]); 17] = [
    ("due_date", &["date"]),
    ("deadline", &["date", "time"]),
    ("start", &["date", "time"]),
    ("appointment", &["date", "time"]),
    ("delivery", &["date"]),
    ("amount", &["money"]),
    ("discount", &["money", "percent"]),
    ("rate", &["percent"]),
    ("contact_phone", &["phone"]),
    ("contact_email", &["email"]),
    ("details_link", &["url"]),
    ("opt_out_link", &["url"]),
    ("customer_number", &["account"]),
    ("account_number", &["account"]),
    ("card_number", &["account"]),
    ("policy_number", &["account"]),
    ("order_number", &["account"]),
];

/// A name `[consistency] essential` accepts: a fact kind or a role.
pub fn is_fact_name(name: &str) -> bool {
    FACT_KINDS.contains(&name) || FACT_ROLES.iter().any(|(r, _)| *r == name)
}

fn all_channels() -> Vec<Channel> {
    Channel::ALL.to_vec()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VariableType {
    String,
    Number,
    Money,
    Date,
    Bool,
    Phone,
    Url,
    List,
    Object,
}

/// A declared input variable (dotted path into the persona data, e.g. `customer.name`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: VariableType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub example: Option<serde_json::Value>,
}

/// A sample customer: `data/<id>.json` in a template folder. The optional top-level
/// `"$persona"` object carries the label; every other key is template data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Persona {
    pub id: String,
    pub label: String,
    /// True for edge cases (very long name, empty optional field, kanji + emoji, huge amount).
    pub edge_case: bool,
    pub data: serde_json::Map<String, serde_json::Value>,
}

/// Meta keys a persona file may carry under `"$persona"`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonaMeta {
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub edge_case: bool,
}

/// A shared block (`templates/_blocks/<name>.md` or `<name>.<locale>.md`), included from
/// channel sources by name: `{% include "blocks/legal-footer" %}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub name: String,
    /// `None` for the locale-neutral variant.
    pub locale: Option<String>,
    pub content: String,
    pub hash: ContentHash,
}

/// `assets/brands/<id>/brand.toml`, parsed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandKit {
    pub id: String,
    /// Display / trading name, e.g. "さくら銀行".
    pub name: String,
    /// Legal entity name (特定電子メール法 requires the legal name, not a brand name).
    pub legal_name: String,
    pub default_locale: String,
    pub address: PostalAddress,
    pub contact: Contact,
    pub colors: BrandColors,
    #[serde(default)]
    pub fonts: BrandFonts,
    /// File names inside the brand folder.
    pub logo: String,
    #[serde(default)]
    pub voice: Vec<String>,
    /// Extra per-locale legal names / addresses, e.g. `[locales.en]`.
    #[serde(default)]
    pub locales: BTreeMap<String, BrandLocale>,
}

impl BrandKit {
    /// Name, legal name and postal address for `locale`: the kit's `[locales.X]` entry for the
    /// exact locale, else for its language (`en` for `en-US`), each missing field taken from the
    /// kit's own (default-locale) values — what the `brand` object in templates shows.
    pub fn identity(&self, locale: &str) -> BrandIdentity {
        let lang = locale.split('-').next().unwrap_or(locale);
        let loc = self.locales.get(locale).or_else(|| self.locales.get(lang));
        BrandIdentity {
            name: loc
                .and_then(|l| l.name.clone())
                .unwrap_or_else(|| self.name.clone()),
            legal_name: loc
                .and_then(|l| l.legal_name.clone())
                .unwrap_or_else(|| self.legal_name.clone()),
            address: loc
                .and_then(|l| l.address.clone())
                .unwrap_or_else(|| self.address.clone()),
        }
    }

    /// The locales the kit speaks: its default locale, then those of `[locales.X]`, in order.
    pub fn identity_locales(&self) -> Vec<String> {
        let mut out = vec![self.default_locale.clone()];
        out.extend(
            self.locales
                .keys()
                .filter(|l| **l != self.default_locale)
                .cloned(),
        );
        out
    }
}

/// Where a file of a brand kit is kept among the library's assets (`brands/<id>/<file>`); the
/// logo's thumbnail for the library view is stored under this path.
pub fn brand_asset_path(brand_id: &str, file: &str) -> String {
    format!("brands/{brand_id}/{file}")
}

/// A brand kit's identity in one locale (see [`BrandKit::identity`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrandIdentity {
    pub name: String,
    pub legal_name: String,
    pub address: PostalAddress,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandLocale {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub legal_name: Option<String>,
    #[serde(default)]
    pub address: Option<PostalAddress>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostalAddress {
    /// Lines in postal order for the brand's country.
    pub lines: Vec<String>,
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub phone: String,
    pub email: String,
    pub website: String,
    /// Where complaints and enquiries go (特定電子メール法 item 5).
    #[serde(default)]
    pub enquiries_url: Option<String>,
    /// Opt-out / preference centre for marketing messages.
    #[serde(default)]
    pub opt_out_url: Option<String>,
}

/// Colours as `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandColors {
    pub primary: String,
    pub secondary: String,
    pub text: String,
    pub background: String,
    pub muted: String,
    #[serde(default)]
    pub accent: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandFonts {
    /// CSS font stack for email.
    #[serde(default)]
    pub email: Option<String>,
    /// Font family names for print (must be bundled in assets/fonts).
    #[serde(default)]
    pub print: Vec<String>,
}

/// An image or other binary stored content-addressed in the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetInfo {
    /// Path as referenced, e.g. `brands/sakura-bank/logo.png`.
    pub path: String,
    pub hash: ContentHash,
    pub media_type: String,
    pub bytes: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// A template as the library knows it: identity plus its latest version.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub tags: Vec<String>,
    pub industry: String,
    pub purpose: Purpose,
    pub brand: String,
    pub locales: Vec<String>,
    pub latest_version: u32,
    pub latest_hash: ContentHash,
    /// RFC 3339 UTC.
    pub updated_at: String,
}

/// One immutable version of a template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    pub template_id: String,
    /// 1, 2, 3 … per template.
    pub number: u32,
    pub hash: ContentHash,
    pub parent: Option<ContentHash>,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// Where it came from: `import`, `watch`, `app`, `cli`, a user name.
    pub author: String,
    /// Key fingerprint of the identity that made it, when one was set up (`ccm id init`).
    pub author_key: Option<String>,
    pub message: String,
    pub files: TemplateFiles,
}

/// A template version parsed into its parts, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateSource {
    pub manifest: Manifest,
    pub files: TemplateFiles,
    pub personas: Vec<Persona>,
}

/// A brand kit with the files of its folder (`brand.toml`, the logo, layouts), relative path →
/// bytes. The logo is `files[&kit.logo]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Brand {
    pub kit: BrandKit,
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Brand {
    pub fn logo(&self) -> Option<&[u8]> {
        self.files.get(&self.kit.logo).map(Vec::as_slice)
    }
}

/// Everything needed to render one template version: the parsed version, its brand and the
/// shared blocks it may include. Produced by the store (or straight from files); consumed by
/// the renderers, which never touch the store themselves.
#[derive(Debug, Clone)]
pub struct TemplateBundle {
    pub template_id: String,
    pub version: u32,
    pub hash: ContentHash,
    pub source: TemplateSource,
    pub brand: Brand,
    pub blocks: Vec<Block>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kit() -> BrandKit {
        let text = r##"
id = "sakura-bank"
name = "さくら銀行"
legal_name = "株式会社さくら銀行"
default_locale = "ja"
logo = "logo.png"
[address]
lines = ["〒100-0005", "東京都千代田区丸の内3-4-1"]
country = "JP"
[contact]
phone = "0120-000-381"
email = "support@sakura-bank.example.jp"
website = "https://sakura-bank.example.jp"
[colors]
primary = "#A61C48"
secondary = "#F7DCE4"
text = "#1F1F1F"
background = "#FFFFFF"
muted = "#5F6368"
[locales.en]
legal_name = "Sakura Bank, Ltd."
address = { lines = ["3-4-1 Marunouchi", "Tokyo 100-0005, Japan"], country = "JP" }
"##;
        toml::from_str(text).unwrap()
    }

    #[test]
    fn identity_takes_the_locale_entry_then_its_language_then_the_kit() {
        let kit = kit();
        let ja = kit.identity("ja");
        assert_eq!(ja.legal_name, "株式会社さくら銀行");
        assert_eq!(ja.address.lines[0], "〒100-0005");
        let en = kit.identity("en-US");
        assert_eq!(en.legal_name, "Sakura Bank, Ltd.", "en-US falls back to en");
        assert_eq!(en.address.lines[0], "3-4-1 Marunouchi");
        assert_eq!(
            en.name, "さくら銀行",
            "a field [locales.en] lacks is the kit's own"
        );
        assert_eq!(
            kit.identity("fr"),
            ja,
            "an unknown locale is the kit's own identity"
        );
    }

    #[test]
    fn identity_locales_start_with_the_default() {
        let mut kit = kit();
        assert_eq!(kit.identity_locales(), ["ja", "en"]);
        kit.locales.insert(
            "ja".into(),
            BrandLocale {
                name: None,
                legal_name: None,
                address: None,
            },
        );
        assert_eq!(
            kit.identity_locales(),
            ["ja", "en"],
            "the default is listed once"
        );
    }

    #[test]
    fn brand_asset_paths_are_under_brands_and_the_kit_id() {
        assert_eq!(
            brand_asset_path("sakura-bank", "logo.png"),
            "brands/sakura-bank/logo.png"
        );
    }
}
