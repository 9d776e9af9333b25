//! Runs rules over a [`CheckInput`] and produces findings: [`Diagnostic`]s whose code is the
//! rule id and whose origin names the pack and citation.

use crate::consistency;
use crate::contrast::{brand_color, brand_palette, contrast_ratio, parse_color, Rgb};
use crate::facts::Kind;
use crate::input::{field, metric, ChannelText, CheckInput, Field};
use crate::measure;
use crate::pack::{BrandItem, Check, LengthUnit, Near, Needle, Pack, PackError, Rule, RuleSet};
use crate::pii;
use crate::text::{self, HtmlDoc};
use ccm_core::diagnostic::{
    Diagnostic, Localized, Origin, RelatedPlace, RenditionPlace, Span, Subject,
};
use ccm_core::model::{BrandKit, Channel};
use std::collections::BTreeSet;
use std::ops::Range;

/// Checks one template × persona × locale against the packs that apply to it (the
/// always-on packs plus the template's `rule_packs`). Findings are sorted by channel, field,
/// position and rule id, so the same input always gives the same list.
///
/// Errors only when the template names a pack that is not loaded.
pub fn check(rules: &RuleSet, input: &CheckInput) -> Result<Vec<Diagnostic>, PackError> {
    let packs = rules.select(&input.template_id, &input.rule_packs)?;
    let channels: Vec<ChannelCtx> = input.channels.iter().map(ChannelCtx::new).collect();
    let mut out = Vec::new();
    for pack in packs {
        for rule in &pack.rules {
            if rule.check.is_cross_channel() {
                run_cross_channel(pack, rule, input, &channels, &mut out);
                continue;
            }
            for ctx in &channels {
                run_rule(pack, rule, input, ctx, &mut out);
            }
        }
    }
    sort(&mut out);
    Ok(out)
}

/// Runs one rule alone, whatever packs the input names (used by pack examples and
/// `ccm rules show`).
pub fn check_rule(pack: &Pack, rule: &Rule, input: &CheckInput) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let channels: Vec<ChannelCtx> = input.channels.iter().map(ChannelCtx::new).collect();
    if rule.check.is_cross_channel() {
        run_cross_channel(pack, rule, input, &channels, &mut out);
    } else {
        for ctx in &channels {
            run_rule(pack, rule, input, ctx, &mut out);
        }
    }
    sort(&mut out);
    out
}

fn sort(out: &mut [Diagnostic]) {
    fn key(d: &Diagnostic) -> (Option<Channel>, &str, Option<usize>, &str, &str) {
        let place = d.rendition.as_ref();
        (
            d.channel,
            place.map_or("", |p| p.field.as_str()),
            place.and_then(|p| p.span).map(|s| s.start),
            &d.code,
            place.map_or("", |p| p.excerpt.as_str()),
        )
    }
    out.sort_by(|a, b| key(a).cmp(&key(b)));
}

/// A channel with its HTML parsed once for all rules.
struct ChannelCtx<'a> {
    ch: &'a ChannelText,
    html: Option<HtmlDoc>,
}

impl<'a> ChannelCtx<'a> {
    fn new(ch: &'a ChannelText) -> Self {
        let html = (ch.channel == Channel::Email)
            .then(|| ch.field(field::HTML))
            .flatten()
            .map(|f| text::parse_html(&f.value));
        ChannelCtx { ch, html }
    }

