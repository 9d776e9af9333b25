//! The rendering contract: [`render`] one channel or [`render_all`] four, for one template
//! version, persona and locale. A failing channel returns diagnostics and the others still
//! render; nothing here panics on user input.
//!
//! The [`Engine`] is meant to live as long as the app: it keeps parsed Tera templates (keyed by
//! sha256 of their sources), checked images (keyed by content hash) and the warm print compiler
//! (fonts loaded once, lazily, on the first print render).

use crate::context::{self, ChannelTemplates, Part, TemplateSet};
use crate::email::{self, EmailInput};
use crate::filters::{self, FilterLocale};
use crate::images::{self, ImageCheck};
use crate::push::{self, PushText};
use crate::rendition::{ChannelOutput, PrintOutput, RenderSet, Rendition, SmsOutput};
use crate::sms;
use ccm_core::diagnostic::{codes, Diagnostic};
use ccm_core::format::{self as fmt, FormatError};
use ccm_core::model::{Brand, Channel, ContentHash, Persona, TemplateBundle};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use time::Date;

/// How many parsed template sets stay cached (a few per open template and locale).
const TEMPLATE_CACHE_CAPACITY: usize = 256;
const IMAGE_CACHE_CAPACITY: usize = 64;

/// The clock and the export switches. Rendering never reads the system clock.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    /// "Today": `{{ today }}`, the letter date, the email `Date` header.
    pub today: Date,
    /// Export the letter as PDF/A-2b.
    pub pdf_a: bool,
    /// Resolution of page PNGs; `None` renders no PNGs.
    pub png_dpi: Option<f32>,
}

impl RenderOptions {
    pub fn new(today: Date) -> Self {
        RenderOptions {
            today,
            pdf_a: false,
            png_dpi: Some(144.0),
        }
    }
}

type Built = Arc<Result<ChannelTemplates, Vec<Diagnostic>>>;

/// A small least-recently-used map. Eviction scans (n ≤ a few hundred), inserts are rare.
struct Lru<K, V> {
    map: HashMap<K, (V, u64)>,
    tick: u64,
    capacity: usize,
}

impl<K: std::hash::Hash + Eq + Clone, V: Clone> Lru<K, V> {
    fn new(capacity: usize) -> Self {
        Lru {
            map: HashMap::new(),
            tick: 0,
            capacity,
        }
    }
    fn get(&mut self, k: &K) -> Option<V> {
        self.tick += 1;
        let t = self.tick;
        self.map.get_mut(k).map(|(v, used)| {
            *used = t;
            v.clone()
        })
    }
    fn insert(&mut self, k: K, v: V) {
        if self.map.len() >= self.capacity && !self.map.contains_key(&k) {
            if let Some(oldest) = self
                .map
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            {
                self.map.remove(&oldest);
            }
        }
        self.tick += 1;
        self.map.insert(k, (v, self.tick));
    }
}

/// The warm renderer. `Send + Sync`: share one per process.
pub struct Engine {
    templates: Mutex<Lru<[u8; 32], Built>>,
    images: Mutex<Lru<ContentHash, Arc<Result<ImageCheck, String>>>>,
    printer: OnceLock<Result<ccm_print::Printer, String>>,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

impl Engine {
    pub fn new() -> Self {
        Engine {
            templates: Mutex::new(Lru::new(TEMPLATE_CACHE_CAPACITY)),
            images: Mutex::new(Lru::new(IMAGE_CACHE_CAPACITY)),
            printer: OnceLock::new(),
        }
    }

    /// Loads the print fonts now instead of on the first print render (for app start-up).
    pub fn warm_printer(&self) -> Result<(), String> {
        self.printer().map(|_| ())
    }

