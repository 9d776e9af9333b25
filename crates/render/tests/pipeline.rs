//! The rendering contract end to end: four channels, failures isolated per channel, hostile
//! persona data rendered as text everywhere, byte-identical output across processes.

mod support;

use ccm_core::model::Channel;
use ccm_render::{render, render_all, Engine, RenderOptions, Rendition, Severity};
use std::path::Path;

fn opts() -> RenderOptions {
    let mut o = RenderOptions::new(support::today());
    o.png_dpi = Some(72.0);
    o
}

fn errors(out: &ccm_render::ChannelOutput) -> Vec<String> {
    out.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect()
}

#[test]
fn all_four_channels_render_with_their_artifacts() {
    let engine = Engine::new();
    let set = render_all(&engine, &support::bundle(), "typical", "ja", &opts());
    for o in &set.outputs {
        assert!(errors(o).is_empty(), "{}: {:?}", o.channel, errors(o));
        assert!(o.rendition.is_some(), "{} rendered", o.channel);
    }
    let names: Vec<String> = set.artifacts().into_iter().map(|a| a.name).collect();
    for want in [
        "email.html",
        "email.txt",
        "email.eml",
        "sms.txt",
        "sms.json",
        "push.apns.json",
        "push.fcm.json",
        "print.pdf",
        "print.json",
        "print-1.png",
        "report.json",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
    let Some(Rendition::Sms(sms)) = &set.outputs[1].rendition else {
        panic!("sms rendition")
    };
    assert_eq!(
        sms.text,
        "【さくら銀行】山田 太郎様 2026年12月10日に¥12,800を引き落とします。特になし"
    );
    let Some(Rendition::Email(email)) = &set.outputs[0].rendition else {
        panic!("email rendition")
    };
    assert_eq!(
        email.subject,
        "【さくら銀行】山田 太郎様 お引き落とし日のお知らせ"
    );
    assert!(
        email.text.contains("ご指定の口座（****567）"),
        "{}",
        email.text
    );
    assert!(
        email.text.contains("株式会社さくら銀行"),
        "block included: {}",
        email.text
    );
    let report: serde_json::Value =
        serde_json::from_slice(&set.artifacts().last().unwrap().bytes).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["channels"]["sms"]["metrics"]["encoding"], "UCS-2");
    assert_eq!(
        report["channels"]["print"]["artifacts"]["print.pdf"]["sha256"]
            .as_str()
            .unwrap()
            .len(),
        64
    );
}

#[test]
fn hostile_persona_values_render_as_literal_text_in_every_channel() {
    let engine = Engine::new();
    let bundle = support::bundle();
    for (i, hostile) in support::HOSTILE.iter().enumerate() {
        let persona = format!("hostile-{i}");
        let set = render_all(&engine, &bundle, &persona, "ja", &opts());
        for o in &set.outputs {
            assert!(
                errors(o).is_empty(),
                "{persona} {}: {:?}",
                o.channel,
                errors(o)
            );
        }
        for o in &set.outputs {
            match o.rendition.as_ref().unwrap() {
                Rendition::Email(e) => {
                    assert!(
                        e.text.contains(hostile),
                        "{persona}: text part has {hostile:?} literally:\n{}",
                        e.text
                    );
                    assert!(
                        no_live_tag(&e.html, "<script"),
                        "{persona}: no live script: …{}…",
                        around(&e.html, "<script")
                    );
                    for tag in ["<img src=x", "<mj-raw"] {
                        assert!(
                            no_live_tag(&e.html, tag),
                            "{persona}: {tag} stays text: …{}…",
                            around(&e.html, tag)
                        );
                    }
                    assert!(
                        !e.html.to_ascii_lowercase().contains("href=\"javascript"),
                        "{persona}: no js link"
                    );
                    assert!(
                        !e.html.contains("<strong>bold</strong>"),
                        "{persona}: no bold from data"
                    );
                    assert!(
                        e.subject.contains(hostile),
                        "{persona}: subject is plain text"
                    );
                }
                Rendition::Sms(s) => assert!(s.text.contains(hostile), "{persona}: sms {}", s.text),
                Rendition::Push(p) => {
                    let v: serde_json::Value = serde_json::from_str(&p.apns_json).unwrap();
                    let body = v["aps"]["alert"]["body"].as_str().unwrap();
                    assert!(v.get("x").is_none(), "{persona}: no key injected");
                    assert!(body.contains(hostile), "{persona}: push body {body}");
                }
                Rendition::Print(p) => {
                    let text = pdf_text(&p.pdf);
                    if let Some(text) = text {
                        let flat: String = text.split_whitespace().collect();
                        let want: String = hostile.split_whitespace().collect();
                        assert!(
                            flat.contains(&want),
                            "{persona}: PDF shows {hostile:?} literally:\n{text}"
                        );
                    }
                    assert!(
                        !p.typst_body.contains("#read("),
                        "{persona}: no live Typst code"
                    );
                }
            }
        }
    }
}

