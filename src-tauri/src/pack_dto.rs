//! The shapes that cross IPC for the pack export dialog. Conversions only reshape what
//! `ccm_pack` decided (which templates go in, why others are left out, what was written).

use ccm_pack::{Exported, Layout, LeftOut, Plan, Planned, Progress, Selection};
use serde::{Deserialize, Serialize};

/// What to export: one brand's templates, a tag's, or the templates chosen by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PackSelectionInput {
    pub brand: Option<String>,
    pub tag: Option<String>,
    /// When not empty, exactly these templates (brand and tag are then ignored).
    pub ids: Vec<String>,
}

impl From<PackSelectionInput> for Selection {
    fn from(s: PackSelectionInput) -> Selection {
        let blank = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
        Selection {
            brand: blank(s.brand),
            tag: blank(s.tag),
            ids: s.ids,
        }
    }
}

/// `generic`: everything under `templates/<id>/`; `channels`: also one folder per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum PackLayout {
    Generic,
    Channels,
}

impl From<PackLayout> for Layout {
    fn from(l: PackLayout) -> Layout {
        match l {
            PackLayout::Generic => Layout::Generic,
            PackLayout::Channels => Layout::Channels,
        }
    }
}

impl From<Layout> for PackLayout {
    fn from(l: Layout) -> PackLayout {
        match l {
            Layout::Generic => PackLayout::Generic,
            Layout::Channels => PackLayout::Channels,
        }
    }
}

/// A template the pack would hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PackPlannedView {
    pub id: String,
    pub version: u32,
    pub entry_seq: u64,
    pub approved_by: String,
    pub approved_at: String,
}

impl From<Planned> for PackPlannedView {
    fn from(p: Planned) -> Self {
        PackPlannedView {
            id: p.id,
            version: p.version,
            entry_seq: p.entry_seq,
            approved_by: p.approved_by,
            approved_at: p.approved_at,
        }
    }
}

/// A selected template the pack leaves out: its review state (`stale`, `draft`, …) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PackLeftOutView {
    pub id: String,
    pub state: String,
    pub why_en: String,
    pub why_ja: String,
}

impl From<LeftOut> for PackLeftOutView {
    fn from(l: LeftOut) -> Self {
        PackLeftOutView {
            id: l.id,
            state: serde_json::to_value(l.state)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            why_en: l.why,
            why_ja: l.why_ja,
        }
    }
}

/// What exporting the selection would give, shown before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PackPlanView {
    /// The pack's brand; empty when nothing selected is approved.
    pub brand: String,
    pub included: Vec<PackPlannedView>,
    pub left_out: Vec<PackLeftOutView>,
    /// Whether this computer's identity is a brand member of the library's team (only they
    /// export); the export itself checks again.
    pub can_export: bool,
    /// Where the pack goes unless the user types another path.
    pub suggested_path: String,
}

impl PackPlanView {
    pub fn of(plan: Plan, can_export: bool, suggested_path: String) -> Self {
        PackPlanView {
            brand: plan.brand,
            included: plan.included.into_iter().map(Into::into).collect(),
            left_out: plan.left_out.into_iter().map(Into::into).collect(),
            can_export,
            suggested_path,
        }
    }
}

/// Which part of the export is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum PackStage {
    /// Reading approvals, renditions and evidence PDFs (`done` of `total` templates).
    Collect,
    /// Compressing entries into the ZIP (`done` of `total` entries).
    Write,
    Sign,
}

/// One progress event of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PackProgressView {
    pub stage: PackStage,
    pub done: u32,
    pub total: u32,
}

impl From<Progress> for PackProgressView {
    fn from(p: Progress) -> Self {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        match p {
            Progress::Collect { done, total } => PackProgressView {
                stage: PackStage::Collect,
                done: n(done),
                total: n(total),
            },
            Progress::Write { done, total } => PackProgressView {
                stage: PackStage::Write,
                done: n(done),
                total: n(total),
            },
            Progress::Sign => PackProgressView {
                stage: PackStage::Sign,
                done: 1,
                total: 1,
            },
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PackExportedView {
    pub path: String,
    pub signature_path: String,
    pub size: u64,
    pub sha256: String,
    /// The signing key's fingerprint, and its public key line (`minisign -P …`).
    pub key: String,
    pub public_key: String,
    pub pack_id: String,
    pub sequence: u64,
    pub brand: String,
    pub layout: PackLayout,
    pub entries: u32,
    pub included: Vec<String>,
    pub left_out: Vec<PackLeftOutView>,
}

impl From<Exported> for PackExportedView {
    fn from(x: Exported) -> Self {
        PackExportedView {
            path: x.path.display().to_string(),
            signature_path: x.signature_path.display().to_string(),
            size: x.size,
            sha256: x.sha256,
            key: x.key,
            public_key: x.public_key,
            pack_id: x.pack_id,
            sequence: x.sequence,
            brand: x.brand,
            layout: x.layout.into(),
            entries: u32::try_from(x.entries).unwrap_or(u32::MAX),
            included: x.included.into_iter().map(|i| i.id).collect(),
            left_out: x.left_out.into_iter().map(Into::into).collect(),
        }
    }
}
