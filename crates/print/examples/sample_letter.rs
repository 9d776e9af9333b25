//! Writes the sample letters so they can be looked at:
//! `cargo run -p ccm-print --example sample_letter [OUT_DIR]` → letter-ja.pdf, letter-ja-1.png,
//! letter-en.pdf, letter-en-1.png, letter-long.pdf in OUT_DIR (default /tmp).

use std::path::PathBuf;

use ccm_print::{samples, Printer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "/tmp".into()));
    let printer = Printer::new()?;
    let mut ja = samples::japanese_letter();
    ja.brand.logo_png = Some(samples::logo_png(240));
    let mut en = samples::english_letter();
    en.brand.logo_png = Some(samples::logo_png(240));
    let long = samples::long_japanese_letter(14);
    for (name, job) in [("ja", &ja), ("en", &en), ("long", &long)] {
        let letter = printer
            .compile(job)
            .map_err(|d| format!("{name}: {d:#?}"))?;
        for w in letter.warnings() {
            eprintln!("{name}: {w}");
        }
        let pdf = out.join(format!("letter-{name}.pdf"));
        std::fs::write(&pdf, letter.pdf()?)?;
        std::fs::write(
            out.join(format!("letter-{name}-1.png")),
            letter.png(1, 96.0)?,
        )?;
        println!(
            "{}: {} page(s), {:?}",
            pdf.display(),
            letter.page_count(),
            letter.metrics()
        );
    }
    Ok(())
}
