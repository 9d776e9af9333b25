//! Facts a message states — money amounts, dates, times, phone numbers, email addresses,
//! URLs, account numbers, percentages, the sender's name — read from plain text and
//! normalised, so the same fact written two ways compares equal: ¥48,230 = 48,230円 =
//! JPY 48230; 2026/12/10 = 2026年12月10日 = 12月10日(木) = Dec 10, 2026 = 10 December 2026;
//! +81 120-000-381 = 0120-000-381; full-width digits read as ASCII ones.
//!
//! [`extract`] finds facts and [`roles::assign`] tells what each is for from the words next
//! to it; the `consistency` rule kind compares them across channels.

mod fold;
pub(crate) mod parse;
pub mod roles;

pub use fold::{fold_char, loose, Folded};
pub use parse::extract;

use std::fmt;
use std::ops::Range;

/// What kind of fact (`ccm_core::model::FACT_KINDS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Money,
    Date,
    Time,
    Phone,
    Email,
    Url,
    Account,
    Percent,
    Sender,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Money,
        Kind::Date,
        Kind::Time,
        Kind::Phone,
        Kind::Email,
        Kind::Url,
        Kind::Account,
        Kind::Percent,
        Kind::Sender,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Money => "money",
            Kind::Date => "date",
            Kind::Time => "time",
            Kind::Phone => "phone",
            Kind::Email => "email",
            Kind::Url => "url",
            Kind::Account => "account",
            Kind::Percent => "percent",
            Kind::Sender => "sender",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// How a finding names the kind, English and Japanese.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Kind::Money => ("amount", "金額"),
            Kind::Date => ("date", "日付"),
            Kind::Time => ("time", "時刻"),
            Kind::Phone => ("phone number", "電話番号"),
            Kind::Email => ("email address", "メールアドレス"),
            Kind::Url => ("link", "リンク"),
            Kind::Account => ("number", "番号"),
            Kind::Percent => ("percentage", "割合"),
            Kind::Sender => ("sender", "送信者名"),
        }
    }
}

/// A fact's value, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// ISO currency and the amount as a plain decimal (`"48230"`, `"12.5"`).
    Money {
        currency: &'static str,
        amount: String,
    },
    /// A year left out ("12月10日", "Dec 10") is taken from the other side when compared.
    Date {
        year: Option<u32>,
        month: u32,
        day: u32,
    },
    /// Minutes after midnight.
    Time(u32),
    /// Digits as dialled inside the country (`0120000381`; US numbers without the `1`).
    Phone(String),
    Email(String),
    /// Scheme and host lower-cased, tracking parameters (`utm_*`, `gclid`, `fbclid`…) and a
    /// lone trailing `/` removed.
    Url(String),
    /// The digits shown; `masked` when some are hidden (`****1234` shows the tail).
    Account {
        digits: String,
        masked: bool,
    },
    /// The number as a plain decimal.
    Percent(String),
    /// Loosely folded name (no spaces, lower case).
    Sender(String),
}

impl Value {
    pub fn kind(&self) -> Kind {
        match self {
            Value::Money { .. } => Kind::Money,
            Value::Date { .. } => Kind::Date,
            Value::Time(_) => Kind::Time,
            Value::Phone(_) => Kind::Phone,
            Value::Email(_) => Kind::Email,
            Value::Url(_) => Kind::Url,
            Value::Account { .. } => Kind::Account,
            Value::Percent(_) => Kind::Percent,
            Value::Sender(_) => Kind::Sender,
        }
    }

    /// Whether two values state the same fact: equal, or equal as far as both say (a date
    /// without a year, a masked number's tail).
    pub fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (
                Value::Date {
                    year: y1,
                    month: m1,
                    day: d1,
                },
                Value::Date {
                    year: y2,
                    month: m2,
                    day: d2,
                },
            ) => m1 == m2 && d1 == d2 && (y1.is_none() || y2.is_none() || y1 == y2),
            (
                Value::Account {
                    digits: a,
                    masked: ma,
                },
                Value::Account {
                    digits: b,
                    masked: mb,
                },
            ) => match (ma, mb) {
                (false, false) => a == b,
                (true, false) => b.ends_with(a.as_str()),
                (false, true) => a.ends_with(b.as_str()),
                (true, true) => a.ends_with(b.as_str()) || b.ends_with(a.as_str()),
            },
            (Value::Url(a), Value::Url(b)) => a == b || same_link(a, b),
            // "さくら銀行" and "株式会社さくら銀行" name the same sender.
            (Value::Sender(a), Value::Sender(b)) => {
                a.contains(b.as_str()) || b.contains(a.as_str())
            }
            _ => self == other,
        }
    }
}

/// The same page: the same path on the same site (a subdomain counts as the site: the app's
/// `app.example.jp` and the web's `www.example.jp`), one side perhaps adding parameters the
/// other leaves out (a personalised opt-out link `/stop?u=TM-1` printed as `/stop`). Two
/// values of one parameter (`?order=1`, `?order=2`) or another site stay different.
fn same_link(a: &str, b: &str) -> bool {
    let split = |u: &str| -> (String, String, Vec<String>) {
        let (base, query) = u.split_once('?').unwrap_or((u, ""));
        let after = base.split_once("://").map_or(base, |(_, r)| r);
        let (host, path) = after.split_at(after.find('/').unwrap_or(after.len()));
        let host = host.strip_prefix("www.").unwrap_or(host).to_string();
        let params = query
            .split(['&', '#'])
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        (host, path.to_string(), params)
    };
    let ((ha, path_a, pa), (hb, path_b, pb)) = (split(a), split(b));
    let same_site = ha == hb || ha.ends_with(&format!(".{hb}")) || hb.ends_with(&format!(".{ha}"));
    same_site
        && path_a == path_b
        && (pa.iter().all(|p| pb.contains(p)) || pb.iter().all(|p| pa.contains(p)))
}

impl fmt::Display for Value {
    /// The normalised value, as tests and `ccm rules` show it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Money { currency, amount } => write!(f, "{currency} {amount}"),
            Value::Date {
                year: Some(y),
                month,
                day,
            } => write!(f, "{y:04}-{month:02}-{day:02}"),
            Value::Date {
                year: None,
                month,
                day,
            } => write!(f, "--{month:02}-{day:02}"),
            Value::Time(m) => write!(f, "{:02}:{:02}", m / 60, m % 60),
            Value::Phone(s) | Value::Email(s) | Value::Url(s) | Value::Sender(s) => f.write_str(s),
            Value::Account { digits, masked } => {
                write!(f, "{}{digits}", if *masked { "…" } else { "" })
            }
            Value::Percent(p) => write!(f, "{p}%"),
        }
    }
}

/// One fact found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub value: Value,
    /// Byte range in the text it was read from, as written.
    pub range: Range<usize>,
    /// The text as written (`2026年12月10日(木)`).
    pub written: String,
    /// What it is for, from the words around it (`due_date`…); `None` when nothing says.
    pub role: Option<&'static str>,
}

impl Fact {
    pub fn kind(&self) -> Kind {
        self.value.kind()
    }
}

#[cfg(test)]
mod tests;
