//! Drafts: a template's files as they are in the editor — saved or not, whole or half-typed —
//! made renderable for the live preview.
//!
//! A designer is mid-edit most of the time, so a draft is rarely entirely valid. The rule here
//! is "lose nothing, stop as little as possible": a channel file that does not parse is swapped
//! for the latest saved text of that file, so the other channels render and the broken one keeps
//! its last good rendition on screen; anything else broken (the manifest, a persona, the brand)
//! leaves an [`Outline`] of what still parses and the problems to show.

use ccm_core::diagnostic::Diagnostic;
use ccm_core::format::{
    parse_manifest, parse_persona, parse_print, parse_template, template_file_kind, Envelope,
    FormatError, TemplateFileKind, MANIFEST_FILE,
};
use ccm_core::library::LibrarySource;
use ccm_core::model::{Channel, Persona, TemplateBundle, TemplateFiles, TemplateSource};
use ccm_print::{EnvelopeProfile, WindowMm};
use ccm_rules::{PackError, RuleSet};

use crate::checks::check_rendered;
use crate::pipeline::{render, Engine, RenderOptions};
use crate::rendition::RenderSet;

/// What the editor asks to see.
#[derive(Debug, Clone)]
pub struct DraftRequest {
    pub template_id: String,
    pub files: TemplateFiles,
    /// Persona id; `None` (or an id the draft no longer has) picks the first typical persona.
    pub persona: Option<String>,
    /// `None` (or a locale the draft no longer lists) picks the default locale.
    pub locale: Option<String>,
}

/// Whatever of the manifest and personas still parses: enough for the editor's header,
/// persona and locale menus while the rest is broken.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    pub name: String,
    pub brand: String,
    /// The brand kit's display name, or its id when the kit is not in the library.
    pub brand_name: String,
    pub default_locale: String,
    pub locales: Vec<String>,
    pub channels: Vec<Channel>,
    /// Typical personas first, then edge cases; by id within each.
    pub personas: Vec<PersonaSummary>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonaSummary {
    pub id: String,
    pub label: String,
    pub edge_case: bool,
}

/// A draft ready to render.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Version 0: a draft is not a stored version; its hash is the hash of the editor's files.
    pub bundle: TemplateBundle,
    pub persona: String,
    pub locale: String,
    pub outline: Option<Outline>,
    /// Channels whose file does not parse; they are not rendered (see [`Draft::render`]).
    pub broken: Vec<Channel>,
    /// Why those channels were set aside.
    pub problems: Vec<Diagnostic>,
}

/// The outcome of [`prepare`].
#[derive(Debug, Clone)]
pub enum Prepared {
    Ready(Box<Draft>),
    /// Nothing can render; show the outline (if the manifest parses) and why.
    Unrenderable {
        outline: Option<Outline>,
        problems: Vec<Diagnostic>,
    },
}

/// Parses the draft against the library (brand kit, shared blocks, the latest saved files).
/// Library errors other than a missing brand are returned as errors; everything the designer
/// can fix in the files comes back as [`Prepared::Unrenderable`] problems.
pub fn prepare(library: &dyn LibrarySource, request: DraftRequest) -> ccm_core::Result<Prepared> {
    let files = request.files;
    let brand_id = brand_id(&files);
    let brand = library.brand(&brand_id);
    let blocks = library.blocks()?;
    let outline = outline(&files, brand.as_ref().ok().map(|b| b.kit.name.as_str()));
    let (source, broken, problems) = match parse_template(&files) {
        Ok(source) => (source, Vec::new(), Vec::new()),
        Err(errors) => {
            let stored = library.saved_files(&request.template_id);
            let problems = errors.iter().map(Diagnostic::format).collect();
            match with_saved_channel_files(&files, stored.as_ref(), &errors) {
                Some((source, broken)) => (source, broken, problems),
                None => return Ok(Prepared::Unrenderable { outline, problems }),
            }
        }
    };
    let brand = match brand {
        Ok(brand) => brand,
        Err(e) => {
            let problem = Diagnostic::library(&e).at(MANIFEST_FILE, None, None);
            return Ok(Prepared::Unrenderable {
                outline,
                problems: vec![problem],
            });
        }
    };
    let persona = request
        .persona
        .filter(|id| source.personas.iter().any(|p| &p.id == id))
        .or_else(|| default_persona(&source.personas))
        .unwrap_or_default();
    let locale = request
        .locale
        .filter(|l| source.manifest.locales.contains(l))
        .unwrap_or_else(|| source.manifest.default_locale.clone());
    let bundle = TemplateBundle {
        template_id: request.template_id,
        version: 0,
        hash: files.content_hash(),
        source,
        brand,
        blocks,
    };
    Ok(Prepared::Ready(Box::new(Draft {
        bundle,
        persona,
        locale,
        outline,
        broken,
        problems,
    })))
}

