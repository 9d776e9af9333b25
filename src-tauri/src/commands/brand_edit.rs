//! The brand kit editor: preview an edit as the user types (contrast table, suggested fixes,
//! problems), list what saving it would make stale and how each channel changes, and save it —
//! refused while approvals would go stale unless the user confirmed. Each command is state →
//! core (`ccm_core::brand_edit`), rules (contrast) and trust (impact) → DTO/IpcError.

use ccm_core::brand_edit::{apply_edit, EditOutcome, EMAIL_FONT_STACKS, PRINT_FONT_FAMILIES};
use ccm_core::diagnostic::codes;
use ccm_core::store::SaveOutcome;
use ccm_rules::brand_contrast::{brand_contrast_table, logo_contrast, suggest_fixes};
use ccm_rules::contrast::Rgb;
use ccm_trust::brand_change::brand_change_impact;
use ccm_trust::TrustError;
use tauri::State;

use crate::brand_dto::ContrastRow;
use crate::brand_edit_dto::{
    BrandFontChoices, BrandKitEdit, BrandKitImpact, BrandKitPreview, BrandKitSaved,
    ContrastFixView, EmailFontChoice, LogoContrastRow, LogoSize,
};
use crate::error::{ErrorDetails, IpcError, IpcResult};
use crate::state::{AppState, Shared};

const AUTHOR: &str = "app";

/// The email font stacks and print families the editor offers.
#[tauri::command]
pub fn brand_font_choices() -> BrandFontChoices {
    BrandFontChoices {
        email: EMAIL_FONT_STACKS
            .iter()
            .map(|(id, stack)| EmailFontChoice {
                id: (*id).to_owned(),
                stack: (*stack).to_owned(),
            })
            .collect(),
        print: PRINT_FONT_FAMILIES
            .iter()
            .map(|f| (*f).to_owned())
            .collect(),
    }
}

/// The edited kit's contrast table, fixes and problems; fast enough to call as the user types.
#[tauri::command]
pub async fn brand_kit_preview_edit(
    state: State<'_, AppState>,
    brand_id: String,
    edit: BrandKitEdit,
) -> IpcResult<BrandKitPreview> {
    let shared = state.0.clone();
    blocking(move || {
        let outcome = edited(&shared, &brand_id, edit)?;
        Ok(preview(&outcome))
    })
    .await
}

/// The approved templates saving the edit would make stale, each with its channels compared.
#[tauri::command]
pub async fn brand_kit_impact(
    state: State<'_, AppState>,
    brand_id: String,
    edit: BrandKitEdit,
) -> IpcResult<BrandKitImpact> {
    let shared = state.0.clone();
    blocking(move || {
        let outcome = edited(&shared, &brand_id, edit)?;
        let templates = if outcome.changed && outcome.is_valid() {
            impact(&shared, &outcome)?
        } else {
            Vec::new()
        };
        Ok(BrandKitImpact {
            templates,
            problems: outcome.problems,
            changed: outcome.changed,
        })
    })
    .await
}

/// Saves the edit as the kit's next version. Refused (`brand_edit_invalid`) while it has
/// problems, and (`brand_edit_stale`) when it makes approvals stale and `confirm_stale` is false.
#[tauri::command]
pub async fn brand_kit_save(
    state: State<'_, AppState>,
    brand_id: String,
    edit: BrandKitEdit,
    confirm_stale: bool,
) -> IpcResult<BrandKitSaved> {
    let shared = state.0.clone();
    blocking(move || {
        let outcome = edited(&shared, &brand_id, edit)?;
        if !outcome.is_valid() {
            let mut e = IpcError::new(
                codes::BRAND_EDIT_INVALID,
                outcome
                    .problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.en))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            e.details = Some(ErrorDetails {
                hint: Some("correct the fields named and save again".into()),
                problems: Vec::new(),
                hint_localized: None,
            });
            return Err(e);
        }
        let stale: Vec<String> = if outcome.changed {
            impact_ids(&shared, &outcome)?
        } else {
            Vec::new()
        };
        if !stale.is_empty() && !confirm_stale {
            let mut e = IpcError::new(
                codes::BRAND_EDIT_STALE,
                format!(
                    "saving would make the approval of {} stale: {}",
                    stale.len(),
                    stale.join(", ")
                ),
            );
            e.details = Some(ErrorDetails {
                hint: Some("review the list and confirm to save anyway".into()),
                problems: Vec::new(),
                hint_localized: None,
            });
            return Err(e);
        }
        let mut lib = shared.library()?;
        let saved = lib.store.write(|w| w.save_brand(&outcome.brand, AUTHOR))?;
        Ok(match saved {
            SaveOutcome::Created { version, hash } => BrandKitSaved {
                version,
                hash: hash.0,
                created: true,
                stale,
            },
            SaveOutcome::Unchanged { version, hash } => BrandKitSaved {
                version,
                hash: hash.0,
                created: false,
                stale: Vec::new(),
            },
        })
    })
    .await
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> IpcResult<T> + Send + 'static,
) -> IpcResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| IpcError::internal(format!("the brand kit worker stopped: {e}")))?
}

