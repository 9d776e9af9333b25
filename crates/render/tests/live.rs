//! The live preview's render: every pane reported once, print laid out for the page on screen
//! only, broken channels reported without a rendition, and a cancelled render stopping early.

mod support;

use std::sync::Mutex;

use ccm_core::model::Channel;
use ccm_render::draft::Draft;
use ccm_render::live::{page_png, render_live, LiveCache, LiveEvent, LiveOptions};
use ccm_render::{render, Engine, RenderOptions, Rendition};

fn draft(broken: Vec<Channel>) -> Draft {
    Draft {
        bundle: support::bundle(),
        persona: "typical".into(),
        locale: "ja".into(),
        outline: None,
        broken,
        problems: Vec::new(),
    }
}

fn opts() -> LiveOptions {
    LiveOptions {
        today: support::today(),
        print_page: 1,
        print_dpi: 40.0,
    }
}

/// What a render reported, in order: `pane:<channel>:<rendered>`, `page:<n>/<pages>`,
/// `findings`, `pdf`.
fn run(draft: &Draft, cancelled: &(dyn Fn() -> bool + Sync)) -> (Vec<String>, bool) {
    let engine = Engine::new();
    let seen = Mutex::new(Vec::new());
    let outcome = render_live(
        &engine,
        &LiveCache::new(),
        Err("no rule packs in this test".into()),
        draft,
        &opts(),
        cancelled,
        &|event| {
            let mut seen = seen.lock().unwrap();
            match event {
                LiveEvent::Pane { output, page, .. } => {
                    seen.push(format!(
                        "pane:{}:{}",
                        output.channel,
                        output.rendition.is_some()
                    ));
                    if let Some(p) = page {
                        assert!(p.png.starts_with(b"\x89PNG"), "the page is a PNG");
                        seen.push(format!("page:{}/{}", p.page, p.pages));
                    }
                }
                LiveEvent::Findings(f) => {
                    assert!(f.is_err(), "the rule packs' absence is reported");
                    seen.push("findings".into());
                }
                LiveEvent::PrintPdf { bytes } => {
                    assert!(bytes > 1000, "a real PDF");
                    seen.push("pdf".into());
                }
            }
        },
    );
    (seen.into_inner().unwrap(), outcome.complete)
}

#[test]
fn every_pane_is_reported_once_then_findings_then_the_pdf_size() {
    let (seen, complete) = run(&draft(Vec::new()), &|| false);
    assert!(complete);
    for ch in Channel::ALL {
        assert_eq!(
            seen.iter()
                .filter(|s| **s == format!("pane:{ch}:true"))
                .count(),
            1,
            "{ch} once, rendered: {seen:?}"
        );
    }
    // Email, SMS and push in their lane's order (print runs beside them).
    let order: Vec<&String> = seen
        .iter()
        .filter(|s| s.starts_with("pane:") && !s.starts_with("pane:print"))
        .collect();
    assert_eq!(
        order,
        ["pane:email:true", "pane:sms:true", "pane:push:true"]
    );
    assert!(
        seen.iter().any(|s| s.starts_with("page:1/")),
        "page 1 rasterised: {seen:?}"
    );
    assert_eq!(
        seen[seen.len() - 2..],
        ["findings".to_owned(), "pdf".to_owned()]
    );
}

#[test]
fn a_broken_channel_is_reported_without_rendition_and_the_others_render() {
    let (seen, complete) = run(&draft(vec![Channel::Sms]), &|| false);
    assert!(complete);
    assert!(seen.contains(&"pane:sms:false".to_owned()), "{seen:?}");
    for ch in [Channel::Email, Channel::Push, Channel::Print] {
        assert!(seen.contains(&format!("pane:{ch}:true")), "{ch}: {seen:?}");
    }
}

#[test]
fn a_cancelled_render_stops_before_its_next_step() {
    let (seen, complete) = run(&draft(Vec::new()), &|| true);
    assert!(!complete);
    assert!(
        seen.is_empty(),
        "nothing rendered after cancelling: {seen:?}"
    );
}

#[test]
fn the_live_letter_is_the_letter_that_is_sent_and_other_pages_come_on_demand() {
    let engine = Engine::new();
    let d = draft(Vec::new());
    let outcome = render_live(
        &engine,
        &LiveCache::new(),
        Err(String::new()),
        &d,
        &opts(),
        &|| false,
        &|_| {},
    );
    let letter = outcome.letter.expect("the live render keeps its letter");
    let mut files = RenderOptions::new(support::today());
    files.png_dpi = None;
    let sent = render(&engine, &d.bundle, "typical", "ja", Channel::Print, &files);
    let Some(Rendition::Print(sent)) = sent.rendition else {
        panic!("print renders: {:?}", sent.diagnostics);
    };
    assert_eq!(
        letter.0.pdf().unwrap(),
        sent.pdf,
        "same PDF as a full render"
    );
    let pages = letter.0.page_count();
    let last = page_png(&letter, pages, 40.0).unwrap();
    assert_eq!((last.page, last.pages), (pages, pages));
    let past = page_png(&letter, pages + 5, 40.0).unwrap();
    assert_eq!(past.page, pages, "a page past the end shows the last one");
}

#[test]
fn an_edit_re_renders_only_the_channels_whose_inputs_changed() {
    let engine = Engine::new();
    let cache = LiveCache::new();
    let letter_of = |d: &Draft| {
        render_live(
            &engine,
            &cache,
            Err(String::new()),
            d,
            &opts(),
            &|| false,
            &|_| {},
        )
        .letter
        .expect("print rendered")
    };
    let mut d = draft(Vec::new());
    let first = letter_of(&d);
    // Typing in the SMS: the letter is not laid out again.
    let sms = d
        .bundle
        .source
        .files
        .0
        .get_mut("sms.txt")
        .expect("the sample has sms.txt");
    sms.push_str(" added");
    assert_eq!(letter_of(&d), first, "print reused after an SMS edit");
    // Typing in the letter, or choosing another persona: laid out again.
    let print = d
        .bundle
        .source
        .files
        .0
        .get_mut("print.md")
        .expect("the sample has print.md");
    print.push_str("\n\nadded");
    let second = letter_of(&d);
    assert_ne!(second, first, "print re-rendered after its own edit");
    d.persona = "hostile-0".into();
    assert_ne!(
        letter_of(&d),
        second,
        "print re-rendered for another persona"
    );
}