/// True when every `tag` in `html` is text: inside a quoted attribute value or a `<title>`
/// (RCDATA), where a browser never starts an element.
fn no_live_tag(html: &str, tag: &str) -> bool {
    html.match_indices(tag).all(|(i, _)| {
        let before = &html[..i];
        let in_title = before.rfind("<title>") > before.rfind("</title>");
        in_title || in_quoted_attribute(before)
    })
}

/// True when the end of `before` is inside a quoted attribute value: a small HTML tokenizer
/// (text, tag, quoted value), enough for the renderer's own markup.
fn in_quoted_attribute(before: &str) -> bool {
    #[derive(PartialEq)]
    enum State {
        Text,
        Tag,
        Quoted(char),
    }
    let mut state = State::Text;
    for c in before.chars() {
        state = match state {
            State::Text if c == '<' => State::Tag,
            State::Tag if c == '"' || c == '\'' => State::Quoted(c),
            State::Tag if c == '>' => State::Text,
            State::Quoted(q) if c == q => State::Tag,
            other => other,
        };
    }
    matches!(state, State::Quoted(_))
}

fn around(hay: &str, needle: &str) -> String {
    let i = hay.find(needle).unwrap_or(0);
    let start = hay.floor_char_boundary(i.saturating_sub(120));
    let end = hay.ceil_char_boundary((i + 120).min(hay.len()));
    hay[start..end].to_string()
}

/// Text of a PDF via poppler's pdftotext, when installed.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, pdf).ok()?;
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_broken_channel_does_not_stop_the_others() {
    let engine = Engine::new();
    let bundle = support::bundle_with(&[
        ("sms.txt", "line one\n{{ customer.name }\n"),
        (
            "email.md",
            &support::EMAIL.replace("{{ note }}", "{{ notes }}"),
        ),
    ]);
    let set = render_all(&engine, &bundle, "typical", "ja", &opts());
    let sms = set.output(Channel::Sms).unwrap();
    assert!(sms.rendition.is_none());
    let d = &sms.diagnostics[0];
    assert_eq!(
        (d.code.as_str(), d.file.as_deref(), d.line),
        ("tera.syntax", Some("sms.txt"), Some(2))
    );
    let email = set.output(Channel::Email).unwrap();
    let d = &email.diagnostics[0];
    assert_eq!(d.code, "tera.missing-variable");
    assert!(d.message.en.contains("`notes`"));
    assert_eq!(
        (d.file.as_deref(), d.line),
        (Some("email.md"), Some(11)),
        "{d}"
    );
    assert!(
        set.output(Channel::Push).unwrap().rendition.is_some(),
        "push still renders"
    );
    assert!(
        set.output(Channel::Print).unwrap().rendition.is_some(),
        "print still renders"
    );
    assert!(set.has_errors());
}

