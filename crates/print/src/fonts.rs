//! The fonts every letter is set in, compiled into the binary so that every machine renders
//! with exactly the same fonts (and so produces byte-identical PDFs). No system fonts are read.
//!
//! - Noto Sans JP Regular/Bold (SIL OFL 1.1, assets/fonts/OFL-NotoSansJP.txt): Japanese and
//!   Latin body text; covers all of JIS X 0208 level 1 and 2 kanji.
//! - Noto Color Emoji (SIL OFL 1.1, assets/fonts/OFL-NotoColorEmoji.txt): customers put emoji
//!   in names and addresses they type themselves; without it a letter prints empty boxes.
//!   Typst falls back to it for any character the body font lacks (ZWJ sequences and skin
//!   tones shape as one glyph) and embeds the glyphs as images.
//! - typst-assets fonts (OFL/GUST licences): Libertinus Serif, New Computer Modern, DejaVu Sans
//!   Mono, as fallbacks for symbols and for code.

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};

use crate::job::PrintError;

/// Primary family for letters; the template names it first.
pub const BODY_FAMILY: &str = "Noto Sans JP";

static NOTO_SANS_JP_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/NotoSansJP-Regular.ttf");
static NOTO_SANS_JP_BOLD: &[u8] = include_bytes!("../../../assets/fonts/NotoSansJP-Bold.ttf");
static NOTO_COLOR_EMOJI: &[u8] = include_bytes!("../../../assets/fonts/NotoColorEmoji.ttf");

/// Every font file a letter may be set in, by name: an approval records their digests, so a
/// build with different fonts makes approved letters stale instead of silently re-flowing them.
pub fn font_files() -> Vec<(String, &'static [u8])> {
    let mut files: Vec<(String, &'static [u8])> = vec![
        ("NotoSansJP-Regular.ttf".to_owned(), NOTO_SANS_JP_REGULAR),
        ("NotoSansJP-Bold.ttf".to_owned(), NOTO_SANS_JP_BOLD),
        ("NotoColorEmoji.ttf".to_owned(), NOTO_COLOR_EMOJI),
    ];
    for (i, data) in typst_assets::fonts().enumerate() {
        files.push((format!("typst-assets/{i:02}"), data));
    }
    files
}

/// Parses all bundled fonts. Done once per [`crate::Printer`].
pub fn load() -> Result<(FontBook, Vec<Font>), PrintError> {
    let mut fonts = Vec::new();
    for (name, data) in [
        ("NotoSansJP-Regular.ttf", NOTO_SANS_JP_REGULAR),
        ("NotoSansJP-Bold.ttf", NOTO_SANS_JP_BOLD),
        ("NotoColorEmoji.ttf", NOTO_COLOR_EMOJI),
    ] {
        let before = fonts.len();
        fonts.extend(Font::iter(Bytes::new(data)));
        if fonts.len() == before {
            return Err(PrintError::Fonts(format!(
                "assets/fonts/{name} is not a readable font"
            )));
        }
    }
    for data in typst_assets::fonts() {
        fonts.extend(Font::iter(Bytes::new(data)));
    }
    if !fonts.iter().any(|f| f.info().family == BODY_FAMILY) {
        return Err(PrintError::Fonts(format!("family `{BODY_FAMILY}` missing")));
    }
    let book = FontBook::from_fonts(&fonts);
    Ok((book, fonts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_print_family_a_brand_kit_can_choose_is_bundled() {
        let (_, fonts) = load().unwrap();
        for family in ccm_core::brand_edit::PRINT_FONT_FAMILIES {
            assert!(
                fonts.iter().any(|f| f.info().family == *family),
                "{family} is offered to brand kits but not bundled"
            );
        }
        assert!(ccm_core::brand_edit::PRINT_FONT_FAMILIES.contains(&BODY_FAMILY));
    }

    #[test]
    fn japanese_family_has_regular_and_bold() {
        let (_, fonts) = load().unwrap();
        let weights: Vec<u16> = fonts
            .iter()
            .filter(|f| f.info().family == BODY_FAMILY)
            .map(|f| f.info().variant.weight.to_number())
            .collect();
        assert!(
            weights.contains(&400) && weights.contains(&700),
            "{weights:?}"
        );
    }

    #[test]
    fn japanese_font_covers_letter_characters() {
        let (_, fonts) = load().unwrap();
        let noto = fonts
            .iter()
            .find(|f| f.info().family == BODY_FAMILY)
            .unwrap();
        // Postal mark, honorific, old-style kanji common in names, full-width and yen forms.
        for c in "〒様髙﨑德〜－￥①㈱".chars() {
            assert!(noto.info().coverage.contains(c as u32), "missing {c}");
        }
    }

    #[test]
    fn emoji_are_covered_by_a_bundled_font() {
        let (_, fonts) = load().unwrap();
        // A smiley, a skin-tone modifier and the parts of a family ZWJ sequence.
        for c in ['😀', '🏻', '👩', '\u{200D}', '👧'] {
            assert!(
                fonts.iter().any(|f| f.info().coverage.contains(c as u32)),
                "no font has {c:?}"
            );
        }
    }
}
