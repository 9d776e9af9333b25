//! The `consistency` rule kinds: the facts each channel states ([`crate::facts`]) compared
//! across the channels of one persona × locale.
//!
//! When are two facts "the same fact"? Only when one of these says so — anything else (a
//! letter listing a billing period and a due date, an SMS with one of them) is left alone:
//! - both carry the same **role** from the words next to them (`お引き落とし日`, `due on`);
//! - both are the **only** unlabelled amount, date or time their channel states;
//! - two **links** to the same path (on any host, with any parameters);
//! - the **sender** named at the start (`【さくら銀行】`, `Sakura Bank:`).
//!
//! A channel takes part only when it states one value for that fact (twice the same is one);
//! the channels are then grouped by value, the largest group (by channels) is the reference,
//! and each channel outside it is one finding naming the reference channel.

use crate::facts::{self, loose, roles, Fact, Kind, Value};
use crate::input::{field, ChannelText, CheckInput};
use crate::text::HtmlDoc;
use ccm_core::model::Channel;
use std::collections::BTreeSet;
use std::ops::Range;

/// One fact where it is written: channel (index into the input), field, byte span of the
/// field's rendered value.
#[derive(Debug, Clone)]
pub(crate) struct Stated {
    pub channel: usize,
    /// The email's text part is compared like a channel of its own.
    pub text_part: bool,
    pub field: &'static str,
    pub span: Range<usize>,
    pub written: String,
    pub value: Value,
    pub role: Option<&'static str>,
}

/// Everything one channel (or the email's text part) states.
pub(crate) struct Source {
    pub channel: usize,
    pub text_part: bool,
    pub facts: Vec<Stated>,
}

/// A channel stating a fact differently from the reference channel.
pub(crate) struct Conflict {
    pub at: Stated,
    pub other: Stated,
    /// What the fact is, English and Japanese ("due date", "お支払い・お引き落とし日").
    pub what: (String, String),
}

/// An essential fact one channel states and another leaves out.
pub(crate) struct Missing {
    pub channel: usize,
    pub field: &'static str,
    pub stated: Stated,
    pub what: (String, String),
}

/// The facts of every channel `include` accepts; `html` holds the parsed email HTML.
pub(crate) fn sources(
    input: &CheckInput,
    channels: &[(&ChannelText, Option<&HtmlDoc>)],
    include: impl Fn(Channel) -> bool,
) -> Vec<Source> {
    let mut out = Vec::new();
    for (index, (ch, html)) in channels.iter().enumerate() {
        if !include(ch.channel) {
            continue;
        }
        let mut main = Source {
            channel: index,
            text_part: false,
            facts: Vec::new(),
        };
        let add_text = |src: &mut Source, name: &'static str| {
            if let Some(f) = ch.field(name) {
                for fact in facts::extract(&f.value, &input.locale) {
                    src.facts
                        .push(stated(index, src.text_part, name, fact.range.clone(), fact));
                }
            }
        };
        match ch.channel {
            Channel::Email => {
                add_text(&mut main, field::SUBJECT);
                add_text(&mut main, field::PREHEADER);
                match html {
                    Some(doc) => {
                        html_facts(&mut main, index, doc, &input.locale);
                        let mut part = Source {
                            channel: index,
                            text_part: true,
                            facts: Vec::new(),
                        };
                        add_text(&mut part, field::TEXT);
                        out.push(main);
                        main = part;
                    }
                    None => add_text(&mut main, field::TEXT),
                }
            }
            Channel::Sms | Channel::Print => add_text(&mut main, field::TEXT),
            Channel::Push => {
                for name in [field::TITLE, field::SUBTITLE, field::BODY] {
                    add_text(&mut main, name);
                }
                if let Some(f) = ch
                    .field(field::DEEP_LINK)
                    .filter(|f| !f.value.trim().is_empty())
                {
                    main.facts.push(Stated {
                        channel: index,
                        text_part: false,
                        field: field::DEEP_LINK,
                        span: 0..f.value.len(),
                        written: f.value.clone(),
                        value: Value::Url(facts::parse::normalize_url(&f.value)),
                        role: None,
                    });
                }
            }
        }
        out.push(main);
    }
    for src in &mut out {
        if let Some(s) = sender(input, src.channel, channels[src.channel].0, src.text_part) {
            src.facts.push(s);
        }
    }
    out
}

fn stated(
    channel: usize,
    text_part: bool,
    field: &'static str,
    span: Range<usize>,
    f: Fact,
) -> Stated {
    Stated {
        channel,
        text_part,
        field,
        span,
        written: f.written,
        value: f.value,
        role: f.role,
    }
}

