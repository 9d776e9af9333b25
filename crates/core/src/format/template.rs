//! One template folder, in memory: which files belong, and whether each is well-formed.

use super::blocks::check_includes;
use super::channels::{parse_email, parse_print, parse_push};
use super::error::FormatError;
use super::manifest::{parse_manifest, MANIFEST_FILE};
use super::persona::{check_required_variables, parse_persona};
use super::{is_valid_locale, is_valid_persona_id};
use crate::model::{Block, Brand, Channel, Manifest, TemplateFiles, TemplateSource};

/// Folder of personas inside a template folder.
pub const DATA_DIR: &str = "data";

/// What a file inside a template folder is, judged by its path alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateFileKind {
    Manifest,
    /// A channel source; `locale` is `None` for the unsuffixed (default-locale) file.
    Channel {
        channel: Channel,
        locale: Option<String>,
    },
    Persona {
        id: String,
    },
    Unknown,
}

/// Classifies a `/`-separated path relative to a template folder.
pub fn template_file_kind(path: &str) -> TemplateFileKind {
    if path == MANIFEST_FILE {
        return TemplateFileKind::Manifest;
    }
    if let Some(rest) = path.strip_prefix("data/") {
        return match rest.strip_suffix(".json") {
            Some(stem) if is_valid_persona_id(stem) => TemplateFileKind::Persona {
                id: stem.to_string(),
            },
            _ => TemplateFileKind::Unknown,
        };
    }
    if path.contains('/') {
        return TemplateFileKind::Unknown;
    }
    let parts: Vec<&str> = path.split('.').collect();
    let (stem, locale, ext) = match parts.as_slice() {
        [stem, ext] => (*stem, None, *ext),
        [stem, locale, ext] if is_valid_locale(locale) => (*stem, Some(locale.to_string()), *ext),
        _ => return TemplateFileKind::Unknown,
    };
    let channel = match (stem, ext) {
        ("email", "md") => Channel::Email,
        ("sms", "txt") => Channel::Sms,
        ("push", "toml") => Channel::Push,
        ("print", "md") => Channel::Print,
        _ => return TemplateFileKind::Unknown,
    };
    TemplateFileKind::Channel { channel, locale }
}

/// Validates one template's files (paths relative to the template folder; errors use those
/// paths, callers may prefix the folder with [`FormatError::with_prefix`]).
///
/// Checks `template.toml`, every channel file's structure, that each declared channel × locale
/// has its file, that no other files are present (typos are caught), and the personas
/// (`data/*.json`, at least one, required variables present). Blocks and brands live outside
/// the folder: see [`check_references`].
pub fn parse_template(files: &TemplateFiles) -> Result<TemplateSource, Vec<FormatError>> {
    let Some(manifest_text) = files.get(MANIFEST_FILE) else {
        return Err(vec![FormatError::new(
            MANIFEST_FILE,
            "template.toml is missing",
            "add template.toml with id, name, industry, purpose, brand, default_locale and locales (docs/FILE-FORMAT.md)",
        )]);
    };
    let mut errors: Vec<FormatError> = files
        .0
        .iter()
        .filter_map(|(path, text)| check_bom(path, text))
        .collect();
    let manifest = match parse_manifest(MANIFEST_FILE, manifest_text) {
        Ok(m) => m,
        Err(mut errs) => {
            errors.append(&mut errs);
            return Err(errors);
        }
    };

    for channel in &manifest.channels {
        for locale in &manifest.locales {
            let path = channel.source_file(locale, &manifest.default_locale);
            if !files.0.contains_key(&path) {
                errors.push(FormatError::new(
                    path.as_str(),
                    format!("missing: template.toml lists channel `{channel}` and locale `{locale}`"),
                    format!("add {path}, or remove `{locale}` from locales or `{channel}` from channels"),
                ));
            }
        }
    }

    let mut personas = Vec::new();
    for (path, text) in &files.0 {
        match template_file_kind(path) {
            TemplateFileKind::Manifest => {}
            TemplateFileKind::Channel { channel, locale } => {
                if let Err(e) =
                    check_channel_file(&manifest, path, text, channel, locale.as_deref())
                {
                    errors.push(e);
                }
            }
            TemplateFileKind::Persona { id } => match parse_persona(path, &id, text) {
                Ok(p) => {
                    errors.extend(check_required_variables(path, &p, &manifest.variables));
                    personas.push(p);
                }
                Err(e) => errors.push(e),
            },
            TemplateFileKind::Unknown => errors.push(unknown_file(path)),
        }
    }
    let has_persona_files = files
        .0
        .keys()
        .any(|p| matches!(template_file_kind(p), TemplateFileKind::Persona { .. }));
    if !has_persona_files {
        errors.push(FormatError::new(
            DATA_DIR,
            "the template has no personas",
            "add at least one sample customer as data/<persona-id>.json, e.g. data/typical.json",
        ));
    }

    if errors.is_empty() {
        Ok(TemplateSource {
            manifest,
            files: files.clone(),
            personas,
        })
    } else {
        Err(errors)
    }
}