/// The edit applied to the kit's latest version.
fn edited(shared: &Shared, brand_id: &str, edit: BrandKitEdit) -> IpcResult<EditOutcome> {
    let current = shared.library()?.store.brand(brand_id)?;
    let (edit, bad_logo) = edit.into_core();
    let mut outcome = apply_edit(&current, &edit);
    outcome.problems.extend(bad_logo);
    Ok(outcome)
}

fn preview(outcome: &EditOutcome) -> BrandKitPreview {
    let colors = &outcome.brand.kit.colors;
    let logo = outcome
        .logo_ink
        .map(|[r, g, b]| logo_contrast(Rgb(r, g, b), colors))
        .unwrap_or_default();
    BrandKitPreview {
        contrast: brand_contrast_table(colors)
            .into_iter()
            .map(ContrastRow::from)
            .collect(),
        fixes: suggest_fixes(colors)
            .into_iter()
            .map(ContrastFixView::from)
            .collect(),
        problems: outcome.problems.clone(),
        logo_contrast: logo.into_iter().map(LogoContrastRow::from).collect(),
        new_logo: outcome
            .new_logo_size
            .map(|(width, height)| LogoSize { width, height }),
        changed: outcome.changed,
    }
}

fn impact(
    shared: &Shared,
    outcome: &EditOutcome,
) -> IpcResult<Vec<ccm_trust::brand_change::KitChangeImpact>> {
    let rules = rules(shared)?;
    let lib = shared.library()?;
    let today = time::OffsetDateTime::now_utc().date();
    brand_change_impact(&lib.store, &shared.engine, rules, &outcome.brand, today)
        .map_err(trust_error)
}

/// Only the ids: saving needs no renders.
fn impact_ids(shared: &Shared, outcome: &EditOutcome) -> IpcResult<Vec<String>> {
    let rules = rules(shared)?;
    let lib = shared.library()?;
    let change = ccm_trust::impact::Change::Brands(std::slice::from_ref(&outcome.brand));
    let affected =
        ccm_trust::impact::would_make_stale(&lib.store, rules, &change).map_err(trust_error)?;
    Ok(affected.into_iter().map(|a| a.template_id).collect())
}

/// Staleness is judged with the rule packs: without them no save can say what it makes stale.
fn rules(shared: &Shared) -> IpcResult<&ccm_rules::RuleSet> {
    shared.rules.as_ref().map_err(|e| {
        IpcError::new(
            codes::INTERNAL,
            format!("the rule packs did not load ({e}): what a kit change makes stale cannot be checked"),
        )
    })
}

fn trust_error(e: TrustError) -> IpcError {
    match e {
        TrustError::Core(e) => e.into(),
        other => IpcError::new(codes::STORAGE, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brand_edit_dto::ColorInput;

    fn edit(colors: &[(&str, &str)]) -> BrandKitEdit {
        BrandKitEdit {
            colors: colors
                .iter()
                .map(|(role, value)| ColorInput {
                    role: (*role).into(),
                    value: (*value).into(),
                })
                .collect(),
            ..BrandKitEdit::default()
        }
    }

    fn sakura() -> ccm_core::model::Brand {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/brands/sakura-bank");
        ccm_core::format::read_brand_dir(&dir).unwrap()
    }

    #[test]
    fn a_typed_colour_changes_the_table_and_a_failing_pair_gets_a_fix() {
        let (core, bad) = edit(&[("muted", "#aaaaaa")]).into_core();
        assert!(bad.is_none());
        let p = preview(&apply_edit(&sakura(), &core));
        let muted = p
            .contrast
            .iter()
            .find(|r| r.id == "muted-on-background")
            .unwrap();
        assert_eq!(muted.foreground_hex, "#aaaaaa");
        assert!(!muted.aa_normal);
        let fix = p
            .fixes
            .iter()
            .find(|f| f.pair == "muted-on-background")
            .unwrap();
        assert_eq!(
            (fix.role.as_str(), fix.to_hex.as_str()),
            ("muted", "#767676")
        );
        assert!(p.changed && p.problems.is_empty());
        assert_eq!(p.logo_contrast.len(), 2, "the current logo is checked");
    }

    #[test]
    fn a_bad_colour_and_a_mangled_logo_are_problems() {
        let mut e = edit(&[("primary", "#12")]);
        e.logo_base64 = Some("***".into());
        let (core, bad) = e.into_core();
        let mut outcome = apply_edit(&sakura(), &core);
        outcome.problems.extend(bad);
        let fields: Vec<&str> = outcome.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["colors.primary", "logo"]);
        assert!(!preview(&outcome).changed);
    }

    #[test]
    fn the_font_choices_are_the_cores() {
        let choices = brand_font_choices();
        assert_eq!(choices.print, ["Noto Sans JP"]);
        assert!(choices.email.iter().any(|c| c.id == "ja-sans"));
    }
}