    fn printer(&self) -> Result<&ccm_print::Printer, String> {
        self.printer
            .get_or_init(|| ccm_print::Printer::new().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parsed templates for `set`, from the cache when its sources were seen before.
    fn templates(&self, set: &TemplateSet<'_>) -> Built {
        let key = set.cache_key();
        if let Some(hit) = self.templates.lock().ok().and_then(|mut c| c.get(&key)) {
            return hit;
        }
        let built: Built = Arc::new(set.build());
        if let Ok(mut c) = self.templates.lock() {
            c.insert(key, built.clone());
        }
        built
    }

    fn image(&self, bytes: &[u8]) -> Arc<Result<ImageCheck, String>> {
        let key = ContentHash::of_bytes(bytes);
        if let Some(hit) = self.images.lock().ok().and_then(|mut c| c.get(&key)) {
            return hit;
        }
        let checked = Arc::new(images::check_image(bytes, push::IMAGE_MAX_BYTES));
        if let Ok(mut c) = self.images.lock() {
            c.insert(key, checked.clone());
        }
        checked
    }
}

/// Shared inputs of one persona × locale rendering.
struct Job<'a> {
    bundle: &'a TemplateBundle,
    persona: &'a Persona,
    locale: &'a str,
    ctx: tera::Context,
    filters: FilterLocale,
    opts: &'a RenderOptions,
}

fn format_diag(channel: Channel, e: FormatError) -> Diagnostic {
    Diagnostic::format(&e).in_channel(channel)
}

/// Checks shared by all channels; `Err` holds the diagnostics that stop every channel.
fn prepare<'a>(
    bundle: &'a TemplateBundle,
    persona_id: &str,
    locale: &'a str,
    opts: &'a RenderOptions,
) -> Result<Job<'a>, Diagnostic> {
    let manifest = &bundle.source.manifest;
    if !manifest.locales.iter().any(|l| l == locale) {
        return Err(Diagnostic::error(
            Channel::Email,
            codes::RENDER_UNKNOWN_LOCALE,
            format!(
                "template `{}` has no locale `{locale}` (it has: {})",
                manifest.id,
                manifest.locales.join(", ")
            ),
        )
        .at("template.toml", None, None)
        .hint("pick one of the template's locales, or add the locale to `locales` with its channel files"));
    }
    let persona = bundle
        .source
        .personas
        .iter()
        .find(|p| p.id == persona_id)
        .ok_or_else(|| {
            let ids: Vec<&str> = bundle
                .source
                .personas
                .iter()
                .map(|p| p.id.as_str())
                .collect();
            Diagnostic::error(
                Channel::Email,
                codes::RENDER_UNKNOWN_PERSONA,
                format!("template `{}` has no persona `{persona_id}`", manifest.id),
            )
            .at(format!("data/{persona_id}.json"), None, None)
            .hint(format!("use one of: {}", ids.join(", ")))
        })?;
    Ok(Job {
        bundle,
        persona,
        locale,
        ctx: context::build_context(persona, &bundle.brand, locale, opts.today),
        filters: FilterLocale::new(locale, &bundle.brand.kit.address.country),
        opts,
    })
}

/// Renders one channel of `bundle` for `persona` (id) and `locale`.
pub fn render(
    engine: &Engine,
    bundle: &TemplateBundle,
    persona: &str,
    locale: &str,
    channel: Channel,
    opts: &RenderOptions,
) -> ChannelOutput {
    match prepare(bundle, persona, locale, opts) {
        Ok(job) => render_channel(engine, &job, channel),
        Err(mut d) => {
            d.channel = Some(channel);
            ChannelOutput::failed(channel, vec![d])
        }
    }
}

/// Renders all four channels (in [`Channel::ALL`] order). Channels the template declares no
/// content for come back without a rendition and with an info diagnostic.
pub fn render_all(
    engine: &Engine,
    bundle: &TemplateBundle,
    persona: &str,
    locale: &str,
    opts: &RenderOptions,
) -> RenderSet {
    let outputs = match prepare(bundle, persona, locale, opts) {
        Ok(job) => Channel::ALL
            .iter()
            .map(|c| render_channel(engine, &job, *c))
            .collect(),
        Err(d) => Channel::ALL
            .iter()
            .map(|c| {
                let mut d = d.clone();
                d.channel = Some(*c);
                ChannelOutput::failed(*c, vec![d])
            })
            .collect(),
    };
    RenderSet {
        template_id: bundle.template_id.clone(),
        version: bundle.version,
        template_hash: bundle.hash.clone(),
        persona: persona.to_string(),
        locale: locale.to_string(),
        today: context::iso_date(opts.today),
        outputs,
    }
}

