//! The WCAG 2 contrast table of a brand kit: the colour pairs the email and print layouts put
//! together, each with its ratio and whether it passes AA for normal and for large text. Brand
//! teams review it in the app; the maths is [`crate::contrast`], shared with the contrast rules.

use ccm_core::model::BrandColors;

use crate::contrast::{brand_color, contrast_ratio, nearest_passing, Rgb};

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

/// A fix for a pair that fails AA for normal text: one colour of the kit moved (same hue,
/// nearest lightness) so that the pair passes.
#[derive(Debug, Clone, PartialEq)]
pub struct ContrastFix {
    /// The failing pair, e.g. `text-on-primary`.
    pub pair: &'static str,
    /// The kit role to change.
    pub role: &'static str,
    /// `#rrggbb`, lowercase: the role's colour now …
    pub from_hex: String,
    /// … and the suggestion.
    pub to_hex: String,
    /// The pair's ratio with the suggestion, rounded down to two decimals (at least 4.5).
    pub ratio: f64,
    /// Other pairs that pass now and would fail AA with the suggestion (the fix with the
    /// fewest is offered).
    pub breaks: Vec<&'static str>,
}

/// A suggested fix for each pair of the table that fails AA for normal text. Either colour of
/// the pair may be the one moved (white is never moved); the suggestion is the one that breaks
/// the fewest passing pairs, then changes the colour least. A pair no lightness can fix has
/// no suggestion.
pub fn suggest_fixes(colors: &BrandColors) -> Vec<ContrastFix> {
    let table = brand_contrast_table(colors);
    let passing: Vec<&'static str> = table.iter().filter(|r| r.aa_normal).map(|r| r.id).collect();
    PAIRS
        .iter()
        .filter(|(id, _, _)| table.iter().any(|r| r.id == *id && !r.aa_normal))
        .filter_map(|&(pair, fg, bg)| {
            [(fg, bg), (bg, fg)]
                .into_iter()
                .filter_map(|(moved, other)| {
                    let Ink::Role(role) = moved else { return None };
                    let from = brand_color(colors, role)?;
                    let (_, against) = ink(colors, other)?;
                    let to = nearest_passing(from, against, AA_NORMAL)?;
                    let changed = with_role(colors, role, &to.hex());
                    let breaks = brand_contrast_table(&changed)
                        .into_iter()
                        .filter(|r| !r.aa_normal && passing.contains(&r.id))
                        .map(|r| r.id)
                        .collect::<Vec<_>>();
                    let ratio = contrast_ratio(to, against);
                    Some(ContrastFix {
                        pair,
                        role,
                        from_hex: from.hex(),
                        to_hex: to.hex(),
                        ratio: (ratio * 100.0).floor() / 100.0,
                        breaks,
                    })
                    .map(|fix| (distance(from, to), fix))
                })
                .min_by(|(da, a), (db, b)| {
                    a.breaks.len().cmp(&b.breaks.len()).then(da.total_cmp(db))
                })
                .map(|(_, fix)| fix)
        })
        .collect()
}

/// Non-text contrast (WCAG 2.2, 1.4.11): a logo is a graphic, so 3:1 against what it sits on.
pub const LOGO_MIN: f64 = AA_LARGE;

/// The logo's contrast with one background of the kit.
#[derive(Debug, Clone, PartialEq)]
pub struct LogoContrast {
    /// `background` (emails and letters) or `secondary` (tinted panels).
    pub background: &'static str,
    pub background_hex: String,
    /// The logo's ink colour, `#rrggbb`.
    pub logo_hex: String,
    /// Rounded down to two decimals.
    pub ratio: f64,
    /// At least [`LOGO_MIN`]; below it the logo is hard to see there (a warning, not an error).
    pub passes: bool,
}

/// How the logo's ink (`ccm_core::brand_edit` measures it) stands out on the kit's backgrounds.
pub fn logo_contrast(logo_ink: Rgb, colors: &BrandColors) -> Vec<LogoContrast> {
    ["background", "secondary"]
        .into_iter()
        .filter_map(|role| {
            let bg = brand_color(colors, role)?;
            let ratio = contrast_ratio(logo_ink, bg);
            Some(LogoContrast {
                background: role,
                background_hex: bg.hex(),
                logo_hex: logo_ink.hex(),
                ratio: (ratio * 100.0).floor() / 100.0,
                passes: ratio >= LOGO_MIN,
            })
        })
        .collect()
}

