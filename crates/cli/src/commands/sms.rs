//! `ccm sms [TEXT]`: an SMS calculator for any text, with the same counting the SMS renderer
//! and the app use — encoding, units, segments, the text of each part, the characters that
//! force UCS-2 (with GSM-7 replacements) and the Japanese carriers' long-SMS limits.

use std::io::Read;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use ccm_core::diagnostic::codes;
use ccm_render::sms::{analyze, SmsAnalysis, SmsEncoding};

use crate::context::Context;

/// Count any text as an SMS: encoding, segments, each part's text, characters that force UCS-2
#[derive(clap::Args)]
pub struct Args {
    /// The message text; read from standard input when omitted or `-`
    text: Option<String>,
    /// Language of the message (ja adds the Japanese carriers' long-SMS limits and tiers)
    #[arg(long, default_value = "en")]
    locale: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let text = match args.text.as_deref() {
        None | Some("-") => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("reading the message from standard input (it must be UTF-8)")?;
            // A file or a shell `echo` ends with one newline that is not part of the message.
            ccm_render::sms::strip_trailing_newline(&s).to_owned()
        }
        Some(text) => text.to_owned(),
    };
    let analysis = analyze(&text, &args.locale);
    if ctx.json {
        return ctx.print_json(&analysis).map(|_| ExitCode::SUCCESS);
    }
    print!("{}", report(&analysis, &args.locale));
    Ok(ExitCode::SUCCESS)
}

fn report(a: &SmsAnalysis, locale: &str) -> String {
    let unit = match a.encoding {
        SmsEncoding::Gsm7 => "septets",
        SmsEncoding::Ucs2 => "UTF-16 units",
    };
    let encoding = match a.encoding {
        SmsEncoding::Gsm7 => "GSM-7",
        SmsEncoding::Ucs2 => "UCS-2",
    };
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!("encoding    {encoding}"));
    line(format!(
        "characters  {} ({} UTF-8 bytes)",
        a.characters, a.utf8_bytes
    ));
    let limit = if a.segments <= 1 {
        format!("{} in a single message", a.single_limit)
    } else {
        format!("{} per part when split", a.part_limit)
    };
    line(format!("units       {} {unit} ({limit})", a.units));
    line(format!(
        "segments    {} ({} {unit} left in the last)",
        a.segments, a.units_left_in_segment
    ));
    for part in &a.parts {
        line(format!(
            "  part {} · {} {unit}: {}",
            part.index,
            part.units,
            visible(&part.text)
        ));
    }
    if !a.ucs2_forcing.is_empty() {
        line(format!(
            "forces UCS-2 ({} character(s)):",
            a.ucs2_forcing.len()
        ));
        // Characters with a GSM-7 lookalike are worth fixing one by one; the others (kana,
        // kanji, emoji) are summed up, as a Japanese message is UCS-2 by nature.
        let (fixable, others): (Vec<_>, Vec<_>) =
            a.ucs2_forcing.iter().partition(|c| c.replacement.is_some());
        for c in &fixable {
            line(format!(
                "  {} {} at character {}  → replace with {}",
                visible(&c.char),
                c.codepoint,
                c.char_index + 1,
                visible(c.replacement.as_deref().unwrap_or_default())
            ));
        }
        if !others.is_empty() {
            let sample: String = others.iter().take(12).map(|c| c.char.as_str()).collect();
            let more = if others.len() > 12 { "…" } else { "" };
            line(format!(
                "  {} with no GSM-7 equivalent: {}{more}",
                others.len(),
                visible(&sample)
            ));
        }
    }
    if locale == "ja" {
        let tier = match a.japan.price_tier {
            Some(t) => format!("priced as up to {t} characters"),
            None => "no tier".to_owned(),
        };
        line(format!(
            "japan       {} of at most {} parts delivered whole; {tier}",
            if a.japan.within_cap {
                "within the cap"
            } else {
                "OVER the cap"
            },
            a.japan.max_parts
        ));
    }
    // The forcing characters are listed above already.
    for w in a
        .warnings
        .iter()
        .filter(|w| w.code != codes::SMS_UCS2_FORCED.id)
    {
        line(format!("{:<8}    {}", w.severity.as_str(), w.message.en));
    }
    out
}

/// Text in quotes with control characters made visible, so a part's exact edges show.
fn visible(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gsm_message_with_an_extension_character_and_a_curly_quote() {
        let a = analyze("Price: 5€ – don’t miss it", "en");
        let text = report(&a, "en");
        assert!(text.contains("encoding    UCS-2"), "{text}");
        assert!(text.contains("U+2019"), "{text}");
        assert!(text.contains("replace with \"'\""), "{text}");
        let plain = report(&analyze("Price: 5€ {ok}", "en"), "en");
        assert!(plain.contains("encoding    GSM-7"), "{plain}");
        // € and { } cost two septets each: 11 + 3 × 2 = 17.
        assert!(plain.contains("units       17 septets"), "{plain}");
    }

    #[test]
    fn japanese_reports_the_carrier_cap() {
        let text = report(&analyze(&"あ".repeat(71), "ja"), "ja");
        assert!(text.contains("segments    2"), "{text}");
        assert!(text.contains("japan       within the cap"), "{text}");
        assert!(text.contains("71 with no GSM-7 equivalent"), "{text}");
        assert_eq!(
            text.matches("U+3042").count(),
            0,
            "kana are summed up, not listed"
        );
    }
}