#[test]
fn unknown_block_persona_and_locale_are_diagnostics() {
    let engine = Engine::new();
    let bundle = support::bundle_with(&[("sms.txt", "{% include \"blocks/nope\" %}")]);
    let out = render(&engine, &bundle, "typical", "ja", Channel::Sms, &opts());
    assert_eq!(out.diagnostics[0].code, "tera.unknown-block");
    assert!(out.diagnostics[0]
        .hint
        .as_ref()
        .map(|h| h.en.as_str())
        .unwrap()
        .contains("legal-footer"));
    let out = render(&engine, &bundle, "nobody", "ja", Channel::Push, &opts());
    assert_eq!(out.diagnostics[0].code, "render.unknown-persona");
    assert_eq!(out.diagnostics[0].channel, Some(Channel::Push));
    let set = render_all(&engine, &bundle, "typical", "fr", &opts());
    assert!(set
        .outputs
        .iter()
        .all(|o| o.diagnostics[0].code == "render.unknown-locale"));
}

#[test]
fn bad_front_matter_is_a_format_diagnostic() {
    let engine = Engine::new();
    let bundle = support::bundle_with(&[("email.md", "+++\nsubjet = \"x\"\n+++\nbody")]);
    let out = render(&engine, &bundle, "typical", "ja", Channel::Email, &opts());
    let d = &out.diagnostics[0];
    assert_eq!(
        (d.code.as_str(), d.line),
        ("format.invalid", Some(2)),
        "{d}"
    );
}

#[test]
fn warm_engine_gives_the_same_bytes() {
    let engine = Engine::new();
    let bundle = support::bundle();
    let a = render_all(&engine, &bundle, "typical", "ja", &opts()).artifacts();
    let b = render_all(&engine, &bundle, "typical", "ja", &opts()).artifacts();
    assert_eq!(a, b);
}

/// Not a test on its own: the child process `determinism_across_separate_processes` starts
/// (with `--ignored`), rendering into the folder it names in `CCM_DETERMINISM_OUT`.
#[test]
#[ignore = "child process of determinism_across_separate_processes, which runs it"]
fn determinism_child() {
    let out = std::env::var_os("CCM_DETERMINISM_OUT")
        .expect("CCM_DETERMINISM_OUT names the output folder (set by the parent test)");
    let engine = Engine::new();
    let bundle = support::bundle();
    for persona in ["typical", "hostile-0"] {
        let set = render_all(&engine, &bundle, persona, "ja", &opts());
        let dir = Path::new(&out).join(persona);
        std::fs::create_dir_all(&dir).unwrap();
        for a in set.artifacts() {
            std::fs::write(dir.join(&a.name), &a.bytes).unwrap();
        }
    }
}

#[test]
fn determinism_across_separate_processes() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    for run in ["a", "b"] {
        let status = std::process::Command::new(&exe)
            .args([
                "--exact",
                "determinism_child",
                "--ignored",
                "--test-threads",
                "1",
            ])
            .env("CCM_DETERMINISM_OUT", tmp.path().join(run))
            .status()
            .unwrap();
        assert!(status.success(), "child render {run} succeeded");
    }
    let mut compared = 0;
    for persona in ["typical", "hostile-0"] {
        let a_dir = tmp.path().join("a").join(persona);
        let mut names: Vec<_> = std::fs::read_dir(&a_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert!(names.len() >= 10, "{persona}: {names:?}");
        for name in names {
            let a = std::fs::read(a_dir.join(&name)).unwrap();
            let b = std::fs::read(tmp.path().join("b").join(persona).join(&name))
                .unwrap_or_else(|_| panic!("{persona}/{name:?} exists in run b"));
            assert!(a == b, "{persona}/{name:?} differs between processes");
            compared += 1;
        }
    }
    assert!(compared >= 20);
}

