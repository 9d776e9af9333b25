//! Reading facts from text: one regular expression per written form, on the folded text
//! (full-width digits as ASCII), in an order where the longer form claims its characters
//! first (a date before the phone number its digits could pass for).

use super::fold::Folded;
use super::roles;
use super::{Fact, Value};
use regex::{Captures, Regex};
use std::ops::Range;
use std::sync::LazyLock;

/// Word boundaries are ASCII ones: a Unicode `\b` makes the regex engine give up its fast
/// automaton on Japanese text (and "電話TEL" should split at the script change anyway).
fn re(s: &str) -> Regex {
    Regex::new(&s.replace(r"\b", r"(?-u:\b)")).expect("static regex")
}

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";

static URL: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)(?:https?://|www\.)[^\s<>"'()\[\]{}（）「」『』【】、。，＜＞]+"#));
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| re(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"));
static DATE_YMD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{4}) ?[/\-.] ?(\d{1,2}) ?[/\-.] ?(\d{1,2})"));
static DATE_JA: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:(\d{4}) ?年 ?)?(\d{1,2}) ?月 ?(\d{1,2}) ?日(?: ?\((?:[月火水木金土日](?:曜日?)?|祝)\))?",
    )
});
static DATE_NUMERIC: LazyLock<Regex> = LazyLock::new(|| re(r"(\d{1,2})/(\d{1,2})/(\d{4})"));
static DATE_EN_MDY: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b({MONTHS})\.? +(\d{{1,2}})(?:st|nd|rd|th)?(?:,? +(\d{{4}}))?"
    ))
});
static DATE_EN_DMY: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(\d{{1,2}})(?:st|nd|rd|th)? +(?:of +)?({MONTHS})\.?(?:,? +(\d{{4}}))?"
    ))
});
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:(午前|午後) ?)?(\d{1,2})(?::(\d{2})|時(?:(\d{1,2})分|(半))?)(?: ?([AaPp])\.?[Mm]\.?)?")
});
static TIME_AMPM: LazyLock<Regex> = LazyLock::new(|| re(r"(\d{1,2}) ?([AaPp])\.?[Mm]\b\.?"));
static MONEY_MAN: LazyLock<Regex> = LazyLock::new(|| re(r"(\d+)万(\d{1,4})?円"));
static MONEY_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:\b(JPY|USD|EUR|GBP) ?|(US\$|[¥$€£]) ?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?")
});
static MONEY_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))? ?(円|JPY|USD|EUR|GBP|yen\b)"));
static PERCENT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d+(?:\.\d+)?) ?(%|パーセント|percent\b)"));
static PHONE_JP: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:\+81[ \-]?\(?|\(?0)\d{1,4}\)?[ \-]?\d{1,4}[ \-]?\d{3,4}"));
static PHONE_US: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:\+?1[ \-.])?\(?\d{3}\)?[ \-.]\d{3}[ \-.]\d{4}"));

/// Every fact in `text` with its role, in text order. `locale` decides how `10/12/2026`
/// reads (day first for `en-GB`, month first otherwise).
pub fn extract(text: &str, locale: &str) -> Vec<Fact> {
    let folded = Folded::new(text);
    let mut found = Found {
        text: &folded.text,
        facts: Vec::new(),
    };
    found.urls();
    found.emails();
    found.dates(locale);
    found.times();
    found.money();
    found.percents();
    found.phones(locale);
    roles::accounts(&mut found);
    found.facts.sort_by_key(|f| f.range.start);
    roles::assign(&folded.text, &mut found.facts);
    for f in &mut found.facts {
        f.range = folded.original_range(f.range.clone());
        f.written = text[f.range.clone()].to_string();
    }
    found.facts
}

/// Facts found so far, with ranges in the folded text.
pub(super) struct Found<'a> {
    pub text: &'a str,
    pub facts: Vec<Fact>,
}

