//! End-to-end checks of printed letters: real PDFs and PNGs from the sample jobs.
//! poppler's `pdfinfo`/`pdffonts`/`pdftotext` add checks when they are installed.

use std::io::Write;
use std::process::Command;
use std::sync::OnceLock;

use ccm_print::{samples, EnvelopeProfile, Letter, PageSize, PrintJob, Printer, Severity};

fn printer() -> &'static Printer {
    static PRINTER: OnceLock<Printer> = OnceLock::new();
    PRINTER.get_or_init(|| Printer::new().expect("bundled fonts load"))
}

fn compile(job: &PrintJob) -> Letter {
    match printer().compile(job) {
        Ok(letter) => letter,
        Err(diags) => panic!("letter did not compile: {diags:#?}"),
    }
}

fn poppler(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

/// Runs a poppler tool on the PDF bytes and returns its stdout.
fn run_poppler(tool: &str, pdf: &[u8], extra: &[&str]) -> String {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(pdf).unwrap();
    let mut cmd = Command::new(tool);
    cmd.args(extra).arg(file.path());
    if tool == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every `/MediaBox [x0 y0 x1 y1]` in the PDF, in points.
fn media_boxes(pdf: &[u8]) -> Vec<[f64; 4]> {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/MediaBox")
        .filter_map(|(i, _)| {
            let rest = &text[i + "/MediaBox".len()..];
            let open = rest.find('[')?;
            let close = rest.find(']')?;
            let nums: Vec<f64> = rest[open + 1..close]
                .split_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect();
            (nums.len() == 4).then(|| [nums[0], nums[1], nums[2], nums[3]])
        })
        .collect()
}

fn mm_to_pt(mm: f64) -> f64 {
    mm / 25.4 * 72.0
}

#[test]
fn japanese_letter_is_a_valid_a4_pdf() {
    let letter = compile(&samples::japanese_letter());
    let pdf = letter.pdf().unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));

    let boxes = media_boxes(&pdf);
    assert_eq!(boxes.len(), letter.page_count(), "one MediaBox per page");
    for b in boxes {
        assert!((b[2] - b[0] - mm_to_pt(210.0)).abs() < 0.5, "{b:?}");
        assert!((b[3] - b[1] - mm_to_pt(297.0)).abs() < 0.5, "{b:?}");
    }
    let m = letter.metrics();
    assert_eq!((m.page_width_mm, m.page_height_mm), (210.0, 297.0));
    assert!(
        m.fonts.iter().any(|f| f.starts_with("NotoSansJP")),
        "{:?}",
        m.fonts
    );

    if poppler("pdfinfo") {
        let info = run_poppler("pdfinfo", &pdf, &[]);
        assert!(
            info.contains("595.276 x 841.89 pts (A4)") && info.contains("Encrypted:       no"),
            "{info}"
        );
    }
}

#[test]
fn us_letter_has_letter_media_box() {
    let letter = compile(&samples::english_letter());
    let pdf = letter.pdf().unwrap();
    for b in media_boxes(&pdf) {
        assert!(
            (b[2] - b[0] - 612.0).abs() < 0.5 && (b[3] - b[1] - 792.0).abs() < 0.5,
            "{b:?}"
        );
    }
    if poppler("pdfinfo") {
        let info = run_poppler("pdfinfo", &pdf, &[]);
        assert!(info.contains("612 x 792 pts (letter)"), "{info}");
    }
}

#[test]
fn all_fonts_are_embedded() {
    let pdf = compile(&samples::japanese_letter()).pdf().unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("/FontFile2") || text.contains("/FontFile3"),
        "no embedded font program"
    );
    if poppler("pdffonts") {
        let fonts = run_poppler("pdffonts", &pdf, &[]);
        let rows: Vec<&str> = fonts
            .lines()
            .skip(2)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(!rows.is_empty(), "{fonts}");
        for row in rows {
            // Columns: name type encoding emb sub uni object ID
            let cols: Vec<&str> = row.split_whitespace().collect();
            let emb = cols[cols.len() - 5];
            assert_eq!(emb, "yes", "font not embedded: {row}");
        }
        assert!(fonts.contains("NotoSansJP-Regular"), "{fonts}");
        assert!(fonts.contains("NotoSansJP-Bold"), "{fonts}");
    }
}

