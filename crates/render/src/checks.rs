//! Renditions → compliance checks: turns a [`RenderSet`] into the plain-text
//! [`ccm_rules::CheckInput`] the rules engine reads, runs the packs, and points each finding
//! back at the template source line where its text was written.
//!
//! Field and metric names follow `ccm_rules::input`: email `subject`, `preheader`, `html`,
//! `text`, `headers` (from the `.eml`, unfolded); SMS `text` + `segments`; push `title`,
//! `subtitle`, `body`, `deep_link`, `image`, `payload` (APNs JSON) + `payload_bytes`; print
//! `text` (letterhead and body as the reader sees it) + `min_font_pt`, `pages`.

use crate::pipeline::{render_all, Engine, RenderOptions};
use crate::rendition::{PrintOutput, RenderSet, Rendition};
use ccm_core::diagnostic::{line_col, Diagnostic, RelatedPlace};
use ccm_core::model::{Channel, TemplateBundle};
use ccm_rules::{field, metric, ChannelText, CheckInput, Field, PackError, RuleSet};

/// The findings of one persona × locale, with the renders they were made from.
#[derive(Debug, Clone)]
pub struct CheckedSet {
    pub set: RenderSet,
    pub findings: Vec<Diagnostic>,
}

/// What the rules engine sees of one rendered persona × locale. Channels that did not render
/// (no content, or a render error reported in the set's diagnostics) are left out.
pub fn check_input(bundle: &TemplateBundle, set: &RenderSet) -> CheckInput {
    let manifest = &bundle.source.manifest;
    let file = |c: Channel| c.source_file(&set.locale, &manifest.default_locale);
    let channels = set
        .outputs
        .iter()
        .filter_map(|o| o.rendition.as_ref())
        .map(|r| match r {
            Rendition::Email(e) => {
                let f = file(Channel::Email);
                let mut ch = ChannelText::new(Channel::Email);
                push(&mut ch, field::SUBJECT, &e.subject, &f);
                push(&mut ch, field::PREHEADER, &e.preheader, &f);
                push(&mut ch, field::HTML, &e.html, &f);
                push(&mut ch, field::TEXT, &e.text, &f);
                push(&mut ch, field::HEADERS, &eml_headers(&e.eml), &f);
                ch.with_metric(metric::HTML_BYTES, e.metrics.html_bytes as f64)
            }
            Rendition::Sms(s) => {
                let mut ch = ChannelText::new(Channel::Sms);
                push(&mut ch, field::TEXT, &s.text, &file(Channel::Sms));
                ch.with_metric(metric::SEGMENTS, s.analysis.segments as f64)
            }
            Rendition::Push(p) => {
                let f = file(Channel::Push);
                let mut ch = ChannelText::new(Channel::Push);
                push(&mut ch, field::TITLE, &p.text.title, &f);
                push(&mut ch, field::SUBTITLE, &p.text.subtitle, &f);
                push(&mut ch, field::BODY, &p.text.body, &f);
                push(&mut ch, field::DEEP_LINK, &p.text.deep_link, &f);
                push(&mut ch, "image", &p.text.image, &f);
                push(&mut ch, field::PAYLOAD, &p.apns_json, &f);
                ch.with_metric(metric::PAYLOAD_BYTES, p.apns_bytes.max(p.fcm_bytes) as f64)
            }
            Rendition::Print(p) => {
                let mut ch = ChannelText::new(Channel::Print);
                let text = print_text(p);
                push(&mut ch, field::TEXT, &text, &file(Channel::Print));
                if let Some(pt) = p.metrics.min_font_size_pt {
                    ch = ch.with_metric(metric::MIN_FONT_PT, pt);
                }
                ch.with_metric("pages", p.metrics.pages as f64)
            }
        })
        .collect();
    CheckInput {
        template_id: bundle.template_id.clone(),
        persona: set.persona.clone(),
        locale: set.locale.clone(),
        default_locale: manifest.default_locale.clone(),
        purpose: manifest.purpose,
        industry: manifest.industry.clone(),
        rule_packs: manifest.rule_packs.clone(),
        essential: manifest.consistency.essential.clone(),
        brand: bundle.brand.kit.clone(),
        channels,
    }
}

/// Optional fields that rendered empty are left out, so "must not be empty" rules only see
/// fields the template actually uses.
fn push(ch: &mut ChannelText, name: &str, value: &str, file: &str) {
    let optional = [
        field::PREHEADER,
        field::SUBTITLE,
        field::DEEP_LINK,
        "image",
        field::HEADERS,
    ];
    if optional.contains(&name) && value.trim().is_empty() {
        return;
    }
    ch.fields.push(Field {
        name: name.to_string(),
        value: value.to_string(),
        source_file: Some(file.to_string()),
    });
}

