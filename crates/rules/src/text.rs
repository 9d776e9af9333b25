//! Visible text, links, images and colours of rendered email HTML, plus URL and header helpers.
//!
//! A small hand-written tokenizer rather than html5ever/scraper (a full DOM and tree builder
//! we do not need) or tl/lol_html: every finding must point at an exact byte range of the
//! rendered HTML, and the visible text we search must map back to it character by character.
//! The input is our own renderer's output (mrml + css-inline), so a tolerant tokenizer —
//! tags, attributes, comments, raw-text elements, entities — is enough, and it never fails:
//! malformed markup degrades to text.

use crate::contrast::{parse_color, Rgb};
use std::ops::Range;
use std::sync::LazyLock;

/// One `<a href>`; `text` is the range of its visible text in [`HtmlDoc::text`].
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub href: String,
    pub href_span: Range<usize>,
    pub tag_span: Range<usize>,
    pub text: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub src: String,
    pub alt: Option<String>,
    pub tag_span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HtmlTag {
    pub lang: Option<String>,
    pub tag_span: Range<usize>,
}

/// A colour literal in an attribute, inline style or `<style>` block.
#[derive(Debug, Clone, PartialEq)]
pub struct ColorToken {
    pub value: String,
    pub rgb: Option<Rgb>,
    pub span: Range<usize>,
}

/// A run of visible text with the inline-styled colours in force. `fg`/`bg` carry the span of
/// the declaration that set them; `None` means the client default (the engine uses the brand).
#[derive(Debug, Clone, PartialEq)]
pub struct StyledRun {
    pub span: Range<usize>,
    pub fg: Option<(Rgb, Range<usize>)>,
    pub bg: Option<(Rgb, Range<usize>)>,
    pub large: bool,
}

/// What the checks need from one HTML document.
#[derive(Debug, Clone, Default)]
pub struct HtmlDoc {
    /// Visible text: hidden elements, head, scripts and styles dropped; entities decoded;
    /// whitespace runs collapsed; block elements end a line.
    pub text: String,
    /// Per visible character: (offset in `text`, offset in the HTML, byte length in the HTML).
    map: Vec<(usize, usize, usize)>,
    pub links: Vec<Link>,
    pub images: Vec<Image>,
    pub html_tag: Option<HtmlTag>,
    pub colors: Vec<ColorToken>,
    pub runs: Vec<StyledRun>,
}

impl HtmlDoc {
    /// The HTML byte range of `text[range]`.
    pub fn html_range(&self, range: Range<usize>) -> Range<usize> {
        if self.map.is_empty() {
            return 0..0;
        }
        let idx = |t: usize| {
            self.map
                .partition_point(|&(o, _, _)| o <= t)
                .saturating_sub(1)
        };
        let (_, start, _) = self.map[idx(range.start)];
        let last = idx(range.end.saturating_sub(1).max(range.start));
        let (_, s, l) = self.map[last];
        start..(s + l).max(start)
    }
}

#[derive(Clone, Default)]
struct Frame {
    name: String,
    fg: Option<(Rgb, Range<usize>)>,
    bg: Option<(Rgb, Range<usize>)>,
    size_pt: Option<f64>,
    bold: bool,
    hidden: bool,
    link: Option<usize>,
}

const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param",
];
const RAW: [&str; 5] = ["script", "style", "textarea", "title", "noscript"];
const BLOCK: [&str; 20] = [
    "p",
    "div",
    "br",
    "tr",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "blockquote",
    "section",
    "center",
    "hr",
    "header",
    "footer",
];

struct Attr {
    name: String,
    value: String,
    value_span: Range<usize>,
}

