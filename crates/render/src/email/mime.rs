//! The real message: multipart/alternative (text/plain, then text/html inside
//! multipart/related with the inline logo), RFC 2047 UTF-8 headers, List-Unsubscribe for
//! one-click opt-out. Built with mail-builder, except the From and To headers (see
//! [`mailbox_header`]).
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
    /// The sender's display name (`From: name <address>`); empty for none.
    pub from_name: &'a str,
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

/// Longest header line we write, without CRLF (RFC 5322 §2.1.1 "SHOULD be no more than 78").
const HEADER_LINE: usize = 78;

/// UTF-8 bytes per encoded word: 45 bytes are 60 base64 characters, so with `=?utf-8?B?`
/// and `?=` a word is 72 characters, under RFC 2047's 75 and on one line after `From: `.
const ENCODED_WORD_BYTES: usize = 45;

/// A `From:`/`To:` header line (CRLF-terminated): `Field: display-name <address>`, or
/// `Field: <address>` without a name.
///
/// Written here rather than by mail-builder because mail-builder puts RFC 2047 encoded words
/// inside a quoted string (`"=?utf-8?B?…?="`), which RFC 2047 §5 forbids: a strict reader
/// shows such a name as the literal `=?utf-8?B?…?=`. Here a name of printable ASCII is one
/// quoted string (RFC 5322 §3.2.4, `\` and `"` escaped); any other name is a series of
/// unquoted B-encoded words (RFC 2047 §5 (3): a `phrase` may consist of encoded words).
pub(crate) fn mailbox_header(field: &str, name: Option<&str>, address: &str) -> String {
    let mut out = format!("{field}: ");
    let mut line = out.len();
    if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
        for (i, word) in display_name_words(name, line).iter().enumerate() {
            if i > 0 {
                out.push_str("\r\n\t");
                line = 1;
            }
            out.push_str(word);
            line += word.len();
        }
        // The address goes on the name's line when it fits (mail-builder's rule, kept so the
        // headers of plain ASCII names read as before).
        if line + address.len() + 2 >= 76 {
            out.push_str("\r\n\t");
        } else {
            out.push(' ');
        }
    }
    out.push('<');
    out.push_str(address);
    out.push_str(">\r\n");
    out
}

/// The display name as header words, each on its own line: one quoted string when the name is
/// printable ASCII that fits the first line (`used` = characters already on it) and does not
/// itself look like an encoded word; otherwise B-encoded words of whole characters.
fn display_name_words(name: &str, used: usize) -> Vec<String> {
    let printable_ascii = name.bytes().all(|b| (0x20..0x7f).contains(&b));
    if printable_ascii && !name.contains("=?") {
        let mut quoted = String::with_capacity(name.len() + 2);
        quoted.push('"');
        for c in name.chars() {
            if c == '\\' || c == '"' {
                quoted.push('\\');
            }
            quoted.push(c);
        }
        quoted.push('"');
        if used + quoted.len() <= HEADER_LINE {
            return vec![quoted];
        }
    }
    let mut words = Vec::new();
    let mut chunk_start = 0;
    let mut chunk_end = 0;
    for (i, c) in name.char_indices() {
        if i + c.len_utf8() - chunk_start > ENCODED_WORD_BYTES {
            words.push(encoded_word(&name[chunk_start..chunk_end]));
            chunk_start = chunk_end;
        }
        chunk_end = i + c.len_utf8();
    }
    words.push(encoded_word(&name[chunk_start..]));
    words
}

fn encoded_word(text: &str) -> String {
    use base64::Engine as _;
    format!(
        "=?utf-8?B?{}?=",
        base64::engine::general_purpose::STANDARD.encode(text)
    )
}