/// Checks one rendered persona × locale against `rules` (always-on packs plus the template's
/// `rule_packs`). Errors when the template names a pack that is not loaded.
pub fn check_rendered(
    rules: &RuleSet,
    bundle: &TemplateBundle,
    persona: &str,
    locale: &str,
    set: &RenderSet,
) -> Result<Vec<Diagnostic>, PackError> {
    let mut input = check_input(bundle, set);
    input.persona = persona.to_string();
    input.locale = locale.to_string();
    let mut findings = ccm_rules::check(rules, &input)?;
    findings.extend(crate::components::findings(bundle, set));
    for f in &mut findings {
        locate(bundle, locale, f);
        locate_by_context(bundle, &input, f);
        if let Some(related) = f.related.take() {
            f.related = Some(locate_related(bundle, locale, &input, f, related));
        }
    }
    Ok(findings)
}

/// Renders and checks every persona × locale of `bundle` (or just the ones named), in
/// persona-then-locale order. Page PNGs are not rendered: checks do not read them.
pub fn check_template(
    engine: &Engine,
    rules: &RuleSet,
    bundle: &TemplateBundle,
    opts: &RenderOptions,
    persona: Option<&str>,
    locale: Option<&str>,
) -> Result<Vec<CheckedSet>, PackError> {
    let mut opts = opts.clone();
    opts.png_dpi = None;
    let source = &bundle.source;
    let personas: Vec<&str> = match persona {
        Some(p) => vec![p],
        None => source.personas.iter().map(|p| p.id.as_str()).collect(),
    };
    let locales: Vec<&str> = match locale {
        Some(l) => vec![l],
        None => source.manifest.locales.iter().map(String::as_str).collect(),
    };
    let mut out = Vec::new();
    for p in &personas {
        for l in &locales {
            let set = render_all(engine, bundle, p, l, &opts);
            let findings = check_rendered(rules, bundle, p, l, &set)?;
            out.push(CheckedSet { set, findings });
        }
    }
    Ok(out)
}

/// The header block of a MIME message as `Name: value` lines, folded lines joined.
fn eml_headers(eml: &[u8]) -> String {
    let text = String::from_utf8_lossy(eml);
    let head = text
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .split("\n\n")
        .next()
        .unwrap_or_default();
    let mut out = String::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            out.push(' ');
            out.push_str(line.trim());
        } else {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(line.trim_end());
        }
    }
    out
}

/// The letter as a reader sees it: the letterhead exactly as ccm-print set it in the PDF
/// (formatted phone number included), followed by the body's visible text, recovered from the
/// generated Typst markup.
fn print_text(p: &PrintOutput) -> String {
    let mut out = p.letterhead.clone();
    out.push_str("\n\n");
    out.push_str(&typst_text(&p.typst_body));
    out
}