/// Parses rendered HTML. Never fails.
pub fn parse_html(html: &str) -> HtmlDoc {
    let mut doc = HtmlDoc::default();
    let mut stack: Vec<Frame> = vec![Frame::default()];
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let Some(rel) = html[i..].find('<') else {
            push_text(&mut doc, &stack, html, i..html.len());
            break;
        };
        if rel > 0 {
            push_text(&mut doc, &stack, html, i..i + rel);
        }
        let lt = i + rel;
        let rest = &html[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = comment.find("-->").map_or(html.len(), |e| lt + 4 + e + 3);
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            i = rest.find('>').map_or(html.len(), |e| lt + e + 1);
        } else if let Some(after) = rest.strip_prefix("</") {
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            let end = rest.find('>').map_or(html.len(), |e| lt + e + 1);
            if !name.is_empty() {
                close(&mut doc, &mut stack, &name, lt);
            }
            i = end;
        } else if rest.len() > 1 && rest.as_bytes()[1].is_ascii_alphabetic() {
            let (name, attrs, end) = parse_tag(html, lt);
            open(&mut doc, &mut stack, html, &name, &attrs, lt..end);
            i = end;
            if RAW.contains(&name.as_str()) {
                let close_at = find_ci(html, end, &format!("</{name}")).unwrap_or(html.len());
                if name == "style" {
                    css_colors(html, end..close_at, &mut doc.colors);
                }
                i = close_at;
            }
        } else {
            push_text(&mut doc, &stack, html, lt..lt + 1);
            i = lt + 1;
        }
    }
    while doc.text.ends_with([' ', '\n']) {
        doc.text.pop();
        doc.map.pop();
    }
    let len = doc.text.len();
    for frame in stack.iter().rev() {
        if let Some(l) = frame.link {
            if doc.links[l].text.end == usize::MAX {
                doc.links[l].text.end = len;
            }
        }
    }
    for l in &mut doc.links {
        l.text.end = l.text.end.min(len);
        l.text.start = l.text.start.min(l.text.end);
    }
    doc
}

fn find_ci(html: &str, from: usize, needle: &str) -> Option<usize> {
    let hay = html.as_bytes();
    let n = needle.as_bytes();
    (from..hay.len().saturating_sub(n.len() - 1))
        .find(|&k| hay[k..k + n.len()].eq_ignore_ascii_case(n))
}

fn parse_tag(html: &str, lt: usize) -> (String, Vec<Attr>, usize) {
    let b = html.as_bytes();
    let mut k = lt + 1;
    while k < b.len() && (b[k].is_ascii_alphanumeric() || b[k] == b'-' || b[k] == b':') {
        k += 1;
    }
    let name = html[lt + 1..k].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while k < b.len() && (b[k].is_ascii_whitespace() || b[k] == b'/') {
            k += 1;
        }
        if k >= b.len() {
            return (name, attrs, b.len());
        }
        if b[k] == b'>' {
            return (name, attrs, k + 1);
        }
        let ns = k;
        while k < b.len() && !b[k].is_ascii_whitespace() && !matches!(b[k], b'=' | b'>' | b'/') {
            k += 1;
        }
        let aname = html[ns..k].to_ascii_lowercase();
        let mut j = k;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let (value, span) = if j < b.len() && b[j] == b'=' {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                let q = b[j];
                let vs = j + 1;
                let ve = html[vs..].find(q as char).map_or(b.len(), |e| vs + e);
                k = (ve + 1).min(b.len());
                (&html[vs..ve], vs..ve)
            } else {
                let vs = j;
                while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                    j += 1;
                }
                k = j;
                (&html[vs..j], vs..j)
            }
        } else {
            ("", k..k)
        };
        if !aname.is_empty() {
            attrs.push(Attr {
                name: aname,
                value: decode_entities(value),
                value_span: span,
            });
        } else {
            k += 1;
        }
    }
}

fn attr<'a>(attrs: &'a [Attr], name: &str) -> Option<&'a Attr> {
    attrs.iter().find(|a| a.name == name)
}

