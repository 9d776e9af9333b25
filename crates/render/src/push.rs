//! Push notifications: the APNs payload and the FCM v1 message for one rendered `push.toml`,
//! payload sizes against the 4 KB limit, and how much of the text each surface shows.

use crate::images::ImageCheck;
use ccm_core::diagnostic::{codes, Diagnostic, RenditionPlace, Severity};
use ccm_core::model::Channel;
use serde::Serialize;
use serde_json::{json, Map, Value};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// APNs and FCM both cap the payload at 4,096 bytes of UTF-8 JSON (Apple's "Generating a
/// remote notification", Firebase's "About FCM messages").
pub const PAYLOAD_LIMIT: usize = 4096;
/// Warn this close to the limit: transports add keys (FCM adds ~100 bytes of its own).
pub const PAYLOAD_MARGIN: usize = 100;
/// FCM's limit for Android notification images.
pub const IMAGE_MAX_BYTES: usize = 1024 * 1024;

/// How much text a surface shows, in half-width units (CJK and full-width characters count 2).
/// Estimates, which vary by device and OS version: iOS lock screen
/// ≈ 110 units of body and ≈ 40 of title; iOS banner ≈ 62; Android collapsed ≈ 49 (verify).
/// Where a figure is given only for the body, the title uses the same surface's body figure
/// capped at the lock-screen title figure.
pub const SURFACES: [Surface; 3] = [
    Surface {
        id: "ios-lock-screen",
        label: "iOS lock screen",
        title_units: 40,
        body_units: 110,
    },
    Surface {
        id: "ios-banner",
        label: "iOS banner",
        title_units: 40,
        body_units: 62,
    },
    Surface {
        id: "android-collapsed",
        label: "Android collapsed",
        title_units: 40,
        body_units: 49,
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Surface {
    pub id: &'static str,
    pub label: &'static str,
    pub title_units: usize,
    pub body_units: usize,
}

/// The rendered text of `push.toml` (every Tera string expanded).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PushText {
    pub title: String,
    pub subtitle: String,
    pub body: String,
    /// https URL or library asset path; empty when none.
    pub image: String,
    pub deep_link: String,
    /// The category of a `button()` in the notification: APNs `aps.category`, FCM
    /// `android.notification.click_action`. Empty when there is none.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub action: String,
}

/// What one surface shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub surface: Surface,
    pub title: String,
    pub title_truncated: bool,
    pub body: String,
    pub body_truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PushRendition {
    pub text: PushText,
    /// Pretty-printed (sorted keys) for people; sizes below are of the compact form that is sent.
    pub apns_json: String,
    pub fcm_json: String,
    pub apns_bytes: usize,
    pub fcm_bytes: usize,
    pub payload_limit: usize,
    pub title_units: usize,
    pub subtitle_units: usize,
    pub body_units: usize,
    pub previews: Vec<Preview>,
    pub image: Option<ImageCheck>,
    /// Channel advice; each names the rendered field it is about (`rendition.field`), from which
    /// the pipeline finds the source line.
    pub warnings: Vec<Diagnostic>,
}

/// Half-width units: East Asian wide and full-width characters count 2.
pub fn units(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `limit` units, ending in "…" when cut, never inside a grapheme.
pub fn truncate(s: &str, limit: usize) -> (String, bool) {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if units(&flat) <= limit {
        return (flat, false);
    }
    let mut out = String::new();
    let mut used = 0;
    for g in flat.graphemes(true) {
        let w = units(g);
        if used + w + 1 > limit {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    (out, true)
}

fn is_https(s: &str) -> bool {
    s.get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
}
fn is_http(s: &str) -> bool {
    s.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("http://"))
}

/// Builds both payloads. `image` is the result of checking a library asset (when `text.image`
/// names one); an https image is passed through unchecked (it is fetched by the device).
pub fn render_push(text: PushText, image: Option<ImageCheck>) -> PushRendition {
    let has_image = !text.image.is_empty();
    let mut alert = Map::new();
    alert.insert("body".into(), json!(text.body));
    if !text.subtitle.is_empty() {
        alert.insert("subtitle".into(), json!(text.subtitle));
    }
    alert.insert("title".into(), json!(text.title));
    let mut aps = Map::new();
    aps.insert("alert".into(), Value::Object(alert));
    if has_image {
        // A notification service extension downloads the attachment; it only runs with this.
        aps.insert("mutable-content".into(), json!(1));
    }
    aps.insert("sound".into(), json!("default"));
    if !text.action.is_empty() {
        aps.insert("category".into(), json!(text.action));
    }
    let mut apns = Map::new();
    apns.insert("aps".into(), Value::Object(aps));
    if !text.deep_link.is_empty() {
        apns.insert("deep_link".into(), json!(text.deep_link));
    }
    if has_image {
        apns.insert("image_url".into(), json!(text.image));
    }
    let apns = sorted(Value::Object(apns));

    let mut notification = Map::new();
    notification.insert("body".into(), json!(text.body));
    if has_image {
        notification.insert("image".into(), json!(text.image));
    }
    notification.insert("title".into(), json!(text.title));
    let mut message = Map::new();
    let android = if text.action.is_empty() {
        json!({ "notification": { "default_sound": true } })
    } else {
        json!({ "notification": { "default_sound": true, "click_action": text.action } })
    };
    message.insert("android".into(), android);
    let mut fcm_aps = Map::new();
    if !text.subtitle.is_empty() {
        fcm_aps.insert("alert".into(), json!({ "subtitle": text.subtitle }));
    }
    if has_image {
        fcm_aps.insert("mutable-content".into(), json!(1));
    }
    // iOS-only parts of the FCM message: the subtitle and the image need the `apns` override.
    let mut fcm_apns = Map::new();
    if has_image {
        fcm_apns.insert("fcm_options".into(), json!({ "image": text.image }));
    }
    if !fcm_aps.is_empty() {
        fcm_apns.insert("payload".into(), json!({ "aps": Value::Object(fcm_aps) }));
    }
    if !fcm_apns.is_empty() {
        message.insert("apns".into(), Value::Object(fcm_apns));
    }
    if !text.deep_link.is_empty() {
        message.insert("data".into(), json!({ "deep_link": text.deep_link }));
    }
    message.insert("notification".into(), Value::Object(notification));
    let fcm = sorted(json!({ "message": Value::Object(message) }));

    let apns_bytes = compact_len(&apns);
    let fcm_bytes = compact_len(&fcm);
    let previews = SURFACES
        .iter()
        .map(|s| {
            let (title, title_truncated) = truncate(&text.title, s.title_units);
            let (body, body_truncated) = truncate(&text.body, s.body_units);
            Preview {
                surface: *s,
                title,
                title_truncated,
                body,
                body_truncated,
            }
        })
        .collect::<Vec<_>>();
    let mut r = PushRendition {
        title_units: units(&text.title),
        subtitle_units: units(&text.subtitle),
        body_units: units(&text.body),
        apns_json: pretty(&apns),
        fcm_json: pretty(&fcm),
        apns_bytes,
        fcm_bytes,
        payload_limit: PAYLOAD_LIMIT,
        previews,
        image,
        text,
        warnings: Vec::new(),
    };
    r.warnings = advise(&r);
    r
}

fn advise(r: &PushRendition) -> Vec<Diagnostic> {
    let mut w = Vec::new();
    let mut warn = |severity, code, field: &str, message: String| {
        w.push(
            Diagnostic::render(severity, Channel::Push, code, message).in_rendition(
                RenditionPlace {
                    field: field.to_owned(),
                    span: None,
                    excerpt: String::new(),
                },
            ),
        )
    };
    if r.text.title.trim().is_empty() && r.text.body.trim().is_empty() {
        warn(
            Severity::Error,
            codes::PUSH_EMPTY,
            "body",
            "the notification has neither title nor body".into(),
        );
    }
    for (name, bytes) in [("APNs", r.apns_bytes), ("FCM", r.fcm_bytes)] {
        if bytes > PAYLOAD_LIMIT {
            warn(
                Severity::Error,
                codes::PUSH_PAYLOAD_TOO_LARGE,
                "body",
                format!("{name} payload is {bytes} bytes, over the {PAYLOAD_LIMIT}-byte limit"),
            );
        } else if bytes + PAYLOAD_MARGIN > PAYLOAD_LIMIT {
            warn(
                Severity::Warning,
                codes::PUSH_PAYLOAD_NEAR_LIMIT,
                "body",
                format!(
                    "{name} payload is {bytes} bytes; keep ~{PAYLOAD_MARGIN} bytes under {PAYLOAD_LIMIT} for keys the transport adds"
                ),
            );
        }
    }
    for p in &r.previews {
        if p.title_truncated {
            warn(
                Severity::Info,
                codes::PUSH_TITLE_TRUNCATED,
                "title",
                format!(
                    "{}: the title ({} units) is cut to \"{}\" (≈{} units, estimate)",
                    p.surface.label, r.title_units, p.title, p.surface.title_units
                ),
            );
        }
        if p.body_truncated {
            warn(
                Severity::Info,
                codes::PUSH_BODY_TRUNCATED,
                "body",
                format!(
                    "{}: the body ({} units) is cut to \"{}\" (≈{} units, estimate)",
                    p.surface.label, r.body_units, p.body, p.surface.body_units
                ),
            );
        }
    }
    let link = &r.text.deep_link;
    if !link.is_empty() && !is_https(link) {
        warn(
            Severity::Warning,
            codes::PUSH_DEEP_LINK_SCHEME,
            "deep_link",
            format!("deep link `{link}` is not https: prefer universal/app links, custom schemes only as fallback"),
        );
    }
    let img = &r.text.image;
    if !img.is_empty() {
        if is_http(img) {
            warn(
                Severity::Warning,
                codes::PUSH_IMAGE_HTTP,
                "image",
                "the image URL is http: iOS only loads https attachments".into(),
            );
        } else if !is_https(img) && r.image.is_none() {
            warn(
                Severity::Error,
                codes::PUSH_IMAGE_MISSING,
                "image",
                format!("image `{img}` is neither an https URL nor an asset of the library"),
            );
        } else if !is_https(img) {
            warn(
                Severity::Info,
                codes::PUSH_IMAGE_ASSET,
                "image",
                format!("image `{img}` is a library asset: the sending system must publish it at an https URL"),
            );
        }
        if let Some(check) = &r.image {
            if !check.two_to_one {
                warn(
                    Severity::Warning,
                    codes::PUSH_IMAGE_ASPECT,
                    "image",
                    format!(
                        "image is {}×{}: Android's big picture style crops to 2:1 (e.g. 1024×512)",
                        check.width, check.height
                    ),
                );
            }
            if check.bytes > IMAGE_MAX_BYTES {
                warn(
                    Severity::Warning,
                    codes::PUSH_IMAGE_TOO_LARGE,
                    "image",
                    format!(
                        "image is {} bytes, over FCM's 1 MB for Android; a re-encoded copy of {} bytes is in push-image.jpg",
                        check.bytes,
                        check.reencoded.as_ref().map_or(0, |r| r.len())
                    ),
                );
            }
            if check.format == "gif" {
                warn(
                    Severity::Warning,
                    codes::PUSH_IMAGE_GIF,
                    "image",
                    "Android notifications do not animate GIFs: use PNG or JPEG".into(),
                );
            }
        }
    }
    w
}

/// Re-inserts object keys in sorted order, whatever map type serde_json was built with, so the
/// output is byte-stable.
fn sorted(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = m.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn compact_len(v: &Value) -> usize {
    serde_json::to_vec(v).map_or(0, |b| b.len())
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(title: &str, body: &str) -> PushText {
        PushText {
            title: title.into(),
            body: body.into(),
            ..Default::default()
        }
    }

    #[test]
    fn apns_and_fcm_shapes() {
        let mut t = text("Pay day", "Your bill is ready");
        t.subtitle = "Card".into();
        t.image = "https://cdn.example/x.png".into();
        t.deep_link = "https://bank.example/app/pay".into();
        let r = render_push(t, None);
        let apns: Value = serde_json::from_str(&r.apns_json).unwrap();
        assert_eq!(apns["aps"]["alert"]["title"], "Pay day");
        assert_eq!(apns["aps"]["alert"]["subtitle"], "Card");
        assert_eq!(apns["aps"]["mutable-content"], 1);
        assert_eq!(apns["deep_link"], "https://bank.example/app/pay");
        let fcm: Value = serde_json::from_str(&r.fcm_json).unwrap();
        assert_eq!(
            fcm["message"]["notification"]["image"],
            "https://cdn.example/x.png"
        );
        assert_eq!(
            fcm["message"]["data"]["deep_link"],
            "https://bank.example/app/pay"
        );
        assert_eq!(
            fcm["message"]["apns"]["payload"]["aps"]["mutable-content"],
            1
        );
        assert_eq!(r.apns_bytes, serde_json::to_vec(&apns).unwrap().len());
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn keys_are_sorted_and_no_image_means_no_mutable_content() {
        let r = render_push(text("t", "b"), None);
        assert!(!r.apns_json.contains("mutable-content"));
        let a = r.fcm_json.find("\"android\"").unwrap();
        let n = r
            .fcm_json
            .find("\"notification\": {\n      \"body\"")
            .unwrap();
        assert!(a < n, "keys sorted: {}", r.fcm_json);
    }

    #[test]
    fn japanese_counts_double_and_truncates_at_the_lock_screen() {
        let body = "お".repeat(60); // 120 units
        let r = render_push(text("お知らせ", &body), None);
        assert_eq!(r.body_units, 120);
        assert_eq!(r.title_units, 8);
        let lock = &r.previews[0];
        assert!(lock.body_truncated);
        assert!(units(&lock.body) <= 110, "{}", units(&lock.body));
        assert_eq!(lock.body, format!("{}…", "お".repeat(54)));
        assert!(r.warnings.iter().any(|w| w.code == "push.body-truncated"));
    }

    #[test]
    fn payload_limits() {
        let big = "漢".repeat(1400); // 4,200 bytes
        let r = render_push(text("t", &big), None);
        assert!(r.apns_bytes > PAYLOAD_LIMIT);
        assert!(r
            .warnings
            .iter()
            .any(|w| w.code == "push.payload-too-large"));
        let near = "a".repeat(PAYLOAD_LIMIT - 150);
        let r = render_push(text("t", &near), None);
        assert!(
            r.warnings
                .iter()
                .any(|w| w.code == "push.payload-near-limit"),
            "{}",
            r.apns_bytes
        );
    }

    #[test]
    fn custom_scheme_deep_link_is_flagged() {
        let mut t = text("t", "b");
        t.deep_link = "mybank://pay".into();
        let r = render_push(t, None);
        assert!(r.warnings.iter().any(|w| w.code == "push.deep-link-scheme"));
    }

    #[test]
    fn truncation_never_splits_graphemes() {
        let (s, cut) = truncate(&"👨‍👩‍👧".repeat(30), 10);
        assert!(cut);
        assert!(s.ends_with('…'));
        assert!(s.trim_end_matches('…').graphemes(true).all(|g| g == "👨‍👩‍👧"));
    }
}