    /// The field a "something is missing" finding is reported on.
    fn main_field(&self) -> &'static str {
        match self.ch.channel {
            Channel::Email if self.ch.field(field::HTML).is_some() => field::HTML,
            Channel::Email | Channel::Sms | Channel::Print => field::TEXT,
            Channel::Push => field::BODY,
        }
    }

    /// Fields searched by text rules: the rule's `applies_to.fields`, else what a reader sees
    /// first in this channel. The email text part is searched only when there is no HTML
    /// (it repeats the HTML, and every finding would appear twice).
    fn text_fields(&self, rule: &Rule) -> Vec<&'static str> {
        if let Some(fields) = &rule.applies_to.fields {
            return fields
                .iter()
                .filter_map(|f| KNOWN_FIELDS.iter().find(|k| **k == f.as_str()).copied())
                .collect();
        }
        match self.ch.channel {
            Channel::Email if self.html.is_some() => {
                vec![field::SUBJECT, field::PREHEADER, field::HTML]
            }
            Channel::Email => vec![field::SUBJECT, field::PREHEADER, field::TEXT],
            Channel::Sms | Channel::Print => vec![field::TEXT],
            Channel::Push => vec![field::TITLE, field::SUBTITLE, field::BODY],
        }
    }

    fn views(&self, rule: &Rule) -> Vec<View<'_>> {
        self.text_fields(rule)
            .into_iter()
            .filter_map(|name| {
                let f = self.ch.field(name)?;
                Some(match (&self.html, name == field::HTML) {
                    (Some(doc), true) => View {
                        field: f,
                        text: &doc.text,
                        html: Some(doc),
                    },
                    _ => View {
                        field: f,
                        text: &f.value,
                        html: None,
                    },
                })
            })
            .collect()
    }

    /// Every link in the channel: `<a href>` in the HTML, bare URLs elsewhere.
    fn links(&self) -> Vec<LinkRef<'_>> {
        let mut out = Vec::new();
        for f in &self.ch.fields {
            match f.name.as_str() {
                field::HEADERS | field::CSS | field::PAYLOAD => continue,
                field::TEXT if self.html.is_some() => continue,
                field::HTML if self.html.is_some() => {
                    let doc = self.html.as_ref().expect("checked");
                    for l in &doc.links {
                        let label_start = label_start(&doc.text, l.text.start);
                        out.push(LinkRef {
                            field: f,
                            href: l.href.clone(),
                            span: l.href_span.clone(),
                            label: doc.text[label_start..l.text.end.min(doc.text.len())]
                                .to_string(),
                            text_range: Some(l.text.clone()),
                        });
                    }
                    for r in text::find_urls(&doc.text) {
                        let ls = label_start(&doc.text, r.start);
                        out.push(LinkRef {
                            field: f,
                            href: doc.text[r.clone()].to_string(),
                            span: doc.html_range(r.clone()),
                            label: doc.text[ls..r.start].to_string(),
                            text_range: Some(r),
                        });
                    }
                }
                _ => {
                    for r in text::find_urls(&f.value) {
                        let ls = label_start(&f.value, r.start);
                        out.push(LinkRef {
                            field: f,
                            href: f.value[r.clone()].to_string(),
                            span: r.clone(),
                            label: f.value[ls..r.start].to_string(),
                            text_range: None,
                        });
                    }
                }
            }
        }
        out
    }
}

const KNOWN_FIELDS: [&str; 11] = [
    field::SUBJECT,
    field::PREHEADER,
    field::HTML,
    field::TEXT,
    field::HEADERS,
    field::CSS,
    field::TITLE,
    field::SUBTITLE,
    field::BODY,
    field::DEEP_LINK,
    field::PAYLOAD,
];

/// Up to 40 characters before `at` on the same line: the label a reader sees next to a link.
fn label_start(text: &str, at: usize) -> usize {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at]
        .char_indices()
        .rev()
        .nth(39)
        .map_or(line_start, |(i, _)| line_start + i)
}

/// Searchable text of one field (visible text for HTML) and how to map back to the field.
struct View<'a> {
    field: &'a Field,
    text: &'a str,
    html: Option<&'a HtmlDoc>,
}

impl View<'_> {
    fn to_field(&self, r: Range<usize>) -> Range<usize> {
        match self.html {
            Some(doc) => doc.html_range(r),
            None => r,
        }
    }
}

struct LinkRef<'a> {
    field: &'a Field,
    href: String,
    /// Span of the URL in the field's rendered value.
    span: Range<usize>,
    /// Link text plus the words just before it ("配信停止は" + "こちら").
    label: String,
    /// For HTML: the link's visible text range; for bare URLs in HTML: the URL's range.
    text_range: Option<Range<usize>>,
}

