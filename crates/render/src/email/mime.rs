//! The real message: multipart/alternative (text/plain, then text/html inside
//! multipart/related with the inline logo), RFC 2047 UTF-8 headers, List-Unsubscribe for
//! one-click opt-out. Built with mail-builder.
//!
//! Determinism: mail-builder invents a Message-ID, a Date and MIME boundaries from the clock
//! when none are given. We give all three, derived from the input, so the same input yields
//! byte-identical messages. Boundaries contain `=_`, which can appear neither in base64 nor in
//! quoted-printable output, so they can never collide with content.

use super::logo::EmailImage;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::url::URL;
use mail_builder::mime::MimePart;
use mail_builder::MessageBuilder;
use sha2::{Digest, Sha256};

pub(crate) struct Message<'a> {
    pub locale: &'a str,
    pub subject: &'a str,
    pub from_name: Option<&'a str>,
    pub from_address: &'a str,
    pub reply_to: Option<&'a str>,
    pub to_name: &'a str,
    pub to_address: &'a str,
    pub unsubscribe_url: Option<&'a str>,
    pub date_header: &'a str,
    pub message_id_seed: &'a str,
    pub text: &'a str,
    /// HTML referencing its images (logo, brand-kit images) as `cid:`.
    pub html: &'a str,
    pub inline: &'a [Inline<'a>],
}

/// An image sent inside the message and shown where the HTML says `cid:<cid>`.
pub(crate) struct Inline<'a> {
    pub image: &'a EmailImage,
    pub cid: &'a str,
    pub filename: String,
}

/// Header values never carry line breaks (header injection) and are trimmed.
pub(crate) fn header_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A plain `local@domain` address: ASCII, no spaces, no characters that would need quoting.
pub(crate) fn valid_address(a: &str) -> bool {
    let Some((local, domain)) = a.rsplit_once('@') else {
        return false;
    };
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
    };
    ok(local)
        && ok(domain)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

pub(crate) fn message_id(seed: &str, from_address: &str) -> String {
    let domain = from_address
        .rsplit_once('@')
        .map_or("localhost", |(_, d)| d);
    let h = hex::encode(Sha256::digest(seed.as_bytes()));
    format!("{}@{}", &h[..32], domain)
}

fn boundary(kind: &str, seed: &str) -> String {
    let h = hex::encode(Sha256::digest(format!("{kind}\0{seed}").as_bytes()));
    format!("=_ccm_{kind}_{}", &h[..24])
}

fn address<'a>(name: Option<&'a str>, addr: &'a str) -> Address<'a> {
    Address::new_address(name.filter(|n| !n.is_empty()), addr)
}

pub(crate) fn build(m: &Message<'_>) -> std::io::Result<Vec<u8>> {
    let seed = m.message_id_seed;
    let text = MimePart::new("text/plain", m.text);
    let html = MimePart::new("text/html", m.html);
    let html_part = if m.inline.is_empty() {
        html
    } else {
        let mut parts = vec![html];
        for i in m.inline {
            parts.push(
                MimePart::new("image/png", i.image.png.as_slice())
                    .header(
                        "Content-Disposition",
                        ContentType::new("inline").attribute("filename", i.filename.as_str()),
                    )
                    .cid(i.cid),
            );
        }
        MimePart::new(
            ContentType::new("multipart/related")
                .attribute("type", "text/html")
                .attribute("boundary", boundary("rel", seed)),
            parts,
        )
    };
    let body = MimePart::new(
        ContentType::new("multipart/alternative").attribute("boundary", boundary("alt", seed)),
        vec![text, html_part],
    );

    let mut msg = MessageBuilder::new()
        .from(address(m.from_name, m.from_address))
        .to(address(Some(m.to_name), m.to_address))
        .subject(m.subject)
        .header("Date", Raw::new(m.date_header))
        .message_id(message_id(seed, m.from_address));
    if let Some(r) = m.reply_to {
        msg = msg.reply_to(address(None, r));
    }
    msg = msg.header("Content-Language", Raw::new(m.locale));
    if let Some(u) = m.unsubscribe_url {
        msg = msg.header("List-Unsubscribe", URL::new(u));
        if u.starts_with("https://") {
            msg = msg.header(
                "List-Unsubscribe-Post",
                Raw::new("List-Unsubscribe=One-Click"),
            );
        }
    }
    msg.body(body).write_to_vec()
}

/// `Thu, 10 Dec 2026 09:00:00 +0900`: the send date at 09:00 local time. Japanese mail is
/// dated in JST; other locales in UTC (the sending system sets the real date).
pub(crate) fn date_header(date: (i32, u8, u8), locale: &str) -> Option<String> {
    let month = time::Month::try_from(date.1).ok()?;
    let d = time::Date::from_calendar_date(date.0, month, date.2).ok()?;
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let zone = if locale == "ja" { "+0900" } else { "+0000" };
    Some(format!(
        "{}, {} {} {:04} 09:00:00 {zone}",
        DAYS[d.weekday().number_days_from_monday() as usize],
        d.day(),
        MONTHS[d.month() as usize - 1],
        d.year()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_fixed_and_valid() {
        assert_eq!(
            date_header((2026, 12, 10), "ja").as_deref(),
            Some("Thu, 10 Dec 2026 09:00:00 +0900")
        );
        assert_eq!(date_header((2026, 2, 30), "ja"), None);
        assert_eq!(date_header((2026, 13, 1), "en"), None);
    }

    #[test]
    fn addresses_are_checked_and_headers_cleaned() {
        assert!(valid_address("info@sakura-bank.example.jp"));
        assert!(!valid_address("info@localhost"));
        assert!(!valid_address("a b@x.example"));
        assert!(!valid_address("a@x.example>\r\nBcc: evil@x.example"));
        assert_eq!(
            header_safe("件名\r\nBcc: x@y.example"),
            "件名  Bcc: x@y.example"
        );
    }
}
