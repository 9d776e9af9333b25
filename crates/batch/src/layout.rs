//! Where a batch run writes, and which records a shard renders.
//!
//! Per-record files depend only on the record number, so the shards of a run write disjoint
//! files into one folder (or many folders copied together): the union of N shard outputs is
//! the output of one unsharded run. Per-run files (summary, errors, print files and their
//! index) carry the shard in their name, so they never collide either.
//!
//! ```text
//! OUT/email/0000/00000001.eml          the message as sent (MIME)
//! OUT/sms/0000/00000001.txt            the SMS text
//! OUT/push/0000/00000001.apns.json     + .fcm.json
//! OUT/print/0000/00000001.pdf          one letter (unless print files are combined)
//! OUT/print/letters[-0001][.shard-K-of-N].pdf + print-index[.shard-K-of-N].csv
//! OUT/summary[.shard-K-of-N].json, OUT/errors[.shard-K-of-N].jsonl
//! ```
//! With `--output jsonl` the email, SMS and push renditions go into one JSON Lines file per
//! channel instead (`OUT/sms[.shard-K-of-N].jsonl`, one line per record in record order): the
//! shape an SMS gateway's or ESP's bulk API takes, and no million small files.
//! A folder holds 10,000 records (`0000` = records 1–9,999, `0001` = 10,000–19,999, …), so no
//! folder grows past what file managers and `ls` handle well.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

/// Records per sub-folder.
const PER_FOLDER: u64 = 10_000;

/// `--shard K/N`: this process renders the records whose number minus one is K modulo N
/// (K counts from 0, as a Kubernetes Indexed Job's or a Slurm array's index does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    pub fn parse(s: &str) -> Result<Shard> {
        let Some((k, n)) = s.split_once('/') else {
            bail!("--shard `{s}`: write K/N, e.g. 0/4 (K from 0 to N-1)");
        };
        let (Ok(index), Ok(count)) = (k.trim().parse::<u64>(), n.trim().parse::<u64>()) else {
            bail!("--shard `{s}`: K and N must be whole numbers, e.g. 0/4");
        };
        if count == 0 || index >= count {
            bail!("--shard `{s}`: K must be 0 to N-1 and N at least 1");
        }
        Ok(Shard { index, count })
    }

    pub fn is_whole(&self) -> bool {
        self.count == 1
    }

    /// Whether record `number` (1-based) is this shard's.
    pub fn owns(&self, number: u64) -> bool {
        (number - 1) % self.count == self.index
    }

    /// `.shard-K-of-N`, or nothing for an unsharded run.
    pub fn suffix(&self) -> String {
        if self.is_whole() {
            String::new()
        } else {
            format!(".shard-{}-of-{}", self.index, self.count)
        }
    }

    /// `K/N`, or `None` for an unsharded run.
    pub fn label(&self) -> Option<String> {
        (!self.is_whole()).then(|| format!("{}/{}", self.index, self.count))
    }
}

/// How the email, SMS and push renditions are written (letters always go to PDF files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Output {
    /// One file per record and channel (`sms/0000/00000001.txt`, …).
    #[default]
    Files,
    /// One JSON Lines file per channel (`sms.jsonl`), a line per record in record order.
    JsonLines,
}

impl Output {
    pub fn parse(s: &str) -> Result<Output> {
        match s {
            "files" => Ok(Output::Files),
            "jsonl" => Ok(Output::JsonLines),
            other => bail!("--output `{other}`: write files or jsonl"),
        }
    }
}

/// File names of one run.
#[derive(Debug, Clone)]
pub struct Layout {
    pub out: PathBuf,
    pub shard: Shard,
}

impl Layout {
    /// `OUT/<channel>/<folder>/<record><ext>`; `ext` includes its dot(s).
    pub fn record_file(&self, channel: &str, number: u64, ext: &str) -> PathBuf {
        self.out
            .join(channel)
            .join(format!("{:04}", number / PER_FOLDER))
            .join(format!("{number:08}{ext}"))
    }

    /// The JSON Lines file of `channel` for `--output jsonl`.
    pub fn stream_file(&self, channel: &str) -> PathBuf {
        self.out
            .join(format!("{channel}{}.jsonl", self.shard.suffix()))
    }

    pub fn summary(&self) -> PathBuf {
        self.out
            .join(format!("summary{}.json", self.shard.suffix()))
    }

    pub fn errors(&self) -> PathBuf {
        self.out
            .join(format!("errors{}.jsonl", self.shard.suffix()))
    }

    /// The combined print file `part` (1-based) when files hold `per` letters each, or the one
    /// combined file when `per` is `None`.
    pub fn print_file(&self, part: Option<u64>) -> PathBuf {
        let part = part.map(|p| format!("-{p:04}")).unwrap_or_default();
        self.out
            .join("print")
            .join(format!("letters{part}{}.pdf", self.shard.suffix()))
    }

    pub fn print_index(&self) -> PathBuf {
        self.out
            .join(format!("print-index{}.csv", self.shard.suffix()))
    }

    /// The path as written in summaries and indexes: relative to OUT, with `/`.
    pub fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.out)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_records_round_robin_and_refuse_nonsense() {
        let s = Shard::parse("1/3").unwrap();
        let mine: Vec<u64> = (1..=9).filter(|n| s.owns(*n)).collect();
        assert_eq!(mine, vec![2, 5, 8]);
        assert_eq!(s.suffix(), ".shard-1-of-3");
        for bad in ["3/3", "1", "a/2", "0/0"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn record_files_are_zero_padded_in_folders_of_ten_thousand() {
        let l = Layout {
            out: PathBuf::from("/o"),
            shard: Shard::WHOLE,
        };
        assert_eq!(
            l.record_file("sms", 12_345, ".txt"),
            PathBuf::from("/o/sms/0001/00012345.txt")
        );
        assert_eq!(l.relative(&l.print_file(Some(2))), "print/letters-0002.pdf");
        let sharded = Layout {
            out: PathBuf::from("/o"),
            shard: Shard::parse("1/4").unwrap(),
        };
        assert_eq!(
            sharded.stream_file("sms"),
            PathBuf::from("/o/sms.shard-1-of-4.jsonl")
        );
        assert_eq!(Output::parse("jsonl").unwrap(), Output::JsonLines);
        assert!(Output::parse("csv").is_err());
    }
}
