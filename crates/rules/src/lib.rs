//! CCM Studio compliance rules engine.
//!
//! Rule packs are TOML files (`assets/rules/*.toml`) that compliance teams read and extend;
//! each rule has one kind from a closed set ([`Check`]) with typed parameters, an
//! `applies_to` filter, bilingual messages, a citation and worked examples. [`check`] runs
//! the packs that apply to one rendered template × persona × locale ([`CheckInput`], filled by
//! the renderers) and returns findings with exact spans (each a
//! [`Diagnostic`] with the rule id as code, [`Origin::Rule`] and a [`RenditionPlace`]); [`sarif::to_sarif`] turns them
//! into SARIF 2.1.0 for CI.
//!
//! Which packs run: every pack marked `always_on = true` (accessibility, deliverability,
//! bulk-sender, data-safety, brand — they hold for any message) plus the packs the template
//! names in `rule_packs` (jurisdiction and industry law: jp-*, us-*). A name that is not
//! installed is an error, never a silently skipped pack.

pub mod brand_contrast;
mod consistency;
pub mod contrast;
mod engine;
pub mod examples;
pub mod facts;
mod input;
pub mod measure;
pub mod pack;
pub mod pii;
pub mod sarif;
pub mod text;

pub use ccm_core::diagnostic::{
    Diagnostic, Localized, Origin, RelatedPlace, RenditionPlace, Severity, Span, Subject,
};
pub use ccm_core::model::{BrandKit, Channel, Purpose};
pub use engine::{check, check_rule};
pub use input::{field, metric, ChannelText, CheckInput, Field, SourceMapEntry};
pub use pack::{Check, Pack, PackError, Rule, RuleSet};

/// The built-in packs folder, relative to the repository root.
pub const BUILTIN_PACKS_DIR: &str = "assets/rules";
