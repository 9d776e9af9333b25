//! The WCAG 2 contrast table of a brand kit: the colour pairs the email and print layouts put
//! together, each with its ratio and whether it passes AA for normal and for large text. Brand
//! teams review it in the app; the maths is [`crate::contrast`], shared with the contrast rules.

use ccm_core::model::BrandColors;

use crate::contrast::{brand_color, contrast_ratio, Rgb};

/// WCAG 2.2 1.4.3: normal text needs 4.5:1 …
pub const AA_NORMAL: f64 = 4.5;
/// … large text (18 pt, or 14 pt bold) 3:1.
pub const AA_LARGE: f64 = 3.0;

/// A colour in a pair: a role of the kit, or the white that layouts put text on or in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ink {
    Role(&'static str),
    White,
}

/// The pairs a reviewer needs, foreground first, in the order the table shows them.
/// `id` names the pair for the UI (its label says where the pair is used).
const PAIRS: [(&str, Ink, Ink); 8] = [
    // Body text of every message.
    (
        "text-on-background",
        Ink::Role("text"),
        Ink::Role("background"),
    ),
    // Footers, legal lines, small print.
    (
        "muted-on-background",
        Ink::Role("muted"),
        Ink::Role("background"),
    ),
    // Links and headings in email.
    (
        "primary-on-background",
        Ink::Role("primary"),
        Ink::Role("background"),
    ),
    // Button labels and banners on the brand colour.
    ("white-on-primary", Ink::White, Ink::Role("primary")),
    ("text-on-primary", Ink::Role("text"), Ink::Role("primary")),
    // Tinted panels and table headers.
    (
        "text-on-secondary",
        Ink::Role("text"),
        Ink::Role("secondary"),
    ),
    // Highlights; only when the kit has an accent colour.
    (
        "accent-on-background",
        Ink::Role("accent"),
        Ink::Role("background"),
    ),
    ("white-on-accent", Ink::White, Ink::Role("accent")),
];

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct ContrastCheck {
    /// e.g. `text-on-background`.
    pub id: &'static str,
    /// A role of the kit (`text`, `primary`, …) or `white`.
    pub foreground: &'static str,
    pub background: &'static str,
    /// `#rrggbb`, lowercase.
    pub foreground_hex: String,
    pub background_hex: String,
    /// Rounded down to two decimals, so a failing 4.499 never shows as 4.50.
    pub ratio: f64,
    /// At least [`AA_NORMAL`] (decided on the exact ratio).
    pub aa_normal: bool,
    /// At least [`AA_LARGE`] (decided on the exact ratio).
    pub aa_large: bool,
}

/// The contrast table of a kit. A pair whose colour the kit lacks (no accent) or cannot be
/// read is left out; `brand.toml` validation already refuses colours that are not `#rrggbb`.
pub fn brand_contrast_table(colors: &BrandColors) -> Vec<ContrastCheck> {
    PAIRS
        .iter()
        .filter_map(|&(id, fg, bg)| {
            let (fg_name, fg_rgb) = ink(colors, fg)?;
            let (bg_name, bg_rgb) = ink(colors, bg)?;
            let ratio = contrast_ratio(fg_rgb, bg_rgb);
            Some(ContrastCheck {
                id,
                foreground: fg_name,
                background: bg_name,
                foreground_hex: fg_rgb.hex(),
                background_hex: bg_rgb.hex(),
                ratio: (ratio * 100.0).floor() / 100.0,
                aa_normal: ratio >= AA_NORMAL,
                aa_large: ratio >= AA_LARGE,
            })
        })
        .collect()
}

fn ink(colors: &BrandColors, ink: Ink) -> Option<(&'static str, Rgb)> {
    match ink {
        Ink::White => Some(("white", Rgb(255, 255, 255))),
        Ink::Role(role) => brand_color(colors, role).map(|rgb| (role, rgb)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colors() -> BrandColors {
        BrandColors {
            primary: "#A61C48".into(),
            secondary: "#F7DCE4".into(),
            text: "#1F1F1F".into(),
            background: "#FFFFFF".into(),
            muted: "#5F6368".into(),
            accent: Some("#00695C".into()),
        }
    }

    fn row<'a>(table: &'a [ContrastCheck], id: &str) -> &'a ContrastCheck {
        table.iter().find(|c| c.id == id).unwrap()
    }

    #[test]
    fn every_pair_of_a_full_kit_is_listed_in_order_with_its_colours() {
        let table = brand_contrast_table(&colors());
        let ids: Vec<&str> = table.iter().map(|c| c.id).collect();
        assert_eq!(ids, PAIRS.map(|p| p.0));
        let white_on_primary = row(&table, "white-on-primary");
        assert_eq!(
            (white_on_primary.foreground, white_on_primary.background),
            ("white", "primary")
        );
        assert_eq!(white_on_primary.foreground_hex, "#ffffff");
        assert_eq!(white_on_primary.background_hex, "#a61c48");
        assert!(white_on_primary.aa_normal && white_on_primary.aa_large);
    }

    #[test]
    fn a_light_muted_grey_fails_aa_normal_but_passes_large() {
        // #949494 on white is 3.03:1: large text only.
        let mut c = colors();
        c.muted = "#949494".into();
        let table = brand_contrast_table(&c);
        let muted = row(&table, "muted-on-background");
        assert!(!muted.aa_normal, "3.03:1 fails AA for normal text");
        assert!(muted.aa_large, "3.03:1 passes AA for large text");
        assert_eq!(muted.ratio, 3.03);
        let text = row(&table, "text-on-background");
        assert!(text.aa_normal, "the other pairs keep their own verdicts");
    }

    #[test]
    fn a_pair_below_three_to_one_fails_both_levels() {
        let mut c = colors();
        c.text = "#CCCCCC".into();
        let table = brand_contrast_table(&c);
        let text = row(&table, "text-on-background");
        assert!(!text.aa_normal && !text.aa_large, "{text:?}");
        assert!(text.ratio < AA_LARGE);
    }

    #[test]
    fn the_ratio_is_rounded_down_so_a_failing_pair_never_shows_the_threshold() {
        // #777777 on white is 4.48:1, just below 4.5.
        let mut c = colors();
        c.muted = "#777777".into();
        let muted = brand_contrast_table(&c)
            .into_iter()
            .find(|r| r.id == "muted-on-background")
            .unwrap();
        assert!(!muted.aa_normal);
        assert!(muted.ratio < AA_NORMAL, "shown as {}", muted.ratio);
    }

    #[test]
    fn a_kit_without_an_accent_has_no_accent_rows() {
        let mut c = colors();
        c.accent = None;
        let table = brand_contrast_table(&c);
        assert_eq!(table.len(), PAIRS.len() - 2);
        assert!(table
            .iter()
            .all(|r| r.foreground != "accent" && r.background != "accent"));
    }
}