/// What one finding says beyond the rule's fixed text.
struct Hit {
    field: &'static str,
    span: Option<Range<usize>>,
    excerpt: String,
    suggestion: Option<(String, String)>,
    /// `{name}` placeholders of the message beyond `{match}`: (name, English, Japanese).
    vars: Vec<(&'static str, String, String)>,
    /// The other place a cross-channel finding names.
    related: Option<OtherPlace>,
}

/// A place in another channel of the same input.
struct OtherPlace {
    channel: usize,
    field: &'static str,
    span: Range<usize>,
    excerpt: String,
}

impl Hit {
    fn at(field: &'static str, span: Range<usize>, excerpt: impl Into<String>) -> Self {
        Hit {
            field,
            span: Some(span),
            excerpt: excerpt.into(),
            suggestion: None,
            vars: Vec::new(),
            related: None,
        }
    }
    fn missing(field: &'static str, excerpt: impl Into<String>) -> Self {
        Hit {
            field,
            span: None,
            excerpt: excerpt.into(),
            suggestion: None,
            vars: Vec::new(),
            related: None,
        }
    }
}

fn run_rule(
    pack: &Pack,
    rule: &Rule,
    input: &CheckInput,
    ctx: &ChannelCtx,
    out: &mut Vec<Diagnostic>,
) {
    let ch = ctx.ch;
    if !rule
        .applies_to
        .matches(ch.channel, input.purpose, &input.locale, &input.industry)
    {
        return;
    }
    let hits = evaluate(rule, input, ctx);
    let mut seen = BTreeSet::new();
    for hit in hits {
        if !seen.insert((
            hit.field.to_string(),
            hit.span.clone().map(|s| (s.start, s.end)),
            hit.excerpt.clone(),
        )) {
            continue;
        }
        out.push(finding(pack, rule, input, ch, hit));
    }
}

/// Runs a rule that compares channels (`consistency`, `consistency_essential`) once over
/// every channel it applies to.
fn run_cross_channel(
    pack: &Pack,
    rule: &Rule,
    input: &CheckInput,
    channels: &[ChannelCtx],
    out: &mut Vec<Diagnostic>,
) {
    let applies = |c: Channel| {
        rule.applies_to
            .matches(c, input.purpose, &input.locale, &input.industry)
    };
    let views: Vec<(&ChannelText, Option<&HtmlDoc>)> =
        channels.iter().map(|c| (c.ch, c.html.as_ref())).collect();
    let sources = consistency::sources(input, &views, applies);
    let name = |i: usize, text_part: bool| -> (String, String) {
        let ch = &input.channels[i];
        let file = ch
            .fields
            .iter()
            .find_map(|f| f.source_file.clone())
            .unwrap_or_else(|| ch.channel.source_file(&input.locale, &input.default_locale));
        let (en, ja) = match (ch.channel, text_part) {
            (Channel::Email, true) => ("the email's text part", "メールのテキストパート"),
            (Channel::Email, false) => ("the email", "メール"),
            (Channel::Sms, _) => ("the SMS", "SMS"),
            (Channel::Push, _) => ("the push notification", "プッシュ通知"),
            (Channel::Print, _) => ("the letter", "郵送レター"),
        };
        (format!("{en} ({file})"), format!("{ja}（{file}）"))
    };
    let other = |s: &consistency::Stated| OtherPlace {
        channel: s.channel,
        field: s.field,
        span: s.span.clone(),
        excerpt: s.written.clone(),
    };
    let mut hits: Vec<(usize, Hit)> = Vec::new();
    match &rule.check {
        Check::Consistency { facts } => {
            let kinds: Vec<Kind> = match facts {
                Some(names) => names.iter().filter_map(|n| Kind::from_name(n)).collect(),
                None => Kind::ALL.to_vec(),
            };
            for c in consistency::conflicts(&sources, &kinds) {
                let (here_en, here_ja) = name(c.at.channel, c.at.text_part);
                let (there_en, there_ja) = name(c.other.channel, c.other.text_part);
                let mut hit = Hit::at(c.at.field, c.at.span.clone(), c.at.written.clone());
                hit.vars = vec![
                    ("channel", here_en, here_ja),
                    ("value", c.at.written.clone(), c.at.written.clone()),
                    ("other_channel", there_en, there_ja),
                    (
                        "other_value",
                        c.other.written.clone(),
                        c.other.written.clone(),
                    ),
                    ("fact", c.what.0.clone(), c.what.1.clone()),
                ];
                hit.related = Some(other(&c.other));
                hits.push((c.at.channel, hit));
            }
        }
        Check::ConsistencyEssential {} => {
            for m in consistency::missing(input, &views, &sources) {
                let (here_en, here_ja) = name(m.channel, false);
                let (there_en, there_ja) = name(m.stated.channel, m.stated.text_part);
                let mut hit = Hit::missing(m.field, "");
                hit.vars = vec![
                    ("channel", here_en, here_ja),
                    ("other_channel", there_en, there_ja),
                    (
                        "other_value",
                        m.stated.written.clone(),
                        m.stated.written.clone(),
                    ),
                    ("fact", m.what.0.clone(), m.what.1.clone()),
                ];
                hit.related = Some(other(&m.stated));
                hits.push((m.channel, hit));
            }
        }
        _ => {}
    }
    for (channel, hit) in hits {
        out.push(finding(pack, rule, input, &input.channels[channel], hit));
    }
}

fn finding(pack: &Pack, rule: &Rule, input: &CheckInput, ch: &ChannelText, hit: Hit) -> Diagnostic {
    let f = ch.field(hit.field);
    let span = match (&hit.span, f) {
        (Some(r), Some(f)) => Some(Span::in_text(&f.value, r.start, r.end)),
        _ => None,
    };
    let (file, line, column) = source_location(input, ch, hit.field, f, span);
    let related = hit.related.as_ref().map(|o| {
        let other = &input.channels[o.channel];
        let of = other.field(o.field);
        let span = of.map(|f| Span::in_text(&f.value, o.span.start, o.span.end));
        let (file, line, column) = source_location(input, other, o.field, of, span);
        RelatedPlace {
            channel: Some(other.channel),
            file: Some(file),
            line,
            column,
            rendition: Some(RenditionPlace {
                field: o.field.to_string(),
                span,
                excerpt: o.excerpt.clone(),
            }),
        }
    });
    let fill_lang = |t: &str, en: bool| {
        let mut out = t.replace("{match}", &hit.excerpt);
        for (name, v_en, v_ja) in &hit.vars {
            out = out.replace(&format!("{{{name}}}"), if en { v_en } else { v_ja });
        }
        if en && !hit.vars.is_empty() {
            // "{channel} says…" starts a sentence with "the SMS".
            let mut chars = out.chars();
            if let Some(first) = chars.next() {
                out = first.to_uppercase().chain(chars).collect();
            }
        }
        out
    };
    let fill = |t: &str| fill_lang(t, true);
    let fill_ja = |t: &str| fill_lang(t, false);
    let (suggestion_en, suggestion_ja) = match hit.suggestion {
        Some((en, ja)) => (Some(en), Some(ja)),
        None => (rule.suggestion_en.clone(), rule.suggestion_ja.clone()),
    };
    // A pack may write a suggestion in one language only; the other then shows that one.
    let hint = match (
        suggestion_en.map(|s| fill(&s)),
        suggestion_ja.map(|s| fill_ja(&s)),
    ) {
        (Some(en), Some(ja)) => Some(Localized::new(en, ja)),
        (Some(one), None) | (None, Some(one)) => Some(Localized::new(one.clone(), one)),
        (None, None) => None,
    };
    Diagnostic {
        code: rule.id.clone(),
        severity: rule.severity,
        channel: Some(ch.channel),
        file: Some(file),
        line,
        column,
        message: Localized::new(fill(&rule.message_en), fill_ja(&rule.message_ja)),
        hint,
        origin: Origin::Rule {
            pack: pack.meta.id.clone(),
            rule: rule.id.clone(),
            citation: rule.citation.clone(),
        },
        subject: Some(Subject {
            template_id: input.template_id.clone(),
            persona: input.persona.clone(),
            locale: input.locale.clone(),
        }),
        rendition: Some(RenditionPlace {
            field: hit.field.to_string(),
            span,
            excerpt: hit.excerpt.clone(),
        }),
        related,
    }
}

/// Source file, line and column: the innermost source-map entry covering the span's start, else
/// the field's file, else the channel's source file for the locale.
fn source_location(
    input: &CheckInput,
    ch: &ChannelText,
    field_name: &str,
    f: Option<&Field>,
    span: Option<Span>,
) -> (String, Option<u32>, Option<u32>) {
    if let Some(span) = span {
        let best = ch
            .source_map
            .iter()
            .filter(|e| {
                e.field == field_name
                    && e.start <= span.start
                    && span.start < e.end.max(e.start + 1)
            })
            .min_by_key(|e| (e.end - e.start, e.start));
        if let Some(e) = best {
            return (e.file.clone(), Some(e.line), Some(e.column));
        }
    }
    let file = f
        .and_then(|f| f.source_file.clone())
        .unwrap_or_else(|| ch.channel.source_file(&input.locale, &input.default_locale));
    (file, None, None)
}

fn evaluate(rule: &Rule, input: &CheckInput, ctx: &ChannelCtx) -> Vec<Hit> {
    let brand = &input.brand;
    let mut hits = Vec::new();
    match &rule.check {
        Check::Required { any_of, near: None } => {
            let views = ctx.views(rule);
            let links = ctx.links();
            let found = any_of
                .iter()
                .any(|n| needle_present(n, &views, &links, brand, &input.locale));
            if !found {
                hits.push(Hit::missing(ctx.main_field(), ""));
            }
        }
        Check::Required {
            any_of,
            near: Some(near),
        } => {
            let views = ctx.views(rule);
            let mut first_anchor: Option<(&'static str, Range<usize>, String)> = None;
            let mut ok = false;
            'views: for v in &views {
                let urls = text::find_urls(v.text);
                for a in anchors(ctx, v, near, brand) {
                    if first_anchor.is_none() {
                        first_anchor = Some((
                            static_name(&v.field.name),
                            v.to_field(a.clone()),
                            v.text[a.clone()].to_string(),
                        ));
                    }
                    for n in any_of {
                        let close = match &n.pattern {
                            // A statement inside a URL ("…/optout") is not a statement.
                            Some(p) => p.0.find_iter(v.text).any(|m| {
                                !urls.iter().any(|u| u.start < m.end() && m.start() < u.end)
                                    && char_distance(v.text, m.range(), a.clone()) <= near.within
                            }),
                            // Brand values and links are not positional: presence is enough.
                            None => needle_present(
                                n,
                                std::slice::from_ref(v),
                                &ctx.links(),
                                brand,
                                &input.locale,
                            ),
                        };
                        if close {
                            ok = true;
                            break 'views;
                        }
                    }
                }
            }
            if !ok {
                hits.push(match first_anchor {
                    Some((f, span, text)) => Hit::at(f, span, text),
                    None => Hit::missing(ctx.main_field(), ""),
                });
            }
        }
        Check::Forbidden {
            phrases,
            allow,
            unless,
        } => {
            let views = ctx.views(rule);
            if unless
                .as_ref()
                .is_some_and(|u| views.iter().any(|v| u.0.is_match(v.text)))
            {
                return hits;
            }
            for v in &views {
                let allowed: Vec<Range<usize>> = allow
                    .iter()
                    .flat_map(|a| a.0.find_iter(v.text).map(|m| m.range()))
                    .collect();
                for phrase in phrases {
                    for m in phrase.pattern.0.find_iter(v.text) {
                        if m.is_empty()
                            || allowed
                                .iter()
                                .any(|a| a.start < m.end() && m.start() < a.end)
                        {
                            continue;
                        }
                        let mut hit = Hit::at(
                            static_name(&v.field.name),
                            v.to_field(m.range()),
                            m.as_str(),
                        );
                        if phrase.rewrite_en.is_some() || phrase.rewrite_ja.is_some() {
                            let en = join(
                                rule.suggestion_en.as_deref(),
                                phrase.rewrite_en.as_deref().map(|r| format!("e.g. “{r}”")),
                            );
                            let ja = join(
                                rule.suggestion_ja.as_deref(),
                                phrase.rewrite_ja.as_deref().map(|r| format!("例:「{r}」")),
                            );
                            hit.suggestion = Some((en, ja));
                        }
                        hits.push(hit);
                    }
                }
            }
        }
        Check::MaxLength {
            field: name,
            unit,
            max,
        } => {
            if let Some(f) = ctx.ch.field(name) {
                let value = if *unit == LengthUnit::SmsSegments {
                    ctx.ch
                        .metrics
                        .get(metric::SEGMENTS)
                        .map(|v| *v as usize)
                        .unwrap_or_else(|| measure::sms_segments(&f.value))
                } else {
                    measure::measure(&f.value, *unit)
                };
                if value as f64 > *max {
                    let start = measure::overflow_start(&f.value, *unit, *max as usize);
                    let excerpt = format!("{value} > {max}");
                    hits.push(match start {
                        Some(s) => Hit::at(static_name(name), s..f.value.len(), excerpt),
                        None => Hit::missing(static_name(name), excerpt),
                    });
                }
            }
        }
        Check::Metric {
            metric: name,
            min,
            max,
        } => {
            if let Some(value) = metric_value(ctx.ch, name) {
                let low = min.is_some_and(|m| value < m);
                let high = max.is_some_and(|m| value > m);
                if low || high {
                    let bound = if low { min } else { max }.unwrap_or_default();
                    let op = if low { "<" } else { ">" };
                    hits.push(Hit::missing(
                        ctx.main_field(),
                        format!("{name} = {value} {op} {bound}"),
                    ));
                }
            }
        }
        Check::LinkRequired {
            text_pattern,
            href_pattern,
            brand_opt_out_url,
        } => {
            let opt_out = brand
                .contact
                .opt_out_url
                .as_deref()
                .filter(|_| *brand_opt_out_url);
            let found = ctx.links().iter().any(|l| {
                text_pattern
                    .as_ref()
                    .is_some_and(|p| p.0.is_match(&l.label))
                    || href_pattern.as_ref().is_some_and(|p| p.0.is_match(&l.href))
                    || opt_out.is_some_and(|o| !o.is_empty() && l.href.starts_with(o))
            });
            if !found {
                hits.push(Hit::missing(ctx.main_field(), ""));
            }
        }
        Check::LinkScheme { allowed } => {
            for l in ctx.links() {
                if let Some(s) = text::url_scheme(&l.href) {
                    if !allowed.iter().any(|a| a.eq_ignore_ascii_case(&s)) {
                        hits.push(Hit::at(
                            static_name(&l.field.name),
                            l.span.clone(),
                            l.href.clone(),
                        ));
                    }
                }
            }
        }
        Check::LinkDomains { allowed } => {
            let mut domains: Vec<String> = Vec::new();
            for a in allowed {
                if a == "{brand}" {
                    let c = &brand.contact;
                    for u in [
                        Some(&c.website),
                        c.enquiries_url.as_ref(),
                        c.opt_out_url.as_ref(),
                    ]
                    .into_iter()
                    .flatten()
                    {
                        // www.brand.jp allows every host under brand.jp.
                        domains.extend(
                            text::url_host(u)
                                .map(|h| h.strip_prefix("www.").map(str::to_string).unwrap_or(h)),
                        );
                    }
                } else {
                    domains.push(a.to_ascii_lowercase());
                }
            }
            for l in ctx.links() {
                if let Some(host) = text::url_host(&l.href) {
                    if !domains.iter().any(|d| text::host_within(&host, d)) {
                        hits.push(Hit::at(
                            static_name(&l.field.name),
                            l.span.clone(),
                            l.href.clone(),
                        ));
                    }
                }
            }
        }
        Check::LinkShorteners { hosts } => {
            for l in ctx.links() {
                if let Some(host) = text::url_host(&l.href) {
                    if hosts
                        .iter()
                        .any(|h| text::host_within(&host, &h.to_ascii_lowercase()))
                    {
                        hits.push(Hit::at(
                            static_name(&l.field.name),
                            l.span.clone(),
                            l.href.clone(),
                        ));
                    }
                }
            }
        }
        Check::Header {
            name,
            value_pattern,
        } => {
            let headers = ctx
                .ch
                .field(field::HEADERS)
                .map(|f| f.value.as_str())
                .unwrap_or("");
            let parsed = text::parse_headers(headers);
            match parsed.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(name)) {
                None => hits.push(Hit::missing(field::HEADERS, name.clone())),
                Some((_, value, span)) if !value_pattern.0.is_match(value) => {
                    hits.push(Hit::at(field::HEADERS, span.clone(), value.clone()))
                }
                Some(_) => {}
            }
        }
        Check::ImageAlt {} => {
            if let (Some(doc), Some(f)) = (&ctx.html, ctx.ch.field(field::HTML)) {
                for img in doc.images.iter().filter(|i| i.alt.is_none()) {
                    hits.push(Hit::at(
                        field::HTML,
                        img.tag_span.clone(),
                        excerpt(&f.value[img.tag_span.clone()]),
                    ));
                }
            }
        }
        Check::HtmlLang {} => {
            if let Some(doc) = &ctx.html {
                match &doc.html_tag {
                    None => hits.push(Hit::missing(field::HTML, "<html>")),
                    Some(tag) if tag.lang.as_deref().is_none_or(str::is_empty) => {
                        let f = ctx.ch.field(field::HTML).expect("parsed from it");
                        hits.push(Hit::at(
                            field::HTML,
                            tag.tag_span.clone(),
                            excerpt(&f.value[tag.tag_span.clone()]),
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
        Check::ImageOnly { min_text_chars } => {
            if let Some(doc) = &ctx.html {
                let chars = doc.text.chars().filter(|c| !c.is_whitespace()).count();
                if !doc.images.is_empty() && chars < *min_text_chars {
                    hits.push(Hit::missing(
                        field::HTML,
                        format!("{} images, {chars} characters of text", doc.images.len()),
                    ));
                }
            }
        }
        Check::AllCaps {
            field: name,
            min_letters,
            ratio,
        } => {
            if let Some(f) = ctx.ch.field(name) {
                let letters = f.value.chars().filter(char::is_ascii_alphabetic).count();
                let upper = f.value.chars().filter(char::is_ascii_uppercase).count();
                // Only when Latin letters make up most of the text: a capitalised brand name
                // inside a Japanese subject ("【重要】HANAMIZUKI 商品回収") is not shouting.
                let visible = f.value.chars().filter(|c| !c.is_whitespace()).count();
                if letters >= *min_letters
                    && letters * 2 >= visible
                    && upper as f64 >= *ratio * letters as f64
                {
                    hits.push(Hit::at(
                        static_name(name),
                        0..f.value.len(),
                        f.value.clone(),
                    ));
                }
            }
        }
        Check::Contrast {
            min_normal,
            min_large,
            brand_pairs,
            css,
        } => {
            for [fg, bg] in brand_pairs {
                if let (Some(a), Some(b)) = (
                    brand_color(&brand.colors, fg),
                    brand_color(&brand.colors, bg),
                ) {
                    let r = contrast_ratio(a, b);
                    if r < *min_normal {
                        hits.push(Hit::missing(
                            "brand.colors",
                            format!(
                                "{fg} {} on {bg} {} = {:.2}:1 < {min_normal}:1",
                                a.hex(),
                                b.hex(),
                                floor2(r)
                            ),
                        ));
                    }
                }
            }
            if let (true, Some(doc)) = (*css, &ctx.html) {
                let default_fg = parse_color(&brand.colors.text).unwrap_or(Rgb(0, 0, 0));
                let default_bg =
                    parse_color(&brand.colors.background).unwrap_or(Rgb(255, 255, 255));
                for run in &doc.runs {
                    let fg = run.fg.as_ref().map_or(default_fg, |c| c.0);
                    let bg = run.bg.as_ref().map_or(default_bg, |c| c.0);
                    let need = if run.large { *min_large } else { *min_normal };
                    let r = contrast_ratio(fg, bg);
                    if r < need {
                        let decl = run
                            .fg
                            .as_ref()
                            .or(run.bg.as_ref())
                            .map(|c| c.1.clone())
                            .unwrap_or(run.span.clone());
                        hits.push(Hit::at(
                            field::HTML,
                            decl,
                            format!(
                                "{} on {} = {:.2}:1 < {need}:1",
                                fg.hex(),
                                bg.hex(),
                                floor2(r)
                            ),
                        ));
                    }
                }
            }
        }
        Check::BrandPalette {
            also_allow,
            allow_tints,
        } => {
            let mut palette = brand_palette(&brand.colors);
            palette.extend(also_allow.iter().filter_map(|c| parse_color(c)));
            let mut tokens: Vec<(&'static str, crate::text::ColorToken)> = Vec::new();
            if let Some(doc) = &ctx.html {
                tokens.extend(doc.colors.iter().cloned().map(|t| (field::HTML, t)));
            }
            if let Some(css) = ctx.ch.field(field::CSS) {
                let mut found = Vec::new();
                text::css_colors(&css.value, 0..css.value.len(), &mut found);
                tokens.extend(found.into_iter().map(|t| (field::CSS, t)));
            }
            let mut reported = BTreeSet::new();
            for (f, t) in tokens {
                if let Some(rgb) = t.rgb {
                    let tint = *allow_tints && palette.iter().any(|p| is_tint_of(rgb, *p));
                    if !palette.contains(&rgb) && !tint && reported.insert(rgb) {
                        hits.push(Hit::at(f, t.span, rgb.hex()));
                    }
                }
            }
        }
        Check::NonEmpty { fields } => {
            for name in fields {
                if let Some(f) = ctx.ch.field(name) {
                    let text = match (&ctx.html, name.as_str()) {
                        (Some(doc), field::HTML) => doc.text.as_str(),
                        _ => f.value.as_str(),
                    };
                    if text.trim().is_empty() {
                        hits.push(Hit::missing(static_name(name), ""));
                    }
                }
            }
        }
        // Compared across channels in `run_cross_channel`, never one channel at a time.
        Check::Consistency { .. } | Check::ConsistencyEssential {} => {}
        Check::Pii { detector } => {
            for v in ctx.views(rule) {
                for r in pii::detect(v.text, *detector) {
                    hits.push(Hit::at(
                        static_name(&v.field.name),
                        v.to_field(r.clone()),
                        mask(&v.text[r]),
                    ));
                }
            }
        }
    }
    hits
}

/// Field names are reported as `&'static str` from the known set; anything else (a pack
/// naming an unusual field) is leaked once per distinct name — packs are few and long-lived.
fn static_name(name: &str) -> &'static str {
    KNOWN_FIELDS
        .iter()
        .chain(["brand.colors"].iter())
        .find(|k| **k == name)
        .copied()
        .unwrap_or_else(|| intern(name))
}

fn intern(name: &str) -> &'static str {
    use std::sync::Mutex;
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.get(name) {
        return n;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(leaked);
    leaked
}

fn join(base: Option<&str>, extra: Option<String>) -> String {
    match (base, extra) {
        (Some(b), Some(e)) => format!("{b} {e}"),
        (Some(b), None) => b.to_string(),
        (None, Some(e)) => e,
        (None, None) => String::new(),
    }
}

/// `c` is `base` mixed with white in some proportion (each channel within 2 of the same
/// mix, to allow for rounding).
fn is_tint_of(c: Rgb, base: Rgb) -> bool {
    let (cs, bs) = ([c.0, c.1, c.2], [base.0, base.1, base.2]);
    // The mix ratio from the channel with the most room to move, checked on all three.
    let i = (0..3).max_by_key(|&i| 255 - bs[i]).unwrap_or(0);
    if bs[i] == 255 {
        return cs.iter().all(|&v| v >= 253);
    }
    let t = (f64::from(cs[i]) - f64::from(bs[i])) / (255.0 - f64::from(bs[i]));
    (0.0..=1.0).contains(&t)
        && (0..3).all(|k| {
            let want = f64::from(bs[k]) + (255.0 - f64::from(bs[k])) * t;
            (want - f64::from(cs[k])).abs() <= 2.0
        })
}

/// Contrast shown rounded down, so a failing 4.499 never prints as "4.50 < 4.5".
fn floor2(r: f64) -> f64 {
    (r * 100.0).floor() / 100.0
}

fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(80).collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

/// Personal data is never echoed back in full: keep the last four digits.
fn mask(s: &str) -> String {
    let total = s.chars().filter(char::is_ascii_digit).count()
        + s.chars().filter(|c| ('０'..='９').contains(c)).count();
    let mut seen = 0;
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() || ('０'..='９').contains(&c) {
                seen += 1;
                if seen + 4 <= total {
                    return '*';
                }
            }
            c
        })
        .collect()
}

fn metric_value(ch: &ChannelText, name: &str) -> Option<f64> {
    if let Some(v) = ch.metrics.get(name) {
        return Some(*v);
    }
    match name {
        metric::HTML_BYTES => ch.field(field::HTML).map(|f| f.value.len() as f64),
        metric::SEGMENTS => ch
            .field(field::TEXT)
            .map(|f| measure::sms_segments(&f.value) as f64),
        metric::PAYLOAD_BYTES => ch.field(field::PAYLOAD).map(|f| f.value.len() as f64),
        _ => None,
    }
}

/// Anchor URLs for a proximity rule, as ranges of the view's text.
fn anchors(ctx: &ChannelCtx, v: &View, near: &Near, brand: &BrandKit) -> Vec<Range<usize>> {
    let opt_out = brand
        .contact
        .opt_out_url
        .as_deref()
        .filter(|o| near.brand_opt_out_url && !o.is_empty());
    let is_anchor = |url: &str, label: &str| {
        near.url_pattern.0.is_match(url)
            || near.url_pattern.0.is_match(label)
            || opt_out.is_some_and(|o| url.starts_with(o))
    };
    let mut out = Vec::new();
    if v.html.is_some() {
        for l in ctx.links() {
            if l.field.name == field::HTML && is_anchor(&l.href, &l.label) {
                if let Some(r) = l.text_range {
                    out.push(r);
                }
            }
        }
    } else {
        for r in text::find_urls(v.text) {
            if is_anchor(&v.text[r.clone()], "") {
                out.push(r);
            }
        }
    }
    out.sort_by_key(|r| (r.start, r.end));
    out.dedup();
    out
}

/// Characters between two ranges of `text` (0 when they touch or overlap).
fn char_distance(text: &str, a: Range<usize>, b: Range<usize>) -> usize {
    if a.end <= b.start {
        text[a.end..b.start].chars().count()
    } else if b.end <= a.start {
        text[b.end..a.start].chars().count()
    } else {
        0
    }
}

/// Spaces dropped, full-width ASCII folded, lower case: "株式会社　サンプル" ≈ "株式会社サンプル".
fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The brand values (default and locale-specific) that satisfy `item`.
pub(crate) fn brand_values(brand: &BrandKit, locale: &str, item: BrandItem) -> Vec<String> {
    let lang = locale.split('-').next().unwrap_or(locale);
    let loc = brand
        .locales
        .get(locale)
        .or_else(|| brand.locales.get(lang));
    let c = &brand.contact;
    let mut v: Vec<String> = match item {
        BrandItem::Name => {
            let mut names: Vec<String> =
                [Some(brand.name.clone()), loc.and_then(|l| l.name.clone())]
                    .into_iter()
                    .flatten()
                    .collect();
            // "Northwind: your order…" identifies "Northwind Outfitters": accept the first word
            // of a Latin-script name when it is distinctive (4+ letters).
            let short: Vec<String> = names
                .iter()
                .filter_map(|n| {
                    let first = n.split_whitespace().next()?;
                    (n.contains(' ')
                        && first.chars().count() >= 4
                        && first.chars().all(|c| c.is_ascii_alphanumeric()))
                    .then(|| first.to_string())
                })
                .collect();
            names.extend(short);
            names
        }
        BrandItem::LegalName => [
            Some(brand.legal_name.clone()),
            loc.and_then(|l| l.legal_name.clone()),
        ]
        .into_iter()
        .flatten()
        .collect(),
        BrandItem::Address => {
            let mut out = Vec::new();
            for a in [Some(&brand.address), loc.and_then(|l| l.address.as_ref())]
                .into_iter()
                .flatten()
            {
                out.push(a.lines.concat());
                if let Some(longest) = a.lines.iter().max_by_key(|l| l.chars().count()) {
                    out.push(longest.clone());
                }
            }
            out
        }
        BrandItem::Phone => vec![c.phone.clone()],
        BrandItem::Email => vec![c.email.clone()],
        BrandItem::Website => vec![c.website.clone()],
        BrandItem::EnquiriesUrl => c.enquiries_url.clone().into_iter().collect(),
        BrandItem::OptOutUrl => c.opt_out_url.clone().into_iter().collect(),
    };
    v.retain(|s| !s.trim().is_empty());
    v
}

fn needle_present(
    n: &Needle,
    views: &[View],
    links: &[LinkRef],
    brand: &BrandKit,
    locale: &str,
) -> bool {
    if let Some(p) = &n.pattern {
        views.iter().any(|v| p.0.is_match(v.text))
    } else if let Some(item) = n.brand {
        views
            .iter()
            .any(|v| brand_present(brand, locale, item, v.text))
    } else if let Some(p) = &n.link {
        links.iter().any(|l| p.0.is_match(&l.label))
    } else {
        false
    }
}

fn brand_present(brand: &BrandKit, locale: &str, item: BrandItem, text: &str) -> bool {
    let hay = normalize(text);
    brand_values(brand, locale, item)
        .iter()
        .any(|v| hay.contains(&normalize(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_width_and_spaces() {
        assert_eq!(
            normalize("株式会社　サンプル ＡＢＣ"),
            "株式会社サンプルabc"
        );
    }

    #[test]
    fn distance_counts_characters_between_ranges() {
        let t = "配信停止はこちら https://x";
        let a = 0..t.find('は').unwrap();
        let b = t.find("https").unwrap()..t.len();
        assert_eq!(
            char_distance(t, a.clone(), b.clone()),
            "はこちら ".chars().count()
        );
        assert_eq!(char_distance(t, b, a), 5);
    }

    #[test]
    fn tints_are_brand_colours_mixed_with_white() {
        let primary = Rgb(0x0b, 0x53, 0x94);
        // 92 % white, as the email layout's table header tint.
        assert!(is_tint_of(Rgb(0xeb, 0xf1, 0xf6), primary));
        assert!(is_tint_of(primary, primary));
        assert!(!is_tint_of(Rgb(0xf6, 0xf1, 0xeb), primary));
        assert!(
            !is_tint_of(Rgb(0x05, 0x29, 0x4a), primary),
            "a shade is not a tint"
        );
    }

    #[test]
    fn pii_is_masked_in_excerpts() {
        assert_eq!(mask("4111 1111 1111 1234"), "**** **** **** 1234");
    }
}