fn address(addr: &str) -> Address<'_> {
    Address::new_address(None::<&str>, addr)
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
        .subject(m.subject)
        .header("Date", Raw::new(m.date_header))
        .message_id(message_id(seed, m.from_address));
    if let Some(r) = m.reply_to {
        msg = msg.reply_to(address(r));
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
    let mut out = mailbox_header("From", Some(m.from_name), m.from_address).into_bytes();
    out.extend(mailbox_header("To", Some(m.to_name), m.to_address).into_bytes());
    msg.body(body).write_to(&mut out)?;
    Ok(out)
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

    /// A whole message from `from_name` to `to_name`, parsed back by mail-parser.
    fn round_trip(from_name: &str, to_name: &str) -> (Vec<u8>, Option<String>, Option<String>) {
        let eml = build(&Message {
            locale: "ja",
            subject: "件名",
            from_name,
            from_address: "support@sakura-bank.example.jp",
            reply_to: None,
            to_name,
            to_address: "customer@example.com",
            unsubscribe_url: None,
            date_header: "Thu, 10 Dec 2026 09:00:00 +0900",
            message_id_seed: "seed",
            text: "本文",
            html: "<p>本文</p>",
            inline: &[],
        })
        .unwrap();
        let msg = mail_parser::MessageParser::default().parse(&eml).unwrap();
        let name = |a: Option<&mail_parser::Address<'_>>, addr: &str| {
            let first = a.and_then(|a| a.first()).expect("one mailbox");
            assert_eq!(first.address(), Some(addr));
            first.name().map(str::to_string)
        };
        let from = name(msg.from(), "support@sakura-bank.example.jp");
        let to = name(msg.to(), "customer@example.com");
        (eml, from, to)
    }

    fn header_block(eml: &[u8]) -> String {
        let text = String::from_utf8_lossy(eml);
        text.split("\r\n\r\n").next().unwrap().to_string()
    }

    #[test]
    fn display_names_decode_back_exactly_and_never_quote_encoded_words() {
        let names = [
            "さくら銀行",
            "Northwind Outfitters",
            "髙橋 𠮷子🌸",
            "Carter, Emily",
            "Emily \"Em\" Carter",
            "O'Brien \\ Sons, Ltd.",
            "佐藤 由紀 (Yuki Sato) 🏔️🎒",
            "Ana \"🌵\" Ruiz, Jr.",
            "👩‍👩‍👧 family",
            "=?utf-8?B?5bGx55Sw?=",
            "<script>alert(1)</script> **bold** 太郎",
            "Maximiliana Alexandrina Montgomery-Vanderbilt-Oyelaran-Nakamura III",
            "株式会社みちのく運輸 代表取締役 佐々木 剛 株式会社みちのく運輸 代表取締役 佐々木 剛",
            "A very long English company name, with commas, that does not fit on one header line",
        ];
        for name in names {
            let (eml, from, to) = round_trip(name, name);
            assert_eq!(from.as_deref(), Some(name), "From name of {name:?}");
            assert_eq!(to.as_deref(), Some(name), "To name of {name:?}");
            let head = header_block(&eml);
            assert!(
                !head.contains("\"=?"),
                "{name:?}: encoded word in quotes:\n{head}"
            );
            for line in head.split("\r\n") {
                assert!(line.len() <= HEADER_LINE, "{name:?}: line too long: {line}");
            }
        }
    }

    #[test]
    fn mailbox_headers_read_as_mail_clients_expect() {
        assert_eq!(
            mailbox_header(
                "From",
                Some("Northwind Outfitters"),
                "help@northwind.example.com"
            ),
            "From: \"Northwind Outfitters\" <help@northwind.example.com>\r\n"
        );
        assert_eq!(
            mailbox_header("From", Some("さくら銀行"), "support@sakura-bank.example.jp"),
            "From: =?utf-8?B?44GV44GP44KJ6YqA6KGM?= <support@sakura-bank.example.jp>\r\n"
        );
        assert_eq!(
            mailbox_header("To", Some(" "), "customer@example.com"),
            "To: <customer@example.com>\r\n"
        );
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