fn open(
    doc: &mut HtmlDoc,
    stack: &mut Vec<Frame>,
    html: &str,
    name: &str,
    attrs: &[Attr],
    tag: Range<usize>,
) {
    if BLOCK.contains(&name) {
        line_break(doc, stack, tag.start);
    }
    let parent = stack.last().cloned().unwrap_or_default();
    let mut frame = Frame {
        name: name.to_string(),
        link: parent.link,
        ..parent
    };
    match name {
        "html" => {
            doc.html_tag.get_or_insert(HtmlTag {
                lang: attr(attrs, "lang").map(|a| a.value.trim().to_string()),
                tag_span: tag.clone(),
            });
        }
        "img" => doc.images.push(Image {
            src: attr(attrs, "src")
                .map(|a| a.value.clone())
                .unwrap_or_default(),
            alt: attr(attrs, "alt").map(|a| a.value.clone()),
            tag_span: tag.clone(),
        }),
        "a" => {
            if let Some(href) = attr(attrs, "href") {
                doc.links.push(Link {
                    href: href.value.trim().to_string(),
                    href_span: href.value_span.clone(),
                    tag_span: tag.clone(),
                    text: doc.text.len()..usize::MAX,
                });
                frame.link = Some(doc.links.len() - 1);
            }
        }
        "head" => frame.hidden = true,
        "h1" => (frame.size_pt, frame.bold) = (Some(24.0), true),
        "h2" => (frame.size_pt, frame.bold) = (Some(18.0), true),
        "h3" => (frame.size_pt, frame.bold) = (Some(14.04), true),
        "b" | "strong" | "th" => frame.bold = true,
        _ => {}
    }
    for a in attrs {
        match a.name.as_str() {
            "bgcolor" | "color" | "text" | "link" | "vlink" | "alink" => {
                let rgb = parse_color(&a.value);
                doc.colors.push(ColorToken {
                    value: a.value.clone(),
                    rgb,
                    span: a.value_span.clone(),
                });
                if let Some(rgb) = rgb {
                    match a.name.as_str() {
                        "bgcolor" => frame.bg = Some((rgb, a.value_span.clone())),
                        "color" if name == "font" => frame.fg = Some((rgb, a.value_span.clone())),
                        _ => {}
                    }
                }
            }
            "style" => apply_style(doc, &mut frame, html, a.value_span.clone()),
            _ => {}
        }
    }
    if !VOID.contains(&name) && !RAW.contains(&name) {
        stack.push(frame);
    }
}

fn close(doc: &mut HtmlDoc, stack: &mut Vec<Frame>, name: &str, at: usize) {
    if let Some(pos) = stack.iter().rposition(|f| f.name == name) {
        if pos == 0 {
            return;
        }
        for frame in stack.drain(pos..).rev() {
            match frame.link {
                Some(l) if frame.name == "a" && doc.links[l].text.end == usize::MAX => {
                    doc.links[l].text.end = doc.text.len();
                }
                _ => {}
            }
        }
    }
    if BLOCK.contains(&name) || name == "td" || name == "th" {
        if name == "td" || name == "th" {
            push_space(doc, stack, at);
        } else {
            line_break(doc, stack, at);
        }
    }
}

/// Reads an inline `style` attribute: colours (for the palette and contrast), font size,
/// weight and whether it hides the element (preheader tricks, hidden spacers).
fn apply_style(doc: &mut HtmlDoc, frame: &mut Frame, html: &str, span: Range<usize>) {
    let mut hide_height = false;
    let mut overflow_hidden = false;
    for (prop, value, vspan) in declarations(html, span) {
        let v = value
            .trim()
            .trim_end_matches("!important")
            .trim()
            .to_ascii_lowercase();
        match prop.as_str() {
            "color" => {
                if let Some(rgb) = parse_color(&v) {
                    frame.fg = Some((rgb, vspan.clone()));
                }
            }
            "background-color" | "background" => {
                if let Some(tok) = color_tokens(html, vspan.clone()).into_iter().next() {
                    if let Some(rgb) = tok.rgb {
                        frame.bg = Some((rgb, tok.span.clone()));
                    }
                }
            }
            "font-size" => {
                if let Some(px) = v
                    .strip_suffix("px")
                    .and_then(|n| n.trim().parse::<f64>().ok())
                {
                    frame.size_pt = Some(px * 0.75);
                } else if let Some(pt) = v
                    .strip_suffix("pt")
                    .and_then(|n| n.trim().parse::<f64>().ok())
                {
                    frame.size_pt = Some(pt);
                }
            }
            "font-weight" => {
                frame.bold =
                    v == "bold" || v == "bolder" || v.parse::<u32>().is_ok_and(|w| w >= 600);
            }
            "display" if v == "none" => frame.hidden = true,
            "visibility" if v == "hidden" => frame.hidden = true,
            "mso-hide" if v == "all" => frame.hidden = true,
            "max-height" | "height" if v.trim_end_matches("px") == "0" => hide_height = true,
            "overflow" if v == "hidden" => overflow_hidden = true,
            _ => {}
        }
        if !matches!(prop.as_str(), "font-family" | "font" | "content" | "src") {
            doc.colors.extend(color_tokens(html, vspan));
        }
    }
    if hide_height && overflow_hidden {
        frame.hidden = true;
    }
}

