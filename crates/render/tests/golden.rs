//! Golden renditions of the bundled sample library: every template × persona in its default
//! locale, all four channels, as normal files under `tests/golden/<template>/<persona>/<locale>/`.
//!
//! After an intended change, update them with:
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test -p ccm-render --test golden
//! ```
//! and review the diff like any other change. PDFs are bound by their sha256 in report.json
//! (print.json carries the page metrics); page PNGs are not stored.

use ccm_core::format::load_library;
use ccm_core::model::{Channel, Persona, TemplateBundle};
use ccm_render::{render_all, Engine, RenderOptions, Severity};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Artifacts kept as golden files (text people can open and diff).
const GOLDEN_FILES: [&str; 10] = [
    "email.html",
    "email.txt",
    "email.eml",
    "sms.txt",
    "sms.json",
    "push.apns.json",
    "push.fcm.json",
    "print.json",
    "report.json",
    "print.typ",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn today() -> time::Date {
    time::macros::date!(2026 - 11 - 23)
}

fn bundles() -> Vec<TemplateBundle> {
    let load = load_library(&repo().join("templates"), &repo().join("assets"));
    assert!(
        load.problems.is_empty(),
        "the sample library must load cleanly:\n{}",
        load.problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    load.templates
        .into_iter()
        .map(|source| {
            let brand = load
                .brands
                .iter()
                .find(|b| b.kit.id == source.manifest.brand)
                .cloned()
                .unwrap_or_else(|| {
                    panic!("brand {} of {}", source.manifest.brand, source.manifest.id)
                });
            TemplateBundle {
                template_id: source.manifest.id.clone(),
                version: 1,
                hash: source.files.content_hash(),
                source,
                brand,
                blocks: load.blocks.clone(),
            }
        })
        .collect()
}

/// Templates written to break rules still render; only these may carry render errors.
fn may_have_errors(id: &str) -> bool {
    id.contains("noncompliant")
}

#[test]
fn golden_renditions_of_the_sample_library() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let root = repo().join("tests/golden");
    let engine = Engine::new();
    let mut opts = RenderOptions::new(today());
    opts.png_dpi = None;
    let bundles = bundles();
    assert!(
        bundles.len() >= 12,
        "sample library has {} templates",
        bundles.len()
    );
    let mut mismatches = Vec::new();
    let mut render_errors = Vec::new();
    let mut expected_dirs = BTreeSet::new();
    for bundle in &bundles {
        let locale = bundle.source.manifest.default_locale.clone();
        for persona in &bundle.source.personas {
            let set = render_all(&engine, bundle, &persona.id, &locale, &opts);
            if !may_have_errors(&bundle.template_id) {
                for d in set.diagnostics().filter(|d| d.severity == Severity::Error) {
                    render_errors.push(format!("{}/{}: {d}", bundle.template_id, persona.id));
                }
            }
            check_eml(&set, bundle, persona);
            let dir = root
                .join(&bundle.template_id)
                .join(&persona.id)
                .join(&locale);
            expected_dirs.insert(dir.clone());
            let mut artifacts = set.artifacts();
            if let Some(ccm_render::Rendition::Print(p)) = set
                .output(Channel::Print)
                .and_then(|o| o.rendition.as_ref())
            {
                artifacts.push(ccm_render::Artifact::new(
                    "print.typ",
                    p.typst_body.as_bytes(),
                ));
            }
            for a in artifacts
                .iter()
                .filter(|a| GOLDEN_FILES.contains(&a.name.as_str()))
            {
                let path = dir.join(&a.name);
                if update {
                    std::fs::create_dir_all(&dir).unwrap();
                    if std::fs::read(&path).ok().as_deref() != Some(&a.bytes[..]) {
                        std::fs::write(&path, &a.bytes).unwrap();
                    }
                } else {
                    match std::fs::read(&path) {
                        Ok(old) if old == a.bytes => {}
                        Ok(_) => mismatches.push(format!("changed: {}", rel(&path))),
                        Err(_) => mismatches.push(format!("missing: {}", rel(&path))),
                    }
                }
            }
        }
    }
    if update {
        remove_stale(&root, &expected_dirs);
    }
    assert!(
        render_errors.is_empty(),
        "sample templates must render without errors:\n{}",
        render_errors.join("\n")
    );
    assert!(
        mismatches.is_empty(),
        "{} golden file(s) differ:\n{}\n\nIf the change is intended: UPDATE_GOLDEN=1 cargo test -p ccm-render --test golden",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// The `.eml` parses back with the subject, the sender's and the customer's names and both
/// bodies the rendition reports; no header puts an encoded word inside quotes (RFC 2047 §5).
fn check_eml(set: &ccm_render::RenderSet, bundle: &TemplateBundle, persona: &Persona) {
    let Some(ccm_render::Rendition::Email(e)) = set
        .output(Channel::Email)
        .and_then(|o| o.rendition.as_ref())
    else {
        return;
    };
    let msg = mail_parser::MessageParser::default()
        .parse(&e.eml)
        .unwrap_or_else(|| {
            panic!(
                "{}/{}: email.eml does not parse",
                set.template_id, set.persona
            )
        });
    assert_eq!(
        msg.subject(),
        Some(e.subject.as_str()),
        "{}/{}: subject survives MIME",
        set.template_id,
        set.persona
    );
    let head = String::from_utf8_lossy(&e.eml)
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(
        !head.contains("\"=?"),
        "{}/{}: an encoded word inside a quoted string:\n{head}",
        set.template_id,
        set.persona
    );
    let from = msg.from().and_then(|a| a.first()).expect("a From mailbox");
    assert_eq!(
        (from.name(), from.address()),
        (
            Some(e.from_name.as_str()),
            Some(bundle.brand.kit.contact.email.as_str())
        ),
        "{}/{}: From header",
        set.template_id,
        set.persona
    );
    assert!(
        !e.from_name.is_empty(),
        "{}: the sender has a display name",
        set.template_id
    );
    let customer = persona
        .data
        .get("customer")
        .and_then(|c| c.get("name"))
        .or_else(|| persona.data.get("name"))
        .and_then(|n| n.as_str())
        .map(|n| {
            n.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
                .trim()
                .to_string()
        })
        .filter(|n| !n.is_empty());
    let to = msg.to().and_then(|a| a.first()).expect("a To mailbox");
    assert_eq!(
        to.name(),
        customer.as_deref(),
        "{}/{}: To display name",
        set.template_id,
        set.persona
    );
    let text = msg.body_text(0).unwrap_or_default();
    assert_eq!(
        text.replace("\r\n", "\n").trim_end(),
        e.text.replace("\r\n", "\n").trim_end(),
        "{}/{}: text part survives MIME",
        set.template_id,
        set.persona
    );
    assert!(
        msg.body_html(0).is_some(),
        "{}: HTML part present",
        set.template_id
    );
}

fn rel(p: &Path) -> String {
    p.strip_prefix(repo())
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Deletes golden folders of templates/personas that no longer exist.
fn remove_stale(root: &Path, keep: &BTreeSet<PathBuf>) {
    let Ok(templates) = std::fs::read_dir(root) else {
        return;
    };
    for t in templates.flatten() {
        let Ok(personas) = std::fs::read_dir(t.path()) else {
            continue;
        };
        for p in personas.flatten() {
            let Ok(locales) = std::fs::read_dir(p.path()) else {
                continue;
            };
            for l in locales.flatten() {
                if !keep.contains(&l.path()) {
                    let _ = std::fs::remove_dir_all(l.path());
                }
            }
            let _ = std::fs::remove_dir(p.path());
        }
        let _ = std::fs::remove_dir(t.path());
    }
}
