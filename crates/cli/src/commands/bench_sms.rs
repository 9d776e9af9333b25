//! `ccm bench sms`: segment a list of messages (JSON Lines, one JSON string per line) with the
//! SMS analyser the app and `ccm batch` use, several rounds, and print the timing plus every
//! message's encoding and segment count, so another segmenter's counts can be compared
//! string by string.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use ccm_render::sms::{analyze, SmsEncoding};
use serde_json::{json, Value};

use super::bench::ms;
use super::bench_render::build_profile;

#[derive(clap::Args)]
pub struct SmsArgs {
    /// Messages to segment: a JSON Lines file, one JSON string per line
    #[arg(long, value_name = "FILE")]
    strings: PathBuf,
    /// Times the whole list is segmented (the figures are per message over all rounds)
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Locale of the messages (changes advice only, never the counts)
    #[arg(long, default_value = "en")]
    locale: String,
}

pub fn run(args: SmsArgs) -> Result<Value> {
    let messages = read_strings(&args.strings)?;
    let first: Vec<(SmsEncoding, usize)> = messages
        .iter()
        .map(|m| {
            let a = analyze(m, &args.locale);
            (a.encoding, a.segments)
        })
        .collect();
    let started = Instant::now();
    let mut checksum = 0usize;
    for _ in 0..args.rounds {
        for m in &messages {
            checksum += std::hint::black_box(analyze(m, &args.locale)).segments;
        }
    }
    let total = started.elapsed();
    let analysed = (messages.len() * args.rounds).max(1) as f64;
    Ok(json!({
        "strings": messages.len(),
        "rounds": args.rounds,
        "total_ms": ms(total),
        "us_per_string": ms(total) * 1000.0 / analysed,
        "strings_per_second": analysed / total.as_secs_f64().max(f64::EPSILON),
        "total_segments": checksum / args.rounds.max(1),
        "encodings": first.iter().map(|(e, _)| match e {
            SmsEncoding::Gsm7 => "GSM-7",
            SmsEncoding::Ucs2 => "UCS-2",
        }).collect::<Vec<_>>(),
        "segments": first.iter().map(|(_, s)| *s).collect::<Vec<_>>(),
        "build": build_profile(),
    }))
}

/// One JSON string per line; a line that is not one is reported with its number.
fn read_strings(path: &PathBuf) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<String>(line) {
            Ok(s) => out.push(s),
            Err(e) => bail!(
                "{}:{}: not a JSON string ({e}); write one message per line as \"text\"",
                path.display(),
                n + 1
            ),
        }
    }
    Ok(out)
}