/// Cross-checks a parsed template against the rest of the library: its brand exists and every
/// `{% include "blocks/NAME" %}` in its channel files names a block with a variant for the
/// file's locale (or a locale-neutral one). Errors use paths relative to the template folder.
pub fn check_references(
    source: &TemplateSource,
    blocks: &[Block],
    brands: &[Brand],
) -> Vec<FormatError> {
    let manifest = &source.manifest;
    let mut errors = Vec::new();
    if !brands.iter().any(|b| b.kit.id == manifest.brand) {
        errors.push(FormatError::new(
            MANIFEST_FILE,
            format!("brand `{}` does not exist", manifest.brand),
            format!(
                "add assets/brands/{}/brand.toml, or name an existing brand",
                manifest.brand
            ),
        ));
    }
    for (path, text) in &source.files.0 {
        if let TemplateFileKind::Channel { locale, .. } = template_file_kind(path) {
            let locale = locale.as_deref().unwrap_or(&manifest.default_locale);
            errors.extend(check_includes(path, text, Some(locale), blocks));
        }
    }
    errors
}

fn check_channel_file(
    manifest: &Manifest,
    path: &str,
    text: &str,
    channel: Channel,
    locale: Option<&str>,
) -> Result<(), FormatError> {
    if !manifest.channels.contains(&channel) {
        return Err(FormatError::new(
            path,
            format!("template.toml does not list channel `{channel}`"),
            format!("add \"{channel}\" to channels in template.toml, or remove this file"),
        ));
    }
    if let Some(locale) = locale {
        if locale == manifest.default_locale {
            return Err(FormatError::new(
                path,
                format!("`{locale}` is the default locale, whose files have no locale suffix"),
                format!("rename the file to {}", channel.source_file(locale, locale)),
            ));
        }
        if !manifest.locales.iter().any(|l| l == locale) {
            return Err(FormatError::new(
                path,
                format!("locale `{locale}` is not listed in template.toml"),
                format!("add \"{locale}\" to locales in template.toml, or remove this file"),
            ));
        }
    }
    match channel {
        Channel::Email => parse_email(path, text).map(drop),
        Channel::Push => parse_push(path, text).map(drop),
        Channel::Print => parse_print(path, text).map(drop),
        // Plain Tera text: nothing structural to check.
        Channel::Sms => Ok(()),
    }
}

fn unknown_file(path: &str) -> FormatError {
    let hint = if path.starts_with("data/") {
        "personas are data/<id>.json with an id of letters, digits, `-` and `_`; move other files out of the template folder".to_string()
    } else {
        "a template folder holds only template.toml, email/sms/push/print files (email.md, email.en.md, sms.txt, push.toml, print.md …) and data/*.json; fix the name or move the file elsewhere".to_string()
    };
    FormatError::new(path, "unexpected file in the template folder", hint)
}

