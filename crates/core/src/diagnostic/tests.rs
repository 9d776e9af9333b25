use super::*;
use serde_json::json;

#[test]
fn display_reads_like_a_compiler_message() {
    let d = Diagnostic::error(
        Channel::Email,
        codes::TERA_MISSING_VARIABLE,
        "variable `x` is not defined",
    )
    .at("email.md", Some(3), Some(7))
    .hint("add `x` to the persona data");
    assert_eq!(
        d.to_string(),
        "error[tera.missing-variable] email.md:3:7: variable `x` is not defined\n  hint: add `x` to the persona data"
    );
    let bare = Diagnostic::info(Channel::Sms, codes::SMS_MULTIPART, "2 parts");
    assert_eq!(bare.to_string(), "info[sms.multipart] 2 parts");
}

#[test]
fn japanese_message_leads_with_the_code_summary() {
    let d = Diagnostic::error(
        Channel::Email,
        codes::TERA_MISSING_VARIABLE,
        "variable `x` …",
    );
    assert_eq!(d.message.en, "variable `x` …");
    assert_eq!(d.message.ja, "未定義の変数: variable `x` …");
    assert_eq!(d.message.get("ja-JP"), d.message.ja);
    assert_eq!(d.message.get("en"), d.message.en);
    let own = d.clone().message_ja("変数 x が未定義です");
    assert_eq!(own.message.ja, "変数 x が未定義です");
    let empty = Diagnostic::warning(Channel::Sms, codes::SMS_CRLF, "");
    assert_eq!(
        empty.message,
        Localized::new(codes::SMS_CRLF.en, codes::SMS_CRLF.ja)
    );
}

#[test]
fn localized_falls_back_on_the_other_language() {
    let l = Localized::new("only English", "");
    assert_eq!(l.get("ja"), "only English");
}

#[test]
fn severities_sort_most_severe_first() {
    let mut s = vec![Severity::Info, Severity::Error, Severity::Warning];
    s.sort();
    assert_eq!(s, [Severity::Error, Severity::Warning, Severity::Info]);
}

#[test]
fn format_errors_become_format_diagnostics_with_their_place() {
    let e = FormatError::new("t/email.md", "subject is missing", "add subject = \"…\"").at(2, 1);
    let d = Diagnostic::from(&e);
    assert_eq!(d.code, "format.invalid");
    assert_eq!(d.origin, Origin::Format);
    assert_eq!(d.channel, None);
    assert_eq!(d.location(), "t/email.md:2:1");
    assert_eq!(d.hint.as_ref().unwrap().en, "add subject = \"…\"");
    let no_hint = Diagnostic::from(&FormatError::new("a.md", "broken", ""));
    assert_eq!(no_hint.hint, None);
}

#[test]
fn library_errors_keep_their_code_and_hint() {
    let d = Diagnostic::library(&crate::Error::NotFound {
        what: "brand",
        id: "acme".into(),
    });
    assert_eq!(d.code, "not_found");
    assert_eq!(d.origin, Origin::Library);
    assert!(
        d.message.ja.starts_with("見つかりません: "),
        "{}",
        d.message.ja
    );
    assert!(d.hint.unwrap().en.contains("ccm import"));
}

/// The serialized field names are the contract stored by the archive (schema version 1): this
/// test fails on any rename, so a change is a deliberate schema bump.
#[test]
fn serialized_shape_is_schema_version_1() {
    assert_eq!(DIAGNOSTIC_SCHEMA_VERSION, 1);
    let d = Diagnostic::new(
        Severity::Warning,
        codes::SMS_UCS2_FORCED,
        Origin::Rule {
            pack: "p".into(),
            rule: "p/r".into(),
            citation: Some("law §1".into()),
        },
        "x",
    )
    .in_channel(Channel::Sms)
    .at("sms.txt", Some(1), Some(2))
    .for_subject(Subject {
        template_id: "t".into(),
        persona: "typical".into(),
        locale: "ja".into(),
    })
    .in_rendition(RenditionPlace {
        field: "text".into(),
        span: Some(Span::in_text("ab", 1, 2)),
        excerpt: "b".into(),
    });
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(
        v,
        json!({
            "code": "sms.ucs2-forced",
            "severity": "warning",
            "channel": "sms",
            "file": "sms.txt",
            "line": 1,
            "column": 2,
            "message": {"en": "x", "ja": "UCS-2になる文字があります: x"},
            "hint": null,
            "origin": {"kind": "rule", "pack": "p", "rule": "p/r", "citation": "law §1"},
            "subject": {"template_id": "t", "persona": "typical", "locale": "ja"},
            "rendition": {"field": "text", "span": {"start": 1, "end": 2, "line": 1, "column": 2}, "excerpt": "b"},
        })
    );
    let back: Diagnostic = serde_json::from_value(v).unwrap();
    assert_eq!(back, d);
    assert_eq!(
        serde_json::to_value(Origin::Render).unwrap(),
        json!({"kind": "render"})
    );
}