impl Draft {
    /// Renders `channels` for the draft's persona and locale, skipping broken ones.
    pub fn render(&self, engine: &Engine, channels: &[Channel], opts: &RenderOptions) -> RenderSet {
        let outputs = channels
            .iter()
            .filter(|c| !self.broken.contains(c))
            .map(|c| render(engine, &self.bundle, &self.persona, &self.locale, *c, opts))
            .collect();
        RenderSet {
            template_id: self.bundle.template_id.clone(),
            version: self.bundle.version,
            template_hash: self.bundle.hash.clone(),
            persona: self.persona.clone(),
            locale: self.locale.clone(),
            today: opts.today.to_string(),
            outputs,
        }
    }

    /// The rule findings of a set rendered by [`Draft::render`]. Rules judge each channel on
    /// its own, so checking the preview's two steps (email/SMS/push, then print) separately
    /// finds exactly what `ccm check` finds for all four at once.
    pub fn check(&self, rules: &RuleSet, set: &RenderSet) -> Result<Vec<Diagnostic>, PackError> {
        check_rendered(rules, &self.bundle, &self.persona, &self.locale, set)
    }

    /// The window of the letter's envelope profile, for the overlay on page 1.
    pub fn envelope_window(&self) -> Option<WindowMm> {
        let manifest = &self.bundle.source.manifest;
        let file = Channel::Print.source_file(&self.locale, &manifest.default_locale);
        let text = self.bundle.source.files.get(&file)?;
        let id = match parse_print(&file, text).ok()?.meta.envelope {
            Envelope::Naga3 => "naga3",
            Envelope::Us10 => "us10",
            Envelope::None => return None,
        };
        Some(EnvelopeProfile::by_id(id).ok()??.window)
    }
}

/// The brand id named in `template.toml`, or "" when it does not parse.
pub fn brand_id(files: &TemplateFiles) -> String {
    files
        .get(MANIFEST_FILE)
        .and_then(|text| parse_manifest(MANIFEST_FILE, text).ok())
        .map(|m| m.brand)
        .unwrap_or_default()
}

/// The outline of possibly broken files; `None` when the manifest does not parse.
pub fn outline(files: &TemplateFiles, brand_name: Option<&str>) -> Option<Outline> {
    let manifest = parse_manifest(MANIFEST_FILE, files.get(MANIFEST_FILE)?).ok()?;
    let mut personas: Vec<PersonaSummary> = files
        .0
        .iter()
        .filter_map(|(path, text)| match template_file_kind(path) {
            TemplateFileKind::Persona { id } => parse_persona(path, &id, text).ok(),
            _ => None,
        })
        .map(|p: Persona| PersonaSummary {
            id: p.id,
            label: p.label,
            edge_case: p.edge_case,
        })
        .collect();
    personas.sort_by(|a, b| a.edge_case.cmp(&b.edge_case).then_with(|| a.id.cmp(&b.id)));
    Some(Outline {
        name: manifest.name,
        brand_name: brand_name.unwrap_or(&manifest.brand).to_owned(),
        brand: manifest.brand,
        default_locale: manifest.default_locale,
        locales: manifest.locales,
        channels: manifest.channels,
        personas,
    })
}