impl Found<'_> {
    pub fn free(&self, r: &Range<usize>) -> bool {
        !self
            .facts
            .iter()
            .any(|f| f.range.start < r.end && r.start < f.range.end)
    }

    pub fn push(&mut self, range: Range<usize>, value: Value) {
        if self.free(&range) {
            self.facts.push(Fact {
                value,
                written: String::new(),
                range,
                role: None,
            });
        }
    }

    /// A number standing alone: no digit (or letter, `-`, `/`, `.`) glued before it and no
    /// digit after it ("C-0012345" is no phone number, "12026/12/10" no date).
    fn alone(&self, r: &Range<usize>) -> bool {
        let before = self.text[..r.start].chars().next_back();
        let after = self.text[r.end..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.'))
            && !after.is_some_and(|c| c.is_ascii_digit())
    }

    fn each(&mut self, regex: &Regex, mut value: impl FnMut(&Captures, &str) -> Option<Value>) {
        let text = self.text;
        for c in regex.captures_iter(text) {
            let m = c.get(0).expect("whole match");
            let r = m.range();
            if !self.alone(&r) || !self.free(&r) {
                continue;
            }
            if let Some(v) = value(&c, text) {
                self.push(r, v);
            }
        }
    }

    fn urls(&mut self) {
        for m in URL.find_iter(self.text) {
            let trimmed = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
            let r = m.start()..m.start() + trimmed.len();
            self.push(r, Value::Url(normalize_url(trimmed)));
        }
    }

    fn emails(&mut self) {
        let text = self.text;
        for m in EMAIL.find_iter(text) {
            self.push(m.range(), Value::Email(m.as_str().to_ascii_lowercase()));
        }
    }

    fn dates(&mut self, locale: &str) {
        self.each(&DATE_YMD, |c, _| {
            date(Some(num(c, 1)?), num(c, 2)?, num(c, 3)?)
        });
        self.each(&DATE_JA, |c, _| date(num(c, 1), num(c, 2)?, num(c, 3)?));
        let day_first = locale.eq_ignore_ascii_case("en-GB");
        self.each(&DATE_NUMERIC, |c, _| {
            let (a, b, y) = (num(c, 1)?, num(c, 2)?, num(c, 3)?);
            if day_first {
                date(Some(y), b, a)
            } else {
                date(Some(y), a, b)
            }
        });
        self.each(&DATE_EN_MDY, |c, _| {
            date(num(c, 3), month(c.get(1)?.as_str())?, num(c, 2)?)
        });
        self.each(&DATE_EN_DMY, |c, _| {
            date(num(c, 3), month(c.get(2)?.as_str())?, num(c, 1)?)
        });
    }

    fn times(&mut self) {
        self.each(&TIME, |c, text| {
            let whole = c.get(0)?;
            // 24時間 is a duration, 3時限 a class period.
            if text[whole.end()..].starts_with(['間', '限']) {
                return None;
            }
            let colon = c.get(3).is_some();
            let kanji = whole.as_str().contains('時');
            let ampm = c
                .get(1)
                .map(|m| m.as_str())
                .or(c.get(6).map(|m| m.as_str()));
            if !colon && !kanji {
                return None;
            }
            let minute = num(c, 3)
                .or(num(c, 4))
                .unwrap_or(if c.get(5).is_some() { 30 } else { 0 });
            time(num(c, 2)?, minute, ampm)
        });
        self.each(&TIME_AMPM, |c, _| {
            time(num(c, 1)?, 0, c.get(2).map(|m| m.as_str()))
        });
    }

    fn money(&mut self) {
        self.each(&MONEY_MAN, |c, _| {
            let man: u64 = c.get(1)?.as_str().parse().ok()?;
            let rest: u64 = c.get(2).map_or(Some(0), |m| m.as_str().parse().ok())?;
            Some(Value::Money {
                currency: "JPY",
                amount: (man * 10_000 + rest).to_string(),
            })
        });
        self.each(&MONEY_PREFIX, |c, _| {
            let currency = currency(c.get(1).or(c.get(2))?.as_str())?;
            Some(Value::Money {
                currency,
                amount: amount(c.get(3)?.as_str(), c.get(4).map(|m| m.as_str())),
            })
        });
        self.each(&MONEY_SUFFIX, |c, _| {
            Some(Value::Money {
                currency: currency(c.get(3)?.as_str())?,
                amount: amount(c.get(1)?.as_str(), c.get(2).map(|m| m.as_str())),
            })
        });
    }

    fn percents(&mut self) {
        self.each(&PERCENT, |c, _| {
            Some(Value::Percent(amount(c.get(1)?.as_str(), None)))
        });
    }

    fn phones(&mut self, locale: &str) {
        self.each(&PHONE_JP, |c, _| {
            let written = c.get(0)?.as_str();
            let digits: String = written.chars().filter(char::is_ascii_digit).collect();
            let national = match digits.strip_prefix("81") {
                Some(rest) if written.starts_with('+') => format!("0{rest}"),
                _ => digits,
            };
            // A bare run of digits is a phone number only at the length of one.
            (national.starts_with('0') && (10..=11).contains(&national.len()))
                .then_some(Value::Phone(national))
        });
        if !locale.starts_with("ja") {
            self.each(&PHONE_US, |c, _| {
                let digits: String = c
                    .get(0)?
                    .as_str()
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect();
                let national = match digits.len() {
                    11 => digits.strip_prefix('1')?.to_string(),
                    10 => digits,
                    _ => return None,
                };
                Some(Value::Phone(national))
            });
        }
    }
}

