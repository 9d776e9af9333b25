//! `ccm render`: write every channel's artifacts and a report for a template version.
//!
//! ```text
//! ccm render ID [--version N] [--persona P] [--locale L] [--channel all|email|sms|push|print] --out DIR [--json]
//! ccm render --dir templates/ID --out DIR          # straight from a template folder, no library
//! ccm render ID --persona P --channel email --emit mjml --out DIR   # also DIR/email.mjml
//! ```
//! `--emit mjml` adds `email.mjml`: the exact MJML document the email renderer compiled with
//! mrml, so another MJML compiler (the npm `mjml` package) can be run on the very same input.
//! With `--persona` the artifacts go to DIR; without it every persona renders into DIR/<persona>/.
//! Exit status 1 when any channel has an error.

use anyhow::{anyhow, bail, Context as _, Result};
use ccm_core::diagnostic::codes;
use ccm_core::format;
use ccm_core::model::{Channel, TemplateBundle};
use ccm_core::store::{Clock as _, Store};

use crate::context::Context;
use ccm_render::{render, render_all, Engine, RenderOptions, RenderSet, Severity};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Render a template's channels to files: email, SMS, push, print and report.json
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub target: Target,
    /// Persona id (default: every persona, each into its own folder under --out).
    #[arg(long)]
    pub persona: Option<String>,
    /// all | email | sms | push | print
    #[arg(long, default_value = "all")]
    pub channel: String,
    /// Output folder (created if needed).
    #[arg(long)]
    pub out: PathBuf,
    /// Export the letter as PDF/A-2b.
    #[arg(long)]
    pub pdf_a: bool,
    /// Resolution of the page PNGs (0 = none).
    #[arg(long, default_value_t = 144.0)]
    pub dpi: f32,
    /// Extra files to write besides the artifacts: `mjml` writes email.mjml, the MJML document
    /// the email renderer compiled (not an artifact: it is neither hashed nor approved).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub emit: Vec<Emit>,
}

/// Intermediate documents `ccm render --emit` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
    /// email.mjml: the brand layout filled with the rendered body, as fed to mrml.
    Mjml,
}

/// Which template, version, locale and date to render: shared by `ccm render` and `ccm preview`.
#[derive(Debug, Clone, clap::Args)]
pub struct Target {
    /// Template id in the library (omit when using --dir).
    pub id: Option<String>,
    /// Version number (default: latest).
    #[arg(long)]
    pub version: Option<u32>,
    /// Locale (default: the template's default locale).
    #[arg(long)]
    pub locale: Option<String>,
    /// Render a template folder directly (blocks from its parent's _blocks/, brands from --assets).
    #[arg(long, conflicts_with = "id")]
    pub dir: Option<PathBuf>,
    /// Assets folder for --dir (default: <templates>/../assets).
    #[arg(long, requires = "dir")]
    pub assets: Option<PathBuf>,
    /// The date the message is rendered for, YYYY-MM-DD (default: today, UTC). Fix it for
    /// byte-identical output across days.
    #[arg(long, env = "CCM_TODAY")]
    pub today: Option<String>,
}

impl Target {
    /// The bundle to render: from the library, or straight from `--dir`.
    pub fn bundle(&self, ctx: &Context) -> Result<TemplateBundle> {
        load_bundle(
            self.id.as_deref(),
            self.version,
            self.dir.as_deref(),
            self.assets.as_deref(),
            || ctx.open(),
        )
    }

    /// `--locale`, else the template's default locale.
    pub fn locale(&self, bundle: &TemplateBundle) -> String {
        self.locale
            .clone()
            .unwrap_or_else(|| bundle.source.manifest.default_locale.clone())
    }
}

/// Render options from `--today`, `--pdf-a`, `--dpi`. Without `--today` the UTC date now is
/// used: the one place rendering meets the wall clock.
pub fn options(today: Option<&str>, pdf_a: bool, dpi: f32) -> Result<RenderOptions> {
    let now;
    let s = match today {
        Some(s) => s,
        None => {
            now = ccm_core::store::SystemClock.now_rfc3339();
            &now[..10.min(now.len())]
        }
    };
    let date = ccm_render::filters::parse_date(s)
        .filter(|_| s.trim().len() == 10)
        .ok_or_else(|| anyhow!("--today '{s}' is not a date: write YYYY-MM-DD"))?;
    let mut opts = RenderOptions::new(date);
    opts.pdf_a = pdf_a;
    opts.png_dpi = (dpi > 0.0).then_some(dpi);
    Ok(opts)
}

