//! What changed between two versions of a template: per file added, removed or changed, and for
//! changed text files the line hunks with a few lines of context (`ccm diff`, the app's history).

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::model::TemplateFiles;

/// Lines of unchanged text shown around each change.
pub const CONTEXT_LINES: usize = 3;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileDiff {
    pub path: String,
    pub status: FileStatus,
    pub hunks: Vec<Hunk>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    Added,
    Removed,
    Changed,
}

/// One run of changes with its context, numbered as in `diff -u` (1-based, counts of lines).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hunk {
    pub old_start: u32,
    pub old_lines: u32,
    pub new_start: u32,
    pub new_lines: u32,
    pub lines: Vec<DiffLine>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    pub kind: LineKind,
    /// 1-based line in the old text (none for an added line).
    pub old_line: Option<u32>,
    /// 1-based line in the new text (none for a removed line).
    pub new_line: Option<u32>,
    /// Without its line ending.
    pub text: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Context,
    Added,
    Removed,
}

/// Every file that differs between `old` and `new`, in path order.
pub fn diff_files(old: &TemplateFiles, new: &TemplateFiles) -> Vec<FileDiff> {
    let mut paths: Vec<&String> = old.0.keys().chain(new.0.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter_map(|path| {
            let (a, b) = (old.get(path), new.get(path));
            let status = match (a, b) {
                (Some(a), Some(b)) if a == b => return None,
                (Some(_), Some(_)) => FileStatus::Changed,
                (None, Some(_)) => FileStatus::Added,
                (Some(_), None) => FileStatus::Removed,
                (None, None) => return None,
            };
            Some(FileDiff {
                path: path.clone(),
                status,
                hunks: hunks(a.unwrap_or_default(), b.unwrap_or_default()),
            })
        })
        .collect()
}

fn hunks(old: &str, new: &str) -> Vec<Hunk> {
    let diff = TextDiff::from_lines(old, new);
    diff.grouped_ops(CONTEXT_LINES)
        .iter()
        .filter_map(|group| {
            let (first, last) = (group.first()?, group.last()?);
            let lines = group
                .iter()
                .flat_map(|op| diff.iter_changes(op))
                .map(|change| DiffLine {
                    kind: match change.tag() {
                        ChangeTag::Equal => LineKind::Context,
                        ChangeTag::Insert => LineKind::Added,
                        ChangeTag::Delete => LineKind::Removed,
                    },
                    old_line: change.old_index().map(line_number),
                    new_line: change.new_index().map(line_number),
                    text: change
                        .value()
                        .trim_end_matches('\n')
                        .trim_end_matches('\r')
                        .to_owned(),
                })
                .collect();
            let old_range = first.old_range().start..last.old_range().end;
            let new_range = first.new_range().start..last.new_range().end;
            Some(Hunk {
                old_start: hunk_start(&old_range),
                old_lines: count(old_range.len()),
                new_start: hunk_start(&new_range),
                new_lines: count(new_range.len()),
                lines,
            })
        })
        .collect()
}

/// `diff -u` numbering: the first line of the range, or for an empty range the line after which
/// the other side's lines go (0 at the top of the file).
fn hunk_start(range: &std::ops::Range<usize>) -> u32 {
    if range.is_empty() {
        count(range.start)
    } else {
        line_number(range.start)
    }
}

fn line_number(index: usize) -> u32 {
    count(index + 1)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The diffs as `diff -u` prints them, `a/` and `b/` labelled with the versions compared.
pub fn unified(diffs: &[FileDiff], old_label: &str, new_label: &str) -> String {
    let mut out = String::new();
    for file in diffs {
        let (from, to) = match file.status {
            FileStatus::Added => ("/dev/null".to_owned(), format!("{new_label}/{}", file.path)),
            FileStatus::Removed => (format!("{old_label}/{}", file.path), "/dev/null".to_owned()),
            FileStatus::Changed => (
                format!("{old_label}/{}", file.path),
                format!("{new_label}/{}", file.path),
            ),
        };
        out.push_str(&format!("--- {from}\n+++ {to}\n"));
        for hunk in &file.hunks {
            out.push_str(&format!(
                "@@ -{},{} +{},{} @@\n",
                hunk.old_start, hunk.old_lines, hunk.new_start, hunk.new_lines
            ));
            for line in &hunk.lines {
                let sign = match line.kind {
                    LineKind::Context => ' ',
                    LineKind::Added => '+',
                    LineKind::Removed => '-',
                };
                out.push(sign);
                out.push_str(&line.text);
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> TemplateFiles {
        TemplateFiles::from_pairs(pairs)
    }

    #[test]
    fn a_changed_line_is_one_hunk_with_context_and_line_numbers() {
        let old = files(&[
            ("sms.txt", "一\n二\n三\n四\n五\n六\n七\n八\n"),
            ("push.toml", "x\n"),
        ]);
        let new = files(&[
            ("sms.txt", "一\n二\n三\n四\nご\n六\n七\n八\n"),
            ("push.toml", "x\n"),
        ]);
        let diffs = diff_files(&old, &new);
        assert_eq!(diffs.len(), 1, "unchanged files are left out");
        let d = &diffs[0];
        assert_eq!(
            (d.path.as_str(), d.status),
            ("sms.txt", FileStatus::Changed)
        );
        let h = &d.hunks[0];
        assert_eq!(
            (h.old_start, h.old_lines, h.new_start, h.new_lines),
            (2, 7, 2, 7)
        );
        let removed = h
            .lines
            .iter()
            .find(|l| l.kind == LineKind::Removed)
            .unwrap();
        assert_eq!(
            (removed.text.as_str(), removed.old_line, removed.new_line),
            ("五", Some(5), None)
        );
        let added = h.lines.iter().find(|l| l.kind == LineKind::Added).unwrap();
        assert_eq!(
            (added.text.as_str(), added.old_line, added.new_line),
            ("ご", None, Some(5))
        );
        assert_eq!(
            unified(&diffs, "v1", "v2"),
            "--- v1/sms.txt\n+++ v2/sms.txt\n@@ -2,7 +2,7 @@\n 二\n 三\n 四\n-五\n+ご\n 六\n 七\n 八\n"
        );
    }

    #[test]
    fn added_and_removed_files_are_listed_with_all_their_lines() {
        let old = files(&[("data/old.json", "{}\n")]);
        let new = files(&[("data/new.json", "[]\n")]);
        let diffs = diff_files(&old, &new);
        let status: Vec<_> = diffs.iter().map(|d| (d.path.as_str(), d.status)).collect();
        assert_eq!(
            status,
            [
                ("data/new.json", FileStatus::Added),
                ("data/old.json", FileStatus::Removed)
            ]
        );
        assert!(unified(&diffs, "v1", "v2")
            .contains("--- /dev/null\n+++ v2/data/new.json\n@@ -0,0 +1,1 @@\n+[]\n"));
    }
}