/// `prop: value` pairs of a declaration list, with the byte span of each value.
fn declarations(html: &str, span: Range<usize>) -> Vec<(String, String, Range<usize>)> {
    let mut out = Vec::new();
    let mut start = span.start;
    let s = &html[span.clone()];
    for part in s.split(';') {
        if let Some(colon) = part.find(':') {
            let prop = part[..colon].trim().to_ascii_lowercase();
            let raw = &part[colon + 1..];
            let lead = raw.len() - raw.trim_start().len();
            let vs = start + colon + 1 + lead;
            let ve = vs + raw.trim().len();
            out.push((prop, raw.trim().to_string(), vs..ve));
        }
        start += part.len() + 1;
    }
    out
}

static COLOR_RE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?i)#[0-9a-f]{3,8}\b|rgba?\([^)]*\)|\b[a-z]+\b").expect("static regex")
});

/// Colour literals inside a CSS value.
fn color_tokens(html: &str, span: Range<usize>) -> Vec<ColorToken> {
    COLOR_RE
        .find_iter(&html[span.clone()])
        .filter_map(|m| {
            let value = m.as_str();
            let rgb = parse_color(value);
            let is_color = value.starts_with('#')
                || value.to_ascii_lowercase().starts_with("rgb")
                || rgb.is_some();
            is_color.then(|| ColorToken {
                value: value.to_string(),
                rgb,
                span: span.start + m.start()..span.start + m.end(),
            })
        })
        .collect()
}

/// Colour literals in a stylesheet: only inside declarations, never in selectors (`#id`).
pub fn css_colors(css_host: &str, span: Range<usize>, out: &mut Vec<ColorToken>) {
    let text = &css_host[span.clone()];
    // Blank out comments, keeping offsets.
    let mut clean: Vec<u8> = text.as_bytes().to_vec();
    let mut k = 0;
    while let Some(s) = text[k..].find("/*") {
        let s = k + s;
        let e = text[s + 2..]
            .find("*/")
            .map_or(text.len(), |e| s + 2 + e + 2);
        for b in &mut clean[s..e] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
        k = e;
        if k >= text.len() {
            break;
        }
    }
    let mut seg_start = 0;
    for (idx, &b) in clean.iter().enumerate() {
        if matches!(b, b'{' | b'}' | b';') {
            let seg = &text[seg_start..idx];
            if b != b'{' {
                if let Some(colon) = seg.find(':') {
                    let prop = seg[..colon].trim().to_ascii_lowercase();
                    if !matches!(prop.as_str(), "font-family" | "font" | "content" | "src")
                        && !prop.starts_with('@')
                    {
                        let vs = span.start + seg_start + colon + 1;
                        out.extend(color_tokens(css_host, vs..span.start + idx));
                    }
                }
            }
            seg_start = idx + 1;
        }
    }
}

fn visible(stack: &[Frame]) -> bool {
    !stack.last().is_some_and(|f| f.hidden)
}

fn line_break(doc: &mut HtmlDoc, stack: &[Frame], at: usize) {
    if !visible(stack) || doc.text.is_empty() {
        return;
    }
    if doc.text.ends_with(' ') {
        doc.text.pop();
        doc.map.pop();
    }
    if !doc.text.ends_with('\n') {
        doc.map.push((doc.text.len(), at, 0));
        doc.text.push('\n');
    }
}

fn push_space(doc: &mut HtmlDoc, stack: &[Frame], at: usize) {
    if visible(stack) && !doc.text.is_empty() && !doc.text.ends_with([' ', '\n']) {
        doc.map.push((doc.text.len(), at, 0));
        doc.text.push(' ');
    }
}

