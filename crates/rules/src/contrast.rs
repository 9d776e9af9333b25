//! CSS colours and WCAG 2 contrast.

use ccm_core::model::BrandColors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG 2 relative luminance.
    pub fn luminance(self) -> f64 {
        fn channel(c: u8) -> f64 {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }
}

/// WCAG 2 contrast ratio, 1.0 – 21.0.
pub fn contrast_ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la >= lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// `color` as HSL: hue in degrees [0, 360), saturation and lightness in [0, 1].
pub fn to_hsl(color: Rgb) -> (f64, f64, f64) {
    let [r, g, b] = [color.0, color.1, color.2].map(|c| f64::from(c) / 255.0);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let l = (max + min) / 2.0;
    let d = max - min;
    if d == 0.0 {
        return (0.0, 0.0, l);
    }
    let s = d / (1.0 - (2.0 * l - 1.0).abs());
    let h = if max == r {
        60.0 * ((g - b) / d).rem_euclid(6.0)
    } else if max == g {
        60.0 * ((b - r) / d + 2.0)
    } else {
        60.0 * ((r - g) / d + 4.0)
    };
    (h, s.min(1.0), l)
}

/// The colour of HSL `(h, s, l)`, rounded to 8 bits a channel.
pub fn from_hsl(h: f64, s: f64, l: f64) -> Rgb {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = h.rem_euclid(360.0) / 60.0;
    let x = c * (1.0 - (hp.rem_euclid(2.0) - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let byte = |v: f64| ((v + m).clamp(0.0, 1.0) * 255.0).round() as u8;
    Rgb(byte(r), byte(g), byte(b))
}

/// The colour nearest `color` with the same hue and saturation whose contrast with `against`
/// is at least `min_ratio`: HSL lightness moved as little as possible, lighter or darker,
/// checked on the 8-bit colour that would be written. `color` itself when it already passes;
/// `None` when no lightness of that hue reaches the ratio (not even black or white).
///
/// Why lightness: for a fixed hue and saturation every channel grows with HSL lightness, so
/// the luminance — and the contrast, on either side of `against` — moves monotonically, and the
/// brand's hue survives the fix.
pub fn nearest_passing(color: Rgb, against: Rgb, min_ratio: f64) -> Option<Rgb> {
    if contrast_ratio(color, against) >= min_ratio {
        return Some(color);
    }
    let (h, s, l) = to_hsl(color);
    const STEPS: u32 = 1000;
    for step in 1..=STEPS {
        let delta = f64::from(step) / f64::from(STEPS);
        let passing: Vec<Rgb> = [l - delta, l + delta]
            .into_iter()
            .filter(|l| (0.0..=1.0).contains(l))
            .map(|l| from_hsl(h, s, l))
            .filter(|c| contrast_ratio(*c, against) >= min_ratio)
            .collect();
        if let Some(best) = passing.into_iter().min_by_key(|c| rgb_distance(*c, color)) {
            return Some(best);
        }
    }
    None
}

/// Squared distance between two colours in 8-bit RGB.
fn rgb_distance(a: Rgb, b: Rgb) -> u32 {
    let d = |x: u8, y: u8| u32::from(x.abs_diff(y)).pow(2);
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
}

/// Names usable in a contrast rule's `brand_pairs`.
pub const BRAND_COLOR_NAMES: [&str; 6] = [
    "primary",
    "secondary",
    "text",
    "background",
    "muted",
    "accent",
];

pub fn brand_color(colors: &BrandColors, name: &str) -> Option<Rgb> {
    let value = match name {
        "primary" => Some(&colors.primary),
        "secondary" => Some(&colors.secondary),
        "text" => Some(&colors.text),
        "background" => Some(&colors.background),
        "muted" => Some(&colors.muted),
        "accent" => colors.accent.as_ref(),
        _ => None,
    }?;
    parse_color(value)
}

/// Every colour of the brand kit.
pub fn brand_palette(colors: &BrandColors) -> Vec<Rgb> {
    BRAND_COLOR_NAMES
        .iter()
        .filter_map(|n| brand_color(colors, n))
        .collect()
}

/// Parses `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb(r, g, b)`, `rgba(…)` with alpha 1, and the
/// CSS basic named colours. Translucent colours and keywords such as `transparent` give
/// `None`: their effective colour depends on what lies beneath.
pub fn parse_color(value: &str) -> Option<Rgb> {
    let v = value.trim().to_ascii_lowercase();
    if let Some(hex) = v.strip_prefix('#') {
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| d as u8))
            .collect::<Option<_>>()?;
        return match digits.len() {
            3 => Some(Rgb(digits[0] * 17, digits[1] * 17, digits[2] * 17)),
            6 => Some(Rgb(
                digits[0] * 16 + digits[1],
                digits[2] * 16 + digits[3],
                digits[4] * 16 + digits[5],
            )),
            8 if digits[6] == 15 && digits[7] == 15 => Some(Rgb(
                digits[0] * 16 + digits[1],
                digits[2] * 16 + digits[3],
                digits[4] * 16 + digits[5],
            )),
            _ => None,
        };
    }
    if let Some(args) = v
        .strip_prefix("rgba(")
        .or_else(|| v.strip_prefix("rgb("))
        .and_then(|r| r.strip_suffix(')'))
    {
        let parts: Vec<&str> = args
            .split([',', ' ', '/'])
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() < 3 || parts.len() > 4 {
            return None;
        }
        if parts.len() == 4 && parts[3].trim().parse::<f64>().ok()? < 1.0 {
            return None;
        }
        let comp = |p: &str| -> Option<u8> {
            if let Some(pct) = p.strip_suffix('%') {
                let f: f64 = pct.parse().ok()?;
                Some((f.clamp(0.0, 100.0) * 2.55).round() as u8)
            } else {
                let f: f64 = p.parse().ok()?;
                Some(f.clamp(0.0, 255.0).round() as u8)
            }
        };
        return Some(Rgb(comp(parts[0])?, comp(parts[1])?, comp(parts[2])?));
    }
    NAMED.iter().find(|(n, _)| *n == v).map(|(_, c)| *c)
}

