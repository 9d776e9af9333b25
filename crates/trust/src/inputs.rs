//! What an approval depends on, each with its digest: the template's source files, the shared
//! blocks it includes, the brand kit's files, the rule packs it was checked with, the fonts
//! letters are set in, and the renderer. Comparing the recorded inputs with today's is how an
//! approval becomes stale — with the reason naming the input — without rendering anything.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use ccm_core::model::{Block, TemplateBundle};
use ccm_rules::RuleSet;
use serde::{Deserialize, Serialize};

use crate::jcs::sha256_hex;

/// A file and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileDigest {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

impl FileDigest {
    pub fn of(path: impl Into<String>, bytes: &[u8]) -> FileDigest {
        FileDigest {
            path: path.into(),
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TemplateRef {
    pub id: String,
    pub version: u32,
    /// Content hash of the version (`ccm history`).
    pub hash: String,
    pub brand: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BlockDigest {
    pub name: String,
    /// Empty for the locale-neutral variant.
    pub locale: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PackDigest {
    pub id: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Renderer {
    pub name: String,
    pub version: String,
    pub build: String,
}

impl Renderer {
    pub fn current() -> Renderer {
        Renderer {
            name: "ccm-studio".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            build: ccm_bundled::build::COMMIT.to_owned(),
        }
    }
}

/// Everything an approval is bound to, besides the renditions themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Inputs {
    pub template: TemplateRef,
    pub sources: Vec<FileDigest>,
    pub blocks: Vec<BlockDigest>,
    /// The brand kit version rendered with (its files are listed in `brand_files`).
    pub brand_version: u32,
    pub brand_files: Vec<FileDigest>,
    pub rule_packs: Vec<PackDigest>,
    pub fonts: Vec<FileDigest>,
    pub renderer: Renderer,
}

/// Why an approval no longer stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StaleReason {
    /// `template`, `block`, `brand`, `rule_pack` or `font`.
    pub input: String,
    /// Which one: the block `legal-footer (ja)`, the brand file `logo.png`, the pack id.
    pub name: String,
    pub en: String,
    pub ja: String,
}

impl Inputs {
    /// The inputs of rendering `bundle` checked with `rules` today.
    pub fn collect(bundle: &TemplateBundle, brand_version: u32, rules: &RuleSet) -> Inputs {
        let manifest = &bundle.source.manifest;
        let sources = bundle
            .source
            .files
            .0
            .iter()
            .map(|(p, t)| FileDigest::of(p.clone(), t.as_bytes()))
            .collect();
        let brand_files = bundle
            .brand
            .files
            .iter()
            .map(|(p, b)| FileDigest::of(p.clone(), b))
            .collect();
        let blocks = used_blocks(bundle)
            .into_iter()
            .map(|b| BlockDigest {
                name: b.name.clone(),
                locale: b.locale.clone().unwrap_or_default(),
                sha256: sha256_hex(b.content.as_bytes()),
            })
            .collect();
        let rule_packs = rules
            .packs
            .iter()
            .filter(|p| p.meta.always_on || manifest.rule_packs.contains(&p.meta.id))
            .map(|p| PackDigest {
                id: p.meta.id.clone(),
                sha256: p.digest.0.clone(),
            })
            .collect();
        Inputs {
            template: TemplateRef {
                id: bundle.template_id.clone(),
                version: bundle.version,
                hash: bundle.hash.0.clone(),
                brand: manifest.brand.clone(),
            },
            sources,
            blocks,
            brand_version,
            brand_files,
            rule_packs,
            fonts: font_digests().to_vec(),
            renderer: Renderer::current(),
        }
    }

    /// Names of the blocks this template includes (for "who edited what it includes").
    pub fn block_names(&self) -> Vec<String> {
        let names: BTreeSet<&str> = self.blocks.iter().map(|b| b.name.as_str()).collect();
        names.into_iter().map(str::to_owned).collect()
    }

    /// What changed between the approved inputs (`self`) and `now`, template first. The
    /// renderer's version is recorded but not compared: a new build that renders the same
    /// bytes keeps approvals; `archive verify --rerender` is how a build is checked.
    pub fn stale_reasons(&self, now: &Inputs) -> Vec<StaleReason> {
        let mut out = Vec::new();
        if self.template.id == now.template.id && self.template.hash != now.template.hash {
            out.push(reason(
                "template",
                &self.template.id,
                format!(
                    "the template changed: version {} was approved, the latest is version {}",
                    self.template.version, now.template.version
                ),
                format!(
                    "テンプレートが変更されました（承認済み: 第{}版、最新: 第{}版）",
                    self.template.version, now.template.version
                ),
            ));
        }
        diff_named(
            &mut out,
            "block",
            self.blocks
                .iter()
                .map(|b| (block_label(b), b.sha256.as_str())),
            now.blocks
                .iter()
                .map(|b| (block_label(b), b.sha256.as_str())),
            ("shared block", "共通ブロック"),
        );
        diff_named(
            &mut out,
            "brand",
            self.brand_files
                .iter()
                .map(|f| (f.path.clone(), f.sha256.as_str())),
            now.brand_files
                .iter()
                .map(|f| (f.path.clone(), f.sha256.as_str())),
            ("brand kit file", "ブランドキットのファイル"),
        );
        diff_named(
            &mut out,
            "rule_pack",
            self.rule_packs
                .iter()
                .map(|p| (p.id.clone(), p.sha256.as_str())),
            now.rule_packs
                .iter()
                .map(|p| (p.id.clone(), p.sha256.as_str())),
            ("rule pack", "ルールパック"),
        );
        diff_named(
            &mut out,
            "font",
            self.fonts
                .iter()
                .map(|f| (f.path.clone(), f.sha256.as_str())),
            now.fonts
                .iter()
                .map(|f| (f.path.clone(), f.sha256.as_str())),
            ("font", "フォント"),
        );
        out
    }
}

fn block_label(b: &BlockDigest) -> String {
    if b.locale.is_empty() {
        b.name.clone()
    } else {
        format!("{} ({})", b.name, b.locale)
    }
}

fn reason(input: &str, name: &str, en: String, ja: String) -> StaleReason {
    StaleReason {
        input: input.to_owned(),
        name: name.to_owned(),
        en,
        ja,
    }
}

fn diff_named<'a>(
    out: &mut Vec<StaleReason>,
    input: &str,
    before: impl Iterator<Item = (String, &'a str)>,
    after: impl Iterator<Item = (String, &'a str)>,
    (what_en, what_ja): (&str, &str),
) {
    let before: std::collections::BTreeMap<String, &str> = before.collect();
    let after: std::collections::BTreeMap<String, &str> = after.collect();
    for (name, digest) in &before {
        match after.get(name) {
            Some(now) if now == digest => {}
            Some(now) => out.push(reason(
                input,
                name,
                format!(
                    "{what_en} `{name}` changed (sha256 {} → {})",
                    &digest[..12.min(digest.len())],
                    &now[..12.min(now.len())]
                ),
                format!("{what_ja}「{name}」が変更されました"),
            )),
            None => out.push(reason(
                input,
                name,
                format!("{what_en} `{name}` was removed"),
                format!("{what_ja}「{name}」が削除されました"),
            )),
        }
    }
    for name in after.keys().filter(|n| !before.contains_key(*n)) {
        out.push(reason(
            input,
            name,
            format!("{what_en} `{name}` was added"),
            format!("{what_ja}「{name}」が追加されました"),
        ));
    }
}

/// The blocks `bundle` includes, directly or through other blocks (`{% include "blocks/NAME" %}`),
/// every locale variant of each: which variant renders depends on the locale, and an approval
/// covers all of the template's locales.
pub fn used_blocks(bundle: &TemplateBundle) -> Vec<&Block> {
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = bundle
        .source
        .files
        .0
        .values()
        .flat_map(|t| included_names(t))
        .collect();
    while let Some(name) = queue.pop() {
        if !names.insert(name.clone()) {
            continue;
        }
        for b in bundle.blocks.iter().filter(|b| b.name == name) {
            queue.extend(included_names(&b.content));
        }
    }
    bundle
        .blocks
        .iter()
        .filter(|b| names.contains(&b.name))
        .collect()
}

/// `NAME` of every `"blocks/NAME"` string in `text`, the only way templates name a block.
fn included_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        let needle = format!("{quote}blocks/");
        let mut rest = text;
        while let Some(at) = rest.find(&needle) {
            rest = &rest[at + needle.len()..];
            if let Some(end) = rest.find(quote) {
                let name = &rest[..end];
                if !name.is_empty() && name.len() < 200 {
                    out.push(name.to_owned());
                }
            }
        }
    }
    out
}

/// Digests of the bundled fonts, computed once per process (about 20 MB of font data).
pub fn font_digests() -> &'static [FileDigest] {
    static DIGESTS: OnceLock<Vec<FileDigest>> = OnceLock::new();
    DIGESTS.get_or_init(|| {
        ccm_print::font_files()
            .into_iter()
            .map(|(name, bytes)| FileDigest::of(name, bytes))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_blocks_named_with_either_quote() {
        let t =
            "{% include \"blocks/legal-footer\" %}\n{% include 'blocks/optout' %} blocks/not-a-ref";
        assert_eq!(included_names(t), vec!["legal-footer", "optout"]);
    }

    fn inputs() -> Inputs {
        Inputs {
            template: TemplateRef {
                id: "t".into(),
                version: 3,
                hash: "h".into(),
                brand: "b".into(),
            },
            sources: vec![],
            blocks: vec![BlockDigest {
                name: "legal-footer".into(),
                locale: "ja".into(),
                sha256: "a".repeat(64),
            }],
            brand_version: 1,
            brand_files: vec![FileDigest::of("logo.png", b"png")],
            rule_packs: vec![PackDigest {
                id: "jp-tokutei-email".into(),
                sha256: "c".repeat(64),
            }],
            fonts: vec![FileDigest::of("NotoSansJP-Regular.ttf", b"font")],
            renderer: Renderer::current(),
        }
    }

    #[test]
    fn each_input_kind_names_itself_when_it_changes() {
        let approved = inputs();
        assert!(approved.stale_reasons(&approved).is_empty());
        let mut now = inputs();
        now.template.version = 4;
        now.template.hash = "h2".into();
        now.blocks[0].sha256 = "b".repeat(64);
        now.brand_files[0] = FileDigest::of("logo.png", b"png2");
        now.rule_packs[0].sha256 = "d".repeat(64);
        now.fonts.clear();
        let reasons = approved.stale_reasons(&now);
        let kinds: Vec<(&str, &str)> = reasons
            .iter()
            .map(|r| (r.input.as_str(), r.name.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("template", "t"),
                ("block", "legal-footer (ja)"),
                ("brand", "logo.png"),
                ("rule_pack", "jp-tokutei-email"),
                ("font", "NotoSansJP-Regular.ttf"),
            ]
        );
        assert!(reasons[4].en.contains("removed"), "{}", reasons[4].en);
    }

    #[test]
    fn a_new_renderer_build_alone_keeps_the_approval() {
        let approved = inputs();
        let mut now = inputs();
        now.renderer.build = "other".into();
        assert!(approved.stale_reasons(&now).is_empty());
    }
}