fn render_channel(engine: &Engine, job: &Job<'_>, channel: Channel) -> ChannelOutput {
    let manifest = &job.bundle.source.manifest;
    if !manifest.channels.contains(&channel) {
        return ChannelOutput::failed(
            channel,
            vec![Diagnostic::info(
                channel,
                codes::RENDER_CHANNEL_ABSENT,
                format!("template `{}` has no {channel} content", manifest.id),
            )
            .at("template.toml", None, None)],
        );
    }
    let file = channel.source_file(job.locale, &manifest.default_locale);
    let Some(text) = job.bundle.source.files.get(&file) else {
        return ChannelOutput::failed(
            channel,
            vec![Diagnostic::error(
                channel,
                codes::RENDER_MISSING_SOURCE,
                format!("`{file}` is missing for locale {}", job.locale),
            )
            .at(file.clone(), None, None)
            .hint(format!(
                "add {file}, or remove {channel} from `channels` in template.toml"
            ))],
        );
    };
    let result = match channel {
        Channel::Email => render_email(engine, job, &file, text),
        Channel::Sms => render_sms(engine, job, &file, text),
        Channel::Push => render_push(engine, job, &file, text),
        Channel::Print => render_print(engine, job, &file, text),
    };
    match result {
        Ok((rendition, diagnostics)) => ChannelOutput {
            channel,
            rendition: Some(rendition),
            diagnostics,
        },
        Err(diagnostics) => ChannelOutput::failed(channel, diagnostics),
    }
}