/// The visible text's facts (spans mapped back into the HTML) and every link's target,
/// labelled by its text and the words before it.
fn html_facts(src: &mut Source, index: usize, doc: &HtmlDoc, locale: &str) {
    for fact in facts::extract(&doc.text, locale) {
        let span = doc.html_range(fact.range.clone());
        src.facts
            .push(stated(index, false, field::HTML, span, fact));
    }
    for link in &doc.links {
        let href = link.href.trim();
        let scheme = crate::text::url_scheme(href);
        if matches!(
            scheme.as_deref(),
            None | Some("mailto" | "tel" | "cid" | "data" | "javascript")
        ) {
            continue;
        }
        let text_end = link.text.end.min(doc.text.len());
        let before = roles::window_before(&doc.text, 0, link.text.start.min(text_end));
        let role = roles::role_in(
            &doc.text,
            Kind::Url,
            before.start..text_end,
            text_end..text_end,
        );
        src.facts.push(Stated {
            channel: index,
            text_part: false,
            field: field::HTML,
            span: link.href_span.clone(),
            written: href.to_string(),
            value: Value::Url(facts::parse::normalize_url(href)),
            role,
        });
    }
}

/// The sender named first thing in an SMS, a push title or an email subject: `【さくら銀行】`
/// or `Sakura Bank:`. Any of the brand's names counts as one sender.
fn sender(input: &CheckInput, index: usize, ch: &ChannelText, text_part: bool) -> Option<Stated> {
    if text_part {
        return None;
    }
    let name = match ch.channel {
        Channel::Email => field::SUBJECT,
        Channel::Sms => field::TEXT,
        Channel::Push => field::TITLE,
        Channel::Print => return None,
    };
    let value = &ch.field(name)?.value;
    let lead = value.len() - value.trim_start().len();
    let rest = &value[lead..];
    let range = if let Some(inner) = rest.strip_prefix('【') {
        let end = inner.find('】')?;
        lead + '【'.len_utf8()..lead + '【'.len_utf8() + end
    } else if ch.channel == Channel::Sms {
        // "Sakura Bank: …" — a short name of Latin words before the first colon.
        let end = rest.find(": ")?;
        let head = &rest[..end];
        if head.is_empty()
            || head.chars().count() > 32
            || !head
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '&' | '\'' | '.' | '-'))
        {
            return None;
        }
        lead..lead + end
    } else {
        return None;
    };
    let written = value[range.clone()].to_string();
    // 【重要】, 【お知らせ】: a tag, not a sender.
    const TAGS: [&str; 12] = [
        "重要",
        "お知らせ",
        "ご案内",
        "緊急",
        "至急",
        "再送",
        "訂正",
        "速報",
        "要確認",
        "PR",
        "広告",
        "注意",
    ];
    if TAGS.iter().any(|t| written.trim() == *t) {
        return None;
    }
    let canonical = if is_brand(input, &written) {
        "(brand)".to_string()
    } else {
        loose(&written)
    };
    Some(Stated {
        channel: index,
        text_part: false,
        field: name,
        span: range,
        written,
        value: Value::Sender(canonical),
        role: None,
    })
}

/// `name` is one of the brand's names, or shares its distinctive first word ("Northwind
/// Alerts" for "Northwind Outfitters").
fn is_brand(input: &CheckInput, name: &str) -> bool {
    let b = &input.brand;
    let mut names: Vec<&str> = vec![&b.name, &b.legal_name];
    for l in b.locales.values() {
        names.extend(l.name.as_deref());
        names.extend(l.legal_name.as_deref());
    }
    let n = loose(name);
    names.iter().filter(|x| !x.trim().is_empty()).any(|x| {
        let x_loose = loose(x);
        let first = x.split_whitespace().next().unwrap_or("");
        x_loose.contains(&n)
            || n.contains(&x_loose)
            || (first.chars().count() >= 4 && x.contains(' ') && n.starts_with(&loose(first)))
    })
}

/// What a comparison is keyed by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Role(Kind, &'static str),
    Single(Kind),
    Path(String),
    Sender,
}

impl Key {
    fn what(&self) -> (String, String) {
        match self {
            Key::Role(_, id) => {
                let r = roles::role(id).expect("known role");
                (r.en.to_string(), r.ja.to_string())
            }
            Key::Single(k) => (k.label().0.to_string(), k.label().1.to_string()),
            Key::Path(p) => (format!("link to {p}"), format!("{p} へのリンク")),
            Key::Sender => ("sender".into(), "送信者名".into()),
        }
    }

    fn matches(&self, s: &Stated) -> bool {
        match self {
            Key::Role(k, r) => s.value.kind() == *k && s.role == Some(r),
            Key::Single(k) => s.value.kind() == *k,
            Key::Path(p) => {
                matches!(&s.value, Value::Url(u) if facts::parse::url_path(u) == Some(p.as_str()))
            }
            Key::Sender => s.value.kind() == Kind::Sender,
        }
    }
}

