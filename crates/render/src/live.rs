//! The live preview's render of one edit: every channel of a [`Draft`] at once, each pane's
//! result handed over the moment it is ready, then the findings of all four together.
//!
//! Print (a Typst compile) takes longest, so it runs in a lane of its own beside email, SMS
//! and push; a machine with two cores paints all four in about the time of print alone. The
//! letter is compiled incrementally per template ([`PrintExport::Live`]) and only the page on
//! screen is rasterised; other pages are rasterised from the kept letter when asked for
//! ([`page_png`]). The PDF (only its size is shown) is made last, when nothing newer waits.
//!
//! Most edits touch one channel's file: a channel whose inputs (its own file, the manifest,
//! personas, other shared files, brand kit, blocks, persona, locale, date) are unchanged since
//! its last live render is not rendered again; its pane is sent as it was ([`LiveCache`]).
//!
//! A newer edit makes this one pointless: `cancelled` is asked before every step, and a
//! cancelled render stops at the next one (a compile already running is not interrupted).

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ccm_core::format::{template_file_kind, TemplateFileKind};

use ccm_core::diagnostic::{codes, Diagnostic};
use ccm_core::model::Channel;
use ccm_rules::RuleSet;
use time::Date;

use crate::draft::Draft;
use crate::pipeline::{render_lanes, Engine, PrintExport, RenderOptions};
use crate::rendition::{ChannelOutput, LaidOutLetter, RenderSet, Rendition};

/// Lanes that run side by side: print alone, the three light channels together.
const LANES: [&[Channel]; 2] = [
    &[Channel::Email, Channel::Sms, Channel::Push],
    &[Channel::Print],
];

#[derive(Debug, Clone, PartialEq)]
pub struct LiveOptions {
    pub today: Date,
    /// The letter page on screen (1-based); a page past the end shows the last one.
    pub print_page: usize,
    /// Resolution of that page's image.
    pub print_dpi: f32,
}

/// What a live render reports, in the order it happens per lane.
#[derive(Debug)]
pub enum LiveEvent<'a> {
    /// One channel rendered: a rendition, or the diagnostics that stopped it. A channel whose
    /// file does not parse (see [`Draft::broken`]) reports no rendition and no diagnostics:
    /// the draft's problems say why, and the pane keeps what it showed.
    Pane {
        output: &'a ChannelOutput,
        /// Print only: the page on screen, as PNG.
        page: Option<PageImage>,
        /// Since the render started.
        elapsed: Duration,
    },
    /// The rule findings of everything rendered, checked together (rules compare channels),
    /// or why the rule packs could not run.
    Findings(Result<Vec<Diagnostic>, String>),
    /// The size of the letter's PDF.
    PrintPdf { bytes: usize },
}

/// One page of a letter as PNG.
#[derive(Debug, Clone, PartialEq)]
pub struct PageImage {
    /// 1-based.
    pub page: usize,
    pub pages: usize,
    pub png: Vec<u8>,
}

/// The last live render of each channel and what it was made from. One per editor (the app
/// keeps one); renders of other templates simply replace its entries.
#[derive(Default)]
pub struct LiveCache {
    last: Mutex<HashMap<Channel, Cached>>,
}

#[derive(Clone)]
struct Cached {
    inputs: u64,
    /// With its letter (print), as the lane made it.
    output: ChannelOutput,
    /// The page image last made from that letter, at (page, dpi bits).
    page: Option<((usize, u32), PageImage)>,
    pdf_bytes: Option<usize>,
}

impl LiveCache {
    pub fn new() -> Self {
        Self::default()
    }

    fn get(&self, channel: Channel, inputs: u64) -> Option<Cached> {
        let last = self.last.lock().ok()?;
        last.get(&channel).filter(|c| c.inputs == inputs).cloned()
    }

    fn put(&self, channel: Channel, entry: Cached) {
        if let Ok(mut last) = self.last.lock() {
            last.insert(channel, entry);
        }
    }

    fn note_pdf(&self, inputs: u64, bytes: usize) {
        if let Ok(mut last) = self.last.lock() {
            if let Some(c) = last.get_mut(&Channel::Print).filter(|c| c.inputs == inputs) {
                c.pdf_bytes = Some(bytes);
            }
        }
    }
}

/// A digest of everything `channel`'s rendition depends on: every file of the draft except
/// other channels' sources, the brand kit and its files, the blocks, persona, locale and date.
fn inputs_of(draft: &Draft, channel: Channel, shared: u64) -> u64 {
    let mut h = DefaultHasher::new();
    shared.hash(&mut h);
    channel.hash(&mut h);
    for (path, text) in &draft.bundle.source.files.0 {
        if let TemplateFileKind::Channel { channel: c, .. } = template_file_kind(path) {
            if c != channel {
                continue;
            }
        }
        path.hash(&mut h);
        text.hash(&mut h);
    }
    h.finish()
}

/// The part of [`inputs_of`] every channel shares.
fn shared_inputs(draft: &Draft, today: Date) -> u64 {
    let mut h = DefaultHasher::new();
    let b = &draft.bundle;
    (&b.template_id, &draft.persona, &draft.locale).hash(&mut h);
    today.to_julian_day().hash(&mut h);
    // Brand kits and blocks have no Hash of their own; their Debug text covers every field.
    format!("{:?}{:?}", b.brand.kit, b.blocks).hash(&mut h);
    b.brand.files.hash(&mut h);
    h.finish()
}

/// How a live render ended.
#[derive(Debug)]
pub struct LiveOutcome {
    /// False when a newer edit cancelled it before every step ran.
    pub complete: bool,
    /// The laid-out letter, for pages asked for later.
    pub letter: Option<LaidOutLetter>,
}