#[test]
fn injection_strings_print_literally() {
    let mut job = samples::japanese_letter();
    let evil = [
        "#read(\"secrets.txt\")",
        "<script>alert(1)</script>",
        "$x^2$ @fig <lbl> // comment",
        "](javascript:alert(1))",
        "#set page(width: 1mm)",
    ];
    job.body_markdown = evil.iter().map(|e| format!("{e}\n\n")).collect();
    job.recipient_lines = vec!["#read(\"/etc/passwd\") 様".into()];
    job.title = Some("#strong[x] *y*".into());
    let letter = compile(&job);
    let body = letter.typst_body();
    let unescaped = body.replace("\\#", "");
    assert!(
        !unescaped.contains("#read") && !unescaped.contains("#set"),
        "{body}"
    );
    assert_eq!(
        letter.metrics().page_width_mm,
        210.0,
        "#set page must not apply"
    );

    if poppler("pdftotext") {
        let text = run_poppler("pdftotext", &letter.pdf().unwrap(), &["-layout"]);
        for e in evil {
            assert!(text.contains(e), "`{e}` missing from:\n{text}");
        }
        assert!(text.contains("#read(\"/etc/passwd\") 様"), "{text}");
        assert!(text.contains("#strong[x] *y*"), "{text}");
    }
}

#[test]
fn long_letter_paginates_with_page_numbers() {
    let mut repeat = 8;
    let letter = loop {
        let letter = compile(&samples::long_japanese_letter(repeat));
        if letter.page_count() >= 3 {
            break letter;
        }
        repeat += 4;
    };
    let pages = letter.page_count();
    assert_eq!(pages, 3, "grew past 3 pages");
    assert!(letter.page_text(1).unwrap().contains("1 / 3"));
    assert!(letter.page_text(3).unwrap().contains("3 / 3"));
    assert!(letter.page_text(1).unwrap().contains("山田 太郎 様"));
    assert!(
        !letter.page_text(2).unwrap().contains("山田 太郎 様"),
        "address only on page 1"
    );
    if poppler("pdftotext") {
        let pdf = letter.pdf().unwrap();
        // pdftotext drops the narrow spaces around the slash.
        let text: String = run_poppler("pdftotext", &pdf, &[])
            .split_whitespace()
            .collect();
        assert!(text.contains("1/3") && text.contains("3/3"), "{text}");
        // The address block is on page 1 only.
        let page3 = run_poppler("pdftotext", &pdf, &["-f", "3", "-l", "3"]);
        assert!(!page3.contains("神宮前"), "{page3}");
        let page1 = run_poppler("pdftotext", &pdf, &["-f", "1", "-l", "1"]);
        assert!(page1.contains("神宮前"), "{page1}");
    }
}

#[test]
fn pdf_a_2b_carries_pdfaid_metadata() {
    let mut job = samples::japanese_letter();
    job.pdf_a = true;
    let pdf = compile(&job).pdf().unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("pdfaid:part"),
        "no PDF/A identification in XMP"
    );
    assert!(
        text.contains("<pdfaid:part>2</pdfaid:part>") || text.contains("pdfaid:part=\"2\""),
        "not part 2"
    );
    assert!(
        text.contains("<pdfaid:conformance>B</pdfaid:conformance>")
            || text.contains("pdfaid:conformance=\"B\""),
        "not conformance B"
    );
    assert!(
        text.contains("/OutputIntents"),
        "PDF/A needs an output intent"
    );
}

#[test]
fn png_pages_decode_at_the_expected_size() {
    let letter = compile(&samples::japanese_letter());
    let png = letter.png(1, 72.0).unwrap();
    let img = image::load_from_memory_with_format(&png, image::ImageFormat::Png).unwrap();
    // A4 at 72 dpi: 595.28 × 841.89 pt → rounded pixels.
    assert_eq!((img.width(), img.height()), (595, 842));
    let png = letter.png(1, 144.0).unwrap();
    let img = image::load_from_memory(&png).unwrap();
    assert_eq!((img.width(), img.height()), (1191, 1684));
    assert!(letter.png(0, 72.0).is_err());
    assert!(letter.png(letter.page_count() + 1, 72.0).is_err());
    assert!(letter.png(1, 0.0).is_err());
}

