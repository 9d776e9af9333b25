//! CCM's Tera filters: `currency`, `date`, `mask`, `phone`, `urlencode`.
//!
//! Deterministic and locale-aware, with no dependence on the machine's locale or clock: numbers
//! are formatted by hand (Tera prints floats however serde_json does), dates are parsed from the
//! file format's `YYYY-MM-DD`, and "today" is whatever the caller's clock passed in.

use std::collections::HashMap;
use tera::{Error, Result, Value};
use time::{Date, Month, Weekday};

/// What the filters need to know about where they render.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FilterLocale {
    /// BCP 47-ish locale of the rendering: `ja`, `en`, `en-US`.
    pub locale: String,
    /// ISO 4217 code used when a template does not say `currency(code=…)`: the brand's.
    pub default_currency: String,
}

impl FilterLocale {
    pub fn new(locale: &str, brand_country: &str) -> Self {
        FilterLocale {
            locale: locale.to_string(),
            default_currency: currency_for_country(brand_country, locale).to_string(),
        }
    }
    fn japanese(&self) -> bool {
        self.locale == "ja" || self.locale.starts_with("ja-")
    }
}

/// The currency of a brand's country; an unknown country falls back on the locale.
pub fn currency_for_country(country: &str, locale: &str) -> &'static str {
    match country.to_ascii_uppercase().as_str() {
        "JP" | "JPN" => "JPY",
        "US" | "USA" => "USD",
        "GB" | "UK" => "GBP",
        "DE" | "FR" | "IT" | "ES" | "NL" | "IE" | "AT" | "BE" | "FI" | "PT" => "EUR",
        _ if locale.starts_with("ja") => "JPY",
        _ => "USD",
    }
}

pub fn register(tera: &mut tera::Tera, loc: &FilterLocale) {
    let l = loc.clone();
    tera.register_filter("currency", move |v: &Value, a: &HashMap<String, Value>| {
        currency(v, a, &l)
    });
    let l = loc.clone();
    tera.register_filter("date", move |v: &Value, a: &HashMap<String, Value>| {
        date(v, a, &l)
    });
    tera.register_filter("mask", mask);
    let l = loc.clone();
    tera.register_filter("phone", move |v: &Value, _: &HashMap<String, Value>| {
        phone(v, &l)
    });
    tera.register_filter("urlencode", urlencode);
}

fn str_arg<'a>(args: &'a HashMap<String, Value>, name: &str) -> Option<&'a str> {
    args.get(name).and_then(Value::as_str)
}