/// Renders every channel of `draft` in parallel lanes, reporting to `emit` (from the lanes'
/// threads) as results come in. `rules` is the loaded rule set or why it did not load.
pub fn render_live(
    engine: &Engine,
    cache: &LiveCache,
    rules: Result<&RuleSet, String>,
    draft: &Draft,
    opts: &LiveOptions,
    cancelled: &(dyn Fn() -> bool + Sync),
    emit: &(dyn Fn(LiveEvent<'_>) + Sync),
) -> LiveOutcome {
    let started = Instant::now();
    let mut render_opts = RenderOptions::new(opts.today);
    render_opts.png_dpi = None;
    render_opts.print_export = PrintExport::Live;
    let outputs = Mutex::new(Vec::with_capacity(Channel::ALL.len()));
    let letter = Mutex::new(None);
    let shared = shared_inputs(draft, opts.today);
    let page_key = (opts.print_page, opts.print_dpi.to_bits());
    let on_output = |output: ChannelOutput, cached: Option<Cached>| {
        let inputs = inputs_of(draft, output.channel, shared);
        let mut page = None;
        if let Some(Rendition::Print(print)) = &output.rendition {
            if let Some(laid_out) = &print.letter {
                if cancelled() {
                    return;
                }
                let same_page = cached.as_ref().and_then(|c| c.page.clone());
                page = Some(match same_page {
                    Some((key, image)) if key == page_key => Ok(image),
                    _ => page_png(laid_out, opts.print_page, opts.print_dpi),
                });
                if let Ok(mut l) = letter.lock() {
                    *l = Some(laid_out.clone());
                }
            }
        }
        if cached.is_none() || output.channel == Channel::Print {
            let image = page.as_ref().and_then(|p| p.as_ref().ok().cloned());
            cache.put(
                output.channel,
                Cached {
                    inputs,
                    output: output.clone(),
                    page: image.map(|i| (page_key, i)),
                    pdf_bytes: cached.and_then(|c| c.pdf_bytes),
                },
            );
        }
        let (page, mut output) = match page {
            Some(Err(problem)) => {
                let mut output = output;
                output.diagnostics.push(problem);
                (None, output)
            }
            Some(Ok(image)) => (Some(image), output),
            None => (None, output),
        };
        emit(LiveEvent::Pane {
            output: &output,
            page,
            elapsed: started.elapsed(),
        });
        if let Some(Rendition::Print(print)) = &mut output.rendition {
            print.letter = None; // the outcome keeps it; checks read the text
        }
        if let Ok(mut all) = outputs.lock() {
            all.push(output);
        }
    };
    // Channels rendered before from the same inputs are sent again straight away.
    let mut hits = Vec::new();
    let renderable: Vec<Vec<Channel>> = LANES
        .iter()
        .map(|lane| {
            lane.iter()
                .copied()
                .filter(|c| !draft.broken.contains(c))
                .filter(|c| match cache.get(*c, inputs_of(draft, *c, shared)) {
                    Some(hit) => {
                        hits.push(hit);
                        false
                    }
                    None => true,
                })
                .collect()
        })
        .collect();
    let expected = renderable.iter().map(Vec::len).sum::<usize>() + hits.len();
    let mut pdf_known = None;
    for hit in hits {
        if hit.output.channel == Channel::Print {
            pdf_known = hit.pdf_bytes;
        }
        on_output(hit.output.clone(), Some(hit));
    }
    for channel in &draft.broken {
        emit(LiveEvent::Pane {
            output: &ChannelOutput::failed(*channel, Vec::new()),
            page: None,
            elapsed: started.elapsed(),
        });
    }
    let lanes: Vec<&[Channel]> = renderable.iter().map(Vec::as_slice).collect();
    render_lanes(
        engine,
        &draft.bundle,
        (&draft.persona, &draft.locale),
        &lanes,
        &render_opts,
        &|| !cancelled(),
        &|output| on_output(output, None),
    );
    let letter = letter.into_inner().ok().flatten();
    let mut outputs = outputs.into_inner().unwrap_or_default();
    if cancelled() || outputs.len() < expected {
        return LiveOutcome {
            complete: false,
            letter,
        };
    }
    outputs.sort_by_key(|o| o.channel);
    let set = RenderSet {
        template_id: draft.bundle.template_id.clone(),
        version: draft.bundle.version,
        template_hash: draft.bundle.hash.clone(),
        persona: draft.persona.clone(),
        locale: draft.locale.clone(),
        today: crate::context::iso_date(opts.today),
        outputs,
    };
    emit(LiveEvent::Findings(rules.and_then(|rules| {
        draft.check(rules, &set).map_err(|e| e.to_string())
    })));
    if let Some(l) = &letter {
        if cancelled() {
            return LiveOutcome {
                complete: false,
                letter,
            };
        }
        let bytes = match pdf_known {
            Some(bytes) => Some(bytes),
            None => l.0.pdf().ok().map(|pdf| pdf.len()),
        };
        if let Some(bytes) = bytes {
            cache.note_pdf(inputs_of(draft, Channel::Print, shared), bytes);
            emit(LiveEvent::PrintPdf { bytes });
        }
    }
    LiveOutcome {
        complete: true,
        letter,
    }
}

/// Page `page` (1-based; past the end: the last page) of a laid-out letter as PNG at `dpi`.
pub fn page_png(letter: &LaidOutLetter, page: usize, dpi: f32) -> Result<PageImage, Diagnostic> {
    let pages = letter.0.page_count();
    let page = page.clamp(1, pages.max(1));
    letter
        .0
        .png(page, dpi)
        .map(|png| PageImage { page, pages, png })
        .map_err(|e| Diagnostic::error(Channel::Print, codes::PRINT_PNG, e.to_string()))
}
