//! Sample letters used by the tests, the benchmark and the `sample_letter` example: a Japanese
//! bank's direct-debit notice in a 長形3号 window envelope and a US bank's notice for a #10.

use std::io::Cursor;

use crate::envelope::EnvelopeProfile;
use crate::job::{LetterBrand, PageSize, PrintJob};

pub fn sakura_brand() -> LetterBrand {
    LetterBrand {
        name: "さくら銀行".into(),
        legal_name: "株式会社さくら銀行".into(),
        address_lines: vec![
            "〒100-0005".into(),
            "東京都千代田区丸の内一丁目1番1号".into(),
        ],
        contact_lines: vec![
            "お客さまセンター 0120-123-456".into(),
            "（平日 9:00〜17:00）".into(),
            "https://sakura-bank.example.jp".into(),
        ],
        primary_color: "#c2185b".into(),
        text_color: "#222222".into(),
        logo_png: None,
    }
}

pub const JA_BODY: &str = "拝啓　時下ますますご清祥のこととお慶び申し上げます。平素は「さくら銀行カード」をご利用いただき、誠にありがとうございます。

このたびのカードご利用代金につきまして、下記のとおりご指定口座より引き落としいたしますので、お知らせいたします。前日までにご入金くださいますようお願い申し上げます。

## お引き落としの内容

| 項目 | 内容 |
|:--|--:|
| お引き落とし日 | 2026年12月10日（木） |
| お引き落とし金額 | ¥12,800 |
| ご指定口座 | 普通預金 ****1234 |

## ご注意事項

- 残高不足によりお引き落としができなかった場合は、**改めてご請求書をお送りいたします**。
- お引き落とし日が金融機関の休業日にあたる場合は、翌営業日となります。
- ご不明な点は、[お客さまセンター](https://sakura-bank.example.jp/help)までお問い合わせください。

今後とも変わらぬお引き立てを賜りますよう、よろしくお願い申し上げます。

敬具
";

/// A one-page Japanese letter for an A4 sheet in a 長形3号 window envelope.
pub fn japanese_letter() -> PrintJob {
    PrintJob {
        page: PageSize::A4,
        envelope: EnvelopeProfile::by_id("naga3").ok().flatten(),
        locale: "ja".into(),
        title: Some("カードご利用代金お引き落としのお知らせ".into()),
        date_text: "2026年11月23日".into(),
        recipient_lines: vec![
            "〒150-0001".into(),
            "東京都渋谷区神宮前一丁目2番3号".into(),
            "さくらハイツ 405号室".into(),
            "山田 太郎 様".into(),
        ],
        body_markdown: JA_BODY.into(),
        body_first_line: 8,
        brand: sakura_brand(),
        pdf_a: false,
        document_date: (2026, 11, 23),
        images: Default::default(),
    }
}

/// A US bank letter for a Letter sheet in a #10 window envelope.
pub fn english_letter() -> PrintJob {
    PrintJob {
        page: PageSize::Letter,
        envelope: EnvelopeProfile::by_id("us10").ok().flatten(),
        locale: "en-US".into(),
        title: Some("Your payment is due on December 10, 2026".into()),
        date_text: "November 23, 2026".into(),
        recipient_lines: vec![
            "Jane Q. Public".into(),
            "1234 Main Street, Apt 5".into(),
            "Springfield, IL 62704".into(),
        ],
        body_markdown: "Dear Jane Q. Public,\n\nThis is a reminder that **$1,234.56** will be debited from your checking account ending in ****1234 on *December 10, 2026*.\n\nIf you have questions, call us at 1-800-555-0100 or visit <https://bank.example.com/help>.\n\nSincerely,\n\nCustomer Care\n".into(),
        body_first_line: 7,
        brand: LetterBrand {
            name: "Maple Bank".into(),
            legal_name: "Maple Bank, N.A.".into(),
            address_lines: vec!["100 Market Street".into(), "San Francisco, CA 94105".into()],
            contact_lines: vec!["1-800-555-0100".into(), "bank.example.com".into()],
            primary_color: "#0b5394".into(),
            text_color: "#1a1a1a".into(),
            logo_png: None,
        },
        pdf_a: false,
        document_date: (2026, 11, 23),
        images: Default::default(),
    }
}

/// The Japanese letter with its body repeated until it runs to `pages`-ish length.
pub fn long_japanese_letter(repeat: usize) -> PrintJob {
    let mut job = japanese_letter();
    let para = "この段落は長いお知らせの本文です。お客さまの大切なお取引に関する内容ですので、最後までお読みいただきますようお願い申し上げます。";
    let mut body = String::new();
    for i in 1..=repeat {
        body.push_str(&format!("第{i}項　{para}{para}\n\n"));
    }
    job.body_markdown = body;
    job
}

/// A simple logo: a five-petal mark in the brand colour beside a bar, `height_px` tall and
/// three times as wide, as PNG. Lets tests control the logo's resolution.
pub fn logo_png(height_px: u32) -> Vec<u8> {
    let h = height_px.max(8);
    let w = h * 3;
    let mut img = image::RgbaImage::from_pixel(w, h, image::Rgba([255, 255, 255, 0]));
    let pink = image::Rgba([0xc2, 0x18, 0x5b, 0xff]);
    let r = f64::from(h) / 2.0;
    let petal = r * 0.42;
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
            let in_petal = (0..5).any(|k| {
                let a = std::f64::consts::TAU * f64::from(k) / 5.0 - std::f64::consts::FRAC_PI_2;
                let (cx, cy) = (r + 0.5 * r * a.cos(), r + 0.5 * r * a.sin());
                (fx - cx).hypot(fy - cy) <= petal
            });
            let in_bar = fx > 2.3 * r && fx < 5.8 * r && (fy - r).abs() < r * 0.18;
            if in_petal || in_bar {
                img.put_pixel(x, y, pink);
            }
        }
    }
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encoding an in-memory PNG");
    out.into_inner()
}