#[test]
fn output_is_byte_identical_across_printers() {
    let mut job = samples::japanese_letter();
    job.brand.logo_png = Some(samples::logo_png(200));
    job.pdf_a = true;
    let a = compile(&job);
    let other = Printer::new().unwrap();
    let b = other.compile(&job).unwrap();
    assert_eq!(a.pdf().unwrap(), b.pdf().unwrap());
    assert_eq!(a.png(1, 96.0).unwrap(), b.png(1, 96.0).unwrap());
    // And a different letter gives a different file.
    let mut changed = job.clone();
    changed.recipient_lines[3] = "山田 花子 様".into();
    assert_ne!(a.pdf().unwrap(), compile(&changed).pdf().unwrap());
}

#[test]
fn logo_resolution_is_reported_and_checked() {
    let mut job = samples::japanese_letter();
    // 12 mm high at 300 dpi needs ≥ 142 px.
    job.brand.logo_png = Some(samples::logo_png(240));
    let letter = compile(&job);
    let images = letter.metrics().images;
    assert_eq!(images.len(), 1);
    assert!(
        (images[0].placed_height_mm - 12.0).abs() < 0.01,
        "{images:?}"
    );
    assert!((images[0].effective_dpi - 508.0).abs() < 1.0, "{images:?}");
    assert!(!letter.warnings().iter().any(|w| w.code == "print.low-dpi"));

    job.brand.logo_png = Some(samples::logo_png(60));
    let letter = compile(&job);
    let low = letter
        .warnings()
        .iter()
        .find(|w| w.code == "print.low-dpi")
        .expect("low-dpi warning");
    assert!(low.message.en.contains("127 dpi"), "{}", low.message.en);

    job.brand.logo_png = Some(b"not a png".to_vec());
    let letter = compile(&job);
    assert!(letter
        .warnings()
        .iter()
        .any(|w| w.code == "print.logo-decode"));
    assert!(letter.metrics().images.is_empty());
}

#[test]
fn missing_glyph_is_a_warning_with_its_line() {
    let mut job = samples::japanese_letter();
    // U+13000 (an Egyptian hieroglyph) is in none of the bundled fonts.
    job.body_markdown = "一行目\n\n二行目に𓀀があります。\n".into();
    job.body_first_line = 10;
    let letter = compile(&job);
    let w = letter
        .warnings()
        .iter()
        .find(|w| w.code == "print.missing-glyph")
        .unwrap_or_else(|| panic!("{:#?}", letter.warnings()));
    assert_eq!(w.severity, Severity::Warning);
    assert!(w.message.en.contains("U+13000"), "{}", w.message.en);
    assert_eq!(w.line, Some(12));
}

#[test]
fn address_sits_inside_the_envelope_window_and_overflow_warns() {
    let job = samples::japanese_letter();
    let letter = compile(&job);
    assert!(
        !letter
            .warnings()
            .iter()
            .any(|w| w.code == "print.address-overflow"),
        "{:#?}",
        letter.warnings()
    );

    let mut crowded = job.clone();
    crowded.recipient_lines = (1..=12).map(|i| format!("住所の行 {i}")).collect();
    let letter = compile(&crowded);
    assert!(
        letter
            .warnings()
            .iter()
            .any(|w| w.code == "print.address-overflow"),
        "{:#?}",
        letter.warnings()
    );

    if poppler("pdftotext") {
        // pdftotext -x/-y/-W/-H crops to a rectangle in points at 72 dpi: only the window.
        let pdf = compile(&job).pdf().unwrap();
        let window = EnvelopeProfile::by_id("naga3").unwrap().unwrap().window;
        let crop = |v: f64| format!("{}", mm_to_pt(v).round() as i64);
        let args = [
            "-r",
            "72",
            "-x",
            &crop(window.x),
            "-y",
            &crop(window.y),
            "-W",
            &crop(window.w),
            "-H",
            &crop(window.h),
        ];
        let inside = run_poppler("pdftotext", &pdf, &args);
        for line in &job.recipient_lines {
            assert!(
                inside.contains(line.as_str()),
                "`{line}` not inside the window:\n{inside}"
            );
        }
        assert!(
            !inside.contains("株式会社さくら銀行"),
            "sender shows in the window:\n{inside}"
        );
    }
}

#[test]
fn envelope_for_another_sheet_warns() {
    let mut job = samples::english_letter();
    job.envelope = EnvelopeProfile::by_id("naga3").unwrap();
    assert_eq!(job.page, PageSize::Letter);
    let letter = compile(&job);
    assert!(letter
        .warnings()
        .iter()
        .any(|w| w.code == "print.envelope-sheet"));
}

