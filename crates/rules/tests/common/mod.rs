//! Inputs shared by the integration tests and the benchmark: one typical Japanese marketing
//! template rendered in all four channels, compliant with every built-in pack.
#![allow(dead_code)]

use ccm_rules::examples::example_brand;
use ccm_rules::Channel;
use ccm_rules::{ChannelText, CheckInput, Purpose, RuleSet, SourceMapEntry};
use std::path::PathBuf;

pub fn builtin() -> RuleSet {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/rules");
    RuleSet::load_dir(&dir).unwrap_or_else(|e| panic!("built-in packs must load: {e}"))
}

pub fn all_pack_ids(set: &RuleSet) -> Vec<String> {
    set.packs.iter().map(|p| p.meta.id.clone()).collect()
}

/// A realistic email body (~14 KB): layout tables, inline styles, footer with every legal item.
pub fn typical_html() -> String {
    let mut rows = String::new();
    for i in 0..24 {
        rows.push_str(&format!(
            "<tr><td style=\"padding:8px 16px;color:#222222;font-size:15px;line-height:1.6\">\
             {i}. 新しい定期預金では、ご預入期間に応じて金利を上乗せいたします。\
             詳しい条件は店頭またはウェブサイトでご確認ください。</td></tr>\n"
        ));
    }
    format!(
        r##"<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>定期預金のご案内</title>
<style>@media (max-width:600px){{ .wrap {{ width:100% !important; }} }} a {{ color:#0b5394; }}</style></head>
<body style="margin:0;background-color:#ffffff">
<div style="display:none;max-height:0;overflow:hidden">12月31日までの特別金利のお知らせ</div>
<table role="presentation" width="600" style="background-color:#ffffff">
<tr><td style="padding:16px"><img src="https://www.sample-bank.example.jp/logo.png" alt="サンプル銀行" width="160"></td></tr>
<tr><td style="padding:16px;color:#222222;font-size:16px">山田 太郎 様</td></tr>
{rows}<tr><td style="background-color:#0b5394;padding:12px"><a href="https://www.sample-bank.example.jp/campaign?c=1&amp;u=C-1" style="color:#ffffff;font-weight:bold">キャンペーン詳細を見る</a></td></tr>
<tr><td style="padding:16px;color:#666666;font-size:12px">
<p>発行：株式会社サンプル銀行　〒100-0005 東京都千代田区丸の内1-1-1</p>
<p>お問い合わせ：0120-000-000（平日9:00〜17:00）</p>
<p>今後メール配信を希望されない方は、<a href="https://www.sample-bank.example.jp/optout?u=C-1" style="color:#0b5394">配信停止の手続き</a>をお願いします。</p>
</td></tr></table></body></html>"##
    )
}

pub fn typical_input(rule_packs: Vec<String>) -> CheckInput {
    let html = typical_html();
    let footer_start = html.find("発行").unwrap();
    let mut email = ChannelText::new(Channel::Email)
        .with_field("subject", "【サンプル銀行】12月31日まで 定期預金の特別金利")
        .with_field("preheader", "12月31日までの特別金利のお知らせ")
        .with_field("html", html.clone())
        .with_field(
            "text",
            "山田 太郎 様\n\n新しい定期預金のご案内です。\n\n発行：株式会社サンプル銀行 〒100-0005 東京都千代田区丸の内1-1-1\nお問い合わせ：0120-000-000\n配信停止：https://www.sample-bank.example.jp/optout?u=C-1\n",
        )
        .with_field(
            "headers",
            "List-Unsubscribe: <https://www.sample-bank.example.jp/optout?u=C-1>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
        )
        .with_metric("html_bytes", html.len() as f64);
    email.fields[2].source_file = Some("email.md".into());
    email.source_map.push(SourceMapEntry {
        field: "html".into(),
        start: footer_start,
        end: footer_start + 400,
        file: "_blocks/legal-footer.ja.md".into(),
        line: 1,
        column: 1,
    });
    let sms = ChannelText::new(Channel::Sms).with_field(
        "text",
        "【株式会社サンプル銀行】12月31日まで定期預金の特別金利 https://www.sample-bank.example.jp/c 会社情報:https://www.sample-bank.example.jp/company 配信停止:https://www.sample-bank.example.jp/optout",
    );
    let push = ChannelText::new(Channel::Push)
        .with_field("title", "定期預金の特別金利")
        .with_field("body", "12月31日まで、定期預金の金利を上乗せします。")
        .with_field("deep_link", "https://app.sample-bank.example.jp/campaign")
        .with_metric("payload_bytes", 412.0);
    let print = ChannelText::new(Channel::Print)
        .with_field(
            "text",
            "山田 太郎 様\n\n定期預金の特別金利のご案内\n\n株式会社サンプル銀行",
        )
        .with_metric("min_font_pt", 9.0);
    CheckInput {
        template_id: "jp-bank-term-deposit".into(),
        persona: "typical".into(),
        locale: "ja".into(),
        default_locale: "ja".into(),
        purpose: Purpose::Marketing,
        industry: "bank".into(),
        rule_packs,
        essential: Vec::new(),
        brand: example_brand(),
        channels: vec![email, sms, push, print],
    }
}
