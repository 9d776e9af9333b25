//! After MJML: CSS inlined with css-inline (remote stylesheets off), then one pass over the
//! tags that makes the accessibility promises true whatever the compiler emitted — `lang` on
//! `<html>`, `role="presentation"` on layout tables, `alt` on every `<img>`, an early charset
//! declaration — and collects the links and images the metrics report.

use super::body_html::DATA_TABLE_CLASS;
use super::{Image, Link};

pub(crate) fn inline_css(html: &str) -> Result<String, String> {
    css_inline::CSSInliner::options()
        .load_remote_stylesheets(false)
        .keep_at_rules(true)
        .build()
        .inline(html)
        .map_err(|e| e.to_string())
}

pub(crate) struct Checked {
    pub html: String,
    pub links: Vec<Link>,
    pub images: Vec<Image>,
    /// `src` of images that had no alt attribute (given `alt=""`).
    pub images_without_alt: Vec<String>,
}

struct Attr<'a> {
    name: String,
    value: Option<&'a str>,
}

/// Raw-text elements whose content is not markup.
const RAW_TEXT: [&str; 4] = ["style", "script", "title", "textarea"];

pub(crate) fn check(html: &str, lang: &str) -> Checked {
    let mut out = String::with_capacity(html.len() + 1024);
    let mut links = Vec::new();
    let mut images = Vec::new();
    let mut images_without_alt = Vec::new();
    let mut open_link: Option<(String, String)> = None;
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < html.len() {
        let Some(rel) = html[i..].find('<') else {
            push_text(&mut out, &mut open_link, &html[i..]);
            break;
        };
        push_text(&mut out, &mut open_link, &html[i..i + rel]);
        i += rel;
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            out.push_str(&rest[..end]);
            i += end;
            continue;
        }
        let is_end = rest.starts_with("</");
        let name_start = if is_end { 2 } else { 1 };
        let name_len = rest[name_start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len() - name_start);
        if name_len == 0 || !bytes[i + name_start].is_ascii_alphabetic() {
            // `<!doctype …>` or a stray `<` (serialised text never has one, but be safe).
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            out.push_str(&rest[..end]);
            i += end;
            continue;
        }
        let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
        let (attrs, tag_end) = parse_attrs(rest, name_start + name_len);
        let tag = &rest[..tag_end];
        i += tag_end;
        if is_end {
            out.push_str(tag);
            if name == "a" {
                if let Some((href, text)) = open_link.take() {
                    links.push(Link {
                        href,
                        text: collapse_ws(&text),
                    });
                }
            }
            continue;
        }
        let get = |n: &str| {
            attrs
                .iter()
                .find(|a| a.name == n)
                .map(|a| a.value.unwrap_or(""))
        };
        let mut add = String::new();
        let mut after = "";
        match name.as_str() {
            // A saved .html file has no HTTP header: the charset must be declared within the
            // first 1024 bytes, before the <style> and <title> the compiler puts first.
            "head" => after = "<meta charset=\"utf-8\">",
            "html" if get("lang").is_none_or(str::is_empty) => {
                add = format!(" lang=\"{lang}\"");
            }
            "table" if get("role").is_none() => {
                let data = get("class")
                    .is_some_and(|c| c.split_whitespace().any(|c| c == DATA_TABLE_CLASS));
                if !data {
                    add = " role=\"presentation\"".to_string();
                }
            }
            "img" => {
                let src = decode(get("src").unwrap_or(""));
                if get("alt").is_none() {
                    add = " alt=\"\"".to_string();
                    images_without_alt.push(src.clone());
                }
                images.push(Image {
                    src,
                    alt: decode(get("alt").unwrap_or("")),
                    width: get("width").and_then(|w| w.trim_end_matches("px").parse().ok()),
                });
            }
            "a" => {
                if let Some(href) = get("href") {
                    open_link = Some((decode(href), String::new()));
                }
            }
            _ => {}
        }
        if add.is_empty() {
            out.push_str(tag);
        } else {
            let close = if tag.ends_with("/>") {
                tag.len() - 2
            } else {
                tag.len() - 1
            };
            out.push_str(tag[..close].trim_end());
            out.push_str(&add);
            out.push_str(&tag[close..]);
        }
        out.push_str(after);
        if RAW_TEXT.contains(&name.as_str()) {
            let closing = format!("</{name}");
            let end = find_ascii_ci(&html[i..], &closing).unwrap_or(html.len() - i);
            out.push_str(&html[i..i + end]);
            i += end;
        }
    }
    Checked {
        html: out,
        links,
        images,
        images_without_alt,
    }
}