/// Loads a bundle straight from a template folder (`templates/<id>`).
pub fn bundle_from_dir(dir: &Path, assets: Option<&Path>) -> Result<TemplateBundle> {
    let dir = dir
        .canonicalize()
        .with_context(|| format!("cannot open template folder {}", dir.display()))?;
    let templates = dir
        .parent()
        .ok_or_else(|| anyhow!("{} has no parent folder", dir.display()))?;
    let assets = match assets {
        Some(a) => a.to_path_buf(),
        None => templates.parent().unwrap_or(templates).join("assets"),
    };
    let (blocks, block_problems) = format::read_blocks_dir(&templates.join(format::BLOCKS_DIR));
    let (brands, brand_problems) = format::load_brands(&assets);
    for p in block_problems.iter().chain(&brand_problems) {
        eprintln!("warning: {p}");
    }
    let source = format::load_template_dir(&dir, &blocks, &brands).map_err(|errs| {
        anyhow!(
            "{}",
            errs.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    })?;
    let brand = brands
        .into_iter()
        .find(|b| b.kit.id == source.manifest.brand)
        .ok_or_else(|| {
            anyhow!(
                "brand `{}` not found in {}",
                source.manifest.brand,
                assets.display()
            )
        })?;
    Ok(TemplateBundle {
        template_id: source.manifest.id.clone(),
        version: 0,
        hash: source.files.content_hash(),
        source,
        brand,
        blocks,
    })
}

/// The bundle named by the arguments: from the library, or from `--dir`.
pub fn load_bundle(
    id: Option<&str>,
    version: Option<u32>,
    dir: Option<&Path>,
    assets: Option<&Path>,
    open_store: impl FnOnce() -> Result<Store>,
) -> Result<TemplateBundle> {
    match (id, dir) {
        (_, Some(dir)) => bundle_from_dir(dir, assets),
        (Some(id), None) => {
            let store = open_store()?;
            store
                .bundle(id, version)
                .with_context(|| format!("cannot load template `{id}`"))
        }
        (None, None) => bail!("name a template: `ccm render ID --out DIR` or `ccm render --dir templates/ID --out DIR`"),
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let bundle = args.target.bundle(ctx)?;
    let channel: Option<Channel> = match args.channel.as_str() {
        "all" => None,
        c => Some(
            c.parse()
                .map_err(|e: String| anyhow!("--channel: {e} or all"))?,
        ),
    };
    let manifest = &bundle.source.manifest;
    let locale = args.target.locale(&bundle);
    let personas: Vec<String> = match &args.persona {
        Some(p) => vec![p.clone()],
        None => bundle
            .source
            .personas
            .iter()
            .map(|p| p.id.clone())
            .collect(),
    };
    if personas.is_empty() {
        bail!(
            "template `{}` has no personas (add data/<persona>.json)",
            manifest.id
        );
    }
    if args.emit.contains(&Emit::Mjml) && channel.is_some_and(|c| c != Channel::Email) {
        bail!("--emit mjml needs the email channel: use --channel email or --channel all");
    }
    let opts = options(args.target.today.as_deref(), args.pdf_a, args.dpi)?;
    let engine = Engine::new();
    let mut sets = Vec::new();
    for persona in &personas {
        let set = match channel {
            None => render_all(&engine, &bundle, persona, &locale, &opts),
            Some(c) => {
                let mut set = render_all_skeleton(&bundle, persona, &locale, &opts);
                set.outputs = vec![render(&engine, &bundle, persona, &locale, c, &opts)];
                set
            }
        };
        let dir = if args.persona.is_some() {
            args.out.clone()
        } else {
            args.out.join(persona)
        };
        write_set(&dir, &set)?;
        if args.emit.contains(&Emit::Mjml) {
            write_mjml(&dir, &set)?;
        }
        sets.push((dir, set));
    }
    if ctx.json {
        let reports: Vec<serde_json::Value> = sets.iter().map(|(_, s)| s.report()).collect();
        println!("{}", serde_json::to_string_pretty(&reports)?);
    } else {
        for (dir, set) in &sets {
            print!("{}", summary(set, dir));
        }
    }
    let failed = sets.iter().any(|(_, s)| s.has_errors());
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A set with identity filled and no outputs yet (single-channel renders).
fn render_all_skeleton(
    bundle: &TemplateBundle,
    persona: &str,
    locale: &str,
    opts: &RenderOptions,
) -> RenderSet {
    RenderSet {
        template_id: bundle.template_id.clone(),
        version: bundle.version,
        template_hash: bundle.hash.clone(),
        persona: persona.to_string(),
        locale: locale.to_string(),
        today: ccm_render::context::iso_date(opts.today),
        outputs: Vec::new(),
    }
}

/// Writes every artifact of `set` and its report.json into `dir`.
pub fn write_set(dir: &Path, set: &RenderSet) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for a in set.artifacts() {
        let path = dir.join(&a.name);
        std::fs::write(&path, &a.bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Writes `email.mjml` when the email channel rendered (its diagnostics explain when not).
fn write_mjml(dir: &Path, set: &RenderSet) -> Result<()> {
    let email = set.outputs.iter().find_map(|o| match &o.rendition {
        Some(ccm_render::Rendition::Email(e)) => Some(e),
        _ => None,
    });
    if let Some(email) = email {
        let path = dir.join("email.mjml");
        std::fs::write(&path, &email.mjml)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The human summary: one line per channel, then every diagnostic.
pub fn summary(set: &RenderSet, dir: &Path) -> String {
    let mut s = format!(
        "{} v{} · persona {} · {} → {}\n",
        set.template_id,
        set.version,
        set.persona,
        set.locale,
        dir.display()
    );
    for o in &set.outputs {
        let line = o
            .rendition
            .as_ref()
            .map(|r| r.summary())
            .unwrap_or_else(|| "-".to_string());
        s.push_str(&format!(
            "  {:<6} {:<9} {}\n",
            o.channel.as_str(),
            o.status(),
            line
        ));
    }
    for d in set.diagnostics() {
        if d.severity == Severity::Info && d.code == codes::RENDER_CHANNEL_ABSENT.id {
            continue;
        }
        let text = d.to_string().replace('\n', "\n      ");
        let channel = d.channel.map_or("-", |c| c.as_str());
        s.push_str(&format!("    [{channel}] {text}\n"));
    }
    s
}
