//! The TypeScript twins of the IPC types (ts-rs), in `ui/src/lib/types/`. This test fails when
//! a committed file differs from what the Rust types generate; regenerate them with
//! `CCM_UPDATE_TYPES=1 cargo test -p ccm-studio types_export`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::{Config, TS};

use crate::block_dto::*;
use crate::brand_dto::*;
use crate::brand_edit_dto::*;
use crate::desktop_dto::*;
use crate::dto::*;
use crate::error::IpcError;
use crate::new_template_dto::*;
use crate::pack_dto::*;
use crate::review_dto::*;

fn generate(dir: &Path) {
    // Sequence numbers and byte sizes (u64) stay far below 2^53: plain JSON numbers, not bigint.
    let cfg = Config::new().with_out_dir(dir).with_large_int("number");
    // Roots: everything the UI sends or receives; their dependencies come along.
    IpcError::export_all(&cfg).unwrap();
    LibraryInfo::export_all(&cfg).unwrap();
    ListQuery::export_all(&cfg).unwrap();
    SearchResult::export_all(&cfg).unwrap();
    ccm_core::library::BrandChoice::export_all(&cfg).unwrap();
    BrandKitSummary::export_all(&cfg).unwrap();
    BrandKitDetail::export_all(&cfg).unwrap();
    BrandKitEdit::export_all(&cfg).unwrap();
    BrandKitPreview::export_all(&cfg).unwrap();
    BrandKitImpact::export_all(&cfg).unwrap();
    BrandKitSaved::export_all(&cfg).unwrap();
    BrandFontChoices::export_all(&cfg).unwrap();
    BlockSummary::export_all(&cfg).unwrap();
    BlockDetail::export_all(&cfg).unwrap();
    IdCheck::export_all(&cfg).unwrap();
    CreateTemplateRequest::export_all(&cfg).unwrap();
    CreatedTemplate::export_all(&cfg).unwrap();
    ccm_core::model::TemplateSummary::export_all(&cfg).unwrap();
    TemplateDoc::export_all(&cfg).unwrap();
    VersionInfo::export_all(&cfg).unwrap();
    ccm_core::library::FileDiff::export_all(&cfg).unwrap();
    PreviewRequest::export_all(&cfg).unwrap();
    PreviewEvent::export_all(&cfg).unwrap();
    CheckAllReport::export_all(&cfg).unwrap();
    SaveRequest::export_all(&cfg).unwrap();
    SaveResult::export_all(&cfg).unwrap();
    LibraryEvent::export_all(&cfg).unwrap();
    ConflictSide::export_all(&cfg).unwrap();
    LibraryStatus::export_all(&cfg).unwrap();
    AboutInfo::export_all(&cfg).unwrap();
    IdentityInfo::export_all(&cfg).unwrap();
    ccm_core::identity::Role::export_all(&cfg).unwrap();
    WaiverInput::export_all(&cfg).unwrap();
    ArchiveQuery::export_all(&cfg).unwrap();
    ArchiveRowView::export_all(&cfg).unwrap();
    ArchiveEntryDetail::export_all(&cfg).unwrap();
    ccm_trust::review::Status::export_all(&cfg).unwrap();
    ccm_trust::review::QueueItem::export_all(&cfg).unwrap();
    ccm_trust::entry::Anchor::export_all(&cfg).unwrap();
    ccm_trust::verify::VerifyReport::export_all(&cfg).unwrap();
    ccm_trust::diff::FileChange::export_all(&cfg).unwrap();
    PackSelectionInput::export_all(&cfg).unwrap();
    PackPlanView::export_all(&cfg).unwrap();
    PackProgressView::export_all(&cfg).unwrap();
    PackExportedView::export_all(&cfg).unwrap();
}

fn read_tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "ts") {
                let rel = path.strip_prefix(dir).unwrap().to_owned();
                out.insert(rel, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn types_export_ui_types_are_up_to_date() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/types");
    if std::env::var_os("CCM_UPDATE_TYPES").is_some() {
        let _ = std::fs::remove_dir_all(&committed);
        generate(&committed);
        return;
    }
    let fresh = tempfile::tempdir().unwrap();
    generate(fresh.path());
    let want = read_tree(fresh.path());
    let have = read_tree(&committed);
    let stale: Vec<String> = want
        .iter()
        .filter(|(p, text)| have.get(*p) != Some(*text))
        .map(|(p, _)| p.display().to_string())
        .chain(
            have.keys()
                .filter(|p| !want.contains_key(*p))
                .map(|p| format!("{} (extra)", p.display())),
        )
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/lib/types is out of date ({}); run: CCM_UPDATE_TYPES=1 cargo test -p ccm-studio types_export",
        stale.join(", ")
    );
}
