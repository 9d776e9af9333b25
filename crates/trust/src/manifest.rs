//! The approval manifest: what "approved" means in bytes. Approving renders every persona ×
//! locale × channel and lists the sha256 of each rendition beside the [`Inputs`] and the
//! findings; the approval entry signs the manifest's own sha256.

use ccm_core::diagnostic::{Diagnostic, Severity, Subject};
use ccm_core::model::TemplateBundle;
use ccm_render::checks::check_template;
use ccm_render::{Engine, RenderOptions};
use ccm_rules::{PackError, RuleSet};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::entry::Counts;
use crate::inputs::Inputs;
use crate::jcs;

pub const MANIFEST_TYPE: &str = "ccm-approval-manifest/1";

/// One rendered file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RenditionDigest {
    pub persona: String,
    pub locale: String,
    pub channel: String,
    /// `email.eml`, `sms.json`, `push.apns.json`, `print.pdf`, …
    pub name: String,
    pub sha256: String,
    pub size: u64,
}

impl RenditionDigest {
    /// `ja/customer-a/email.eml`: the path in exports, OCFL objects and packs.
    pub fn path(&self) -> String {
        format!("{}/{}/{}", self.locale, self.persona, self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Manifest {
    #[serde(rename = "type")]
    pub type_: String,
    /// The date the messages were rendered for (`{{ today }}`, the letter date).
    pub rendered_for: String,
    pub inputs: Inputs,
    pub renditions: Vec<RenditionDigest>,
    pub findings: Vec<Diagnostic>,
}

impl Manifest {
    pub fn canonical(&self) -> Vec<u8> {
        jcs::to_vec(self)
    }

    pub fn counts(&self) -> Counts {
        count(&self.findings)
    }

    /// Channels that rendered something, in channel order.
    pub fn channels(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in ccm_core::model::Channel::ALL {
            if self.renditions.iter().any(|r| r.channel == c.as_str()) {
                out.push(c.as_str().to_owned());
            }
        }
        out
    }
}

pub fn count(findings: &[Diagnostic]) -> Counts {
    let mut c = Counts::default();
    for f in findings {
        match f.severity {
            Severity::Error => c.errors += 1,
            Severity::Warning => c.warnings += 1,
            Severity::Info => c.infos += 1,
        }
    }
    c
}

/// A manifest and the bytes it lists.
pub struct Rendered {
    pub manifest: Manifest,
    /// (sha256, bytes) of every rendition, in manifest order.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Renders and checks every persona × locale × channel of `bundle` for `today`.
pub fn render(
    engine: &Engine,
    rules: &RuleSet,
    bundle: &TemplateBundle,
    brand_version: u32,
    today: Date,
) -> Result<Rendered, PackError> {
    let opts = RenderOptions::new(today);
    let checked = check_template(engine, rules, bundle, &opts, None, None)?;
    let mut renditions = Vec::new();
    let mut files = Vec::new();
    let mut findings = Vec::new();
    for c in checked {
        // As `ccm check` reports them: every rule finding, and the render errors.
        let subject = Subject {
            template_id: c.set.template_id.clone(),
            persona: c.set.persona.clone(),
            locale: c.set.locale.clone(),
        };
        findings.extend(c.findings.iter().cloned());
        findings.extend(
            c.set
                .diagnostics()
                .filter(|d| d.is_error())
                .map(|d| d.clone().for_subject(subject.clone())),
        );
        for out in &c.set.outputs {
            for a in out.artifacts() {
                let d = RenditionDigest {
                    persona: c.set.persona.clone(),
                    locale: c.set.locale.clone(),
                    channel: out.channel.as_str().to_owned(),
                    name: a.name.clone(),
                    sha256: jcs::sha256_hex(&a.bytes),
                    size: a.bytes.len() as u64,
                };
                files.push((d.sha256.clone(), a.bytes));
                renditions.push(d);
            }
        }
    }
    let manifest = Manifest {
        type_: MANIFEST_TYPE.to_owned(),
        rendered_for: ccm_render::context::iso_date(today),
        inputs: Inputs::collect(bundle, brand_version, rules),
        renditions,
        findings,
    };
    Ok(Rendered { manifest, files })
}