/// The app's live preview checks a draft in two steps (email/SMS/push, then print). Together
/// they must find exactly what `ccm check` finds for all four channels at once — on every
/// sample template, the deliberately non-compliant one included.
#[test]
fn a_drafts_two_step_findings_equal_the_whole_template_check() {
    use ccm_core::library::{import, LibraryDirs};
    use ccm_core::store::Store;
    use ccm_render::checks::check_template;
    use ccm_render::draft::{self, DraftRequest, Prepared};

    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut store = Store::in_memory().expect("in-memory library");
    let dirs = LibraryDirs::resolve(&repo.join("templates"), Some(&repo.join("assets")));
    import(&mut store, &dirs, "test").expect("samples import");
    let rules = ccm_rules::RuleSet::load_dir(&repo.join("assets/rules")).expect("packs load");
    let engine = Engine::new();
    let mut options = opts();
    options.png_dpi = None;
    let key = |f: &ccm_rules::Diagnostic| {
        format!(
            "{}|{:?}|{:?}|{:?}|{:?}|{:?}",
            f.code, f.channel, f.rendition, f.file, f.line, f.column
        )
    };
    let mut compared = 0;
    for (id, files) in store.latest_files().expect("templates") {
        let bundle = store.bundle(&id, None).expect("bundle");
        let persona = draft::default_persona(&bundle.source.personas).expect("a persona");
        let locale = bundle.source.manifest.default_locale.clone();
        let whole = check_template(
            &engine,
            &rules,
            &bundle,
            &options,
            Some(&persona),
            Some(&locale),
        )
        .expect("check");
        let mut want: Vec<String> = whole[0].findings.iter().map(key).collect();

        let request = DraftRequest {
            template_id: id.clone(),
            files,
            persona: None,
            locale: None,
        };
        let Prepared::Ready(d) = draft::prepare(&store, request).expect("prepare") else {
            panic!("{id}: a saved template is renderable as a draft");
        };
        assert_eq!(
            (d.persona.as_str(), d.locale.as_str()),
            (persona.as_str(), locale.as_str())
        );
        let first = d.render(
            &engine,
            &[Channel::Email, Channel::Sms, Channel::Push],
            &options,
        );
        let second = d.render(&engine, &[Channel::Print], &options);
        let mut got: Vec<String> = [first, second]
            .iter()
            .flat_map(|set| d.check(&rules, set).expect("check draft"))
            .map(|f| key(&f))
            .collect();
        want.sort();
        got.sort();
        assert_eq!(
            got, want,
            "{id}: two-step findings differ from the whole check"
        );
        compared += 1;
    }
    assert!(compared >= 10, "compared {compared} sample templates");
}

/// A channel file broken mid-edit: the other channels still render, the broken one is named.
#[test]
fn a_draft_with_a_broken_push_file_keeps_rendering_the_other_channels() {
    use ccm_core::library::{import, LibraryDirs};
    use ccm_core::store::Store;
    use ccm_render::draft::{self, DraftRequest, Prepared};

    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut store = Store::in_memory().expect("in-memory library");
    let dirs = LibraryDirs::resolve(&repo.join("templates"), Some(&repo.join("assets")));
    import(&mut store, &dirs, "test").expect("samples import");
    let id = "jp-bank-payment-reminder";
    let mut files = store.get(id, None).expect("sample").files;
    files
        .0
        .insert("push.toml".into(), "title = \"unterminated".into());
    let request = DraftRequest {
        template_id: id.into(),
        files,
        persona: Some("no-such-persona".into()),
        locale: Some("xx".into()),
    };
    let Prepared::Ready(d) = draft::prepare(&store, request).expect("prepare") else {
        panic!("only a channel file is broken: the draft renders");
    };
    assert_eq!(d.broken, [Channel::Push]);
    assert_eq!(d.problems[0].file.as_deref(), Some("push.toml"));
    assert!(d.problems[0].line.is_some(), "the problem has a line");
    assert_eq!(
        d.locale, "ja",
        "an unknown locale falls back to the default"
    );
    assert!(!d.persona.is_empty() && d.persona != "no-such-persona");
    let set = d.render(&Engine::new(), &Channel::ALL, &opts());
    let rendered: Vec<Channel> = set.outputs.iter().map(|o| o.channel).collect();
    assert_eq!(rendered, [Channel::Email, Channel::Sms, Channel::Print]);
    assert!(set.outputs.iter().all(|o| o.rendition.is_some()));
}

