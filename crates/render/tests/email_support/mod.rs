//! A Japanese bank brand and payment reminder shared by the email tests and the email bench.
#![allow(dead_code)]

use ccm_core::model::{
    Brand, BrandColors, BrandFonts, BrandKit, BrandLocale, Contact, PostalAddress, Purpose,
};
use ccm_render::email::EmailInput;
use std::collections::BTreeMap;

/// A 600×150 logo: a red band with a white disc, enough for the resize path to do real work.
pub fn logo_png() -> Vec<u8> {
    use image::ImageEncoder;
    let (w, h) = (600u32, 150u32);
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as i32 - 75, y as i32 - 75);
        if dx * dx + dy * dy < 55 * 55 {
            image::Rgba([255, 255, 255, 255])
        } else if x < 150 || ((y / 10) % 2 == 0 && x > 180 && x < 560 && y > 40 && y < 110) {
            image::Rgba([200, 16, 46, 255])
        } else {
            image::Rgba([255, 255, 255, 0])
        }
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgba8)
        .expect("encode logo");
    out
}

pub fn brand() -> Brand {
    let mut locales = BTreeMap::new();
    locales.insert(
        "en".to_string(),
        BrandLocale {
            name: Some("Sakura Bank".into()),
            legal_name: Some("Sakura Bank, Ltd.".into()),
            address: Some(PostalAddress {
                lines: vec![
                    "1-1-1 Marunouchi, Chiyoda-ku".into(),
                    "Tokyo 100-0005, Japan".into(),
                ],
                country: "JP".into(),
            }),
        },
    );
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
            phone: "0120-000-123".into(),
            email: "support@sakura-bank.example.jp".into(),
            website: "https://sakura-bank.example.jp".into(),
            enquiries_url: Some("https://sakura-bank.example.jp/contact".into()),
            opt_out_url: None,
        },
        colors: BrandColors {
            primary: "#c8102e".into(),
            secondary: "#6b1e2e".into(),
            text: "#222222".into(),
            background: "#f4f4f6".into(),
            muted: "#6b6b76".into(),
            accent: None,
        },
        fonts: BrandFonts {
            email: Some(
                "\"Hiragino Kaku Gothic ProN\", Meiryo, \"Noto Sans JP\", sans-serif".into(),
            ),
            print: vec![],
        },
        logo: "logo.png".into(),
        voice: vec![],
        locales,
    };
    let mut files = BTreeMap::new();
    files.insert("logo.png".to_string(), logo_png());
    Brand { kit, files }
}

/// About 3 KB of Markdown, as Tera would hand it over: data values expanded and escaped for
/// Markdown (the masked numbers' `*`).
pub const REMINDER_JA: &str = r#"山田 太郎 様

いつも**さくら銀行**をご利用いただき、誠にありがとうございます。
カードご利用代金のお引き落とし日が近づいてまいりましたので、お知らせいたします。

## お引き落としの内容

| 項目 | 内容 |
|:--|--:|
| お引き落とし日 | 2026年12月10日（木） |
| ご請求金額 | ¥12,800 |
| お引き落とし口座 | 普通 \*\*\*\*1234 |
| カード番号 | \*\*\*\*-\*\*\*\*-\*\*\*\*-5678 |

お引き落とし日の前日までに、ご指定の口座へご入金をお願いいたします。
残高が不足している場合、お引き落としができないことがございます。

## ご確認ください

- ご利用明細は[さくら銀行アプリ](https://sakura-bank.example.jp/app)または[会員サイト](https://sakura-bank.example.jp/mypage)でご確認いただけます。
- お引き落とし口座の変更をご希望の場合は、以下のいずれかの方法でお手続きください。
  1. 会員サイトの「各種お手続き」から変更する
  2. お電話（[0120-000-123](tel:0120000123)）で郵送書類を請求する
- 本メールと行き違いでご入金いただいている場合は、ご容赦ください。

> **ご注意ください**\
> さくら銀行が、メールやSMSで暗証番号やパスワードをお尋ねすることはありません。
> 不審なメールを受け取られた場合は、リンクを開かずに削除してください。

ご不明な点がございましたら、[よくあるご質問](https://sakura-bank.example.jp/faq)をご覧いただくか、
カスタマーセンターまでお問い合わせください。

今後とも、さくら銀行をよろしくお願い申し上げます。
"#;

pub fn input_ja() -> EmailInput {
    EmailInput {
        locale: "ja".into(),
        purpose: Purpose::Transactional,
        subject: "【さくら銀行】山田 太郎様 お引き落とし日のお知らせ".into(),
        preheader: Some("2026年12月10日にご指定口座から¥12,800を引き落としいたします".into()),
        from_name: Some("さくら銀行".into()),
        from_address: "info@sakura-bank.example.jp".into(),
        reply_to: Some("support@sakura-bank.example.jp".into()),
        to_name: "山田 太郎".into(),
        to_address: "taro.yamada@example.com".into(),
        unsubscribe_url: Some("https://sakura-bank.example.jp/unsubscribe?u=C-000123".into()),
        body_markdown: REMINDER_JA.into(),
        body_first_line: 6,
        source_file: "email.md".into(),
        date: (2026, 12, 3),
        message_id_seed: "3f2a9c-typical-ja".into(),
    }
}
