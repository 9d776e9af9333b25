//! The email channel end to end: HTML, text and a real MIME message parsed back.

mod email_support;

use ccm_core::model::Purpose;
use ccm_render::email::{render_email, EmailInput, EmailRendition};
use ccm_render::Severity;
use email_support::{brand, input_ja};
use mail_parser::{MessageParser, MimeHeaders};

fn render(input: &EmailInput) -> EmailRendition {
    render_email(input, &brand()).unwrap_or_else(|d| panic!("render failed: {d:#?}"))
}

fn crlf_to_lf(s: &str) -> String {
    s.replace("\r\n", "\n")
}

/// Every start tag `<name …>` in `html`, lower-cased.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(&open) {
        let start = from + pos;
        let next = lower
            .as_bytes()
            .get(start + open.len())
            .copied()
            .unwrap_or(b' ');
        let end = html[start..]
            .find('>')
            .map_or(html.len(), |e| start + e + 1);
        if next == b' ' || next == b'>' || next == b'/' {
            out.push(&html[start..end]);
        }
        from = end;
    }
    out
}

/// The bytes of the inline MIME part an `<img src="cid:…">` tag points at.
fn inline_part<'a>(msg: &'a mail_parser::Message<'a>, img_tag: &str) -> &'a [u8] {
    let cid = img_tag
        .split("cid:")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no cid: in {img_tag}"));
    msg.attachments()
        .find(|p| p.content_id() == Some(cid))
        .unwrap_or_else(|| panic!("no inline part with Content-ID {cid}"))
        .contents()
}

#[test]
fn eml_parses_back_to_the_same_subject_text_and_html() {
    let r = render(&input_ja());
    let msg = MessageParser::default().parse(&r.eml).expect("eml parses");
    assert_eq!(
        msg.subject(),
        Some("【さくら銀行】山田 太郎様 お引き落とし日のお知らせ")
    );
    assert_eq!(
        r.subject,
        "【さくら銀行】山田 太郎様 お引き落とし日のお知らせ"
    );
    let from = msg.from().and_then(|a| a.first()).expect("from");
    assert_eq!(from.name(), Some("さくら銀行"));
    assert_eq!(from.address(), Some("info@sakura-bank.example.jp"));
    let to = msg.to().and_then(|a| a.first()).expect("to");
    assert_eq!(to.name(), Some("山田 太郎"));
    assert_eq!(
        crlf_to_lf(&msg.body_text(0).expect("text part")),
        crlf_to_lf(&r.text)
    );
    let html = msg.body_html(0).expect("html part");
    // The sent HTML references the logo by cid; the preview embeds it.
    let cid_src = tags(&html, "img")
        .into_iter()
        .find(|t| t.contains("cid:"))
        .expect("logo by cid")
        .to_string();
    assert!(r.html.contains("src=\"data:image/png;base64,"));
    assert!(
        !html.contains("data:image"),
        "the sent HTML must not embed the logo"
    );
    // The inline logo part is there, with the Content-ID the HTML points at.
    assert!(inline_part(&msg, &cid_src).starts_with(b"\x89PNG"));
    assert_eq!(
        msg.header_raw("Content-Language").map(str::trim),
        Some("ja")
    );
    assert_eq!(
        msg.header_raw("Date").map(str::trim),
        Some("Thu, 3 Dec 2026 09:00:00 +0900")
    );
    assert!(msg
        .message_id()
        .unwrap()
        .ends_with("@sakura-bank.example.jp"));
    assert!(r.text.contains("山田 太郎 様"));
    assert!(r.text.contains("【お引き落としの内容】"));
    assert!(r
        .text
        .contains("さくら銀行アプリ（https://sakura-bank.example.jp/app）"));
    assert!(r.text.contains("株式会社さくら銀行"));
}

#[test]
fn list_unsubscribe_headers_iff_unsubscribe_url() {
    let with = render(&input_ja());
    let msg = MessageParser::default().parse(&with.eml).unwrap();
    assert_eq!(
        msg.header_raw("List-Unsubscribe").map(str::trim),
        Some("<https://sakura-bank.example.jp/unsubscribe?u=C-000123>")
    );
    assert_eq!(
        msg.header_raw("List-Unsubscribe-Post").map(str::trim),
        Some("List-Unsubscribe=One-Click")
    );
    assert!(with
        .html
        .contains("https://sakura-bank.example.jp/unsubscribe?u=C-000123"));
    assert!(with
        .text
        .contains("配信停止: https://sakura-bank.example.jp/unsubscribe?u=C-000123"));

    let mut input = input_ja();
    input.unsubscribe_url = None;
    let without = render(&input);
    let msg = MessageParser::default().parse(&without.eml).unwrap();
    assert!(msg.header_raw("List-Unsubscribe").is_none());
    assert!(msg.header_raw("List-Unsubscribe-Post").is_none());
    assert!(!without.text.contains("配信停止"));

    input.purpose = Purpose::Marketing;
    let marketing = render(&input);
    assert!(marketing
        .diagnostics
        .iter()
        .any(|d| d.code == "email.marketing-no-unsubscribe"));
}

