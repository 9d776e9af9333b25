//! Every code CCM Studio reports, in one place, each with a one-line English and Japanese
//! summary.
//!
//! Producers name codes by constant (`codes::TERA_MISSING_VARIABLE`), never by string, so a
//! misspelt code is a compile error and this table is the complete list scripts, the UI and the
//! archive can rely on. A code is never renamed or reused once shipped (stored findings keep
//! it for years); a new code is added here with its summaries.
//!
//! Rule findings are the exception: their code is the rule id (`jp-yakki/spots-disappear`),
//! defined with its bilingual messages in its TOML pack (`assets/rules/`), so compliance teams
//! add rules without touching Rust.
//!
//! Naming: render/channel codes are `area.kebab-name` (`email.subject-long`); the library and
//! IPC error codes are `snake_case` (`library_missing`) because scripts and the UI already branch
//! on them.

use serde::Serialize;

/// One entry of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Code {
    /// The stable machine-readable code.
    pub id: &'static str,
    /// One-line English summary ("Undefined variable").
    pub en: &'static str,
    /// One-line Japanese summary ("未定義の変数"); leads the Japanese message of diagnostics
    /// whose detail is only in English.
    pub ja: &'static str,
}

impl Code {
    pub const fn new(id: &'static str, en: &'static str, ja: &'static str) -> Code {
        Code { id, en, ja }
    }