fn check_bom(path: &str, text: &str) -> Option<FormatError> {
    text.starts_with('\u{feff}').then(|| {
        FormatError::new(
            path,
            "the file starts with a byte-order mark (BOM)",
            "save it as UTF-8 without BOM",
        )
        .at(1, 1)
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::BTreeMap;

    pub(crate) fn sample_files() -> TemplateFiles {
        let mut m = BTreeMap::new();
        let mut put = |k: &str, v: &str| {
            m.insert(k.to_string(), v.to_string());
        };
        put(
            "template.toml",
            "id = \"payment-reminder\"\nname = \"お支払い期日のお知らせ\"\nindustry = \"bank\"\npurpose = \"transactional\"\nbrand = \"sakura-bank\"\ndefault_locale = \"ja\"\nlocales = [\"ja\", \"en\"]\n\n[[variables]]\nname = \"customer.name\"\ntype = \"string\"\nrequired = true\n",
        );
        put("email.md", "+++\nsubject = \"{{ customer.name }}様\"\n+++\n本文\n{% include \"blocks/legal-footer\" %}\n");
        put("email.en.md", "+++\nsubject = \"Dear {{ customer.name }}\"\n+++\nBody\n{% include \"blocks/legal-footer\" %}\n");
        put("sms.txt", "{{ customer.name }}様\n");
        put("sms.en.txt", "Hi {{ customer.name }}\n");
        put("push.toml", "title = \"t\"\nbody = \"b\"\n");
        put("push.en.toml", "title = \"t\"\nbody = \"b\"\n");
        put("print.md", "+++\npage = \"a4\"\nenvelope = \"naga3\"\nrecipient = \"{{ customer.name }} 様\"\n+++\n本文\n");
        put("print.en.md", "+++\npage = \"letter\"\nenvelope = \"us10\"\nrecipient = \"{{ customer.name }}\"\n+++\nBody\n");
        put("data/typical.json", "{ \"$persona\": { \"label\": \"標準\" }, \"customer\": { \"name\": \"山田 太郎\" } }\n");
        put("data/long-name.json", "{ \"$persona\": { \"edge_case\": true }, \"customer\": { \"name\": \"寿限無寿限無五劫の擦り切れ🎉\" } }\n");
        TemplateFiles(m)
    }

    fn messages(errs: &[FormatError]) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn a_good_template_parses() {
        let src = parse_template(&sample_files()).unwrap();
        assert_eq!(src.manifest.id, "payment-reminder");
        let ids: Vec<_> = src.personas.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["long-name", "typical"]);
        assert!(src.personas[0].edge_case);
    }

    #[test]
    fn file_kinds() {
        assert_eq!(
            template_file_kind("email.en.md"),
            TemplateFileKind::Channel {
                channel: Channel::Email,
                locale: Some("en".into())
            }
        );
        assert_eq!(
            template_file_kind("sms.txt"),
            TemplateFileKind::Channel {
                channel: Channel::Sms,
                locale: None
            }
        );
        assert_eq!(
            template_file_kind("data/a_b-1.json"),
            TemplateFileKind::Persona { id: "a_b-1".into() }
        );
        for unknown in [
            "emial.md",
            "email.txt",
            "data/x/y.json",
            "data/x.txt",
            "notes/email.md",
            "email.en.us.md",
        ] {
            assert_eq!(
                template_file_kind(unknown),
                TemplateFileKind::Unknown,
                "{unknown}"
            );
        }
    }

    #[test]
    fn missing_manifest() {
        let mut files = sample_files();
        files.0.remove("template.toml");
        let errs = parse_template(&files).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(errs[0]
            .to_string()
            .starts_with("template.toml: template.toml is missing"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut files = sample_files();
        files.0.remove("sms.en.txt");
        files.0.insert("emial.md".into(), "x".into());
        files
            .0
            .insert("email.fr.md".into(), "+++\nsubject = \"x\"\n+++\n".into());
        files.0.insert(
            "data/broken.json".into(),
            "{ \"customer\": { \"name\": \"x\", } }".into(),
        );
        files.0.insert(
            "print.md".into(),
            "+++\npage = \"a5\"\nenvelope = \"naga3\"\nrecipient = \"x\"\n+++\n".into(),
        );
        let errs = messages(&parse_template(&files).unwrap_err());
        let has = |needle: &str| errs.iter().any(|m| m.contains(needle));
        assert!(
            has("sms.en.txt: missing: template.toml lists channel `sms` and locale `en`"),
            "{errs:#?}"
        );
        assert!(has("emial.md: unexpected file"));
        assert!(has("email.fr.md: locale `fr` is not listed"));
        assert!(has("data/broken.json:1:"));
        assert!(has("print.md:2:8: unknown variant `a5`"));
        assert_eq!(errs.len(), 5, "{errs:#?}");
    }

    #[test]
    fn undeclared_channel_and_suffixed_default_locale() {
        let mut files = sample_files();
        let manifest = files.get("template.toml").unwrap().replace(
            "locales = [\"ja\", \"en\"]",
            "locales = [\"ja\", \"en\"]\nchannels = [\"email\", \"sms\", \"print\"]",
        );
        files.0.insert("template.toml".into(), manifest);
        files
            .0
            .insert("email.ja.md".into(), "+++\nsubject = \"x\"\n+++\n".into());
        let errs = messages(&parse_template(&files).unwrap_err());
        assert!(
            errs.iter()
                .any(|m| m.starts_with("email.ja.md: `ja` is the default locale")),
            "{errs:#?}"
        );
        assert!(errs
            .iter()
            .any(|m| m.starts_with("push.en.toml: template.toml does not list channel `push`")));
        assert!(errs
            .iter()
            .any(|m| m.starts_with("push.toml: template.toml does not list channel `push`")));
    }

    #[test]
    fn personas_are_required_and_checked() {
        let mut files = sample_files();
        files.0.retain(|k, _| !k.starts_with("data/"));
        let errs = messages(&parse_template(&files).unwrap_err());
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("data: the template has no personas"));

        let mut files = sample_files();
        files
            .0
            .insert("data/no-name.json".into(), "{ \"customer\": {} }".into());
        let errs = messages(&parse_template(&files).unwrap_err());
        assert!(
            errs[0].starts_with("data/no-name.json: required variable `customer.name` is missing")
        );
    }

    #[test]
    fn bom_is_reported() {
        let mut files = sample_files();
        files.0.insert("sms.txt".into(), "\u{feff}hello".into());
        let errs = messages(&parse_template(&files).unwrap_err());
        assert!(errs[0].starts_with("sms.txt:1:1: the file starts with a byte-order mark"));
    }

    #[test]
    fn references_to_brand_and_blocks() {
        let src = parse_template(&sample_files()).unwrap();
        let errs = messages(&check_references(&src, &[], &[]));
        assert!(
            errs[0].starts_with("template.toml: brand `sakura-bank` does not exist"),
            "{errs:#?}"
        );
        assert!(
            errs.iter()
                .any(|m| m.starts_with("email.md:5:12: block `legal-footer` does not exist")),
            "{errs:#?}"
        );
        assert_eq!(errs.len(), 3);
    }
}
