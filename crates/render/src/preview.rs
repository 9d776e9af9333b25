//! One self-contained HTML page showing every persona's four channels side by side — for
//! sharing and for machines without a display (`ccm preview`).
//!
//! Safety: the page runs no script of its own and forbids scripts by CSP; each email is shown in
//! an `<iframe sandbox="">` through `srcdoc` (no scripts, no forms, unique origin), and remote
//! images are blocked (`img-src data:`) so opening a preview never calls out.

use crate::rendition::{RenderSet, Rendition};
use crate::sms::SmsEncoding;
use base64::Engine as _;
use ccm_core::diagnostic::{Diagnostic, Severity};
use ccm_core::model::{Channel, TemplateBundle};
use std::fmt::Write as _;

/// HTML-escapes text for element content and double-quoted attributes.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root{--ink:#1d2330;--muted:#667085;--line:#e4e7ec;--bg:#f4f5f7;--card:#fff;--accent:#2f5bea;--err:#b42318;--warn:#b54708;--info:#175cd3}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Hiragino Sans","Noto Sans JP","Noto Sans CJK JP",Meiryo,sans-serif}
header.top{background:#101828;color:#fff;padding:20px 32px}
header.top h1{margin:0 0 4px;font-size:22px;font-weight:600}
header.top .meta{color:#cbd2e1;font-size:13px}
header.top .meta span{margin-right:18px}
main{padding:24px 32px 48px}
section.persona{margin:0 0 40px}
section.persona>h2{font-size:17px;margin:0 0 12px;display:flex;align-items:center;gap:10px}
.badge{display:inline-block;font-size:11px;font-weight:600;padding:2px 8px;border-radius:999px;background:#eef2ff;color:#3538cd}
.badge.edge{background:#fff4ed;color:#b93815}
.badge.ok{background:#ecfdf3;color:#067647}.badge.warnings{background:#fffaeb;color:#b54708}.badge.error{background:#fef3f2;color:#b42318}.badge.skipped{background:#f2f4f7;color:#475467}
.grid{display:grid;grid-template-columns:repeat(4,minmax(280px,1fr));gap:16px;align-items:start}
@media (max-width:1400px){.grid{grid-template-columns:repeat(2,minmax(280px,1fr))}}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;overflow:hidden}
.card>h3{margin:0;padding:10px 14px;font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);border-bottom:1px solid var(--line);display:flex;justify-content:space-between;align-items:center}
.card .body{padding:14px}
.facts{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 10px;padding:0;list-style:none}
.facts li{background:#f2f4f7;border-radius:6px;padding:2px 8px;font-size:12px;color:#344054}
.inbox{border:1px solid var(--line);border-radius:8px;padding:8px 10px;margin-bottom:10px;font-size:13px}
.inbox .from{font-weight:600}.inbox .subj{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.inbox .pre{color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
iframe.email{width:100%;height:640px;border:1px solid var(--line);border-radius:8px;background:#fff}
.phone{background:#f2f2f7;border-radius:18px;padding:16px 12px;min-height:180px}
.bubble{background:#e9e9eb;color:#000;border-radius:18px;padding:8px 12px;max-width:92%;white-space:pre-wrap;word-wrap:break-word;font-size:14px;margin:0 0 6px}
.bubble .cut{display:block;border-top:1px dashed #aaa;margin:6px 0 4px;font-size:10px;color:#888;text-align:right}
.bubble mark{background:#fedf89;border-radius:3px}
.lock{background:linear-gradient(160deg,#33415c,#0f172a 70%);border-radius:22px;padding:18px 12px 22px;color:#fff}
.lock .clock{text-align:center;font-size:44px;font-weight:300;line-height:1;margin:6px 0 2px}
.lock .date{text-align:center;font-size:13px;opacity:.8;margin-bottom:16px}
.note{background:rgba(245,245,245,.92);color:#111;border-radius:14px;padding:9px 11px;margin-bottom:8px;font-size:13px}
.note .app{font-size:11px;color:#555;display:flex;justify-content:space-between;text-transform:uppercase;letter-spacing:.03em}
.note .t{font-weight:600}
.android{background:#fff;border:1px solid var(--line);border-radius:14px;padding:9px 12px;margin-top:12px;font-size:13px;box-shadow:0 1px 2px rgba(16,24,40,.06)}
.android .app{font-size:11px;color:#555}
.android .t{font-weight:600}
.label{font-size:11px;color:var(--muted);margin:10px 0 4px;text-transform:uppercase;letter-spacing:.04em}
.bar{height:6px;background:#f2f4f7;border-radius:3px;overflow:hidden}.bar>span{display:block;height:100%;background:var(--accent)}
.page{display:block;width:100%;border:1px solid var(--line);box-shadow:0 2px 6px rgba(16,24,40,.08);margin:0 0 10px;background:#fff}
ul.diags{list-style:none;margin:10px 0 0;padding:0;font-size:12px}
ul.diags li{padding:6px 8px;border-radius:6px;margin-bottom:4px;background:#f9fafb}
ul.diags li.error{background:#fef3f2;color:var(--err)}ul.diags li.warning{background:#fffaeb;color:var(--warn)}ul.diags li.info{background:#eff8ff;color:var(--info)}
ul.diags .where{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:11px;opacity:.85}
ul.diags .hint{display:block;color:#475467;margin-top:2px}
.empty{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:12px;padding:0 32px 32px}
"#;

/// The whole page for `sets` (one per persona, all of the same template and locale).
pub fn page(bundle: &TemplateBundle, sets: &[RenderSet]) -> String {
    let m = &bundle.source.manifest;
    let mut h = String::with_capacity(256 * 1024);
    let locale = sets.first().map(|s| s.locale.as_str()).unwrap_or("en");
    let today = sets.first().map(|s| s.today.as_str()).unwrap_or("");
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'; object-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'; img-src data:; media-src 'none'\">\n\
<title>{title} — CCM Studio preview</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        lang = escape_html(locale),
        title = escape_html(&m.name),
    );
    let _ = write!(
        h,
        "<header class=\"top\"><h1>{}</h1><div class=\"meta\"><span>{} · v{} · {}</span><span>{} · {}</span><span>locale {}</span><span>rendered for {}</span></div></header>\n<main>\n",
        escape_html(&m.name),
        escape_html(&m.id),
        bundle.version,
        escape_html(bundle.hash.short()),
        escape_html(&bundle.brand.kit.name),
        match m.purpose {
            ccm_core::model::Purpose::Transactional => "transactional",
            ccm_core::model::Purpose::Marketing => "marketing",
        },
        escape_html(locale),
        escape_html(today),
    );
    for set in sets {
        persona_section(&mut h, bundle, set);
    }
    let _ = write!(
        h,
        "</main>\n<footer>Generated by CCM Studio from {} v{} ({}). Emails are shown sandboxed; remote images are not loaded.</footer>\n</body>\n</html>\n",
        escape_html(&m.id),
        bundle.version,
        escape_html(bundle.hash.as_str())
    );
    h
}

fn persona_section(h: &mut String, bundle: &TemplateBundle, set: &RenderSet) {
    let persona = bundle.source.personas.iter().find(|p| p.id == set.persona);
    let label = persona.map_or(set.persona.as_str(), |p| p.label.as_str());
    let edge = persona.is_some_and(|p| p.edge_case);
    let _ = write!(
        h,
        "<section class=\"persona\" id=\"persona-{}\"><h2>{}<span class=\"badge\">{}</span>{}</h2>\n<div class=\"grid\">\n",
        escape_html(&set.persona),
        escape_html(label),
        escape_html(&set.persona),
        if edge {
            "<span class=\"badge edge\">edge case</span>"
        } else {
            ""
        }
    );
    for channel in Channel::ALL {
        let out = set.output(channel);
        let status = out.map_or("skipped", |o| o.status());
        let _ = write!(
            h,
            "<div class=\"card {ch}\"><h3>{ch}<span class=\"badge {status}\">{status}</span></h3><div class=\"body\">",
            ch = channel.as_str()
        );
        match out.and_then(|o| o.rendition.as_ref()) {
            Some(r) => rendition_html(h, bundle, set, r),
            None => h.push_str("<p class=\"empty\">Not rendered.</p>"),
        }
        if let Some(o) = out {
            diagnostics_html(h, &o.diagnostics);
        }
        h.push_str("</div></div>\n");
    }
    h.push_str("</div></section>\n");
}

fn facts(h: &mut String, items: &[String]) {
    h.push_str("<ul class=\"facts\">");
    for i in items {
        let _ = write!(h, "<li>{}</li>", escape_html(i));
    }
    h.push_str("</ul>");
}

fn rendition_html(h: &mut String, bundle: &TemplateBundle, set: &RenderSet, r: &Rendition) {
    let brand = &bundle.brand.kit.name;
    match r {
        Rendition::Email(e) => {
            facts(
                h,
                &[
                    format!("{:.1} KB HTML", e.metrics.html_bytes as f64 / 1024.0),
                    format!("Gmail clip {} KB", e.metrics.gmail_clip_limit / 1024),
                    format!("{} links", e.metrics.links.len()),
                    format!("{} images", e.metrics.images.len()),
                ],
            );
            let _ = write!(
                h,
                "<div class=\"inbox\"><div class=\"from\">{}</div><div class=\"subj\">{}</div><div class=\"pre\">{}</div></div>",
                escape_html(brand),
                escape_html(&e.subject),
                escape_html(&e.preheader)
            );
            let _ = write!(
                h,
                "<iframe class=\"email\" sandbox=\"\" referrerpolicy=\"no-referrer\" title=\"{}\" srcdoc=\"{}\"></iframe>",
                escape_html(&e.subject),
                escape_html(&e.html)
            );
        }
        Rendition::Sms(s) => {
            let a = &s.analysis;
            facts(
                h,
                &[
                    match a.encoding {
                        SmsEncoding::Gsm7 => "GSM-7".to_string(),
                        SmsEncoding::Ucs2 => "UCS-2".to_string(),
                    },
                    format!("{} chars", a.characters),
                    format!("{} {}", a.units, a.unit_name.replace('_', " ")),
                    format!("{} segment(s)", a.segments),
                    format!("{} left", a.units_left_in_segment),
                ],
            );
            h.push_str("<div class=\"phone\"><div class=\"bubble\">");
            let forcing: std::collections::BTreeSet<usize> = if set.locale.starts_with("ja") {
                // In Japanese every kana forces UCS-2; highlight only the ones with a fix.
                a.ucs2_forcing
                    .iter()
                    .filter(|c| c.replacement.is_some())
                    .map(|c| c.char_index)
                    .collect()
            } else {
                a.ucs2_forcing.iter().map(|c| c.char_index).collect()
            };
            let mut index = 0usize;
            for (n, part) in a.parts.iter().enumerate() {
                if n > 0 {
                    let _ = write!(h, "<span class=\"cut\">part {}</span>", n + 1);
                }
                for c in part.text.chars() {
                    let esc = escape_html(&c.to_string());
                    if forcing.contains(&index) {
                        let _ = write!(h, "<mark title=\"forces UCS-2\">{esc}</mark>");
                    } else {
                        h.push_str(&esc);
                    }
                    index += 1;
                }
            }
            h.push_str("</div></div>");
        }
        Rendition::Push(p) => {
            facts(
                h,
                &[
                    format!("APNs {} B", p.apns_bytes),
                    format!("FCM {} B", p.fcm_bytes),
                    format!("limit {} B", p.payload_limit),
                ],
            );
            let pct = (p.apns_bytes.max(p.fcm_bytes) * 100 / p.payload_limit.max(1)).min(100);
            let _ = write!(
                h,
                "<div class=\"bar\"><span style=\"width:{pct}%\"></span></div>"
            );
            let date_line = &set.today;
            let _ = write!(
                h,
                "<div class=\"label\">iOS lock screen · banner</div><div class=\"lock\"><div class=\"clock\">9:41</div><div class=\"date\">{}</div>",
                escape_html(date_line)
            );
            for pv in p
                .previews
                .iter()
                .filter(|pv| pv.surface.id.starts_with("ios"))
            {
                let _ = write!(
                    h,
                    "<div class=\"note\"><div class=\"app\"><span>{}</span><span>{}</span></div><div class=\"t\">{}</div>{}<div>{}</div></div>",
                    escape_html(brand),
                    escape_html(pv.surface.label),
                    escape_html(&pv.title),
                    if p.text.subtitle.is_empty() {
                        String::new()
                    } else {
                        format!("<div>{}</div>", escape_html(&p.text.subtitle))
                    },
                    escape_html(&pv.body)
                );
            }
            h.push_str("</div>");
            for pv in p
                .previews
                .iter()
                .filter(|pv| pv.surface.id.starts_with("android"))
            {
                let _ = write!(
                    h,
                    "<div class=\"label\">{}</div><div class=\"android\"><div class=\"app\">{} · now</div><div class=\"t\">{}</div><div>{}</div></div>",
                    escape_html(pv.surface.label),
                    escape_html(brand),
                    escape_html(&pv.title),
                    escape_html(&pv.body)
                );
            }
        }
        Rendition::Print(p) => {
            facts(
                h,
                &[
                    format!("{} page(s)", p.metrics.pages),
                    format!(
                        "{:.0}×{:.0} mm",
                        p.metrics.page_width_mm, p.metrics.page_height_mm
                    ),
                    format!("{:.0} KB PDF", p.pdf.len() as f64 / 1024.0),
                    format!("{} fonts", p.metrics.fonts.len()),
                ],
            );
            if p.pages_png.is_empty() {
                h.push_str("<p class=\"empty\">No page images rendered.</p>");
            }
            for (i, png) in p.pages_png.iter().enumerate() {
                let _ = write!(
                    h,
                    "<img class=\"page\" alt=\"page {} of {}\" src=\"data:image/png;base64,{}\">",
                    i + 1,
                    p.pages_png.len(),
                    base64::engine::general_purpose::STANDARD.encode(png)
                );
            }
        }
    }
}

fn diagnostics_html(h: &mut String, diags: &[Diagnostic]) {
    if diags.is_empty() {
        return;
    }
    h.push_str("<ul class=\"diags\">");
    for d in diags {
        let class = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let mut place = d.file.clone().unwrap_or_default();
        if let Some(l) = d.line {
            let _ = write!(place, ":{l}");
            if let Some(c) = d.column {
                let _ = write!(place, ":{c}");
            }
        }
        let _ = write!(
            h,
            "<li class=\"{class}\"><span class=\"where\">{} {}</span><br>{}{}</li>",
            escape_html(&d.code),
            escape_html(&place),
            escape_html(&d.message.en),
            d.hint
                .as_ref()
                .map(|x| format!("<span class=\"hint\">{}</span>", escape_html(&x.en)))
                .unwrap_or_default()
        );
    }
    h.push_str("</ul>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_could_open_markup() {
        assert_eq!(
            escape_html("<a href=\"x\" onclick='y'>&</a>"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }
}
