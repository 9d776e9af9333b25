//! The MJML document an email rendition keeps (`ccm render --emit mjml`) is the one mrml
//! compiled: it compiles again to HTML carrying the same copy and links as the email sent.

mod email_support;

use ccm_render::email::render_email;
use email_support::{brand, input_ja};

fn compile(mjml: &str) -> String {
    let parsed = mrml::parse(mjml).unwrap_or_else(|e| panic!("the emitted MJML parses: {e}"));
    let opts = mrml::prelude::render::RenderOptions {
        disable_comments: true,
        social_icon_origin: None,
        fonts: Default::default(),
    };
    parsed
        .element
        .render(&opts)
        .expect("the emitted MJML renders")
}

#[test]
fn emitted_mjml_compiles_to_the_copy_and_links_of_the_email() {
    let input = input_ja();
    let r = render_email(&input, &brand()).unwrap_or_else(|d| panic!("render failed: {d:#?}"));
    assert!(
        r.mjml.trim_start().starts_with("<mjml lang=\"ja\">"),
        "{}",
        &r.mjml[..80]
    );
    let html = compile(&r.mjml);
    for copy in [
        "お引き落としの内容",
        "お引き落とし日の前日までに、ご指定の口座へご入金をお願いいたします。",
        "¥12,800",
    ] {
        assert!(r.mjml.contains(copy), "MJML lacks {copy}");
        assert!(html.contains(copy), "compiled MJML lacks {copy}");
        assert!(r.html.contains(copy), "the email lacks {copy}");
    }
    assert!(!r.metrics.links.is_empty());
    for link in &r.metrics.links {
        let href = format!("href=\"{}\"", link.href.replace('&', "&amp;"));
        assert!(html.contains(&href), "compiled MJML lacks {href}");
    }
    // The logo is referenced as sent (cid:), not as the preview's data: URI.
    assert!(r.mjml.contains("src=\"cid:logo."));
}

#[test]
fn emitted_mjml_follows_the_recipient() {
    let a = input_ja();
    let mut b = input_ja();
    b.body_markdown = b.body_markdown.replace("山田 太郎", "佐藤 花子");
    let ra = render_email(&a, &brand()).expect("renders");
    let rb = render_email(&b, &brand()).expect("renders");
    assert!(rb.mjml.contains("佐藤 花子") && !rb.mjml.contains("山田 太郎 様"));
    assert_eq!(
        ra.mjml,
        render_email(&a, &brand()).expect("renders").mjml,
        "deterministic"
    );
}
