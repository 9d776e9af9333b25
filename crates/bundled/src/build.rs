//! What these binaries are: the version and the commit they were built from.

/// The package version (the same for the app, `ccm` and every crate of the workspace).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The git commit (12 hex digits) the binaries were built from; `CCM_BUILD_COMMIT` at build time
/// overrides it, and a build outside a git checkout says "unknown".
pub const COMMIT: &str = crate::generated::GIT_COMMIT;

/// `0.1.0 (build 1a2b3c4d5e6f)` — what `--version` prints after the program's name.
pub const VERSION_LINE: &str = crate::generated::VERSION_LINE;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_line_names_version_and_commit() {
        assert_eq!(VERSION_LINE, format!("{VERSION} (build {COMMIT})"));
        assert!(
            COMMIT == "unknown"
                || (COMMIT.len() >= 7 && COMMIT.chars().all(|c| c.is_ascii_hexdigit())),
            "a commit hash or `unknown`, got {COMMIT:?}"
        );
    }
}
