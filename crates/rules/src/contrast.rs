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
}
