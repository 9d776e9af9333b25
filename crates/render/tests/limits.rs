//! Hostile templates and data against the limits of `ccm_core::limits` (docs/SECURITY.md):
//! each input is built here, the channel it targets answers with a `render.limit` error naming
//! the file, the line and what to do, and the other channels still render.

mod support;

use ccm_core::limits;
use ccm_core::model::{Block, Channel, ContentHash, TemplateBundle};
use ccm_render::{render_all, ChannelOutput, Engine, RenderOptions, RenderSet, Severity};

fn opts() -> RenderOptions {
    let mut o = RenderOptions::new(support::today());
    o.png_dpi = None;
    o
}

fn render(bundle: &TemplateBundle) -> RenderSet {
    render_all(&Engine::new(), bundle, "typical", "ja", &opts())
}

fn output(set: &RenderSet, channel: Channel) -> &ChannelOutput {
    set.outputs.iter().find(|o| o.channel == channel).unwrap()
}

/// The channel failed with a `render.limit` error in `file` whose message contains `says`;
/// returns the error's line.
fn limited(set: &RenderSet, channel: Channel, file: &str, says: &str) -> Option<u32> {
    let o = output(set, channel);
    assert!(o.rendition.is_none(), "{channel} stopped");
    let d = o
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error && d.code == "render.limit")
        .unwrap_or_else(|| panic!("{channel}: a render.limit error in {:?}", o.diagnostics));
    assert_eq!(d.file.as_deref(), Some(file), "{d}");
    assert!(
        d.message.en.contains(says),
        "{channel}: {:?} says {says:?}",
        d.message.en
    );
    assert!(
        d.hint.as_ref().is_some_and(|h| !h.en.is_empty()),
        "a hint: {d}"
    );
    d.line
}

fn rendered(set: &RenderSet, channels: &[Channel]) {
    for c in channels {
        let o = output(set, *c);
        assert!(
            o.rendition.is_some(),
            "{c} still renders: {:?}",
            o.diagnostics
        );
    }
}

/// A letter with `body` (its first line is line 6 of print.md).
fn print_md(body: &str) -> String {
    format!("+++\npage = \"a4\"\nenvelope = \"none\"\nrecipient = \"r\"\n+++\n{body}")
}

fn block(name: &str, content: &str) -> Block {
    Block {
        name: name.into(),
        locale: None,
        content: content.into(),
        hash: ContentHash::of_bytes(content.as_bytes()),
    }
}

#[test]
fn a_loop_over_a_huge_range_stops_at_the_range_limit() {
    let sms = "a\n{% for i in range(end=1000000000) %}x{% endfor %}\n";
    let set = render(&support::bundle_with(&[("sms.txt", sms)]));
    let line = limited(&set, Channel::Sms, "sms.txt", "range()");
    assert_eq!(line, Some(2));
    rendered(&set, &[Channel::Email, Channel::Push, Channel::Print]);
}

#[test]
fn nested_loops_stop_at_the_iteration_limit() {
    let n = limits::TERA_RANGE_ITEMS;
    let sms = format!("{{% for a in range(end={n}) %}}{{% for b in range(end={n}) %}}{{% endfor %}}{{% endfor %}}");
    let set = render(&support::bundle_with(&[("sms.txt", &sms)]));
    limited(&set, Channel::Sms, "sms.txt", "loops ran more than");
    rendered(&set, &[Channel::Email, Channel::Push, Channel::Print]);
}

#[test]
fn a_block_including_itself_directly_or_through_another_is_refused() {
    let mut bundle = support::bundle();
    bundle.blocks[0].content = "{% include \"blocks/legal-footer\" %}".into();
    let set = render(&bundle);
    let line = limited(&set, Channel::Email, "_blocks/legal-footer.ja.md", "cycle");
    assert_eq!(line, Some(1));
    limited(&set, Channel::Print, "_blocks/legal-footer.ja.md", "cycle");
    rendered(&set, &[Channel::Sms, Channel::Push]);

    let mut bundle = support::bundle();
    bundle.blocks[0].content = "footer\n{% include \"blocks/other\" %}".into();
    bundle
        .blocks
        .push(block("other", "x {% include \"blocks/legal-footer\" %}"));
    let set = render(&bundle);
    let o = output(&set, Channel::Email);
    assert!(
        o.diagnostics[0]
            .message
            .en
            .contains("blocks/legal-footer → blocks/other → blocks/legal-footer")
            || o.diagnostics[0]
                .message
                .en
                .contains("blocks/other → blocks/legal-footer → blocks/other"),
        "{:?}",
        o.diagnostics
    );
    rendered(&set, &[Channel::Sms, Channel::Push]);
}

#[test]
fn a_macro_calling_itself_stops_at_the_call_depth() {
    let sms =
        "{% macro down(n) %}{{ self::down(n=n + 1) }}{% endmacro down %}{{ self::down(n=1) }}";
    let set = render(&support::bundle_with(&[("sms.txt", sms)]));
    limited(&set, Channel::Sms, "sms.txt", "nest more than");
    rendered(&set, &[Channel::Email, Channel::Push, Channel::Print]);
}