/// Every fact stated differently in two channels, for the kinds in `kinds`.
pub(crate) fn conflicts(sources: &[Source], kinds: &[Kind]) -> Vec<Conflict> {
    let mut keys = BTreeSet::new();
    for src in sources {
        for s in &src.facts {
            let kind = s.value.kind();
            if !kinds.contains(&kind) {
                continue;
            }
            // Links are compared by path (below) and as opt-out links; "details" links are
            // too varied (a rewards page and its terms) to be one fact.
            if let Some(r) = s.role.filter(|r| *r != "details_link") {
                keys.insert(Key::Role(kind, r));
            }
            match (&s.value, kind) {
                (_, Kind::Money | Kind::Date | Kind::Time) => {
                    keys.insert(Key::Single(kind));
                }
                (Value::Url(u), _) => {
                    if let Some(p) = facts::parse::url_path(u) {
                        keys.insert(Key::Path(p.to_string()));
                    }
                }
                (_, Kind::Sender) => {
                    keys.insert(Key::Sender);
                }
                _ => {}
            }
        }
    }
    let mut out: Vec<Conflict> = Vec::new();
    let mut reported = BTreeSet::new();
    for key in keys {
        // Each taking part: (source, its one value, where first stated).
        let mut parts: Vec<(&Source, &Stated)> = Vec::new();
        for src in sources {
            let matching: Vec<&Stated> = src.facts.iter().filter(|s| key.matches(s)).collect();
            let Some(first) = matching.first() else {
                continue;
            };
            if matching.iter().any(|s| !s.value.same(&first.value)) {
                continue;
            }
            // "The only amount" holds only when nothing labels it.
            if matches!(key, Key::Single(_)) && matching.iter().any(|s| s.role.is_some()) {
                continue;
            }
            parts.push((src, first));
        }
        let mut groups: Vec<Vec<(&Source, &Stated)>> = Vec::new();
        for part in parts {
            match groups.iter_mut().find(|g| g[0].1.value.same(&part.1.value)) {
                Some(g) => g.push(part),
                None => groups.push(vec![part]),
            }
        }
        if groups.len() < 2 {
            continue;
        }
        let channels = |g: &Vec<(&Source, &Stated)>| {
            g.iter()
                .map(|(s, _)| s.channel)
                .collect::<BTreeSet<_>>()
                .len()
        };
        // Largest group by channels; the first such (channel order) on a tie.
        let reference = (0..groups.len())
            .max_by(|&a, &b| {
                channels(&groups[a])
                    .cmp(&channels(&groups[b]))
                    .then(b.cmp(&a))
            })
            .expect("two groups");
        let other = groups[reference][0].1;
        for (i, g) in groups.iter().enumerate() {
            if i == reference {
                continue;
            }
            for (src, at) in g {
                if reported.insert((src.channel, src.text_part, at.field, at.span.start)) {
                    out.push(Conflict {
                        at: (*at).clone(),
                        other: other.clone(),
                        what: key.what(),
                    });
                }
            }
        }
    }
    out
}

/// Essential facts (`[consistency] essential`: kinds or roles) stated in one channel and
/// missing from another that has room: email, SMS and print. A push notification is a
/// nudge to open the app; it is never required to repeat them.
pub(crate) fn missing(
    input: &CheckInput,
    channels: &[(&ChannelText, Option<&HtmlDoc>)],
    sources: &[Source],
) -> Vec<Missing> {
    let mut out = Vec::new();
    for name in &input.essential {
        let kind = Kind::from_name(name);
        let hit = |s: &Stated| match kind {
            Some(k) => s.value.kind() == k,
            None => s.role == Some(name.as_str()),
        };
        let first = sources.iter().flat_map(|s| s.facts.iter()).find(|s| hit(s));
        let Some(first) = first else { continue };
        let what = match (kind, roles::role(name)) {
            (Some(k), _) => (k.label().0.to_string(), k.label().1.to_string()),
            (None, Some(r)) => (r.en.to_string(), r.ja.to_string()),
            (None, None) => (name.clone(), name.clone()),
        };
        for src in sources.iter().filter(|s| !s.text_part) {
            let (ch, html) = channels[src.channel];
            if ch.channel == Channel::Push {
                continue;
            }
            let stated_here = sources
                .iter()
                .filter(|s| s.channel == src.channel)
                .flat_map(|s| s.facts.iter())
                .any(hit);
            if !stated_here {
                let field = match ch.channel {
                    Channel::Email if html.is_some() => field::HTML,
                    Channel::Push => field::BODY,
                    _ => field::TEXT,
                };
                out.push(Missing {
                    channel: src.channel,
                    field,
                    stated: first.clone(),
                    what: what.clone(),
                });
            }
        }
    }
    out
}