fn num(c: &Captures, i: usize) -> Option<u32> {
    c.get(i)?.as_str().parse().ok()
}

fn date(year: Option<u32>, month: u32, day: u32) -> Option<Value> {
    ((1..=12).contains(&month)
        && (1..=31).contains(&day)
        && year.is_none_or(|y| (1900..=2999).contains(&y)))
    .then_some(Value::Date { year, month, day })
}

fn month(name: &str) -> Option<u32> {
    const SHORT: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = name.to_ascii_lowercase();
    SHORT
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as u32 + 1)
}

fn time(hour: u32, minute: u32, ampm: Option<&str>) -> Option<Value> {
    let hour = match ampm {
        Some("午後") | Some("p") | Some("P") if hour < 12 => hour + 12,
        Some("午前") | Some("a") | Some("A") if hour == 12 => 0,
        Some(_) if hour > 12 => return None,
        _ => hour,
    };
    (hour <= 24 && minute < 60).then_some(Value::Time(hour * 60 + minute))
}

fn currency(symbol: &str) -> Option<&'static str> {
    Some(match symbol {
        "¥" | "円" | "JPY" | "yen" => "JPY",
        "$" | "US$" | "USD" => "USD",
        "€" | "EUR" => "EUR",
        "£" | "GBP" => "GBP",
        _ => return None,
    })
}

/// `"48,230"` → `"48230"`, `"12"`+`"50"` → `"12.5"`, `"007"` → `"7"`.
fn amount(whole: &str, fraction: Option<&str>) -> String {
    let whole: String = whole.chars().filter(char::is_ascii_digit).collect();
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let (whole, fraction) = match whole.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (whole, fraction),
    };
    match fraction
        .map(|f| f.trim_end_matches('0'))
        .filter(|f| !f.is_empty())
    {
        Some(f) => format!("{whole}.{f}"),
        None => whole.to_string(),
    }
}

/// Scheme and host lower-cased, default port, tracking parameters and a trailing `/`
/// dropped; a bare `www.` address read as `https://`.
pub fn normalize_url(url: &str) -> String {
    const TRACKING: [&str; 11] = [
        "gclid", "fbclid", "dclid", "msclkid", "yclid", "wbraid", "gbraid", "mc_cid", "mc_eid",
        "_ga", "igshid",
    ];
    let url = url.trim();
    let url = if url.to_ascii_lowercase().starts_with("www.") {
        format!("https://{url}")
    } else {
        url.to_string()
    };
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (url.as_str(), None),
    };
    let (base, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let (scheme, after) = base.split_once("://").unwrap_or(("", base));
    let (authority, path) = match after.find('/') {
        Some(i) => (&after[..i], &after[i..]),
        None => (after, ""),
    };
    let scheme = scheme.to_ascii_lowercase();
    let mut host = authority.to_ascii_lowercase();
    for (s, port) in [("https", ":443"), ("http", ":80")] {
        if scheme == s {
            if let Some(h) = host.strip_suffix(port) {
                host = h.to_string();
            }
        }
    }
    let path = path.trim_end_matches('/');
    let mut out = if scheme.is_empty() {
        format!("{host}{path}")
    } else {
        format!("{scheme}://{host}{path}")
    };
    let kept: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| {
            let key = p.split('=').next().unwrap_or("").to_ascii_lowercase();
            !p.is_empty() && !key.starts_with("utm_") && !TRACKING.contains(&key.as_str())
        })
        .collect();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The path of an http(s) URL (`/track`), without host or query: two channels linking to
/// the same path on different hosts or with different parameters link to different places.
pub fn url_path(normalized: &str) -> Option<&str> {
    let after = normalized.split_once("://")?.1;
    let path = &after[after.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    (path.len() > 1).then_some(path)
}
