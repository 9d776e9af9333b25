use std::sync::LazyLock;

use super::*;
use crate::samples;

static PRINTER: LazyLock<Printer> = LazyLock::new(|| Printer::new().unwrap());

/// Page images of a real letter, small enough to keep the tests quick.
static LETTER_PAGES: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let letter = PRINTER.compile(&samples::japanese_letter()).unwrap();
    (1..=letter.page_count())
        .map(|p| letter.png(p, 24.0).unwrap())
        .collect()
});

fn record(lang: EvidenceLang) -> EvidenceRecord {
    EvidenceRecord {
        lang,
        title: "お引き落とし日のお知らせ".into(),
        template_id: "billing/debit-notice".into(),
        version: 7,
        version_hash: "9f2c".repeat(16),
        brand: "さくら銀行".into(),
        decision: match lang {
            EvidenceLang::Ja => "送信を承認".into(),
            EvidenceLang::En => "approved for sending".into(),
        },
        approver: "佐藤 花子".into(),
        approver_role: "compliance".into(),
        approver_key: "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3".into(),
        authors: vec!["山田 太郎".into(), "Jane Doe".into()],
        decided_at: "2026-12-03T15:55:25+09:00".into(),
        entry_seq: 42,
        entry_hash: "ab01".repeat(16),
        archive_root: "cd23".repeat(16),
        archive_size: 42,
        comment: Some("Checked with legal.\n法務確認済み。".into()),
        findings: vec![EvidenceFinding {
            severity: "warning".into(),
            code: "CCM-R0101".into(),
            channel: "sms".into(),
            place: "sms.md:3".into(),
            message: "SMS is 2 segments long".into(),
        }],
        waivers: vec![EvidenceWaiver {
            rule: "CCM-R0204".into(),
            reason: "Regulator-mandated wording".into(),
            by: "佐藤 花子".into(),
        }],
        channels: vec![EvidenceRendition {
            persona: "standard".into(),
            locale: "ja-JP".into(),
            email: Some(EvidenceEmail {
                subject: "12月のお引き落とし日".into(),
                text: "山田 太郎 様\n\nお引き落とし日は12月10日です。".into(),
            }),
            sms: Some(EvidenceSms {
                text: "【さくら銀行】12/10にお引き落としがあります。".into(),
                segments: 2,
            }),
            push: Some(EvidencePush {
                title: "お引き落とし日".into(),
                body: "12月10日にお引き落としがあります。".into(),
            }),
            letter_pages: LETTER_PAGES.clone(),
        }],
        attachments: vec![
            EvidenceAttachment {
                name: "approval-manifest.json".into(),
                bytes: br#"{"template":"billing/debit-notice","version":7}"#.to_vec(),
                mime: "application/json; charset=utf-8".into(),
                description: "Signed approval manifest".into(),
                relationship: AttachmentRelationship::Source,
            },
            EvidenceAttachment {
                name: "findings.csv".into(),
                bytes: b"severity,code\nwarning,CCM-R0101\n".to_vec(),
                mime: "text/csv".into(),
                description: "Findings as data".into(),
                relationship: AttachmentRelationship::Data,
            },
        ],
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// All text the record's pages show, page after page.
fn shown_text(record: &EvidenceRecord) -> String {
    let compiled = compile(PRINTER.warm(), record).unwrap();
    compiled
        .document
        .pages()
        .iter()
        .map(letter::page_text)
        .collect()
}

#[test]
fn output_is_pdf_a_3b() {
    let pdf = PRINTER.render_evidence(&record(EvidenceLang::Ja)).unwrap();
    // For checks with external tools (qpdf, pdfdetach, veraPDF).
    if let Some(path) = std::env::var_os("CCM_EVIDENCE_PDF_OUT") {
        std::fs::write(path, &pdf).unwrap();
    }
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        contains(&pdf, "pdfaid:part>3<") || contains(&pdf, "pdfaid:part=\"3\""),
        "no PDF/A part 3 in the XMP"
    );
    assert!(
        contains(&pdf, "pdfaid:conformance>B<") || contains(&pdf, "pdfaid:conformance=\"B\""),
        "no conformance level B in the XMP"
    );
}

#[test]
fn attachments_are_associated_embedded_files() {
    let pdf = PRINTER.render_evidence(&record(EvidenceLang::En)).unwrap();
    for needle in [
        "/EmbeddedFiles",
        "/AF",
        "approval-manifest.json",
        "findings.csv",
        "/AFRelationship/Source",
        "/AFRelationship/Data",
        "/Subtype/application#2Fjson",
        "/Subtype/text#2Fcsv",
        "/Desc(Signed approval manifest)",
    ] {
        assert!(contains(&pdf, needle), "missing {needle}");
    }
}

#[test]
fn document_date_and_title_come_from_the_record() {
    let pdf = PRINTER.render_evidence(&record(EvidenceLang::En)).unwrap();
    assert!(contains(&pdf, "2026-12-03T15:55:25+09:00"), "XMP date");
    assert!(contains(&pdf, "D:20261203155525+09'00"), "Info date");
    assert!(contains(
        &pdf,
        "Approval evidence record — お引き落とし日のお知らせ v7"
    ));
}

#[test]
fn same_record_same_bytes() {
    let a = PRINTER.render_evidence(&record(EvidenceLang::Ja)).unwrap();
    let b = render_evidence(&record(EvidenceLang::Ja)).unwrap();
    assert!(a == b, "two renders differ");
    let mut other = record(EvidenceLang::Ja);
    other.entry_seq = 43;
    assert!(PRINTER.render_evidence(&other).unwrap() != a);
}

#[test]
fn labels_follow_the_language() {
    let ja = shown_text(&record(EvidenceLang::Ja));
    for label in [
        "承認記録",
        "送信を承認",
        "検出事項",
        "適用除外",
        "件名",
        "分割数",
        "印刷レター",
        "添付ファイル：approval-manifest.json（原本）、findings.csv（データ）",
        "approval-manifest.json（原本）",
    ] {
        assert!(ja.replace(' ', "").contains(label), "no {label} in:\n{ja}");
    }
    assert!(!ja.contains("Findings"));
    let en = shown_text(&record(EvidenceLang::En));
    for label in [
        "Approval evidence record",
        "Findings",
        "Waivers",
        "Subject",
        "Segments",
        "Printed letter",
        "Attached files: approval-manifest.json (source), findings.csv (data)",
        "findings.csv (data)",
    ] {
        assert!(en.contains(label), "no {label} in:\n{en}");
    }
}

#[test]
fn record_details_are_shown() {
    let text = shown_text(&record(EvidenceLang::En));
    let (entry_hash, archive_root) = ("ab01".repeat(16), "cd23".repeat(16));
    for shown in [
        "お引き落とし日のお知らせ",
        "billing/debit-notice",
        "佐藤 花子",
        "compliance",
        "山田 太郎, Jane Doe",
        "2026-12-03T15:55:25+09:00",
        entry_hash.as_str(),
        archive_root.as_str(),
        "CCM-R0101",
        "sms.md:3",
        "Regulator-mandated wording",
        "standard × ja-JP",
        "12月のお引き落とし日",
        "【さくら銀行】12/10にお引き落としがあります。",
        "Checked with legal.",
        "法務確認済み。",
    ] {
        assert!(text.contains(shown), "no {shown} in:\n{text}");
    }
    // Comment lines stay lines.
    assert!(
        text.contains("Checked with legal.\n法務確認済み。"),
        "{text}"
    );
}

#[test]
fn letter_pages_are_placed_as_images() {
    let compiled = compile(PRINTER.warm(), &record(EvidenceLang::En)).unwrap();
    let images: usize = crate::letter::measure(&compiled.document).images.len();
    assert_eq!(images, LETTER_PAGES.len());
    assert!(!LETTER_PAGES.is_empty());
}

#[test]
fn hostile_text_is_shown_literally() {
    let hostile = "#panic(\"x\") ] $x^2$ <script>alert(1)</script> *b* _i_ @ref // no \\ \" #read(\"/record.json\")";
    let mut r = record(EvidenceLang::En);
    r.title = hostile.into();
    r.approver = hostile.into();
    r.comment = Some(hostile.into());
    r.findings[0].message = hostile.into();
    r.waivers[0].reason = hostile.into();
    r.channels[0].persona = hostile.into();
    r.channels[0].email.as_mut().unwrap().text = hostile.into();
    r.attachments[0].description = hostile.into();
    // Long lines wrap; the text itself must be unchanged.
    let text = shown_text(&r).replace('\n', "");
    // Title (and the running header of page 2), approver, comment, finding, waiver, persona
    // and email text; the description is file metadata only.
    assert_eq!(text.matches(hostile).count(), 8, "{text}");
    let pdf = PRINTER.render_evidence(&r).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn characters_no_font_has_show_their_code_point() {
    let mut r = record(EvidenceLang::En);
    r.approver = "A\u{10FFFD}B\u{7}C".into();
    let text = shown_text(&r);
    assert!(text.contains("A[U+10FFFD]BC"), "{text}");
    PRINTER.render_evidence(&r).unwrap();
}

#[test]
fn attachment_names_are_single_file_names() {
    assert_eq!(file_name("../../etc/passwd", 0), "_.._etc_passwd");
    assert_eq!(file_name("..", 2), "attachment-3");
    assert_eq!(file_name("a\\b:c\n.json", 0), "a_b_c_.json");
    assert_eq!(file_name("承認.json", 0), "承認.json");

    let mut r = record(EvidenceLang::En);
    r.attachments[0].name = "../manifest.json".into();
    let pdf = PRINTER.render_evidence(&r).unwrap();
    assert!(contains(&pdf, "_manifest.json"));
}

#[test]
fn duplicate_attachment_names_are_refused() {
    let mut r = record(EvidenceLang::En);
    r.attachments[1].name = r.attachments[0].name.clone();
    let err = PRINTER.render_evidence(&r).unwrap_err();
    assert!(err.to_string().contains("two attachments"), "{err}");
}

#[test]
fn mime_types_are_checked() {
    assert_eq!(
        mime_type("Application/JSON; charset=utf-8")
            .unwrap()
            .as_deref(),
        Some("application/json")
    );
    assert_eq!(mime_type("").unwrap(), None);
    assert!(mime_type("json").is_err());
    assert!(mime_type("text/plain text").is_err());
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    let mut r = record(EvidenceLang::En);
    r.decided_at = "yesterday".into();
    let err = PRINTER.render_evidence(&r).unwrap_err();
    assert!(err.to_string().contains("RFC 3339"), "{err}");

    let mut r = record(EvidenceLang::En);
    r.channels[0].letter_pages = vec![b"not a png".to_vec()];
    let err = PRINTER.render_evidence(&r).unwrap_err();
    assert!(err.to_string().contains("letter page 1"), "{err}");
}

#[test]
fn an_empty_record_still_renders() {
    let r = EvidenceRecord {
        decided_at: "2026-01-01T00:00:00Z".into(),
        ..EvidenceRecord::default()
    };
    let text = shown_text(&r);
    assert!(text.contains("なし"), "{text}");
    assert!(text.contains("添付ファイルはありません。"), "{text}");
    PRINTER.render_evidence(&r).unwrap();
}