/// Visible text of the Typst markup ccm-print generates from Markdown: escapes resolved,
/// function names and named arguments dropped, content blocks and `raw` strings kept.
pub fn typst_text(markup: &str) -> String {
    let chars: Vec<char> = markup.chars().collect();
    let mut out = String::with_capacity(markup.len());
    let mut i = 0;
    while i < chars.len() {
        i = content(&chars, i, &mut out);
        // A stray `]` at top level: keep it as text and go on.
        if i < chars.len() {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Reads markup from `i` until an unmatched `]` (returned index points at it) or the end.
fn content(c: &[char], mut i: usize, out: &mut String) -> usize {
    while i < c.len() {
        match c[i] {
            '\\' if i + 1 < c.len() => {
                let next = c[i + 1];
                out.push(if next.is_whitespace() { '\n' } else { next });
                i += 2;
            }
            '#' if c.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic()) => {
                i = call(c, i + 1, out);
            }
            '[' => {
                i = content(c, i + 1, out);
                i += 1;
            }
            ']' => return i,
            ch => {
                out.push(ch);
                i += 1;
            }
        }
    }
    i
}

/// `name(args)[body]` starting after `#`; returns the index after the call.
fn call(c: &[char], mut i: usize, out: &mut String) -> usize {
    let start = i;
    while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_' || c[i] == '-') {
        i += 1;
    }
    let name: String = c[start..i].iter().collect();
    if name == "linebreak" {
        out.push('\n');
    }
    if c.get(i) == Some(&'(') {
        i = args(c, i + 1, out, name == "raw");
    }
    while c.get(i) == Some(&'[') {
        i = content(c, i + 1, out);
        i += 1;
    }
    i
}

/// Arguments up to the matching `)`: strings kept for `raw`, content blocks kept as lines.
fn args(c: &[char], mut i: usize, out: &mut String, keep_strings: bool) -> usize {
    let mut depth = 0;
    while i < c.len() {
        match c[i] {
            '"' => {
                i += 1;
                while i < c.len() && c[i] != '"' {
                    let ch = if c[i] == '\\' && i + 1 < c.len() {
                        i += 1;
                        match c[i] {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        }
                    } else {
                        c[i]
                    };
                    if keep_strings {
                        out.push(ch);
                    }
                    i += 1;
                }
                i += 1;
            }
            '[' => {
                i = content(c, i + 1, out);
                out.push('\n');
                i += 1;
            }
            '(' => {
                depth += 1;
                i += 1;
            }
            ')' if depth == 0 => return i + 1,
            ')' => {
                depth -= 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    i
}

/// Gives a finding with a span the line and column where its text is written: the channel's
/// source file first (front matter for subject-like fields, body otherwise), then the shared
/// blocks. A finding whose text comes from data or the brand layout keeps just the file.
fn locate(bundle: &TemplateBundle, locale: &str, f: &mut Diagnostic) {
    let (Some(file), Some(place)) = (f.file.as_ref(), f.rendition.as_ref()) else {
        return;
    };
    if f.line.is_some() || place.span.is_none() {
        return;
    }
    // Owned: the finding's place is rewritten below.
    let needle = place.excerpt.trim().trim_end_matches('…').to_owned();
    if needle.is_empty() || needle.contains('\n') {
        return;
    }
    if let Some(text) = bundle.source.files.get(file) {
        if let Some((line, column)) = find_in_source(text, &place.field, &needle) {
            f.line = Some(line);
            f.column = Some(column);
            return;
        }
    }
    let lang = locale.split('-').next().unwrap_or(locale);
    let mut blocks: Vec<_> = bundle
        .blocks
        .iter()
        .filter(|b| b.locale.as_deref().is_none_or(|l| l == locale || l == lang))
        .collect();
    blocks.sort_by_key(|b| b.locale.is_none());
    for b in blocks {
        if let Some(pos) = b.content.find(&needle) {
            let (line, column) = line_col(&b.content, pos);
            f.file = Some(match &b.locale {
                Some(l) => format!("_blocks/{}.{l}.md", b.name),
                None => format!("_blocks/{}.md", b.name),
            });
            f.line = Some(line);
            f.column = Some(column);
            return;
        }
    }
}

/// The other place of a cross-channel finding, located like a finding of its own.
fn locate_related(
    bundle: &TemplateBundle,
    locale: &str,
    input: &CheckInput,
    f: &Diagnostic,
    related: RelatedPlace,
) -> RelatedPlace {
    let mut d = Diagnostic {
        channel: related.channel,
        file: related.file,
        line: related.line,
        column: related.column,
        rendition: related.rendition,
        related: None,
        ..f.clone()
    };
    locate(bundle, locale, &mut d);
    locate_by_context(bundle, input, &mut d);
    RelatedPlace {
        channel: d.channel,
        file: d.file,
        line: d.line,
        column: d.column,
        rendition: d.rendition,
    }
}

/// A value that came from a variable (`{{ due_date | date }}`) is not in the source as
/// rendered; the words written just before it are ("お引き落とし日：", "【さくら銀行】"), on the
/// same source line. Used for findings the excerpt search could not place.
fn locate_by_context(bundle: &TemplateBundle, input: &CheckInput, f: &mut Diagnostic) {
    let (Some(file), Some(place), Some(channel)) =
        (f.file.as_ref(), f.rendition.as_ref(), f.channel)
    else {
        return;
    };
    let (None, Some(span)) = (f.line, place.span) else {
        return;
    };
    let Some(value) = input
        .channels
        .iter()
        .find(|c| c.channel == channel)
        .and_then(|c| c.field(&place.field))
        .map(|v| v.value.as_str())
    else {
        return;
    };
    let Some(text) = bundle.source.files.get(file) else {
        return;
    };
    let before = value.get(..span.start).unwrap_or_default();
    let tail_start = before.char_indices().rev().nth(400).map_or(0, |(i, _)| i);
    let mut visible = before[tail_start..].to_string();
    if place.field == field::HTML {
        visible = strip_tags(&visible);
    }
    let line = visible.rsplit('\n').next().unwrap_or("").trim_end();
    let chars: Vec<char> = line.chars().collect();
    for len in [8, 6, 4, 2] {
        if chars.len() < len {
            continue;
        }
        let needle: String = chars[chars.len() - len..].iter().collect();
        if needle.trim().chars().count() < 2 {
            continue;
        }
        let at = find_before_variable(text, &place.field, &needle);
        if let Some((l, c)) = at {
            f.line = Some(l);
            f.column = Some(c + len as u32);
            return;
        }
        // Or in a shared block the channel includes ("電話: {{ brand.phone }}").
        let lang = input.locale.split('-').next().unwrap_or(&input.locale);
        for b in bundle.blocks.iter().filter(|b| {
            b.locale
                .as_deref()
                .is_none_or(|l| l == input.locale || l == lang)
        }) {
            if let Some((l, c)) = find_before_variable(&b.content, "", &needle) {
                f.file = Some(match &b.locale {
                    Some(l) => format!("_blocks/{}.{l}.md", b.name),
                    None => format!("_blocks/{}.md", b.name),
                });
                f.line = Some(l);
                f.column = Some(c + len as u32);
                return;
            }
        }
    }
}

/// `needle` on a line where a variable follows it (the value came from one), else anywhere
/// `find_in_source` finds it.
fn find_before_variable(text: &str, field_name: &str, needle: &str) -> Option<(u32, u32)> {
    let body = front_matter_end(text);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if let Some(p) = line.find(needle) {
            if line[p..].contains("{{") && (start >= body || field_name != field::HTML) {
                return Some(line_col(text, start + p));
            }
        }
    }
    find_in_source(text, field_name, needle)
}

/// Visible text of an HTML fragment: tags dropped, a block end as a line break.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[lt + 1..lt + gt]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        if ["p", "div", "br", "tr", "li", "h1", "h2", "h3", "table"]
            .iter()
            .any(|b| tag.split([' ', '/']).next() == Some(*b))
        {
            out.push('\n');
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(rest);
    ccm_rules::text::decode_entities(&out)
}

/// Where `needle` is written in a channel file: subject-like fields on their `key =` line,
/// body fields after the front matter, else anywhere.
fn find_in_source(text: &str, field_name: &str, needle: &str) -> Option<(u32, u32)> {
    let keyed = [
        field::SUBJECT,
        field::PREHEADER,
        field::TITLE,
        field::SUBTITLE,
        field::BODY,
        field::DEEP_LINK,
    ];
    if keyed.contains(&field_name) {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let t = line.trim_start();
            let is_key = t
                .strip_prefix(field_name)
                .is_some_and(|r| r.trim_start().starts_with('='));
            if is_key {
                if let Some(p) = line.find(needle) {
                    return Some(line_col(text, offset + p));
                }
            }
            offset += line.len();
        }
    }
    let body_start = front_matter_end(text);
    text[body_start..]
        .find(needle)
        .map(|p| body_start + p)
        .or_else(|| text.find(needle))
        .map(|p| line_col(text, p))
}

/// Byte offset just after a `+++` front matter block, or 0.
fn front_matter_end(text: &str) -> usize {
    if !text.starts_with("+++") {
        return 0;
    }
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        offset += line.len();
        if n > 0 && line.trim_end() == "+++" {
            return offset;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typst_markup_becomes_reader_text() {
        let m = "#heading(level: 1)[件名]\n\n#strong[重要] \\#read\\(\\) and #emph[note]\n\n\
                 #list(\n[a],\n[b],\n)\n#table(columns: 2, align: (left, right,),\n[項目], [¥1\\,000],\n)\n\
                 #raw(block: true, \"x \\\"y\\\"\")\n";
        let t = typst_text(m);
        assert!(t.contains("件名"), "{t}");
        assert!(t.contains("重要 #read() and note"), "{t}");
        assert!(t.contains("a\n") && t.contains("b\n"), "{t}");
        assert!(t.contains("項目") && t.contains("¥1,000"), "{t}");
        assert!(t.contains("x \"y\""), "{t}");
        assert!(!t.contains("level") && !t.contains("columns"), "{t}");
    }

    #[test]
    fn folded_headers_are_joined() {
        let eml = b"Subject: =?utf-8?b?abc?=\r\nList-Unsubscribe: <https://x.example/u>,\r\n <mailto:u@x.example>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\nbody";
        let h = eml_headers(eml);
        assert_eq!(
            h,
            "Subject: =?utf-8?b?abc?=\nList-Unsubscribe: <https://x.example/u>, <mailto:u@x.example>\nList-Unsubscribe-Post: List-Unsubscribe=One-Click"
        );
    }

    #[test]
    fn findings_point_at_the_written_line() {
        let src =
            "+++\nsubject = \"今だけ！シミが消える\"\n+++\n\n本文です。\nシミが消える美容液\n";
        assert_eq!(
            find_in_source(src, "subject", "シミが消える"),
            Some((2, 16))
        );
        assert_eq!(find_in_source(src, "html", "シミが消える"), Some((6, 1)));
        assert_eq!(find_in_source(src, "html", "存在しない"), None);
    }
}
