//! What a run produced, counted: records, renditions per channel, errors, SMS segments by
//! encoding and Japanese price tier (as the SMS renderer reports them), letters and pages,
//! warnings by code. Summaries of shards add up ([`Summary::merge`]) to the summary of the
//! unsharded run. No timings here: `summary.json` is as deterministic as the renditions.

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub template: String,
    pub version: u32,
    pub template_hash: String,
    /// `approved` (the approved bundle, rebuilt from the archive) or `latest` (`--latest`).
    pub source: String,
    /// The date the messages were rendered for.
    pub today: String,
    /// Channels rendered, in channel order.
    pub channels: Vec<String>,
    /// The shards these counts cover: `["0/4", "1/4"]`; empty for an unsharded run.
    pub shards: Vec<String>,
    /// Records read (this shard's).
    pub records: u64,
    /// Records with every channel rendered.
    pub records_ok: u64,
    /// Records with at least one error (see the errors file).
    pub records_failed: u64,
    /// Renditions written, per channel.
    pub rendered: BTreeMap<String, u64>,
    /// Error lines in the errors file.
    pub errors: u64,
    pub sms: SmsTotals,
    pub print: PrintTotals,
    /// JSON Lines files written with `--output jsonl` (relative to the output folder), in
    /// channel order; absent for per-record files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub streams: Vec<String>,
    /// Warnings by diagnostic code (`sms.ucs2`, `print.low-dpi`, …).
    pub warnings: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsTotals {
    pub messages: u64,
    pub segments: u64,
    /// `gsm7` / `ucs2` → messages and segments.
    pub by_encoding: BTreeMap<String, Tally>,
    /// Japanese long-SMS price tier (UCS-2 units: `70`, `134`, …) → messages and segments;
    /// `over_cap` when a message needs more parts than Japanese carriers deliver.
    pub jp_price_tiers: BTreeMap<String, Tally>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub messages: u64,
    pub segments: u64,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.messages += other.messages;
        self.segments += other.segments;
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintTotals {
    pub letters: u64,
    pub pages: u64,
    /// Combined print files written (relative to the output folder), in order.
    pub files: Vec<String>,
}

fn add_map<V: Clone, F: Fn(&mut V, &V)>(
    into: &mut BTreeMap<String, V>,
    from: &BTreeMap<String, V>,
    f: F,
) {
    for (k, v) in from {
        match into.get_mut(k) {
            Some(mine) => f(mine, v),
            None => {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}

impl Summary {
    /// Adds `other` (another shard of the same run).
    pub fn merge(&mut self, other: &Summary) -> Result<()> {
        if self.template_hash.is_empty() {
            *self = other.clone();
            return Ok(());
        }
        if (&self.template_hash, &self.today, &self.channels)
            != (&other.template_hash, &other.today, &other.channels)
        {
            bail!(
                "these summaries are not of one run: {} v{} for {} ({}) and {} v{} for {} ({})",
                self.template,
                self.version,
                self.today,
                self.channels.join(","),
                other.template,
                other.version,
                other.today,
                other.channels.join(",")
            );
        }
        for s in &other.shards {
            if self.shards.contains(s) {
                bail!("shard {s} is counted twice");
            }
        }
        self.shards.extend(other.shards.iter().cloned());
        self.shards.sort();
        self.records += other.records;
        self.records_ok += other.records_ok;
        self.records_failed += other.records_failed;
        self.errors += other.errors;
        add_map(&mut self.rendered, &other.rendered, |a, b| *a += b);
        add_map(&mut self.warnings, &other.warnings, |a, b| *a += b);
        self.sms.messages += other.sms.messages;
        self.sms.segments += other.sms.segments;
        add_map(&mut self.sms.by_encoding, &other.sms.by_encoding, |a, b| {
            a.add(*b)
        });
        add_map(
            &mut self.sms.jp_price_tiers,
            &other.sms.jp_price_tiers,
            |a, b| a.add(*b),
        );
        self.print.letters += other.print.letters;
        self.print.pages += other.print.pages;
        self.print.files.extend(other.print.files.iter().cloned());
        self.streams.extend(other.streams.iter().cloned());
        Ok(())
    }

    /// Whether the shards of an N-way run are all here.
    pub fn complete(&self) -> bool {
        if self.shards.is_empty() {
            return true;
        }
        let Some(n) = self.shards[0]
            .split_once('/')
            .and_then(|(_, n)| n.parse::<usize>().ok())
        else {
            return false;
        };
        self.shards.len() == n
    }

    pub(crate) fn count_sms(&mut self, encoding: &str, tier: Option<String>, segments: u64) {
        let one = Tally {
            messages: 1,
            segments,
        };
        self.sms.messages += 1;
        self.sms.segments += segments;
        self.sms
            .by_encoding
            .entry(encoding.to_owned())
            .or_default()
            .add(one);
        if let Some(tier) = tier {
            self.sms.jp_price_tiers.entry(tier).or_default().add(one);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shard(k: &str, records: u64) -> Summary {
        let mut s = Summary {
            template: "t".into(),
            version: 1,
            template_hash: "h".into(),
            today: "2026-12-03".into(),
            channels: vec!["sms".into()],
            shards: vec![k.into()],
            records,
            records_ok: records,
            ..Summary::default()
        };
        s.rendered.insert("sms".into(), records);
        for _ in 0..records {
            s.count_sms("ucs2", Some("70".into()), 1);
        }
        s
    }

    #[test]
    fn shard_summaries_add_up_and_a_shard_is_never_counted_twice() {
        let mut all = Summary::default();
        all.merge(&shard("0/2", 3)).unwrap();
        assert!(!all.complete());
        all.merge(&shard("1/2", 2)).unwrap();
        assert!(all.complete());
        assert_eq!(all.records, 5);
        assert_eq!(all.rendered["sms"], 5);
        assert_eq!(all.sms.by_encoding["ucs2"].segments, 5);
        assert_eq!(all.sms.jp_price_tiers["70"].messages, 5);
        assert!(all.merge(&shard("1/2", 2)).is_err());
    }
}