#[test]
fn invalid_document_date_is_an_error() {
    let mut job = samples::japanese_letter();
    job.document_date = (2026, 2, 30);
    let diags = printer().compile(&job).unwrap_err();
    assert!(diags
        .iter()
        .any(|d| d.severity == Severity::Error && d.code == "print.document-date"));
}

#[test]
fn soft_line_breaks_inside_japanese_add_no_space() {
    let mut job = samples::japanese_letter();
    job.body_markdown = "お引き落とし日は\n十二月十日です。\nThe amount\nis due.\n".into();
    let text = compile(&job).page_text(1).unwrap();
    let joined: String = text.lines().collect();
    assert!(
        joined.contains("お引き落とし日は十二月十日です。"),
        "{text}"
    );
    assert!(joined.contains("The amount is due."), "{text}");
}

#[test]
fn every_markdown_construct_compiles() {
    let mut job = samples::english_letter();
    job.title = None;
    job.body_markdown = r##"# Heading *one*

## Heading two

Para with **bold _nested_ italics**, ~~struck~~, `code #x $y`, and a [link](https://a.example/?q=1&r=[2]).
Line with trailing backslash \
and hard break.

> Quoted **text**
> > nested quote

1. first
   - nested bullet
   - another with `code`
2. second

   with a second paragraph

```rust
fn main() { println!("{}", "#read(\"x\")"); }
```

| left | center | right |
|:-----|:------:|------:|
| a \| pipe | *b* | `c` |
| | empty | |

<div class="x">raw *html* block</div>

Term: ***both*** and \*escaped\* and \# and \\ and \[x\]

---

![alt text](x.png) <span>inline</span> <!-- comment --> &amp; &#36; &copy;
"##
    .into();
    let letter = compile(&job);
    let text = letter.page_text(1).unwrap();
    for expected in [
        "Heading one",
        "nested quote",
        "nested bullet",
        r#"#read(\"x\")"#,
        "a | pipe",
        "<div class=\"x\">raw *html* block</div>",
        "*escaped*",
        "(https://a.example/?q=1&r=[2])",
        "<span>inline</span>",
        "<!-- comment -->",
        "& $ ©",
    ] {
        let squashed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(squashed.contains(expected), "`{expected}` missing:\n{text}");
    }
    assert!(letter
        .warnings()
        .iter()
        .any(|w| w.code == "print.body-image"));
}

const DETERMINISM_OUT: &str = "CCM_PRINT_DETERMINISM_OUT";

/// The job both processes of the determinism test print.
fn determinism_job() -> PrintJob {
    let mut job = samples::japanese_letter();
    job.brand.logo_png = Some(samples::logo_png(200));
    job
}

/// PDF bytes followed by the first page as a 72 dpi PNG.
fn pdf_and_png(job: &PrintJob) -> Vec<u8> {
    let letter = compile(job);
    let mut bytes = letter.pdf().unwrap();
    bytes.extend(letter.png(1, 72.0).unwrap());
    bytes
}

/// Not a test on its own: the child process `output_is_byte_identical_across_processes` starts
/// (with `--ignored`), writing its output to the file named in `CCM_PRINT_DETERMINISM_OUT`.
#[test]
#[ignore = "child process of output_is_byte_identical_across_processes, which runs it"]
fn determinism_child() {
    let path = std::env::var(DETERMINISM_OUT)
        .expect("CCM_PRINT_DETERMINISM_OUT names the output file (set by the parent test)");
    std::fs::write(path, pdf_and_png(&determinism_job())).unwrap();
}

/// Same job in two separate processes → the same PDF bytes (no per-process randomness such as
/// hash seeds leaks into the output). The test runs `determinism_child` of its own binary twice.
#[test]
fn output_is_byte_identical_across_processes() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str| {
        let out = dir.path().join(name);
        let status = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "determinism_child",
                "--ignored",
                "--test-threads",
                "1",
            ])
            .env(DETERMINISM_OUT, &out)
            .status()
            .unwrap();
        assert!(status.success());
        std::fs::read(&out).unwrap_or_else(|e| panic!("the child wrote {}: {e}", out.display()))
    };
    let first = run("a");
    let second = run("b");
    assert!(first.len() > 10_000);
    assert!(first == second, "PDF/PNG differ between processes");
    let here = pdf_and_png(&determinism_job());
    assert!(here == first, "in-process output differs from child output");
}