    pub fn as_str(&self) -> &'static str {
        self.id
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

/// The entry for `id`, if it is a registered code (rule ids are not).
pub fn find(id: &str) -> Option<Code> {
    ALL.iter().copied().find(|c| c.id == id)
}

macro_rules! registry {
    ($( $(#[$doc:meta])* $name:ident = $id:literal, $en:literal, $ja:literal; )*) => {
        $( $(#[$doc])* pub const $name: Code = Code::new($id, $en, $ja); )*
        /// Every registered code, in the order of this file.
        pub const ALL: &[Code] = &[ $( $name ),* ];
    };
}

registry! {
    // ── Template files (import, save, watch, drafts) ─────────────────────────────────────
    /// A template, block, brand or persona file that does not parse or validate.
    FORMAT_INVALID = "format.invalid", "A file has a format error", "ファイルの書式エラー";

    // ── Tera (variables, blocks, filters) ───────────────────────────────────────────────
    TERA_SYNTAX = "tera.syntax", "Template syntax error", "テンプレート構文エラー";
    TERA_MISSING_VARIABLE = "tera.missing-variable", "Undefined variable", "未定義の変数";
    TERA_UNKNOWN_BLOCK = "tera.unknown-block", "Unknown shared block", "存在しない共有ブロック";
    TERA_UNKNOWN_FILTER = "tera.unknown-filter", "Unknown filter", "存在しないフィルター";
    TERA_UNKNOWN_FUNCTION = "tera.unknown-function", "Unknown function", "存在しない関数";
    TERA_FILTER = "tera.filter", "A filter failed", "フィルターの実行エラー";
    TERA_RENDER = "tera.render", "The template could not be expanded", "テンプレートを展開できません";

    // ── Rendering, shared by every channel ──────────────────────────────────────────────
    RENDER_UNKNOWN_LOCALE = "render.unknown-locale", "The template has no such language", "テンプレートにない言語";
    RENDER_UNKNOWN_PERSONA = "render.unknown-persona", "The template has no such persona", "テンプレートにないペルソナ";
    RENDER_CHANNEL_ABSENT = "render.channel-absent", "The template has no content for this channel", "このチャネルの内容がありません";
    RENDER_MISSING_SOURCE = "render.missing-source", "A channel file is missing", "チャネルのファイルがありません";
    /// A limit of `ccm_core::limits` was reached (docs/SECURITY.md): loop count, nesting, size,
    /// render time, pages, images, persona value size, an include cycle.
    RENDER_LIMIT = "render.limit", "The template or its data exceeds a safety limit", "テンプレートまたはデータが安全上の上限を超えています";

    // ── Email ───────────────────────────────────────────────────────────────────────────
    EMAIL_LOCALE = "email.locale", "Unsupported email language", "メールの言語が不正です";
    EMAIL_ADDRESS = "email.address", "Invalid email address", "メールアドレスが不正です";
    EMAIL_DATE = "email.date", "Invalid email date", "メールの日付が不正です";
    EMAIL_SUBJECT_EMPTY = "email.subject-empty", "The subject is empty", "件名が空です";
    EMAIL_SUBJECT_LONG = "email.subject-long", "The subject is long", "件名が長すぎます";
    EMAIL_NO_PREHEADER = "email.no-preheader", "No preheader", "プリヘッダーがありません";
    EMAIL_UNSUBSCRIBE_URL = "email.unsubscribe-url", "Invalid unsubscribe URL", "配信停止URLが不正です";
    EMAIL_UNSUBSCRIBE_NOT_HTTPS = "email.unsubscribe-not-https", "The unsubscribe URL is not https", "配信停止URLがhttpsではありません";
    EMAIL_MARKETING_NO_UNSUBSCRIBE = "email.marketing-no-unsubscribe", "Marketing email without unsubscribe", "配信停止のない広告メール";
    EMAIL_LAYOUT = "email.layout", "The email layout could not be built", "メールのレイアウトを作成できません";
    EMAIL_MJML = "email.mjml", "The email layout (MJML) is invalid", "メールのレイアウト (MJML) が不正です";
    EMAIL_CSS_INLINE = "email.css-inline", "CSS could not be inlined", "CSSをインライン化できません";
    EMAIL_MIME = "email.mime", "The MIME message could not be built", "MIMEメッセージを作成できません";
    EMAIL_GMAIL_CLIPPED = "email.gmail-clipped", "Gmail will clip this email", "Gmailでメールが切り詰められます";
    EMAIL_GMAIL_CLIP_NEAR = "email.gmail-clip-near", "Close to Gmail's clipping size", "Gmailの切り詰めサイズに近づいています";
    EMAIL_BRAND_COLOR = "email.brand-color", "Invalid brand colour", "ブランドカラーが不正です";
    EMAIL_LOGO_MISSING = "email.logo-missing", "The brand logo is missing", "ブランドロゴがありません";
    EMAIL_LOGO_DECODE = "email.logo-decode", "The brand logo cannot be read", "ブランドロゴを読み込めません";
    EMAIL_RAW_HTML = "email.raw-html", "Raw HTML in the body", "本文に生のHTMLがあります";
    EMAIL_UNSAFE_LINK = "email.unsafe-link", "Unsafe link", "安全でないリンク";
    EMAIL_IMAGE_SRC = "email.image-src", "Image source not allowed", "使用できない画像の参照先";
    EMAIL_IMAGE_MISSING_ALT = "email.image-missing-alt", "Image without alt text", "代替テキストのない画像";
    EMAIL_IMAGE_DECODE = "email.image-decode", "An image cannot be read", "画像を読み込めません";

    // ── SMS ─────────────────────────────────────────────────────────────────────────────
    SMS_EMPTY = "sms.empty", "The SMS is empty", "SMSが空です";
    SMS_UCS2_FORCED = "sms.ucs2-forced", "Characters force UCS-2", "UCS-2になる文字があります";
    SMS_GSM_LOOKALIKES = "sms.gsm-lookalikes", "Characters with GSM-7 lookalikes", "GSM-7に置き換えられる文字があります";
    SMS_MULTIPART = "sms.multipart", "The SMS is sent in several parts", "SMSが複数通に分割されます";
    SMS_JP_LONG_SMS_CAP = "sms.jp-long-sms-cap", "Over Japanese carriers' long-SMS cap", "国内キャリアの長文SMS上限を超えています";
    SMS_JP_FIRST_70 = "sms.jp-first-70", "Older handsets show only the first 70 characters", "古い端末では先頭70文字しか表示されません";
    SMS_CRLF = "sms.crlf", "CRLF line breaks", "CRLF改行があります";

    // ── Push ────────────────────────────────────────────────────────────────────────────
    PUSH_EMPTY = "push.empty", "The notification is empty", "通知が空です";
    PUSH_PAYLOAD_TOO_LARGE = "push.payload-too-large", "The payload is over the size limit", "ペイロードがサイズ上限を超えています";
    PUSH_PAYLOAD_NEAR_LIMIT = "push.payload-near-limit", "The payload is close to the size limit", "ペイロードがサイズ上限に近づいています";
    PUSH_TITLE_TRUNCATED = "push.title-truncated", "The title will be truncated", "タイトルが切り詰められます";
    PUSH_BODY_TRUNCATED = "push.body-truncated", "The body will be truncated", "本文が切り詰められます";
    PUSH_DEEP_LINK_SCHEME = "push.deep-link-scheme", "Deep link scheme not allowed", "使用できないディープリンクのスキーム";
    PUSH_IMAGE_HTTP = "push.image-http", "The image is not served over https", "画像がhttpsではありません";
    PUSH_IMAGE_ASSET = "push.image-asset", "The image is not a brand asset", "画像がブランドの素材ではありません";
    PUSH_IMAGE_MISSING = "push.image-missing", "The image is missing", "画像がありません";
    PUSH_IMAGE_DECODE = "push.image-decode", "The image cannot be read", "画像を読み込めません";
    PUSH_IMAGE_TOO_LARGE = "push.image-too-large", "The image is too large", "画像が大きすぎます";
    PUSH_IMAGE_GIF = "push.image-gif", "Animated GIF image", "GIF画像です";
    PUSH_IMAGE_ASPECT = "push.image-aspect", "Image aspect ratio will be cropped", "画像の縦横比により切り取られます";

    // ── Print ───────────────────────────────────────────────────────────────────────────
    PRINT_ENVELOPE = "print.envelope", "Unknown envelope profile", "封筒の設定が不正です";
    PRINT_ENVELOPE_SHEET = "print.envelope-sheet", "The envelope does not fit the sheet", "封筒が用紙に合いません";
    PRINT_FONTS = "print.fonts", "Bundled fonts are missing", "同梱フォントがありません";
    PRINT_BRAND_FONT = "print.brand-font", "The brand's print font is not bundled", "ブランドの印刷用フォントが同梱されていません";
    PRINT_BRAND_COLOUR = "print.brand-colour", "Invalid brand colour for print", "印刷用のブランドカラーが不正です";
    PRINT_EXPORT = "print.export", "The PDF could not be made", "PDFを作成できません";
    PRINT_PNG = "print.png", "The page image could not be made", "ページ画像を作成できません";
    PRINT_TYPST = "print.typst", "Letter typesetting error", "レター組版のエラー";
    PRINT_LAYOUT = "print.layout", "The letter layout failed", "レターのレイアウトに失敗しました";
    PRINT_LOCALE = "print.locale", "Unsupported letter language", "レターの言語が不正です";
    PRINT_DOCUMENT_DATE = "print.document-date", "Invalid document date", "文書の日付が不正です";
    PRINT_NO_RECIPIENT = "print.no-recipient", "The letter has no recipient", "宛先がありません";
    PRINT_ADDRESS_OVERFLOW = "print.address-overflow", "The address does not fit the envelope window", "宛名が封筒の窓に収まりません";
    PRINT_MISSING_GLYPH = "print.missing-glyph", "Characters the letter font cannot print", "印刷できない文字があります";
    PRINT_LOGO_DECODE = "print.logo-decode", "The brand logo cannot be read", "ブランドロゴを読み込めません";
    PRINT_BODY_IMAGE = "print.body-image", "A body image cannot be printed", "本文の画像を印刷できません";
    PRINT_LOW_DPI = "print.low-dpi", "Image resolution too low for print", "画像の解像度が印刷には不足しています";

    // ── components (docs/FILE-FORMAT.md, "Components") ────────────────────────────────
    COMPONENT_INVALID = "component.invalid", "A component could not be rendered", "コンポーネントを出力できません";
    COMPONENT_COLUMNS = "component.columns", "Columns are not opened and closed in pairs", "段組みの開始と終了が対応していません";
    COMPONENT_BARCODE = "component.barcode", "No customer barcode can be made", "カスタマバーコードを作成できません";
    COMPONENT_BUTTON_LABEL = "component.button-label", "A button has no label", "ボタンにラベルがありません";
    COMPONENT_BUTTON_URL = "component.button-url", "A button's link is not https", "ボタンのリンクが https ではありません";
    COMPONENT_BUTTON_CONTRAST = "component.button-contrast", "Button text and colour contrast too little", "ボタンの文字色と背景色のコントラストが不足しています";
    COMPONENT_HERO_ALT = "component.hero-alt", "A hero image has no alt text", "ヒーロー画像に代替テキストがありません";
    COMPONENT_QR_MISMATCH = "component.qr-mismatch", "The letter's QR code and the email's link differ", "手紙のQRコードとメールのリンクが異なります";

    // ── Library (ccm_core::Error::code) ─────────────────────────────────────────────────
    LIBRARY_MISSING = "library_missing", "The library file does not exist", "ライブラリファイルがありません";
    NOT_A_LIBRARY = "not_a_library", "This file is not a CCM Studio library", "このファイルは CCM Studio のライブラリではありません";
    LIBRARY_TOO_NEW = "library_too_new", "This library was made by a newer version of CCM Studio", "このライブラリは新しいバージョンの CCM Studio で作成されています";
    NOT_FOUND = "not_found", "Not found", "見つかりません";
    ALREADY_EXISTS = "already_exists", "Already exists", "すでに存在します";
    INVALID_INPUT = "invalid_input", "Invalid input", "入力が正しくありません";
    INVALID = "invalid", "The template is not valid", "テンプレートが正しくありません";
    FORMAT = "format", "A file has a format error", "ファイルの書式に誤りがあります";
    ASSET = "asset", "An image or brand asset could not be used", "画像またはブランド素材を使用できません";
    IO = "io", "A file could not be read or written", "ファイルを読み書きできません";
    LIBRARY_BUSY = "library_busy", "The library is busy (another program is writing to it)", "ライブラリは使用中です（他のプログラムが書き込み中）";
    STORAGE = "storage", "The library could not be read or written", "ライブラリを読み書きできません";
    LIBRARY_DAMAGED = "library_damaged", "The library file is damaged", "ライブラリファイルが破損しています";
    LIBRARY_IN_USE = "library_in_use", "Another CCM Studio window has this library open", "このライブラリは別の CCM Studio ウィンドウで開かれています";

    // ── Brand kit edits (the app's editor, `ccm brands set`) ────────────────────────────
    BRAND_EDIT_INVALID = "brand_edit_invalid", "The brand kit edit has problems", "ブランドキットの編集内容に問題があります";
    BRAND_EDIT_STALE = "brand_edit_stale", "Saving the kit would make approved templates stale", "キットを保存すると承認済みテンプレートの承認が無効になります";

    // ── IPC only (the desktop app's answers, never stored) ──────────────────────────────
    INTERNAL = "internal", "Internal error", "内部エラー";
    SUPERSEDED = "superseded", "A newer edit replaced this request", "新しい編集で置き換えられました";
    IPC = "ipc", "The app could not reach its core", "アプリの処理部に接続できません";
    LIBRARY_UNAVAILABLE = "library_unavailable", "No library is open", "ライブラリが開かれていません";
    RULES_UNAVAILABLE = "rules_unavailable", "The rule packs could not be loaded", "ルールパックを読み込めません";
    ARCHIVE_DAMAGED = "archive_damaged", "An archive entry is damaged (verify the archive)", "アーカイブのエントリが破損しています（アーカイブを検証してください）";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// `area.kebab-name` or `snake_case`: lowercase ASCII letters and digits, words joined by
    /// one `-` or `_`, at most one `.` after the area.
    fn well_formed(id: &str) -> bool {
        let (area, name) = id.split_once('.').unwrap_or(("", id));
        let word_ok = |s: &str| {
            !s.is_empty()
                && s.starts_with(|c: char| c.is_ascii_lowercase())
                && !s.ends_with(['-', '_'])
                && !s.contains("--")
                && !s.contains("__")
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        };
        (area.is_empty() || (word_ok(area) && !area.contains(['-', '_']))) && word_ok(name)
    }

    #[test]
    fn every_code_is_unique_and_well_formed() {
        let mut seen = BTreeSet::new();
        for c in ALL {
            assert!(seen.insert(c.id), "code {} is registered twice", c.id);
            assert!(well_formed(c.id), "code {:?} is not well formed", c.id);
        }
        assert!(!well_formed("Email.X") && !well_formed("sms..x") && !well_formed("a.b.c"));
        assert!(!well_formed("print.") && !well_formed("x-") && !well_formed(""));
    }

    #[test]
    fn every_code_has_an_english_and_a_distinct_japanese_summary() {
        for c in ALL {
            assert!(!c.en.trim().is_empty(), "{}: no English summary", c.id);
            assert!(!c.ja.trim().is_empty(), "{}: no Japanese summary", c.id);
            assert_ne!(
                c.en, c.ja,
                "{}: the Japanese summary is the English one",
                c.id
            );
            assert!(
                !c.ja.is_ascii(),
                "{}: the Japanese summary {:?} has no Japanese in it",
                c.id,
                c.ja
            );
            assert!(
                !c.en.contains('\n') && !c.ja.contains('\n'),
                "{}: one line",
                c.id
            );
        }
    }

    #[test]
    fn find_returns_registered_codes_only() {
        assert_eq!(find("tera.missing-variable"), Some(TERA_MISSING_VARIABLE));
        assert_eq!(find("jp-yakki/spots-disappear"), None);
    }
}