type ChannelResult = Result<(Rendition, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Parses (cached) and renders `parts`; every part's error is collected, not only the first.
fn expand(
    engine: &Engine,
    job: &Job<'_>,
    channel: Channel,
    parts: Vec<Part>,
) -> Result<HashMap<String, String>, Vec<Diagnostic>> {
    let names: Vec<String> = parts.iter().map(|p| p.name.clone()).collect();
    let set = TemplateSet::new(
        channel,
        job.locale,
        job.filters.clone(),
        parts,
        &job.bundle.blocks,
    );
    let built = engine.templates(&set);
    let templates = match built.as_ref() {
        Ok(t) => t,
        Err(d) => return Err(d.clone()),
    };
    let mut out = HashMap::new();
    let mut errors = Vec::new();
    for name in names {
        match templates.render(&name, &job.ctx) {
            Ok(s) => {
                out.insert(name, s);
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn lookup_str(persona: &Persona, paths: &[&str]) -> Option<String> {
    paths.iter().find_map(|p| {
        fmt::lookup(&persona.data, p)
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .filter(|s| !s.trim().is_empty())
    })
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn render_email(engine: &Engine, job: &Job<'_>, file: &str, text: &str) -> ChannelResult {
    let ch = Channel::Email;
    let src = fmt::parse_email(file, text).map_err(|e| vec![format_diag(ch, e)])?;
    let (toml_text, _, _) = fmt::split_front_matter(text).unwrap_or((None, text, 1));
    let toml_text = toml_text.unwrap_or_default();
    let meta = &src.meta;
    let mut parts = vec![
        Part::markdown(file, src.body, src.body_line),
        Part::field(file, "subject", &meta.subject, toml_text, 2),
    ];
    let optional = [
        ("preheader", &meta.preheader),
        ("unsubscribe_url", &meta.unsubscribe_url),
        ("from_name", &meta.from_name),
        ("reply_to", &meta.reply_to),
    ];
    for (key, value) in optional {
        if let Some(v) = value {
            parts.push(Part::field(file, key, v, toml_text, 2));
        }
    }
    let mut out = expand(engine, job, ch, parts)?;
    let mut take = |key: &str| out.remove(&format!("{file}#{key}"));
    let subject = take("subject").unwrap_or_default();
    let preheader = non_empty(take("preheader"));
    let unsubscribe_url = non_empty(take("unsubscribe_url"));
    let from_name = non_empty(take("from_name"));
    let reply_to = non_empty(take("reply_to"));
    let body_markdown = out.remove(file).unwrap_or_default();
    let kit = &job.bundle.brand.kit;
    let input = EmailInput {
        locale: job.locale.to_string(),
        purpose: job.bundle.source.manifest.purpose,
        subject: subject.trim().to_string(),
        preheader,
        from_name,
        from_address: kit.contact.email.clone(),
        reply_to,
        to_name: lookup_str(job.persona, &["customer.name", "name"]).unwrap_or_default(),
        // Personas without an address still preview; the placeholder is a reserved domain.
        to_address: lookup_str(job.persona, &["customer.email", "email"])
            .unwrap_or_else(|| "customer@example.com".to_string()),
        unsubscribe_url,
        body_markdown,
        body_first_line: src.body_line,
        source_file: file.to_string(),
        date: ymd(job.opts.today),
        message_id_seed: format!(
            "{}/{}/{}/{}",
            job.bundle.hash, job.bundle.version, job.persona.id, job.locale
        ),
    };
    let r = email::render_email(&input, &job.bundle.brand)?;
    let diagnostics = r.diagnostics.clone();
    Ok((Rendition::Email(Box::new(r)), diagnostics))
}

fn ymd(d: Date) -> (i32, u8, u8) {
    (d.year(), d.month() as u8, d.day())
}

fn render_sms(engine: &Engine, job: &Job<'_>, file: &str, text: &str) -> ChannelResult {
    let ch = Channel::Sms;
    let out = expand(engine, job, ch, vec![Part::text_file(file, text)])?;
    let rendered = out.get(file).map(String::as_str).unwrap_or_default();
    let message = sms::strip_trailing_newline(rendered).to_string();
    let analysis = sms::analyze(&message, job.locale);
    let diagnostics = analysis
        .warnings
        .iter()
        .map(|w| w.clone().at(file, None, None))
        .collect();
    Ok((
        Rendition::Sms(Box::new(SmsOutput {
            text: message,
            analysis,
        })),
        diagnostics,
    ))
}

/// The bytes of an image named by a library asset path (push image, email body image): brand
/// files are addressed as `brands/<brand>/<file>` (or just `<file>`).
pub(crate) fn brand_asset<'a>(brand: &'a Brand, path: &str) -> Option<&'a [u8]> {
    let p = path.trim_start_matches("assets/");
    let prefix = format!("brands/{}/", brand.kit.id);
    let rel = p.strip_prefix(&prefix).unwrap_or(p);
    brand.files.get(rel).map(Vec::as_slice)
}

/// A kit that asks for print fonts CCM Studio does not bundle is told what letters are set in
/// instead (fonts are bundled, never taken from the system, so output is the same everywhere).
fn brand_font_warning(brand: &Brand) -> Option<Diagnostic> {
    let wanted = &brand.kit.fonts.print;
    if wanted.is_empty() || wanted.iter().any(|f| f == ccm_print::LETTER_FONT) {
        return None;
    }
    Some(
        Diagnostic::warning(
            Channel::Print,
            codes::PRINT_BRAND_FONT,
            format!(
                "the brand kit asks for print font {}, which is not bundled; letters are set in {}",
                wanted.join(", "),
                ccm_print::LETTER_FONT
            ),
        )
        .at(format!("brands/{}/brand.toml", brand.kit.id), None, None)
        .hint(format!(
            "name \"{}\" in fonts.print, or bundle the brand's font (an OFL font in assets/fonts)",
            ccm_print::LETTER_FONT
        )),
    )
}

/// The brand kit's image files by the path a template names them with
/// (`brands/<brand>/<file>`, as for email and push images).
fn brand_images(brand: &Brand) -> std::collections::BTreeMap<String, Vec<u8>> {
    const IMAGE: [&str; 4] = [".png", ".jpg", ".jpeg", ".gif"];
    brand
        .files
        .iter()
        .filter(|(path, _)| {
            let lower = path.to_ascii_lowercase();
            IMAGE.iter().any(|ext| lower.ends_with(ext))
        })
        .map(|(path, bytes)| (format!("brands/{}/{path}", brand.kit.id), bytes.clone()))
        .collect()
}

fn render_push(engine: &Engine, job: &Job<'_>, file: &str, text: &str) -> ChannelResult {
    let ch = Channel::Push;
    let content = fmt::parse_push(file, text).map_err(|e| vec![format_diag(ch, e)])?;
    let fields: [(&str, Option<&String>); 5] = [
        ("title", Some(&content.title)),
        ("subtitle", content.subtitle.as_ref()),
        ("body", Some(&content.body)),
        ("image", content.image.as_ref()),
        ("deep_link", content.deep_link.as_ref()),
    ];
    let parts = fields
        .iter()
        .filter_map(|(k, v)| v.map(|v| Part::field(file, k, v, text, 1)))
        .collect();
    let mut out = expand(engine, job, ch, parts)?;
    let mut take = |k: &str| {
        out.remove(&format!("{file}#{k}"))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let push_text = PushText {
        title: take("title"),
        subtitle: take("subtitle"),
        body: take("body"),
        image: take("image"),
        deep_link: take("deep_link"),
    };
    let mut diagnostics = Vec::new();
    let image =
        if push_text.image.is_empty() || push_text.image.to_ascii_lowercase().starts_with("http") {
            None
        } else {
            match brand_asset(&job.bundle.brand, &push_text.image) {
                Some(bytes) => match engine.image(bytes).as_ref() {
                    Ok(c) => Some(c.clone()),
                    Err(e) => {
                        diagnostics.push(
                            Diagnostic::error(
                                ch,
                                codes::PUSH_IMAGE_DECODE,
                                format!("image `{}`: {e}", push_text.image),
                            )
                            .at(file, field_line(text, "image"), None)
                            .hint("export the image again as PNG or JPEG"),
                        );
                        None
                    }
                },
                None => None,
            }
        };
    let r = push::render_push(push_text, image);
    diagnostics.extend(r.warnings.iter().map(|w| {
        let line = w.field().and_then(|f| field_line(text, f));
        w.clone().at(file, line, None)
    }));
    Ok((Rendition::Push(Box::new(r)), diagnostics))
}

/// Line of `key = …` in a TOML text.
fn field_line(toml_text: &str, key: &str) -> Option<u32> {
    toml_text
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|i| i as u32 + 1)
}

fn render_print(engine: &Engine, job: &Job<'_>, file: &str, text: &str) -> ChannelResult {
    let ch = Channel::Print;
    let src = fmt::parse_print(file, text).map_err(|e| vec![format_diag(ch, e)])?;
    let (toml_text, _, _) = fmt::split_front_matter(text).unwrap_or((None, text, 1));
    let toml_text = toml_text.unwrap_or_default();
    let meta = &src.meta;
    let mut parts = vec![
        Part::markdown(file, src.body, src.body_line),
        Part::field(file, "recipient", &meta.recipient, toml_text, 2),
    ];
    if let Some(t) = &meta.title {
        parts.push(Part::field(file, "title", t, toml_text, 2));
    }
    let mut out = expand(engine, job, ch, parts)?;
    let recipient = out.remove(&format!("{file}#recipient")).unwrap_or_default();
    let title = non_empty(out.remove(&format!("{file}#title")));
    let body_markdown = out.remove(file).unwrap_or_default();

    let page = match meta.page {
        fmt::PageSize::A4 => ccm_print::PageSize::A4,
        fmt::PageSize::Letter => ccm_print::PageSize::Letter,
    };
    let envelope_id = match meta.envelope {
        fmt::Envelope::Naga3 => Some("naga3"),
        fmt::Envelope::Us10 => Some("us10"),
        fmt::Envelope::None => None,
    };
    let envelope = match envelope_id.map(ccm_print::EnvelopeProfile::by_id) {
        None => None,
        Some(Ok(Some(p))) => Some(p),
        Some(Ok(None)) => {
            return Err(vec![Diagnostic::error(
                ch,
                codes::PRINT_ENVELOPE,
                format!("no envelope profile `{}`", envelope_id.unwrap_or_default()),
            )
            .at(file, field_line(toml_text, "envelope").map(|l| l + 1), None)])
        }
        Some(Err(e)) => {
            return Err(vec![Diagnostic::error(
                ch,
                codes::PRINT_ENVELOPE,
                e.to_string(),
            )
            .at(file, None, None)])
        }
    };
    let brand = &job.bundle.brand;
    let b = context::brand_value(brand, job.locale);
    let s = |k: &str| b[k].as_str().unwrap_or_default().to_string();
    let mut contact_lines = vec![
        filters::format_phone(&brand.kit.contact.phone, &job.filters),
        brand.kit.contact.email.clone(),
        brand.kit.contact.website.clone(),
    ];
    contact_lines.retain(|l| !l.trim().is_empty());
    let address_lines = b["address_lines"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let logo_png = brand
        .logo()
        .filter(|b| b.starts_with(b"\x89PNG\r\n\x1a\n"))
        .map(<[u8]>::to_vec);
    let print_job = ccm_print::PrintJob {
        page,
        envelope,
        locale: job.locale.to_string(),
        title,
        date_text: filters::format_date(job.opts.today, "long", &job.filters).unwrap_or_default(),
        recipient_lines: recipient
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        body_markdown,
        body_first_line: src.body_line,
        brand: ccm_print::LetterBrand {
            name: s("name"),
            legal_name: s("legal_name"),
            address_lines,
            contact_lines,
            primary_color: brand.kit.colors.primary.clone(),
            text_color: brand.kit.colors.text.clone(),
            logo_png,
        },
        pdf_a: job.opts.pdf_a,
        document_date: ymd(job.opts.today),
        images: brand_images(brand),
    };
    let printer = engine.printer().map_err(|e| {
        vec![Diagnostic::error(ch, codes::PRINT_FONTS, e)
            .hint("reinstall CCM Studio: its bundled fonts are missing")]
    })?;
    let to_diag = |d: &Diagnostic| d.clone().at(file, d.line, d.column);
    let letter = printer
        .compile(&print_job)
        .map_err(|ds| ds.iter().map(to_diag).collect::<Vec<_>>())?;
    let mut diagnostics: Vec<Diagnostic> = letter.warnings().iter().map(to_diag).collect();
    diagnostics.extend(brand_font_warning(brand));
    let export_err = |e: ccm_print::PrintError| {
        vec![Diagnostic::error(ch, codes::PRINT_EXPORT, e.to_string()).at(file, None, None)]
    };
    let pdf = letter.pdf().map_err(export_err)?;
    let mut pages_png = Vec::new();
    if let Some(dpi) = job.opts.png_dpi {
        for page in 1..=letter.page_count() {
            match letter.png(page, dpi) {
                Ok(png) => pages_png.push(png),
                Err(e) => {
                    diagnostics.push(
                        Diagnostic::error(ch, codes::PRINT_PNG, e.to_string()).at(file, None, None),
                    );
                    break;
                }
            }
        }
    }
    Ok((
        Rendition::Print(Box::new(PrintOutput {
            pdf,
            pages_png,
            png_dpi: job.opts.png_dpi,
            metrics: letter.metrics(),
            pdf_a: job.opts.pdf_a,
            typst_body: letter.typst_body().to_string(),
        })),
        diagnostics,
    ))
}