fn push_text(doc: &mut HtmlDoc, stack: &[Frame], html: &str, range: Range<usize>) {
    if !visible(stack) {
        return;
    }
    let frame = stack.last().cloned().unwrap_or_default();
    let raw = &html[range.clone()];
    let mut any_visible = false;
    let mut k = 0;
    while k < raw.len() {
        let (decoded, len) = if raw.as_bytes()[k] == b'&' {
            match decode_entity_at(&raw[k..]) {
                Some((c, l)) => (c, l),
                None => ('&', 1),
            }
        } else {
            let c = raw[k..].chars().next().expect("in bounds");
            (c, c.len_utf8())
        };
        let at = range.start + k;
        k += len;
        if decoded == '\u{200c}' || decoded == '\u{ad}' || decoded == '\u{200b}' {
            continue; // zero-width fillers used to pad preheaders
        }
        if decoded.is_whitespace() && decoded != '\u{3000}' {
            if !doc.text.is_empty() && !doc.text.ends_with([' ', '\n']) {
                doc.map.push((doc.text.len(), at, len));
                doc.text.push(' ');
            }
            continue;
        }
        any_visible = true;
        doc.map.push((doc.text.len(), at, len));
        doc.text.push(decoded);
    }
    if any_visible && (frame.fg.is_some() || frame.bg.is_some()) {
        let large = frame
            .size_pt
            .is_some_and(|pt| pt >= 18.0 || (pt >= 14.0 && frame.bold));
        doc.runs.push(StyledRun {
            span: range,
            fg: frame.fg,
            bg: frame.bg,
            large,
        });
    }
}

/// Decodes `&name;`, `&#n;`, `&#xh;` at the start of `s`: the character and bytes consumed.
fn decode_entity_at(s: &str) -> Option<(char, usize)> {
    let end = s[1..].find(';').map(|e| e + 1)?;
    if end > 12 {
        return None;
    }
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let n = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse().ok()?
        };
        char::from_u32(n)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" | "#39" => '\'',
            "nbsp" => '\u{a0}',
            "copy" => '©',
            "reg" => '®',
            "trade" => '™',
            "yen" => '¥',
            "hellip" => '…',
            "mdash" => '—',
            "ndash" => '–',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "middot" => '·',
            "times" => '×',
            "zwnj" => '\u{200c}',
            "shy" => '\u{ad}',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// Decodes entities in an attribute value.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut k = 0;
    while k < s.len() {
        if s.as_bytes()[k] == b'&' {
            if let Some((c, l)) = decode_entity_at(&s[k..]) {
                out.push(c);
                k += l;
                continue;
            }
        }
        let c = s[k..].chars().next().expect("in bounds");
        out.push(c);
        k += c.len_utf8();
    }
    out
}

static URL_RE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r#"(?i)(?:https?://|www\.)[^\s<>"'()\[\]{}（）「」『』【】、。，＜＞]+"#)
        .expect("static regex")
});

/// Bare URLs in plain text, trailing punctuation trimmed.
pub fn find_urls(text: &str) -> Vec<Range<usize>> {
    URL_RE
        .find_iter(text)
        .map(|m| {
            let trimmed = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
            m.start()..m.start() + trimmed.len()
        })
        .collect()
}

/// `https`, `mailto`, … in lower case; `None` for a bare `www.` address, which is text for
/// people to type (print, plain text), not a link with a scheme.
pub fn url_scheme(url: &str) -> Option<String> {
    let url = url.trim();
    if url.to_ascii_lowercase().starts_with("www.") {
        return None;
    }
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    (!scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_ascii_lowercase())
}

/// Lower-case host of an http(s) or protocol-relative URL.
pub fn url_host(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = if let Some(r) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    {
        r
    } else if let Some(r) = lower.strip_prefix("//") {
        r
    } else if lower.starts_with("www.") {
        &lower[..]
    } else {
        return None;
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.trim_end_matches('.').to_string())
}

/// `host` is `domain` or a subdomain of it.
pub fn host_within(host: &str, domain: &str) -> bool {
    let domain = domain.trim_start_matches("*.").trim_start_matches('.');
    host == domain || host.ends_with(&format!(".{domain}"))
}

/// `Name: value` header lines (folded lines joined), with the byte span of each value.
pub fn parse_headers(text: &str) -> Vec<(String, String, Range<usize>)> {
    let mut out: Vec<(String, String, Range<usize>)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\r', '\n']);
        if content.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(content.trim());
                last.2.end = offset + content.len();
            }
        } else if let Some(colon) = content.find(':') {
            let value = &content[colon + 1..];
            let lead = value.len() - value.trim_start().len();
            let vs = offset + colon + 1 + lead;
            out.push((
                content[..colon].trim().to_string(),
                value.trim().to_string(),
                vs..offset + content.len(),
            ));
        }
        offset += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMAIL: &str = r##"<!doctype html><html lang="ja"><head><title>件名</title>