/// CSS basic colours plus the greys email authors use most.
pub const NAMED: [(&str, Rgb); 20] = [
    ("black", Rgb(0, 0, 0)),
    ("white", Rgb(255, 255, 255)),
    ("silver", Rgb(192, 192, 192)),
    ("gray", Rgb(128, 128, 128)),
    ("grey", Rgb(128, 128, 128)),
    ("darkgray", Rgb(169, 169, 169)),
    ("darkgrey", Rgb(169, 169, 169)),
    ("lightgray", Rgb(211, 211, 211)),
    ("lightgrey", Rgb(211, 211, 211)),
    ("red", Rgb(255, 0, 0)),
    ("maroon", Rgb(128, 0, 0)),
    ("yellow", Rgb(255, 255, 0)),
    ("olive", Rgb(128, 128, 0)),
    ("lime", Rgb(0, 255, 0)),
    ("green", Rgb(0, 128, 0)),
    ("aqua", Rgb(0, 255, 255)),
    ("teal", Rgb(0, 128, 128)),
    ("blue", Rgb(0, 0, 255)),
    ("navy", Rgb(0, 0, 128)),
    ("purple", Rgb(128, 0, 128)),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn ratio(a: &str, b: &str) -> f64 {
        contrast_ratio(parse_color(a).unwrap(), parse_color(b).unwrap())
    }

    #[test]
    fn black_on_white_is_21_to_1_and_symmetric() {
        assert!((ratio("#000", "#fff") - 21.0).abs() < 1e-9);
        assert!((ratio("#ffffff", "#000000") - 21.0).abs() < 1e-9);
        assert!((ratio("#abcdef", "#abcdef") - 1.0).abs() < 1e-9);
    }

    #[test]
    fn known_wcag_grey_thresholds() {
        // #767676 is the lightest grey passing AA (4.54:1) on white; #777777 fails (4.48:1).
        assert!((ratio("#767676", "white") - 4.54).abs() < 0.01);
        assert!((ratio("#777777", "white") - 4.48).abs() < 0.01);
        // #949494 is the lightest grey passing 3:1 on white (3.03:1); #959595 falls to 2.99:1.
        assert!((ratio("#949494", "#fff") - 3.03).abs() < 0.01);
        assert!(ratio("#959595", "#fff") < 3.0);
        // Pure red on white: 4.00:1; blue on white: 8.59:1.
        assert!((ratio("red", "white") - 4.0).abs() < 0.01);
        assert!((ratio("#0000ff", "#ffffff") - 8.59).abs() < 0.01);
    }

    #[test]
    fn parses_css_colour_syntaxes() {
        assert_eq!(parse_color("#0B5394"), Some(Rgb(11, 83, 148)));
        assert_eq!(parse_color("rgb(11, 83, 148)"), Some(Rgb(11, 83, 148)));
        assert_eq!(parse_color("rgba(11,83,148,1)"), Some(Rgb(11, 83, 148)));
        assert_eq!(parse_color("rgba(11,83,148,0.5)"), None);
        assert_eq!(parse_color("#fff"), Some(Rgb(255, 255, 255)));
        assert_eq!(parse_color("transparent"), None);
        assert_eq!(parse_color("#12345"), None);
    }

    #[test]
    fn hsl_round_trips_every_grey_and_brand_colour() {
        for hex in [
            "#a61c48", "#1b6b3a", "#876200", "#ffffff", "#000000", "#5f6368", "#0b5394",
        ] {
            let c = parse_color(hex).unwrap();
            let (h, s, l) = to_hsl(c);
            assert_eq!(from_hsl(h, s, l), c, "{hex}");
        }
        let (h, s, l) = to_hsl(Rgb(255, 0, 0));
        assert_eq!((h, s, l), (0.0, 1.0, 0.5));
    }

    #[test]
    fn a_failing_colour_is_moved_to_the_nearest_lightness_that_passes_aa() {
        let white = Rgb(255, 255, 255);
        // #949494 on white is 3.03:1; the nearest grey that passes 4.5:1 is #767676 (4.54:1).
        let fixed = nearest_passing(parse_color("#949494").unwrap(), white, 4.5).unwrap();
        assert_eq!(fixed.hex(), "#767676");
        for hex in ["#ff6f91", "#f0a500", "#5fb3f9", "#7fdc7f", "#e0b0ff"] {
            let c = parse_color(hex).unwrap();
            let fixed = nearest_passing(c, white, 4.5).unwrap();
            assert!(
                contrast_ratio(fixed, white) >= 4.5,
                "{hex} → {}",
                fixed.hex()
            );
            let (h0, s0, _) = to_hsl(c);
            let (h1, s1, _) = to_hsl(fixed);
            let hue_gap = (h0 - h1).abs().min(360.0 - (h0 - h1).abs());
            assert!(hue_gap < 3.0, "{hex} → {}: hue {h0} → {h1}", fixed.hex());
            assert!(
                (s0 - s1).abs() < 0.06,
                "{hex} → {}: saturation {s0} → {s1}",
                fixed.hex()
            );
            // Nearest: one step (1/255) less far from the original no longer passes.
            let (_, _, l0) = to_hsl(c);
            let (_, _, l1) = to_hsl(fixed);
            let closer = from_hsl(h0, s0, l1 + (l0 - l1).signum() * 2.0 / 255.0);
            assert!(
                contrast_ratio(closer, white) < 4.5,
                "{hex}: {} also passes",
                closer.hex()
            );
        }
    }

    #[test]
    fn a_dark_colour_on_dark_goes_lighter_and_a_passing_one_stays() {
        let navy = Rgb(0, 0, 128);
        let on_navy = nearest_passing(Rgb(60, 20, 20), navy, 4.5).unwrap();
        assert!(on_navy.luminance() > Rgb(60, 20, 20).luminance());
        assert!(contrast_ratio(on_navy, navy) >= 4.5);
        assert_eq!(
            nearest_passing(Rgb(0, 0, 0), Rgb(255, 255, 255), 4.5),
            Some(Rgb(0, 0, 0))
        );
    }

    #[test]
    fn an_unreachable_ratio_has_no_suggestion() {
        // Mid grey #777777: black reaches 4.7:1 and white 4.5:1, so no shade reaches 6:1.
        let mid = Rgb(119, 119, 119);
        assert_eq!(nearest_passing(Rgb(120, 0, 0), mid, 6.0), None);
    }
}