#[test]
fn html_is_accessible() {
    let r = render(&input_ja());
    let html_tag = tags(&r.html, "html");
    assert_eq!(html_tag.len(), 1);
    assert!(html_tag[0].contains("lang=\"ja\""), "{}", html_tag[0]);
    let imgs = tags(&r.html, "img");
    assert!(!imgs.is_empty());
    for img in &imgs {
        assert!(img.contains(" alt=\""), "img without alt: {img}");
    }
    let tables = tags(&r.html, "table");
    assert!(tables.len() > 3);
    for t in &tables {
        let data = t.contains("ccm-table");
        assert_eq!(t.contains("role=\"presentation\""), !data, "{t}");
    }
    assert_eq!(
        r.metrics
            .images
            .iter()
            .filter(|i| i.alt == "さくら銀行")
            .count(),
        1
    );
    assert!(r
        .metrics
        .links
        .iter()
        .any(|l| l.href == "https://sakura-bank.example.jp/app" && l.text == "さくら銀行アプリ"));
    // The English rendition speaks English and says so.
    let mut en = input_ja();
    en.locale = "en".into();
    en.body_markdown = "Dear Taro Yamada,\n\n# Payment due\n\nThank you.".into();
    let r = render(&en);
    assert!(tags(&r.html, "html")[0].contains("lang=\"en\""));
    assert!(r.text.contains("Payment due\n==========="));
    assert!(r.text.contains("Sakura Bank, Ltd."));
    assert!(r.text.contains("Unsubscribe: https://"));
}

#[test]
fn rendering_is_deterministic() {
    let a = render(&input_ja());
    let b = render(&input_ja());
    assert_eq!(a.html, b.html);
    assert_eq!(a.text, b.text);
    assert_eq!(a.eml, b.eml);
    let mut other = input_ja();
    other.message_id_seed = "another-version".into();
    let c = render(&other);
    assert_ne!(a.eml, c.eml, "the seed names the Message-ID and boundaries");
}

#[test]
fn injection_never_yields_live_markup() {
    let mut input = input_ja();
    input.body_markdown = concat!(
        "お名前: \\<script\\>alert(1)\\</script\\>\n\n",
        "<script>alert(1)</script>\n\n",
        "本文 <img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">x</a>\n\n",
        "[x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) [z](data:text/html,hi)\n\n",
        "![p](javascript:alert(1))\n\n",
        "<div><p>unclosed <b>tags\n\n",
        "<!-- comment --> & < > \" ' &amp; &nbsp;\n",
    )
    .into();
    input.subject = "件名\r\nBcc: victim@example.com".into();
    let r = render(&input);
    let lower = r.html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "live script tag");
    // Raw markup survives only as visible text; every live link and image is http(s)/mailto/tel.
    for a in tags(&lower, "a") {
        let href = a.split("href=\"").nth(1).unwrap_or("");
        assert!(
            ["https://", "http://", "mailto:", "tel:"]
                .iter()
                .any(|s| href.starts_with(s)),
            "{a}"
        );
    }
    for img in tags(&lower, "img") {
        assert!(!img.contains("onerror"), "{img}");
        assert!(
            img.contains("src=\"cid:") || img.contains("src=\"data:image/png"),
            "{img}"
        );
    }
    // The raw `<a href="javascript:…">` is visible as text (`&lt;a href=…`), never a tag.
    assert!(lower.contains("&lt;a href="));
    assert!(!lower.contains("<div><p>unclosed"));
    assert!(r.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.code == "email.raw-html" && d.line == Some(8)));
    assert!(r.diagnostics.iter().any(|d| d.code == "email.unsafe-link"));
    let msg = MessageParser::default().parse(&r.eml).unwrap();
    assert!(msg.bcc().is_none(), "header injection");
    assert_eq!(msg.subject(), Some("件名  Bcc: victim@example.com"));
}