#[test]
fn a_brand_print_font_that_is_not_bundled_is_named_with_what_letters_use() {
    let engine = Engine::new();
    let mut bundle = support::bundle();
    bundle.brand.kit.fonts.print = vec!["Hiragino Mincho ProN".into()];
    let out = render(&engine, &bundle, "typical", "ja", Channel::Print, &opts());
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "print.brand-font")
        .unwrap_or_else(|| panic!("{:#?}", out.diagnostics));
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.en.contains("Hiragino Mincho ProN") && d.message.en.contains("Noto Sans JP"));
    assert!(out.rendition.is_some(), "the letter still prints");

    bundle.brand.kit.fonts.print = vec!["Noto Sans JP".into()];
    let out = render(&engine, &bundle, "typical", "ja", Channel::Print, &opts());
    assert!(!out.diagnostics.iter().any(|d| d.code == "print.brand-font"));
}

/// A library that is not SQLite: the draft reads brand kits, blocks and saved files through
/// `LibrarySource`, so a set of files in memory previews like the store does.
struct MemoryLibrary {
    brand: Option<ccm_core::model::Brand>,
    blocks: Vec<ccm_core::model::Block>,
    saved: Option<ccm_core::model::TemplateFiles>,
}

impl ccm_core::library::LibrarySource for MemoryLibrary {
    fn brand(&self, id: &str) -> ccm_core::Result<ccm_core::model::Brand> {
        self.brand
            .clone()
            .filter(|b| b.kit.id == id)
            .ok_or_else(|| ccm_core::Error::NotFound {
                what: "brand",
                id: id.to_owned(),
            })
    }
    fn blocks(&self) -> ccm_core::Result<Vec<ccm_core::model::Block>> {
        Ok(self.blocks.clone())
    }
    fn saved_files(&self, _id: &str) -> Option<ccm_core::model::TemplateFiles> {
        self.saved.clone()
    }
}

#[test]
fn a_draft_previews_from_a_library_held_in_memory() {
    use ccm_core::format::{read_blocks_dir, read_brand_dir, read_template_dir};
    use ccm_render::draft::{self, DraftRequest, Prepared};

    // Straight from the sample folders: no SQLite anywhere.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let saved = read_template_dir(&repo.join("templates/jp-bank-payment-reminder")).unwrap();
    let (blocks, problems) = read_blocks_dir(&repo.join("templates/_blocks"));
    assert!(problems.is_empty(), "{problems:?}");
    let brand = read_brand_dir(&repo.join("assets/brands/sakura-bank")).unwrap();
    let library = MemoryLibrary {
        brand: Some(brand),
        blocks,
        saved: Some(saved.clone()),
    };
    let mut files = saved;
    files
        .0
        .insert("push.toml".into(), "title = \"unterminated".into());
    let request = |files| DraftRequest {
        template_id: "jp-bank-payment-reminder".into(),
        files,
        persona: None,
        locale: None,
    };
    let prepared = draft::prepare(&library, request(files.clone())).expect("prepare");
    let Prepared::Ready(d) = prepared else {
        panic!("only push.toml is broken: the draft renders: {prepared:?}");
    };
    assert_eq!(d.broken, [Channel::Push], "the saved push.toml stands in");
    let set = d.render(&Engine::new(), &Channel::ALL, &opts());
    let rendered: Vec<Channel> = set
        .outputs
        .iter()
        .filter(|o| o.rendition.is_some())
        .map(|o| o.channel)
        .collect();
    assert_eq!(rendered, [Channel::Email, Channel::Sms, Channel::Print]);

    let no_brand = MemoryLibrary {
        brand: None,
        ..library
    };
    let prepared = draft::prepare(&no_brand, request(files)).expect("prepare");
    assert!(
        matches!(prepared, Prepared::Unrenderable { ref problems, .. } if problems.len() == 1),
        "a brand the library lacks stops the draft with one problem: {prepared:?}"
    );
}