fn describe(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

// ---------------------------------------------------------------- currency

struct CurrencyStyle {
    symbol: &'static str,
    decimals: u32,
}

fn currency_style(code: &str, loc: &FilterLocale) -> Option<CurrencyStyle> {
    let (symbol, decimals) = match code {
        // In Japanese text a bare "$" is ambiguous; banks write US$.
        "USD" if loc.japanese() => ("US$", 2),
        "USD" => ("$", 2),
        "JPY" => ("¥", 0),
        "EUR" => ("€", 2),
        "GBP" => ("£", 2),
        _ => return None,
    };
    Some(CurrencyStyle { symbol, decimals })
}

fn number_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace(',', "").parse::<f64>().ok(),
        _ => None,
    }
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1234.5, 2` → `1,234.50`; rounding half away from zero on the minor unit.
pub fn format_amount(x: f64, decimals: u32) -> String {
    let scale = 10f64.powi(decimals as i32);
    let minor = (x.abs() * scale).round();
    // f64 holds integers exactly up to 2^53; beyond that no real amount lives.
    let minor = if minor.is_finite() && minor < 9.0e15 {
        minor as u64
    } else {
        0
    };
    let div = 10u64.pow(decimals);
    let whole = group_thousands(&(minor / div).to_string());
    if decimals == 0 {
        whole
    } else {
        format!("{whole}.{:0width$}", minor % div, width = decimals as usize)
    }
}

pub(crate) fn currency(
    v: &Value,
    args: &HashMap<String, Value>,
    loc: &FilterLocale,
) -> Result<Value> {
    let code = str_arg(args, "code")
        .map(str::to_ascii_uppercase)
        .unwrap_or_else(|| loc.default_currency.clone());
    let style = currency_style(&code, loc).ok_or_else(|| {
        Error::msg(format!(
            "currency: unknown currency code '{code}' (use JPY, USD, EUR or GBP)"
        ))
    })?;
    let x = number_of(v).filter(|x| x.is_finite()).ok_or_else(|| {
        Error::msg(format!(
            "currency: expected a number, got {} (money amounts are numbers in the main unit, e.g. 12800)",
            describe(v)
        ))
    })?;
    let amount = format_amount(x, style.decimals);
    // "-¥0" would be nonsense: only a non-zero rounded amount carries a sign.
    let negative = x < 0.0 && amount.chars().any(|c| ('1'..='9').contains(&c));
    let sign = if negative { "-" } else { "" };
    Ok(Value::String(format!("{sign}{}{amount}", style.symbol)))
}

// ---------------------------------------------------------------- date

/// Parses `YYYY-MM-DD` (a longer RFC 3339 timestamp is cut to its date part).
pub fn parse_date(s: &str) -> Option<Date> {
    let d = s.trim().get(..10)?;
    let b = d.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i32 = d[..4].parse().ok()?;
    let m: u8 = d[5..7].parse().ok()?;
    let day: u8 = d[8..10].parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, day).ok()
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn weekday_ja(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "月",
        Weekday::Tuesday => "火",
        Weekday::Wednesday => "水",
        Weekday::Thursday => "木",
        Weekday::Friday => "金",
        Weekday::Saturday => "土",
        Weekday::Sunday => "日",
    }
}

fn weekday_en(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// Formats a date for the locale: `long` (default), `short`, or `weekday` (long + day name).
pub fn format_date(d: Date, format: &str, loc: &FilterLocale) -> Option<String> {
    let (y, m, day) = (d.year(), d.month() as u8, d.day());
    let ja = loc.japanese();
    Some(match (format, ja) {
        ("long", true) => format!("{y}年{m}月{day}日"),
        ("short", true) => format!("{y}/{m:02}/{day:02}"),
        ("weekday", true) => format!("{y}年{m}月{day}日({})", weekday_ja(d.weekday())),
        ("long", false) => format!("{} {day}, {y}", MONTHS_EN[m as usize - 1]),
        ("short", false) if loc.locale == "en-GB" => format!("{day:02}/{m:02}/{y}"),
        ("short", false) => format!("{m:02}/{day:02}/{y}"),
        ("weekday", false) => format!(
            "{}, {} {day}, {y}",
            weekday_en(d.weekday()),
            MONTHS_EN[m as usize - 1]
        ),
        _ => return None,
    })
}

pub(crate) fn date(v: &Value, args: &HashMap<String, Value>, loc: &FilterLocale) -> Result<Value> {
    let format = str_arg(args, "format").unwrap_or("long");
    let d = v.as_str().and_then(parse_date).ok_or_else(|| {
        Error::msg(format!(
            "date: expected a date written YYYY-MM-DD, got {}",
            describe(v)
        ))
    })?;
    format_date(d, format, loc)
        .map(Value::String)
        .ok_or_else(|| {
            Error::msg(format!(
                "date: unknown format '{format}' (use \"long\", \"short\" or \"weekday\")"
            ))
        })
}

// ---------------------------------------------------------------- mask

/// `mask` → `****1234`. The number of stars is fixed so the output does not reveal the length.
fn mask(v: &Value, args: &HashMap<String, Value>) -> Result<Value> {
    let keep = match args.get("keep") {
        None => 4,
        Some(k) => k.as_u64().filter(|k| *k <= 16).ok_or_else(|| {
            Error::msg(format!(
                "mask: keep must be a whole number from 0 to 16, got {}",
                describe(k)
            ))
        })? as usize,
    };
    let raw = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => {
            return Err(Error::msg(format!(
                "mask: expected text or a number, got {}",
                describe(other)
            )))
        }
    };
    // Separators carry no secret; count only the characters that do.
    let significant: Vec<char> = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let tail: String = if significant.len() > keep {
        significant[significant.len() - keep..].iter().collect()
    } else {
        String::new()
    };
    Ok(Value::String(format!("****{tail}")))
}

// ---------------------------------------------------------------- phone

/// Formats Japanese numbers (national form; +81 becomes 0) and North American numbers; anything
/// else comes back unchanged. Japanese area codes vary in length (2–5 digits): 03/06 and
/// mobile/IP/free-dial prefixes are exact, other landlines use the common 3-3-4 grouping.
pub fn format_phone(raw: &str, loc: &FilterLocale) -> String {
    let trimmed = raw.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let international = trimmed.starts_with('+');
    let jp = if international && digits.starts_with("81") {
        Some(format!("0{}", &digits[2..]))
    } else if !international && digits.starts_with('0') {
        Some(digits.clone())
    } else {
        None
    };
    if let Some(n) = jp {
        let g = |a: usize, b: usize| format!("{}-{}-{}", &n[..a], &n[a..a + b], &n[a + b..]);
        return match n.len() {
            11 if ["090", "080", "070", "060", "050"]
                .iter()
                .any(|p| n.starts_with(p)) =>
            {
                g(3, 4)
            }
            11 if n.starts_with("0800") => g(4, 3),
            10 if n.starts_with("0120") || n.starts_with("0570") || n.starts_with("0800") => {
                g(4, 3)
            }
            10 if n.starts_with("03") || n.starts_with("06") => g(2, 4),
            10 => g(3, 3),
            _ => trimmed.to_string(),
        };
    }
    // +1 NXX NXX XXXX, 1 NXX NXX XXXX or NXX NXX XXXX.
    let us = if digits.len() == 11 && digits.starts_with('1') {
        Some(&digits[1..])
    } else if !international && digits.len() == 10 {
        Some(digits.as_str())
    } else {
        None
    };
    match us {
        Some(n) => {
            let local = format!("({}) {}-{}", &n[..3], &n[3..6], &n[6..]);
            if loc.japanese() {
                format!("+1 {local}")
            } else {
                local
            }
        }
        None => trimmed.to_string(),
    }
}

fn phone(v: &Value, loc: &FilterLocale) -> Result<Value> {
    match v {
        Value::String(s) => Ok(Value::String(format_phone(s, loc))),
        other => Err(Error::msg(format!(
            "phone: expected the number as text (e.g. \"03-1234-5678\"), got {}",
            describe(other)
        ))),
    }
}

// ---------------------------------------------------------------- urlencode

/// Percent-encodes everything but RFC 3986 unreserved characters (for query values).
fn urlencode(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => {
            return Err(Error::msg(format!(
                "urlencode: expected text, got {}",
                describe(other)
            )))
        }
    };
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(Value::String(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ja() -> FilterLocale {
        FilterLocale::new("ja", "JP")
    }
    fn en_us() -> FilterLocale {
        FilterLocale::new("en-US", "US")
    }
    fn args(v: Value) -> HashMap<String, Value> {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn currency_by_locale_and_code() {
        let none = HashMap::new();
        assert_eq!(
            currency(&json!(12800), &none, &ja()).unwrap(),
            json!("¥12,800")
        );
        assert_eq!(
            currency(&json!(1234.56), &none, &en_us()).unwrap(),
            json!("$1,234.56")
        );
        assert_eq!(
            currency(&json!(1234.5), &none, &en_us()).unwrap(),
            json!("$1,234.50")
        );
        assert_eq!(
            currency(&json!(0.005), &none, &en_us()).unwrap(),
            json!("$0.01")
        );
        assert_eq!(
            currency(&json!(-42), &none, &en_us()).unwrap(),
            json!("-$42.00")
        );
        assert_eq!(
            currency(&json!(99_999_999_999u64), &none, &ja()).unwrap(),
            json!("¥99,999,999,999")
        );
        assert_eq!(
            currency(&json!(1234.56), &args(json!({"code": "USD"})), &ja()).unwrap(),
            json!("US$1,234.56")
        );
        let en_jp_brand = FilterLocale::new("en", "JP");
        assert_eq!(
            currency(&json!(12800), &none, &en_jp_brand).unwrap(),
            json!("¥12,800"),
            "a Japanese bank's English letter still bills in yen"
        );
        assert!(currency(&json!("abc"), &none, &ja()).is_err());
        assert!(currency(&json!(1), &args(json!({"code": "XYZ"})), &ja()).is_err());
    }

    #[test]
    fn dates_by_locale() {
        let none = HashMap::new();
        assert_eq!(
            date(&json!("2026-12-10"), &none, &ja()).unwrap(),
            json!("2026年12月10日")
        );
        assert_eq!(
            date(&json!("2026-12-10"), &none, &en_us()).unwrap(),
            json!("December 10, 2026")
        );
        let short = args(json!({"format": "short"}));
        assert_eq!(
            date(&json!("2026-12-10"), &short, &ja()).unwrap(),
            json!("2026/12/10")
        );
        assert_eq!(
            date(&json!("2026-12-10"), &short, &en_us()).unwrap(),
            json!("12/10/2026")
        );
        let wd = args(json!({"format": "weekday"}));
        assert_eq!(
            date(&json!("2026-12-10"), &wd, &ja()).unwrap(),
            json!("2026年12月10日(木)")
        );
        assert!(
            date(&json!("2026-02-30"), &none, &ja()).is_err(),
            "no 30 February"
        );
        assert!(date(&json!("10/12/2026"), &none, &ja()).is_err());
    }

    #[test]
    fn mask_keeps_the_tail() {
        let none = HashMap::new();
        assert_eq!(
            mask(&json!("4111 1111 1111 1234"), &none).unwrap(),
            json!("****1234")
        );
        assert_eq!(
            mask(&json!(1234567), &args(json!({"keep": 2}))).unwrap(),
            json!("****67")
        );
        assert_eq!(
            mask(&json!("12"), &none).unwrap(),
            json!("****"),
            "too short: hide all"
        );
        assert!(mask(&json!("1"), &args(json!({"keep": -1}))).is_err());
    }

    #[test]
    fn phones() {
        assert_eq!(format_phone("0312345678", &ja()), "03-1234-5678");
        assert_eq!(format_phone("09012345678", &ja()), "090-1234-5678");
        assert_eq!(format_phone("+81 90 1234 5678", &ja()), "090-1234-5678");
        assert_eq!(format_phone("0120123456", &ja()), "0120-123-456");
        assert_eq!(format_phone("0451234567", &ja()), "045-123-4567");
        assert_eq!(format_phone("5551234567", &en_us()), "(555) 123-4567");
        assert_eq!(format_phone("+1 555 123 4567", &en_us()), "(555) 123-4567");
        assert_eq!(
            format_phone("12", &en_us()),
            "12",
            "unknown shapes pass through"
        );
    }

    #[test]
    fn urlencode_query_values() {
        let none = HashMap::new();
        assert_eq!(
            urlencode(&json!("a b&c/é"), &none).unwrap(),
            json!("a%20b%26c%2F%C3%A9")
        );
    }
}
