//! Components in the email HTML (docs/FILE-FORMAT.md, "Components"): MJML written into the
//! body fragment.
//!
//! The body fragment sits inside `<mj-section><mj-column><mj-text><div class="ccm-body">` of
//! the layout. A component that is MJML of its own (button, divider, spacer) closes the
//! `mj-text`, writes its element into the column and opens a new `mj-text`; one that needs a
//! section of its own (columns, hero) closes the section too. A body without components is
//! the same fragment as before, byte for byte.

use super::layout::Palette;
use super::markdown::push_escaped;
use crate::components::{Align, Component, Tone};

/// Leaves the body text and stays in the column.
pub(crate) const CLOSE_TEXT: &str = "</div></mj-text>\n";
/// Back into body text inside the current column.
pub(crate) const OPEN_TEXT: &str = "<mj-text><div class=\"ccm-body\">\n";
/// Leaves the body text, the column and the section.
pub(crate) const CLOSE_SECTION: &str = "</div></mj-text></mj-column></mj-section>\n";
/// A new white body section with one column of body text.
pub(crate) const OPEN_SECTION: &str =
    "<mj-section background-color=\"#ffffff\" padding=\"0\"><mj-column><mj-text><div class=\"ccm-body\">\n";

/// Button text colour on the brand's primary colour: white or the brand's text colour,
/// whichever contrasts more (WCAG 2.x relative luminance).
pub(crate) fn button_text_colour(p: &Palette) -> (&str, f64) {
    let white = contrast(&p.primary, "#ffffff");
    let text = contrast(&p.primary, &p.text);
    if white >= text {
        ("#ffffff", white)
    } else {
        (p.text.as_str(), text)
    }
}

fn luminance(hex: &str) -> Option<f64> {
    let h = hex.trim().strip_prefix('#')?;
    let channel = |i: usize| -> Option<f64> {
        let v = f64::from(u8::from_str_radix(h.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

/// WCAG contrast ratio of two `#rrggbb` colours (1 when one does not parse).
pub(crate) fn contrast(a: &str, b: &str) -> f64 {
    match (luminance(a), luminance(b)) {
        (Some(x), Some(y)) => (x.max(y) + 0.05) / (x.min(y) + 0.05),
        _ => 1.0,
    }
}

/// The MJML/HTML of a component that needs no image. Hero is written by the body writer
/// (it needs the brand kit's image); the customer barcode prints on letters only.
pub(crate) fn write(out: &mut String, c: &Component, p: &Palette, in_columns: bool) {
    match c {
        Component::Button { label, url, .. } => {
            let (colour, _) = button_text_colour(p);
            out.push_str(CLOSE_TEXT);
            // mj-button is MJML's bulletproof button: a table cell with bgcolor and a padded
            // link, which Outlook's Word renderer shows as a button too.
            out.push_str(&format!(
                "<mj-button href=\"{}\" background-color=\"{}\" color=\"{colour}\" font-size=\"16px\" font-weight=\"bold\" inner-padding=\"14px 28px\" border-radius=\"4px\" align=\"left\" padding=\"4px 32px 20px 32px\">",
                attr(url),
                p.primary
            ));
            push_escaped(out, label);
            out.push_str("</mj-button>\n");
            out.push_str(OPEN_TEXT);
        }
        Component::Divider => {
            out.push_str(CLOSE_TEXT);
            out.push_str(&format!(
                "<mj-divider border-color=\"{}\" border-width=\"2px\" padding=\"8px 32px 20px 32px\" />\n",
                p.primary
            ));
            out.push_str(OPEN_TEXT);
        }
        Component::Spacer { size } => {
            out.push_str(CLOSE_TEXT);
            out.push_str(&format!("<mj-spacer height=\"{}px\" />\n", size.px()));
            out.push_str(OPEN_TEXT);
        }
        Component::Callout { title, text, tone } => {
            let colour = match tone {
                Tone::Info => p.primary.as_str(),
                Tone::Warning => "#b45309",
            };
            let fill = match tone {
                Tone::Info => p.tint.as_str(),
                Tone::Warning => "#fdf3e7",
            };
            out.push_str(&format!(
                "<div class=\"ccm-callout\" style=\"border-left:4px solid {colour};background-color:{fill};padding:12px 16px;margin:0 0 16px 0\">"
            ));
            if !title.is_empty() {
                out.push_str("<strong>");
                push_escaped(out, title);
                out.push_str("</strong><br />\n");
            }
            push_escaped(out, text);
            out.push_str("</div>\n");
        }
        Component::Signature {
            name,
            title,
            organisation,
        } => {
            out.push_str("<p class=\"ccm-signature\" style=\"margin:24px 0 16px 0\">");
            let lines: Vec<&String> = [name, title, organisation]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            for (i, l) in lines.iter().enumerate() {
                if i > 0 {
                    out.push_str("<br />\n");
                }
                if i == 0 {
                    out.push_str("<strong>");
                    push_escaped(out, l);
                    out.push_str("</strong>");
                } else {
                    push_escaped(out, l);
                }
            }
            out.push_str("</p>\n");
        }
        Component::Qr { url, label } => {
            // A QR code on the screen that is reading the email helps nobody: the email links.
            out.push_str("<p><a href=\"");
            push_escaped(out, url);
            out.push_str("\" target=\"_blank\" rel=\"noopener\">");
            push_escaped(out, if label.is_empty() { url } else { label });
            out.push_str("</a></p>\n");
        }
        Component::Table {
            headers,
            rows,
            align,
        } => write_table(out, headers, rows, align),
        Component::Columns { .. } => {
            // Columns inside columns are not nested: the open ones end here.
            out.push_str(CLOSE_SECTION);
            out.push_str(
                "<mj-section background-color=\"#ffffff\" padding=\"0\"><mj-column><mj-text><div class=\"ccm-body\">\n",
            );
        }
        Component::NextColumn => {
            if in_columns {
                out.push_str(
                    "</div></mj-text></mj-column><mj-column><mj-text><div class=\"ccm-body\">\n",
                );
            }
        }
        Component::EndColumns => {
            if in_columns {
                out.push_str(CLOSE_SECTION);
                out.push_str(OPEN_SECTION);
            }
        }
        Component::Hero { .. } | Component::CustomerBarcode { .. } => {}
    }
}

fn write_table(out: &mut String, headers: &[String], rows: &[Vec<String>], align: &[Align]) {
    let style = |i: usize| match align.get(i).copied().unwrap_or_default() {
        Align::Left => " style=\"text-align:left\"",
        Align::Center => " style=\"text-align:center\"",
        Align::Right => " style=\"text-align:right\"",
    };
    out.push_str("<table class=\"");
    out.push_str(super::body_html::DATA_TABLE_CLASS);
    out.push_str("\" cellpadding=\"0\" cellspacing=\"0\">\n");
    if !headers.is_empty() {
        out.push_str("<thead><tr>");
        for (i, h) in headers.iter().enumerate() {
            out.push_str(&format!("<th{}>", style(i)));
            push_escaped(out, h);
            out.push_str("</th>");
        }
        out.push_str("</tr></thead>\n");
    }
    out.push_str("<tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            out.push_str(&format!("<td{}>", style(i)));
            push_escaped(out, cell);
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

/// A URL for an MJML attribute: escaped like HTML text (quotes included).
fn attr(url: &str) -> String {
    let mut s = String::new();
    push_escaped(&mut s, url);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_follows_wcag() {
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 0.01);
        assert!((contrast("#777777", "#ffffff") - 4.48).abs() < 0.01);
    }
}