/// The Markdown body every construct of the template dialect is written in once, and what
/// each renderer makes of it: (construct, the dialect option it needs — empty for CommonMark
/// itself —, Markdown, in the email HTML, in the email text part, in the letter's Typst).
const DIALECT_CONSTRUCTS: [(&str, pulldown_cmark::Options, &str, &str, &str, &str); 14] = {
    use pulldown_cmark::Options as O;
    [
        (
            "heading",
            O::empty(),
            "## 見出し",
            "見出し</h2>",
            "見出し",
            "#heading(level: 2)[見出し]",
        ),
        (
            "strong",
            O::empty(),
            "**太字**",
            "<strong>太字</strong>",
            "太字",
            "#strong[太字]",
        ),
        (
            "emphasis",
            O::empty(),
            "*斜体*",
            "<em>斜体</em>",
            "斜体",
            "#emph[斜体]",
        ),
        (
            "bullet list",
            O::empty(),
            "- りんご\n- みかん",
            "りんご</li>",
            "- りんご",
            "#list(\n[りんご],\n[みかん],\n)",
        ),
        (
            "ordered list",
            O::empty(),
            "3. 三番\n4. 四番",
            "三番</li>",
            "3. 三番",
            "#enum(start: 3,\n[三番],",
        ),
        (
            "block quote",
            O::empty(),
            "> 引用文",
            "引用文</p></blockquote>",
            "引用文",
            "#quote(block: true)[引用文",
        ),
        (
            "inline code",
            O::empty(),
            "番号 `CODE-1`",
            "CODE-1</code>",
            "CODE-1",
            "#raw(\"CODE-1\")",
        ),
        (
            "code block",
            O::empty(),
            "```\nBLOCK-2\n```",
            "BLOCK-2",
            "BLOCK-2",
            "#raw(block: true, \"BLOCK-2\")",
        ),
        (
            "link",
            O::empty(),
            "[窓口](https://bank.example.jp/help)",
            "href=\"https://bank.example.jp/help\"",
            "窓口（https://bank.example.jp/help）",
            "窓口 \\(https\\:\\/\\/bank\\.example\\.jp\\/help\\)",
        ),
        (
            "hard break",
            O::empty(),
            "一行目\\\n二行目",
            "一行目<br",
            "一行目\n二行目",
            "一行目#linebreak()\n二行目",
        ),
        (
            "thematic break",
            O::empty(),
            "前文\n\n***\n\n後文",
            "<hr",
            "前文",
            "#line(length: 100%",
        ),
        (
            "table",
            O::ENABLE_TABLES,
            "| 項目 | 金額 |\n|:--|--:|\n| 請求 | 100 |",
            "請求</td>",
            "請求",
            "#table(columns: 2, align: (left, right,),",
        ),
        (
            "strikethrough",
            O::ENABLE_STRIKETHROUGH,
            "~~旧価格~~",
            "<del>旧価格</del>",
            "旧価格",
            "#strike[旧価格]",
        ),
        (
            "task list",
            O::ENABLE_TASKLISTS,
            "- [ ] 未完了\n- [x] 完了",
            "☐ 未完了",
            "[ ] 未完了",
            "[☐ 未完了],\n[☑ 完了],",
        ),
    ]
};