#[test]
fn tricky_markdown_compiles_to_valid_output() {
    let mut input = input_ja();
    input.body_markdown = concat!(
        "# 見出し <b>\n\n",
        "| a | b < c | d & e |\n|---|:-:|--:|\n| `x<y` | **太字** | [l](https://a.example/?q=<>&r=\"1\") |\n\n",
        "1. one\n   - nested\n     - deeper <i>\n2. two\n\n",
        "- [x] done\n- [ ] todo\n\n",
        "> quote\n> > nested quote\n\n",
        "```\n<html></html> & </mj-text></mjml>\n```\n\n",
        "</mj-text></mj-column></mj-section><mj-raw><script>x</script></mj-raw>\n\n",
        "line one  \nline two\\\nline three<br>four\n\n",
        "***\n\n~~gone~~ 1 < 2 && 3 > 2\n",
    )
    .into();
    let r = render(&input);
    assert!(
        !r.diagnostics.iter().any(|d| d.severity == Severity::Error),
        "{:#?}",
        r.diagnostics
    );
    assert!(r.html.contains("<h1"));
    assert!(r.html.contains("<ol"));
    assert!(r.html.contains("<blockquote"));
    assert!(r.html.contains("&lt;/mj-text&gt;&lt;/mjml&gt;"));
    assert!(!r.html.contains("</mj-text>"));
    assert!(!r.html.to_ascii_lowercase().contains("<script"));
    // A quote inside the URL is refused rather than escaped into the attribute.
    assert!(r.diagnostics.iter().any(|d| d.code == "email.unsafe-link"));
    let msg = MessageParser::default().parse(&r.eml).unwrap();
    assert!(msg.body_html(0).unwrap().contains("ccm-table"));
    assert!(r.text.contains("line one\nline two\nline three\nfour"));
    assert!(
        r.text.contains("1. one\n   - nested\n     - deeper <i>"),
        "{}",
        r.text
    );
}

#[test]
fn broken_logo_warns_and_still_renders() {
    let mut b = brand();
    b.files
        .insert("logo.png".into(), b"\x89PNG not really".to_vec());
    let r = render_email(&input_ja(), &b).expect("renders without logo");
    assert!(r.diagnostics.iter().any(|d| d.code == "email.logo-decode"));
    assert!(!r.html.contains("<img"));
    assert!(r.html.contains("さくら銀行"));
    b.files.clear();
    let r = render_email(&input_ja(), &b).expect("renders without logo");
    assert!(r.diagnostics.iter().any(|d| d.code == "email.logo-missing"));
}

#[test]
fn bad_headers_are_errors_with_hints() {
    let mut input = input_ja();
    input.from_address = "not an address".into();
    input.date = (2026, 2, 30);
    let errs = render_email(&input, &brand()).unwrap_err();
    assert!(errs
        .iter()
        .any(|d| d.code == "email.address" && d.hint.is_some()));
    assert!(errs.iter().any(|d| d.code == "email.date"));
    assert!(errs.iter().all(|d| d.file.as_deref() == Some("email.md")));
}

#[test]
fn metrics_report_sizes_and_clipping() {
    let r = render(&input_ja());
    assert!(
        r.metrics.html_bytes > 5_000 && r.metrics.html_bytes < 40_000,
        "{}",
        r.metrics.html_bytes
    );
    assert!(!r.metrics.clipped);
    assert_eq!(r.metrics.gmail_clip_limit, 102_400);
    assert_eq!(r.metrics.text_bytes, r.text.len());
    assert_eq!(r.metrics.eml_bytes, r.eml.len());

    let mut big = input_ja();
    big.body_markdown = "長い本文です。".repeat(6000);
    let r = render(&big);
    assert!(r.metrics.clipped);
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.code == "email.gmail-clipped" && d.severity == Severity::Error));
}

#[test]
fn a_brand_kit_image_in_the_body_is_sent_inline_and_previewed_embedded() {
    let mut brand = brand();
    brand
        .files
        .insert("campaign.png".into(), email_support::logo_png());
    let mut input = input_ja();
    input.body_markdown = format!(
        "{}\n\n![春のキャンペーン](brands/{}/campaign.png)\n\n![missing](brands/{}/nope.png)\n",
        input.body_markdown, brand.kit.id, brand.kit.id
    );
    let r = render_email(&input, &brand).unwrap_or_else(|d| panic!("{d:#?}"));
    let msg = MessageParser::default().parse(&r.eml).expect("eml parses");
    let html = msg.body_html(0).expect("html part");
    let body_img = tags(&html, "img")
        .into_iter()
        .find(|t| t.contains("春のキャンペーン"))
        .expect("the body image is in the sent HTML")
        .to_string();
    assert!(body_img.contains("src=\"cid:img."), "{body_img}");
    assert!(
        body_img.contains("width=\"536\" height=\"134\""),
        "shown at the layout's width, with its height for Outlook: {body_img}"
    );
    assert!(inline_part(&msg, &body_img).starts_with(b"\x89PNG"));
    // The preview embeds it; the sent HTML does not (Gmail's size counts the sent HTML).
    let preview_img = tags(&r.html, "img")
        .into_iter()
        .find(|t| t.contains("春のキャンペーン"))
        .unwrap()
        .to_string();
    assert!(
        preview_img.contains("src=\"data:image/png;base64,"),
        "{preview_img}"
    );
    assert!(!html.contains("data:image"));
    // A path the brand kit does not have: alt text and a warning naming where images go.
    assert!(r.html.contains("[missing]"));
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "email.image-src")
        .expect("a warning for the missing image");
    assert_eq!(d.severity, Severity::Warning);
    assert!(
        d.hint
            .as_ref()
            .map(|h| h.en.as_str())
            .unwrap_or_default()
            .contains("assets/brands/"),
        "{d:?}"
    );
}