#[test]
fn emoji_in_a_name_print_without_warnings_even_as_pdf_a() {
    // Customers type emoji into their own names; the bundled emoji font must cover them,
    // including a skin-tone modifier and a ZWJ family sequence.
    let mut job = samples::japanese_letter();
    job.body_markdown = "お客様 🌺 💄👩🏻 👩‍👩‍👧 様\n".into();
    job.pdf_a = true;
    let letter = compile(&job);
    assert!(
        !letter
            .warnings()
            .iter()
            .any(|w| w.code == "print.missing-glyph"),
        "{:#?}",
        letter.warnings()
    );
    assert!(letter.pdf().unwrap().len() > 10_000);
}

#[test]
fn pdf_a_with_a_missing_glyph_is_an_error() {
    // PDF/A forbids references to the .notdef glyph, so the archival copy cannot be made.
    let mut job = samples::japanese_letter();
    job.body_markdown = "象形文字𓀀\n".into();
    job.pdf_a = true;
    let diags = printer().compile(&job).unwrap_err();
    let d = diags
        .iter()
        .find(|d| d.code == "print.missing-glyph")
        .unwrap();
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.line, Some(job.body_first_line));
}

#[test]
fn a_brand_kit_image_in_the_body_prints_and_others_show_their_alt_text() {
    let mut job = samples::japanese_letter();
    job.images.insert(
        "brands/sakura-bank/figure.png".into(),
        samples::logo_png(300),
    );
    job.body_markdown = "お支払い方法:\n\n![お支払い方法の図](brands/sakura-bank/figure.png)\n\n![Web画像](https://example.com/x.png)\n".into();
    job.body_first_line = 5;
    let letter = compile(&job);
    let pdf = letter.pdf().unwrap();
    // The same letter without the image in the kit prints the alt text instead: the image's
    // pixels are what the PDF gains.
    let mut without = job.clone();
    without.images.clear();
    let plain = compile(&without).pdf().unwrap();
    assert!(
        pdf.len() > plain.len() + 1_000,
        "the body image is embedded ({} vs {} bytes)",
        pdf.len(),
        plain.len()
    );
    let warnings = letter.warnings();
    let body_image: Vec<_> = warnings
        .iter()
        .filter(|w| w.code == "print.body-image")
        .collect();
    assert_eq!(
        body_image.len(),
        1,
        "only the web image warns: {warnings:#?}"
    );
    assert!(body_image[0]
        .message
        .en
        .contains("https://example.com/x.png"));
    assert_eq!(body_image[0].line, Some(9));
    // Alt text is the accessible description in the PDF, never Typst code.
    let mut hostile = job.clone();
    hostile.body_markdown =
        "![\"), read(\"secrets.txt\"), (\"](brands/sakura-bank/figure.png)\n".into();
    let letter = compile(&hostile);
    assert!(letter.pdf().unwrap().len() > 10_000);
}

/// The letterhead text the rules engine is given (`LetterBrand::text_lines`) is text the
/// letter prints on its first page, in both sample letters.
#[test]
fn letterhead_text_lines_are_printed_on_the_first_page() {
    for job in [samples::japanese_letter(), samples::english_letter()] {
        let letter = compile(&job);
        let page: String = letter.page_text(1).unwrap();
        let lines = job.brand.text_lines();
        assert!(lines.len() >= 5, "{lines:?}");
        for line in lines {
            assert!(
                page.contains(line),
                "`{line}` is not printed on page 1:\n{page}"
            );
        }
    }
}

/// The live preview edits the previous body into the next one instead of parsing it afresh;
/// the letter must come out exactly as a fresh compile makes it, edit after edit.
#[test]
fn incremental_compiles_match_fresh_compiles_across_edits() {
    let mut job = samples::japanese_letter();
    let original = job.body_markdown.clone();
    let edits = [
        format!("{original}\n\n追記: お問い合わせはアプリからどうぞ。"),
        format!("# 見出し\n\n{original}"),
        "short".to_owned(),
        original,
    ];
    for body in edits {
        job.body_markdown = body;
        let fresh = compile(&job).pdf().unwrap();
        let warm = printer()
            .compile_incremental(&job, "live-test")
            .expect("incremental compile")
            .pdf()
            .unwrap();
        assert_eq!(
            fresh, warm,
            "incremental compile differs for body {:?}",
            job.body_markdown
        );
    }
}
