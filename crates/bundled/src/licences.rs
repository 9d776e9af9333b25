//! The licences an installed CCM Studio shows in About: the bundled fonts' (SIL OFL texts from
//! `assets/fonts/OFL-*.txt`), and the Rust crates and npm packages compiled into it, from the
//! lists `ui/scripts/licences.mjs` writes to `assets/licences/` (committed; a test fails when
//! `Cargo.lock` gains a crate the list lacks).

use crate::generated::{FONT_LICENCES, LICENCE_LISTS};

/// One font family's licence text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontLicence {
    /// The family as in the file name: `OFL-NotoSansJP.txt` → `NotoSansJP`.
    pub font: &'static str,
    pub text: &'static str,
}

/// A third-party package compiled into the binaries or the UI bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub name: &'static str,
    pub version: &'static str,
    /// SPDX expression as the package declares it (`MIT OR Apache-2.0`).
    pub licence: &'static str,
    /// Source repository or home page; empty when the package names none.
    pub repository: &'static str,
}

pub fn fonts() -> Vec<FontLicence> {
    FONT_LICENCES
        .iter()
        .map(|f| FontLicence {
            font: f.name().trim_start_matches("OFL-").trim_end_matches(".txt"),
            text: f.text(),
        })
        .collect()
}

/// Every crate of `Cargo.lock` except the workspace's own, sorted by name and version.
pub fn rust_crates() -> Vec<Package> {
    list("rust-crates.tsv")
}

/// The npm packages whose code is in the UI bundle (dependencies of `ui/package.json`, the
/// Svelte runtime, and what they depend on).
pub fn npm_packages() -> Vec<Package> {
    list("npm-packages.tsv")
}

/// A list file: a header line, then `name<TAB>version<TAB>licence<TAB>repository` per line.
fn list(name: &str) -> Vec<Package> {
    let Some(file) = LICENCE_LISTS.iter().find(|f| f.name() == name) else {
        return Vec::new();
    };
    file.text()
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut cols = line.split('\t');
            let mut next = || cols.next().unwrap_or("");
            Package {
                name: next(),
                version: next(),
                licence: next(),
                repository: next(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    #[test]
    fn every_bundled_font_has_its_licence() {
        let fonts = fonts();
        assert!(fonts.iter().any(|f| f.font == "NotoSansJP"), "{fonts:?}");
        for f in &fonts {
            assert!(
                f.text.contains("SIL OPEN FONT LICENSE"),
                "{} is the OFL",
                f.font
            );
        }
    }

    /// Fails when a crate is added to (or updated in) Cargo.lock without regenerating the list:
    /// `node ui/scripts/licences.mjs`.
    #[test]
    fn the_crate_list_covers_every_crate_in_cargo_lock() {
        let lock =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock"))
                .expect("Cargo.lock");
        let lock: toml::Value = lock.parse().expect("Cargo.lock is TOML");
        let locked: BTreeSet<(String, String)> = lock["package"]
            .as_array()
            .expect("[[package]]")
            .iter()
            .filter(|p| p.get("source").is_some()) // the workspace's own crates have none
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_owned(),
                    p["version"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let listed: BTreeSet<(String, String)> = rust_crates()
            .iter()
            .map(|p| (p.name.to_owned(), p.version.to_owned()))
            .collect();
        let missing: Vec<_> = locked.difference(&listed).collect();
        assert!(
            missing.is_empty(),
            "assets/licences/rust-crates.tsv lacks {} crates of Cargo.lock, e.g. {:?}\n  hint: run `node ui/scripts/licences.mjs` and commit assets/licences/",
            missing.len(),
            &missing[..missing.len().min(5)]
        );
        assert!(
            rust_crates().iter().all(|p| !p.licence.is_empty()),
            "every crate names its licence"
        );
    }

    #[test]
    fn the_npm_list_names_what_the_ui_bundle_ships() {
        let names: Vec<&str> = npm_packages().iter().map(|p| p.name).collect();
        for shipped in ["svelte", "@tauri-apps/api", "@codemirror/view"] {
            assert!(names.contains(&shipped), "{shipped} in {names:?}");
        }
        assert!(!names.contains(&"vite"), "build tools are not shipped");
    }
}