/// One Markdown dialect for email and print: the same body, fed to both, shows every construct
/// the dialect enables in both — and every option the dialect enables has a construct above.
#[test]
fn email_and_print_render_every_construct_of_the_one_markdown_dialect() {
    let covered = DIALECT_CONSTRUCTS
        .iter()
        .fold(pulldown_cmark::Options::empty(), |all, c| all | c.1);
    assert_eq!(
        covered,
        ccm_render::markdown::DIALECT,
        "every option of the dialect needs a construct in DIALECT_CONSTRUCTS"
    );
    let body: String = DIALECT_CONSTRUCTS
        .iter()
        .map(|c| format!("{}\n\n", c.2))
        .collect();
    let email = format!("+++\nsubject = \"記法\"\n+++\n{body}");
    let print = format!(
        "+++\npage = \"a4\"\nenvelope = \"none\"\nrecipient = \"山田 太郎 様\"\n+++\n{body}"
    );
    let bundle = support::bundle_with(&[("email.md", &email), ("print.md", &print)]);
    let mut o = opts();
    o.png_dpi = None;
    let engine = Engine::new();
    let set = render_all(&engine, &bundle, "typical", "ja", &o);
    let rendition = |ch: Channel| {
        let out = set.output(ch).unwrap();
        assert!(errors(out).is_empty(), "{ch}: {:?}", errors(out));
        assert!(
            !out.diagnostics
                .iter()
                .any(|d| d.code == "print.missing-glyph"),
            "{ch}: {:?}",
            out.diagnostics
        );
        out.rendition.as_ref().unwrap()
    };
    let Rendition::Email(e) = rendition(Channel::Email) else {
        panic!("email rendition")
    };
    let Rendition::Print(p) = rendition(Channel::Print) else {
        panic!("print rendition")
    };
    for (name, _, _, html, text, typst) in DIALECT_CONSTRUCTS {
        assert!(
            e.html.contains(html),
            "email HTML lacks the {name} ({html:?})"
        );
        assert!(
            e.text.contains(text),
            "email text lacks the {name} ({text:?})\n{}",
            e.text
        );
        assert!(
            p.typst_body.contains(typst),
            "letter lacks the {name} ({typst:?}):\n{}",
            p.typst_body
        );
    }
}

/// The rules read the letterhead the PDF was made from: the brand phone `0120123456` as the
/// letter prints it, formatted, never the kit's raw digits.
#[test]
fn rules_see_the_letterhead_phone_exactly_as_printed() {
    const PACK: &str = r#"
[pack]
id = "printed-phone"
name_en = "Printed phone"
name_ja = "印刷される電話番号"
description = "Finds the brand phone as a letter prints it."
always_on = true
applies_to = { channels = ["print"] }

[[rules]]
id = "printed-phone/seen"
kind = "forbidden"
severity = "warning"
phrases = [{ pattern = '0120[-0-9]*' }]
message_en = "Phone {match}."
message_ja = "電話番号 {match}。"

[[rules.examples]]
fail = "0120-123-456"
[[rules.examples]]
pass = "電話"
"#;
    let bundle = support::bundle();
    assert_eq!(bundle.brand.kit.contact.phone, "0120123456");
    let mut o = opts();
    o.png_dpi = None;
    let engine = Engine::new();
    let set = render_all(&engine, &bundle, "typical", "ja", &o);
    let Some(Rendition::Print(p)) = set
        .output(Channel::Print)
        .and_then(|o| o.rendition.as_ref())
    else {
        panic!("print rendition")
    };
    let printed: Vec<&str> = p.letterhead.lines().collect();
    assert_eq!(
        printed,
        [
            "さくら銀行",
            "株式会社さくら銀行",
            "〒100-0005",
            "東京都千代田区丸の内1-1-1",
            "0120-123-456",
            "info@sakura-bank.example.jp",
            "https://sakura-bank.example.jp",
        ]
    );
    let rules = ccm_rules::RuleSet::from_str("printed-phone.toml", PACK).unwrap();
    let findings =
        ccm_render::checks::check_rendered(&rules, &bundle, "typical", "ja", &set).unwrap();
    let seen: Vec<&str> = findings
        .iter()
        .filter_map(|f| f.rendition.as_ref().map(|r| r.excerpt.as_str()))
        .collect();
    assert!(
        findings.iter().all(|f| f.channel == Some(Channel::Print)),
        "{findings:#?}"
    );
    assert!(
        seen.iter().any(|s| s.contains("0120-123-456")),
        "the rule sees the printed phone: {seen:?}"
    );
    assert!(
        !seen.iter().any(|s| s.contains("0120123456")),
        "the rule never sees the raw kit value: {seen:?}"
    );
}