fn with_role(colors: &BrandColors, role: &str, hex: &str) -> BrandColors {
    let mut c = colors.clone();
    match role {
        "primary" => c.primary = hex.to_owned(),
        "secondary" => c.secondary = hex.to_owned(),
        "text" => c.text = hex.to_owned(),
        "background" => c.background = hex.to_owned(),
        "muted" => c.muted = hex.to_owned(),
        "accent" => c.accent = Some(hex.to_owned()),
        _ => {}
    }
    c
}

fn distance(a: Rgb, b: Rgb) -> f64 {
    let d = |x: u8, y: u8| (f64::from(x) - f64::from(y)).powi(2);
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
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

    #[test]
    fn every_suggested_fix_makes_its_pair_pass_aa() {
        let mut c = colors();
        c.muted = "#AAAAAA".into();
        c.accent = Some("#7FDC7F".into());
        let fixes = suggest_fixes(&c);
        let failing: Vec<&str> = brand_contrast_table(&c)
            .iter()
            .filter(|r| !r.aa_normal)
            .map(|r| r.id)
            .collect();
        assert!(failing.contains(&"muted-on-background") && failing.contains(&"text-on-primary"));
        assert_eq!(
            fixes.iter().map(|f| f.pair).collect::<Vec<_>>(),
            failing,
            "one fix per failing pair, in table order"
        );
        for fix in &fixes {
            assert!(fix.ratio >= AA_NORMAL, "{fix:?}");
            let fixed = with_role(&c, fix.role, &fix.to_hex);
            let row = brand_contrast_table(&fixed)
                .into_iter()
                .find(|r| r.id == fix.pair)
                .unwrap();
            assert!(row.aa_normal, "{fix:?} → {row:?}");
        }
        let muted = fixes
            .iter()
            .find(|f| f.pair == "muted-on-background")
            .unwrap();
        assert_eq!((muted.role, muted.to_hex.as_str()), ("muted", "#767676"));
        assert!(muted.breaks.is_empty());
    }

    #[test]
    fn a_fix_says_truthfully_which_passing_pairs_it_would_break() {
        // Near-black text on the deep brand red fails, and no primary lets both white and
        // near-black text pass on it: whichever colour moves, some passing pair breaks.
        let c = colors();
        let before = brand_contrast_table(&c);
        let fix = suggest_fixes(&c)
            .into_iter()
            .find(|f| f.pair == "text-on-primary")
            .unwrap();
        assert!(!fix.breaks.is_empty(), "{fix:?}");
        let after = brand_contrast_table(&with_role(&c, fix.role, &fix.to_hex));
        for (was, now) in before.iter().zip(&after) {
            let broken = was.aa_normal && !now.aa_normal;
            assert_eq!(
                broken,
                fix.breaks.contains(&now.id),
                "{} in {fix:?}",
                now.id
            );
        }
        assert!(after.iter().find(|r| r.id == fix.pair).unwrap().aa_normal);
    }

    #[test]
    fn a_kit_that_passes_has_no_fixes() {
        let mut c = colors();
        c.text = "#000000".into();
        c.primary = "#ffffff".into();
        c.background = "#000000".into();
        // Only pairs that fail get a fix.
        let failing = brand_contrast_table(&c)
            .iter()
            .filter(|r| !r.aa_normal)
            .count();
        assert_eq!(suggest_fixes(&c).len(), failing);
        let clean = BrandColors {
            // Grey #767676 is the one band where white (4.54:1) and black (4.62:1) both pass.
            primary: "#767676".into(),
            secondary: "#ffffff".into(),
            text: "#000000".into(),
            background: "#ffffff".into(),
            muted: "#595959".into(),
            accent: None,
        };
        assert!(
            suggest_fixes(&clean).is_empty(),
            "{:?}",
            brand_contrast_table(&clean)
        );
    }

    #[test]
    fn a_pale_logo_warns_on_white_but_not_a_dark_one() {
        let c = colors();
        let pale = logo_contrast(Rgb(0xF7, 0xDC, 0xE4), &c);
        assert_eq!(
            pale.iter().map(|l| l.background).collect::<Vec<_>>(),
            ["background", "secondary"]
        );
        assert!(!pale[0].passes && pale[0].ratio < LOGO_MIN);
        let dark = logo_contrast(Rgb(0xA6, 0x1C, 0x48), &c);
        assert!(dark[0].passes, "{dark:?}");
    }
}