<style>#outlook a{padding:0} .x { color: #123456; }</style></head>
<body style="background-color:#ffffff">
<div style="display:none;font-size:1px">プリヘッダー</div>
<p style="color:#222222">山田&nbsp;太郎 様<br>ご利用&amp;ありがとう</p>
<img src="logo.png"><img src="s.png" alt="">
<p>配信停止は<a href="https://ex.jp/optout?a=1&amp;b=2">こちら</a>から</p>
</body></html>"##;

    #[test]
    fn visible_text_skips_head_hidden_and_decodes_entities() {
        let doc = parse_html(EMAIL);
        assert!(!doc.text.contains("件名"), "{}", doc.text);
        assert!(!doc.text.contains("プリヘッダー"), "{}", doc.text);
        assert!(!doc.text.contains("padding"), "{}", doc.text);
        assert!(
            doc.text.contains("山田 太郎 様\nご利用&ありがとう"),
            "{:?}",
            doc.text
        );
    }

    #[test]
    fn visible_text_maps_back_to_exact_html_bytes() {
        let doc = parse_html(EMAIL);
        let t = doc.text.find("ありがとう").unwrap();
        let r = doc.html_range(t..t + "ありがとう".len());
        assert_eq!(&EMAIL[r], "ありがとう");
        let amp = doc.text.find('&').unwrap();
        assert_eq!(&EMAIL[doc.html_range(amp..amp + 1)], "&amp;");
    }

    #[test]
    fn links_images_lang_and_colours_are_collected() {
        let doc = parse_html(EMAIL);
        assert_eq!(doc.links.len(), 1);
        let link = &doc.links[0];
        assert_eq!(link.href, "https://ex.jp/optout?a=1&b=2");
        assert_eq!(&doc.text[link.text.clone()], "こちら");
        assert_eq!(doc.images.len(), 2);
        assert_eq!(doc.images[0].alt, None);
        assert_eq!(doc.images[1].alt.as_deref(), Some(""));
        assert_eq!(doc.html_tag.as_ref().unwrap().lang.as_deref(), Some("ja"));
        let colours: Vec<&str> = doc.colors.iter().map(|c| &EMAIL[c.span.clone()]).collect();
        assert_eq!(
            colours,
            ["#123456", "#ffffff", "#222222"],
            "selector #outlook is not a colour"
        );
    }

    #[test]
    fn styled_runs_carry_inherited_colours() {
        let doc = parse_html(EMAIL);
        let run = doc
            .runs
            .iter()
            .find(|r| EMAIL[r.span.clone()].contains("山田"))
            .expect("styled run");
        assert_eq!(run.fg.as_ref().unwrap().0, Rgb(0x22, 0x22, 0x22));
        assert_eq!(run.bg.as_ref().unwrap().0, Rgb(255, 255, 255));
        assert!(!run.large);
    }

    #[test]
    fn malformed_markup_degrades_to_text_without_panicking() {
        for html in [
            "<",
            "<a href=",
            "<p>a < b</p>",
            "<!--",
            "<style>",
            "&#xZZ;",
            "<a href='x'>t",
        ] {
            let doc = parse_html(html);
            let _ = doc.html_range(0..doc.text.len());
        }
        assert_eq!(parse_html("<p>a < b</p>").text, "a < b");
    }

    #[test]
    fn urls_hosts_and_schemes() {
        let t = "詳細はhttps://bit.ly/abc。またはhttp://Ex.JP:8080/x?y#z, www.foo.jp.";
        let urls: Vec<&str> = find_urls(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            urls,
            [
                "https://bit.ly/abc",
                "http://Ex.JP:8080/x?y#z",
                "www.foo.jp"
            ]
        );
        assert_eq!(
            url_host("http://user@Ex.JP:8080/x").as_deref(),
            Some("ex.jp")
        );
        assert_eq!(url_scheme("MAILTO:a@b").as_deref(), Some("mailto"));
        assert_eq!(
            url_scheme("www.foo.jp/x"),
            None,
            "a bare www address has no scheme"
        );
        assert!(host_within("news.ex.jp", "ex.jp"));
        assert!(!host_within("badex.jp", "ex.jp"));
    }

    #[test]
    fn headers_parse_with_folding() {
        let h = "List-Unsubscribe: <https://x/u>,\r\n <mailto:u@x>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
        let parsed = parse_headers(h);
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].1, "<https://x/u>, <mailto:u@x>");
        assert_eq!(&h[parsed[1].2.clone()], "List-Unsubscribe=One-Click");
    }
}
