//! The legal footer every message carries: sender's legal name, postal address, contact for
//! enquiries and, when the template declares one, the opt-out link with a sentence saying the
//! recipient may opt out (特定電子メール法 items 1–5, CAN-SPAM's postal address). Built from
//! the brand kit, escaped here, in the recipient's language.

use super::markdown::{escape_html, safe_href};
use ccm_core::model::BrandKit;

pub(crate) struct Footer {
    pub html: String,
    pub text: String,
}

struct Sender<'a> {
    legal_name: &'a str,
    address: String,
}

fn sender<'a>(kit: &'a BrandKit, locale: &str) -> Sender<'a> {
    let local = kit.locales.get(locale);
    let legal_name = local
        .and_then(|l| l.legal_name.as_deref())
        .unwrap_or(&kit.legal_name);
    let address = local
        .and_then(|l| l.address.as_ref())
        .unwrap_or(&kit.address);
    let sep = if locale == "ja" { " " } else { ", " };
    Sender {
        legal_name,
        address: address.lines.join(sep),
    }
}

fn link(href: &str, label: &str) -> String {
    match safe_href(href) {
        Some(h) => format!(
            "<a href=\"{}\" target=\"_blank\" rel=\"noopener\">{}</a>",
            escape_html(h),
            escape_html(label)
        ),
        None => escape_html(label),
    }
}

fn web_href(url: &str) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        url.to_string()
    } else {
        format!("https://{url}")
    }
}

fn tel_href(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

pub(crate) fn build(kit: &BrandKit, locale: &str, unsubscribe_url: Option<&str>) -> Footer {
    let ja = locale == "ja";
    let s = sender(kit, locale);
    let c = &kit.contact;
    let mut html = String::new();
    let mut text = Vec::new();

    html.push_str(&format!(
        "<p><strong>{}</strong><br />{}</p>\n",
        escape_html(s.legal_name),
        escape_html(&s.address)
    ));
    text.push(s.legal_name.to_string());
    text.push(s.address.clone());

    let (tel_label, mail_label, web_label) = if ja {
        ("電話", "メール", "ウェブサイト")
    } else {
        ("Phone", "Email", "Website")
    };
    let website = web_href(&c.website);
    html.push_str(&format!(
        "<p>{tel_label}: {} / {mail_label}: {}<br />{web_label}: {}</p>\n",
        link(&tel_href(&c.phone), &c.phone),
        link(&format!("mailto:{}", c.email), &c.email),
        link(&website, &c.website),
    ));
    text.push(format!(
        "{tel_label}: {} / {mail_label}: {}",
        c.phone, c.email
    ));
    text.push(format!("{web_label}: {website}"));

    if let Some(enq) = c.enquiries_url.as_deref().filter(|u| !u.is_empty()) {
        let label = if ja {
            "ご意見・お問い合わせ"
        } else {
            "Questions and complaints"
        };
        html.push_str(&format!("<p>{label}: {}</p>\n", link(enq, enq)));
        text.push(format!("{label}: {enq}"));
    }

    if let Some(unsub) = unsubscribe_url.filter(|u| !u.is_empty()) {
        let sentence = if ja {
            "今後このメールの配信を希望されない場合は、以下のURLから配信停止のお手続きができます。"
        } else {
            "You can stop receiving these emails at any time at the address below."
        };
        let label = if ja { "配信停止" } else { "Unsubscribe" };
        html.push_str(&format!(
            "<p>{sentence}<br />{label}: {}</p>\n",
            link(unsub, unsub)
        ));
        text.push(String::new());
        text.push(sentence.to_string());
        text.push(format!("{label}: {unsub}"));
    }

    Footer {
        html,
        text: text.join("\n") + "\n",
    }
}