fn push_text(out: &mut String, open_link: &mut Option<(String, String)>, text: &str) {
    out.push_str(text);
    if let Some((_, t)) = open_link.as_mut() {
        t.push_str(&decode(text));
    }
}

/// Attributes of the start tag beginning at `rest[0]`; returns them and the tag's length.
fn parse_attrs(rest: &str, mut p: usize) -> (Vec<Attr<'_>>, usize) {
    let b = rest.as_bytes();
    let mut attrs = Vec::new();
    loop {
        while p < b.len() && (b[p].is_ascii_whitespace() || b[p] == b'/') {
            p += 1;
        }
        if p >= b.len() {
            return (attrs, b.len());
        }
        if b[p] == b'>' {
            return (attrs, p + 1);
        }
        let start = p;
        while p < b.len() && !b[p].is_ascii_whitespace() && !matches!(b[p], b'=' | b'>' | b'/') {
            p += 1;
        }
        let name = rest[start..p].to_ascii_lowercase();
        let mut value = None;
        if p < b.len() && b[p] == b'=' {
            p += 1;
            if p < b.len() && (b[p] == b'"' || b[p] == b'\'') {
                let q = b[p];
                let vstart = p + 1;
                let vend = rest[vstart..]
                    .bytes()
                    .position(|c| c == q)
                    .map_or(b.len(), |e| vstart + e);
                value = Some(&rest[vstart..vend]);
                p = (vend + 1).min(b.len());
            } else {
                let vstart = p;
                while p < b.len() && !b[p].is_ascii_whitespace() && b[p] != b'>' {
                    p += 1;
                }
                value = Some(&rest[vstart..p]);
            }
        }
        attrs.push(Attr { name, value });
    }
}

fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    hay.as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes the entities an HTML serialiser writes (named basics and numeric references).
pub(crate) fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..semi];
        let ch = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                u32::from_str_radix(&ent[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_missing_accessibility_attributes() {
        let html = "<!doctype html><html><head><style>td > a { x: y }</style></head><body>\
            <table><tr><td><img src=\"a.png\" width=\"160\"></td></tr></table>\
            <table class=\"x ccm-table\"><tr><td><a href=\"https://a.example/?a=1&amp;b=2\">Pay <b>now</b></a></td></tr></table>\
            <img src='b.png' alt=\"Logo\" /></body></html>";
        let c = check(html, "ja");
        assert!(c
            .html
            .contains("<html lang=\"ja\"><head><meta charset=\"utf-8\"><style>"));
        assert!(c.html.contains("<table role=\"presentation\"><tr>"));
        assert!(c.html.contains("<table class=\"x ccm-table\"><tr>"));
        assert!(c
            .html
            .contains("<img src=\"a.png\" width=\"160\" alt=\"\">"));
        assert!(c.html.contains("<style>td > a { x: y }</style>"));
        assert_eq!(c.images_without_alt, vec!["a.png".to_string()]);
        assert_eq!(c.images[0].width, Some(160));
        assert_eq!(c.images[1].alt, "Logo");
        assert_eq!(c.links.len(), 1);
        assert_eq!(c.links[0].href, "https://a.example/?a=1&b=2");
        assert_eq!(c.links[0].text, "Pay now");
    }

    #[test]
    fn existing_lang_and_roles_are_kept() {
        let c = check(
            "<html lang=\"en\"><table role=\"grid\"></table></html>",
            "ja",
        );
        assert_eq!(
            c.html,
            "<html lang=\"en\"><table role=\"grid\"></table></html>"
        );
    }

    #[test]
    fn decodes_entities() {
        assert_eq!(decode("a&amp;b&#12354;&#x3042;&bogus;&"), "a&bああ&bogus;&");
    }
}