/// The persona a preview starts with: the first typical customer, else the first of any kind.
pub fn default_persona(personas: &[Persona]) -> Option<String> {
    personas
        .iter()
        .find(|p| !p.edge_case)
        .or(personas.first())
        .map(|p| p.id.clone())
}

/// When only channel files fail to parse: the files with those replaced by the saved text, and
/// the channels they belong to. `None` when anything else is broken (the manifest, a persona),
/// nothing is saved yet, or the saved text does not parse either.
fn with_saved_channel_files(
    files: &TemplateFiles,
    saved: Option<&TemplateFiles>,
    errors: &[FormatError],
) -> Option<(TemplateSource, Vec<Channel>)> {
    let mut broken = Vec::new();
    let mut patched = files.clone();
    for e in errors {
        let path = e.file.to_string_lossy().replace('\\', "/");
        let TemplateFileKind::Channel { channel, .. } = template_file_kind(&path) else {
            return None;
        };
        patched
            .0
            .insert(path.clone(), saved?.get(&path)?.to_owned());
        broken.push(channel);
    }
    broken.sort();
    broken.dedup();
    parse_template(&patched).ok().map(|source| (source, broken))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "id = \"t\"\nname = \"N\"\nindustry = \"bank\"\npurpose = \"transactional\"\nbrand = \"b\"\ndefault_locale = \"ja\"\nlocales = [\"ja\"]\n";

    fn files(entries: &[(&str, &str)]) -> TemplateFiles {
        let mut f = TemplateFiles::default();
        for (path, text) in entries {
            f.0.insert((*path).into(), (*text).into());
        }
        f
    }

    #[test]
    fn outline_sorts_typical_personas_before_edge_cases() {
        let f = files(&[
            ("template.toml", MANIFEST),
            (
                "data/a-long.json",
                r#"{"$persona": {"label": "Long", "edge_case": true}}"#,
            ),
            (
                "data/z-typical.json",
                r#"{"$persona": {"label": "Typical"}}"#,
            ),
        ]);
        let o = outline(&f, Some("Brand")).expect("manifest parses");
        let ids: Vec<&str> = o.personas.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["z-typical", "a-long"]);
        assert_eq!(o.brand_name, "Brand");
        assert_eq!(o.channels.len(), 4, "channels default to all four");
    }

    #[test]
    fn outline_is_none_when_the_manifest_does_not_parse() {
        let f = files(&[("template.toml", "id = ")]);
        assert!(outline(&f, None).is_none());
        assert_eq!(brand_id(&f), "");
    }

    #[test]
    fn a_broken_channel_file_is_replaced_by_its_saved_text_and_marked_broken() {
        let manifest = format!("channels = [\"push\"]\n{MANIFEST}");
        let good = files(&[
            ("template.toml", &manifest),
            ("push.toml", "title = \"{{ name }}\"\nbody = \"b\"\n"),
            ("data/p.json", r#"{"name": "A"}"#),
        ]);
        let mut draft = good.clone();
        draft.0.insert("push.toml".into(), "title = ".into());
        let errors = parse_template(&draft).expect_err("push.toml is broken TOML");
        let (source, broken) =
            with_saved_channel_files(&draft, Some(&good), &errors).expect("swapped");
        assert_eq!(broken, [Channel::Push]);
        assert_eq!(source.files.get("push.toml"), good.get("push.toml"));
    }

    #[test]
    fn a_broken_manifest_or_an_unsaved_template_cannot_be_patched() {
        let draft = files(&[
            ("template.toml", MANIFEST),
            ("push.toml", "title = "),
            ("data/p.json", "{}"),
        ]);
        let errors = parse_template(&draft).expect_err("push.toml is broken TOML");
        assert!(
            with_saved_channel_files(&draft, None, &errors).is_none(),
            "nothing saved to fall back on"
        );
        let broken_manifest = files(&[("template.toml", "id = "), ("data/p.json", "{}")]);
        let errors = parse_template(&broken_manifest).expect_err("manifest is broken");
        assert!(with_saved_channel_files(&broken_manifest, Some(&draft), &errors).is_none());
    }
}
