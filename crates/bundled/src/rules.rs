//! The compliance rule packs: those compiled into the binary (`assets/rules/*.toml` of the tree
//! it was built from), or a folder the user names instead (`--rules DIR` / `CCM_RULES`).

use std::path::Path;

use ccm_rules::{PackError, RuleSet};

use crate::generated::RULE_PACKS;

/// Where the packs came from, for messages such as `ccm rules test`'s summary.
pub const BUNDLED_LABEL: &str = "the rule packs bundled with CCM Studio";

/// The packs in `dir` when given (every `*.toml`, see [`RuleSet::load_dir`]), else the bundled
/// ones.
pub fn load(dir: Option<&Path>) -> Result<RuleSet, PackError> {
    match dir {
        Some(dir) => RuleSet::load_dir(dir),
        None => bundled(),
    }
}

/// The bundled packs, in file-name order like [`RuleSet::load_dir`], under the same rule: a pack's
/// id equals its file stem (so `rule_packs = ["jp-yakki"]` finds `jp-yakki.toml`). Errors name
/// the pack as `assets/rules/NAME.toml (bundled)`.
pub fn bundled() -> Result<RuleSet, PackError> {
    let mut set = RuleSet::default();
    for file in RULE_PACKS {
        let label = format!("{} (bundled)", file.path);
        let text = file.text();
        let mut one = RuleSet::from_str(&label, text)?;
        let pack = one.packs.remove(0);
        let stem = file.name().trim_end_matches(".toml");
        if pack.meta.id != stem {
            return Err(PackError {
                file: label,
                line: None,
                column: None,
                message: format!(
                    "pack id '{}' differs from the file name '{stem}.toml': rename one so they match",
                    pack.meta.id
                ),
            });
        }
        set.add(pack)?;
    }
    Ok(set)
}

/// The bundled pack files (path relative to the repository root, text), e.g. to write them out.
pub fn bundled_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    RULE_PACKS.iter().map(|f| (f.path, f.text()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_packs_load_and_match_the_source_folder() {
        let bundled = bundled().expect("the bundled packs load");
        let from_dir =
            RuleSet::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/rules"))
                .expect("the source packs load");
        let ids = |s: &RuleSet| {
            s.packs
                .iter()
                .map(|p| {
                    (
                        p.meta.id.clone(),
                        p.rules.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert!(!bundled.packs.is_empty(), "packs are compiled in");
        assert_eq!(
            ids(&bundled),
            ids(&from_dir),
            "same packs and rules, same order"
        );
        assert!(bundled
            .packs
            .iter()
            .all(|p| p.source.ends_with(".toml (bundled)")));
    }

    #[test]
    fn a_folder_given_replaces_the_bundled_packs() {
        let dir = tempfile::tempdir().unwrap();
        let (path, text) = bundled_files().next().expect("at least one pack");
        let name = path.rsplit('/').next().unwrap();
        std::fs::write(dir.path().join(name), text).unwrap();
        let set = load(Some(dir.path())).expect("one pack loads");
        assert_eq!(set.packs.len(), 1);
        assert!(set.packs[0]
            .source
            .starts_with(&dir.path().display().to_string()));

        let empty = tempfile::tempdir().unwrap();
        assert!(
            load(Some(empty.path())).unwrap().packs.is_empty(),
            "an empty folder: no packs, not the bundled ones"
        );
        assert!(
            load(Some(&empty.path().join("missing"))).is_err(),
            "a missing folder is an error"
        );
    }
}
