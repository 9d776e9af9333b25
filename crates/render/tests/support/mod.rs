//! A small hand-built template bundle (all four channels, blocks, a brand with a logo) for the
//! pipeline tests and benches, independent of the sample library.
#![allow(dead_code)]

use ccm_core::model::*;
use std::collections::BTreeMap;

pub fn logo_png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(240, 80, |x, _| {
        if x < 80 {
            image::Rgb([200, 16, 46])
        } else {
            image::Rgb([255, 255, 255])
        }
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

pub fn brand() -> Brand {
    let kit = BrandKit {
        id: "sakura-bank".into(),
        name: "さくら銀行".into(),
        legal_name: "株式会社さくら銀行".into(),
        default_locale: "ja".into(),
        address: PostalAddress {
            lines: vec!["〒100-0005".into(), "東京都千代田区丸の内1-1-1".into()],
            country: "JP".into(),
        },
        contact: Contact {
            phone: "0120123456".into(),
            email: "info@sakura-bank.example.jp".into(),
            website: "https://sakura-bank.example.jp".into(),
            enquiries_url: Some("https://sakura-bank.example.jp/contact".into()),
            opt_out_url: Some("https://sakura-bank.example.jp/optout".into()),
        },
        colors: BrandColors {
            primary: "#c8102e".into(),
            secondary: "#1d2330".into(),
            text: "#1d2330".into(),
            background: "#ffffff".into(),
            muted: "#667085".into(),
            accent: None,
        },
        fonts: BrandFonts::default(),
        logo: "logo.png".into(),
        voice: vec![],
        locales: BTreeMap::new(),
    };
    let mut files = BTreeMap::new();
    files.insert("logo.png".to_string(), logo_png());
    Brand { kit, files }
}

pub const EMAIL: &str = r#"+++
subject = "【さくら銀行】{{ customer.name }}様 お引き落とし日のお知らせ"
preheader = "{{ due_date | date }}に{{ amount | currency }}を引き落とします"
+++
{{ customer.name }} 様

いつも**さくら銀行**をご利用いただき、ありがとうございます。

{{ due_date | date }}に、ご指定の口座（{{ account | mask(keep=3) }}）から **{{ amount | currency }}** をお引き落としします。

備考：{{ note }}

{% include "blocks/legal-footer" %}
"#;

pub const SMS: &str = "【さくら銀行】{{ customer.name }}様 {{ due_date | date }}に{{ amount | currency }}を引き落とします。{{ note }}\n";

pub const PUSH: &str = r#"title = "【さくら銀行】お引き落とし日のお知らせ"
body = "{{ due_date | date }}に{{ amount | currency }}を引き落とします。{{ note }}"
deep_link = "https://sakura-bank.example.jp/app/card"
"#;

pub const PRINT: &str = r#"+++
page = "a4"
envelope = "naga3"
recipient = """
〒{{ customer.postal_code }}
{{ customer.address }}
{{ customer.name }} 様"""
title = "お引き落とし日のお知らせ"
+++
{{ customer.name }} 様

{{ due_date | date }}に **{{ amount | currency }}** をお引き落としします。

備考：{{ note }}

{% include "blocks/legal-footer" %}
"#;

pub const MANIFEST: &str = r#"id = "test-notice"
name = "お引き落とし日のお知らせ"
industry = "bank"
purpose = "transactional"
brand = "sakura-bank"
default_locale = "ja"
locales = ["ja"]
"#;

fn persona(id: &str, name: &str, note: &str) -> Persona {
    let data = serde_json::json!({
        "customer": {
            "name": name,
            "postal_code": "150-0001",
            "address": "東京都渋谷区神宮前1-2-3",
            "email": "taro@example.jp"
        },
        "amount": 12800,
        "due_date": "2026-12-10",
        "account": "1234567",
        "note": note,
    });
    Persona {
        id: id.into(),
        label: id.into(),
        edge_case: id != "typical",
        data: data.as_object().unwrap().clone(),
    }
}

/// Untrusted values that must come out as literal text in every channel.
pub const HOSTILE: [&str; 8] = [
    "<script>alert(1)</script>",
    "#read(\"secrets.txt\")",
    "**bold**",
    "](javascript:alert(1))",
    // MJML and HTML that would run or load something if it reached the layout as markup.
    "<mj-raw><img src=x onerror=alert(1)></mj-raw>",
    // Typst code and maths, and a package import.
    "#set page(width: 1cm) $x^2$ #import \"@preview/evil:0.1.0\"",
    // JSON that would close the push payload's string and add keys.
    "\"},\"aps\":{\"alert\":\"pwned\"},\"x\":{\"",
    // Tera syntax in data is never expanded again.
    "{{ 7*7 }} {% raw %}",
];

pub fn personas() -> Vec<Persona> {
    let mut v = vec![persona("typical", "山田 太郎", "特になし")];
    for (i, h) in HOSTILE.iter().enumerate() {
        v.push(persona(&format!("hostile-{i}"), h, h));
    }
    v
}

pub fn bundle_with(files: &[(&str, &str)]) -> TemplateBundle {
    let mut map = BTreeMap::new();
    for (path, text) in [
        ("template.toml", MANIFEST),
        ("email.md", EMAIL),
        ("sms.txt", SMS),
        ("push.toml", PUSH),
        ("print.md", PRINT),
    ] {
        map.insert(path.to_string(), text.to_string());
    }
    for (path, text) in files {
        map.insert(path.to_string(), text.to_string());
    }
    let files = TemplateFiles(map);
    let manifest: Manifest = toml::from_str(files.get("template.toml").unwrap()).unwrap();
    let footer = "---\n\n{{ brand.legal_name }}　{{ brand.address }}\\\nお問い合わせ：[{{ brand.enquiries_url }}]({{ brand.enquiries_url }})\n";
    TemplateBundle {
        template_id: "test-notice".into(),
        version: 1,
        hash: files.content_hash(),
        source: TemplateSource {
            manifest,
            files,
            personas: personas(),
        },
        brand: brand(),
        blocks: vec![Block {
            name: "legal-footer".into(),
            locale: Some("ja".into()),
            content: footer.into(),
            hash: ContentHash::of_bytes(footer.as_bytes()),
        }],
    }
}

pub fn bundle() -> TemplateBundle {
    bundle_with(&[])
}

pub fn today() -> time::Date {
    time::macros::date!(2026 - 11 - 23)
}