#[test]
fn tags_nested_twenty_thousand_deep_are_refused_before_parsing() {
    let deep = "{%if a%}".repeat(20_000) + &"{%endif%}".repeat(20_000);
    let sms = format!("ok\n{deep}");
    let set = render(&support::bundle_with(&[("sms.txt", &sms)]));
    assert_eq!(
        limited(&set, Channel::Sms, "sms.txt", "nest more than"),
        Some(2)
    );
    rendered(&set, &[Channel::Email, Channel::Push, Channel::Print]);
}

#[test]
fn a_ten_megabyte_template_file_is_refused() {
    let big = "x".repeat(10 * 1024 * 1024);
    let set = render(&support::bundle_with(&[("sms.txt", &big)]));
    limited(&set, Channel::Sms, "sms.txt", "bytes");
    rendered(&set, &[Channel::Email, Channel::Push, Channel::Print]);
}

#[test]
fn a_ten_megabyte_persona_value_stops_every_channel_with_the_value_named() {
    let mut bundle = support::bundle();
    bundle.source.personas[0].data.insert(
        "note".into(),
        serde_json::Value::String("x".repeat(10 * 1024 * 1024)),
    );
    let set = render(&bundle);
    for c in Channel::ALL {
        limited(&set, c, "data/typical.json", "`note`");
    }
}

#[test]
fn text_bombs_built_inside_a_template_stop_at_the_size_limit() {
    // Doubling a string in a loop: 2^40 bytes if nothing stopped it.
    let sms = "{% set s = \"xx\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s }}";
    let set = render(&support::bundle_with(&[("sms.txt", sms)]));
    limited(&set, Channel::Sms, "sms.txt", "bytes");
    // One filter call multiplying a persona value by itself.
    let sms = "{{ note | replace(from=\"x\", to=note) }}";
    let mut bundle = support::bundle_with(&[("sms.txt", sms)]);
    bundle.source.personas[0]
        .data
        .insert("note".into(), serde_json::Value::String("x".repeat(60_000)));
    let set = render(&bundle);
    limited(&set, Channel::Sms, "sms.txt", "`replace`");
    rendered(&set, &[Channel::Push]);
}

#[test]
fn markdown_nested_a_hundred_thousand_levels_is_refused_in_email_and_print() {
    let quotes = ">".repeat(100_000);
    let email = format!("+++\nsubject = \"s\"\n+++\n{quotes} deep\n");
    let print = print_md(&format!("{quotes} deep\n"));
    let set = render(&support::bundle_with(&[
        ("email.md", &email),
        ("print.md", &print),
    ]));
    limited(&set, Channel::Email, "email.md", "nests more than");
    limited(&set, Channel::Print, "print.md", "nests more than");
    rendered(&set, &[Channel::Sms, Channel::Push]);
}

#[test]
fn too_many_images_in_one_body_are_refused() {
    let images = "![logo](brands/sakura-bank/logo.png)\n\n".repeat(limits::IMAGES_PER_TEMPLATE + 1);
    let email = format!("+++\nsubject = \"s\"\n+++\n{images}");
    let set = render(&support::bundle_with(&[("email.md", &email)]));
    limited(&set, Channel::Email, "email.md", "images");
    rendered(&set, &[Channel::Sms, Channel::Push, Channel::Print]);
}

#[test]
fn a_one_megabyte_line_without_spaces_is_refused_in_print() {
    let line = "x".repeat(1024 * 1024);
    let print = print_md(&format!("{line}\n"));
    let set = render(&support::bundle_with(&[("print.md", &print)]));
    limited(&set, Channel::Print, "print.md", "bytes");
    rendered(&set, &[Channel::Email, Channel::Sms, Channel::Push]);
    // Under the body limit but over the line limit.
    let line = "x".repeat(limits::PRINT_LINE_CHARS + 1);
    let print = print_md(&format!("first\n{line}\n"));
    let set = render(&support::bundle_with(&[("print.md", &print)]));
    let line_no = limited(&set, Channel::Print, "print.md", "characters");
    assert_eq!(line_no, Some(6), "the body's first line");
}

#[test]
fn a_letter_over_the_page_limit_is_refused_with_its_page_count() {
    let print = print_md("{% for i in range(end=3000) %}段落 {{ i }}\n\n{% endfor %}");
    let set = render(&support::bundle_with(&[("print.md", &print)]));
    limited(&set, Channel::Print, "print.md", "pages");
    rendered(&set, &[Channel::Email, Channel::Sms, Channel::Push]);
}

#[test]
fn includes_reach_shared_blocks_only_never_a_path() {
    for target in [
        "../../../../etc/passwd",
        "/etc/passwd",
        "blocks/../../etc/passwd",
    ] {
        let sms = format!("{{% include \"{target}\" %}}");
        let set = render(&support::bundle_with(&[("sms.txt", &sms)]));
        let o = output(&set, Channel::Sms);
        assert!(o.rendition.is_none(), "{target}");
        assert!(
            o.diagnostics.iter().any(|d| d.code == "tera.unknown-block"),
            "{target}: {:?}",
            o.diagnostics
        );
        rendered(&set, &[Channel::Email, Channel::Push, Channel::Print]);
    }
}
