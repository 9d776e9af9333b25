//! Renders the sample Japanese bank reminder and writes `email.html`, `email.txt` and
//! `email.eml` into the given folder, for looking at the email in a browser or mail client:
//! `cargo run -p ccm-render --example email_preview -- /tmp/out`

#[path = "../tests/email_support/mod.rs"]
mod support;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&dir)?;
    let r =
        ccm_render::email::render_email(&support::input_ja(), &support::brand()).map_err(|d| {
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })?;
    std::fs::write(dir.join("email.html"), &r.html)?;
    std::fs::write(dir.join("email.txt"), &r.text)?;
    std::fs::write(dir.join("email.eml"), &r.eml)?;
    for d in &r.diagnostics {
        eprintln!("{d}");
    }
    eprintln!(
        "html {} bytes (sent), text {} bytes, eml {} bytes, {} links, {} images",
        r.metrics.html_bytes,
        r.metrics.text_bytes,
        r.metrics.eml_bytes,
        r.metrics.links.len(),
        r.metrics.images.len()
    );
    Ok(())
}
