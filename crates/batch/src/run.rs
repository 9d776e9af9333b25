//! The run: records are read in bounded chunks; each chunk renders on every core (rayon),
//! each record writing its own files; then, in record order, the run folds the results into
//! the summary, the errors file and the print files. While one chunk renders the next is
//! read, so memory holds at most two chunks whatever the file's size.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use ccm_core::diagnostic::Severity;
use ccm_core::model::{Channel, Persona, TemplateBundle};
use ccm_render::sms::SmsEncoding;
use ccm_render::{render_record, Engine, RenderOptions, Rendition};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::layout::{Layout, Output};
use crate::print_file::PrintFile;
use crate::records::{RawRecord, Records};
use crate::summary::Summary;

/// Records per chunk without print: large enough to keep every core busy between the
/// in-order steps, small enough that a chunk's results are a few MB.
const CHUNK: usize = 4096;
/// With print, a letter PDF is tens of KB and takes milliseconds: smaller chunks.
const PRINT_CHUNK: usize = 64;

/// What happens to the letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintMode {
    /// One PDF per record (`print/0000/00000001.pdf`).
    PerRecord,
    /// One print file for the whole run (or shard).
    Combined,
    /// One print file per N letters.
    Per(u64),
}

/// Everything a run needs besides the records.
pub struct Job<'a> {
    pub engine: &'a Engine,
    pub bundle: &'a TemplateBundle,
    pub opts: &'a RenderOptions,
    /// In channel order.
    pub channels: Vec<Channel>,
    /// The locale when the record names none.
    pub locale: String,
    /// Dotted path of a record field holding the locale (`customer.locale`).
    pub locale_from: Option<String>,
    pub layout: Layout,
    /// Per-record files or one JSON Lines file per channel.
    pub output: Output,
    pub print: PrintMode,
    /// Where the errors go (default: the layout's errors file).
    pub errors: Option<PathBuf>,
    /// `approved` or `latest`, for the summary.
    pub source: String,
}

/// One line of the errors file.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorLine {
    pub record: u64,
    pub line: u64,
    /// `None` when the record itself is bad (does not parse, names an unknown locale).
    pub channel: Option<String>,
    pub code: String,
    pub message: String,
}

struct Outcome {
    number: u64,
    line: u64,
    errors: Vec<ErrorLine>,
    rendered: Vec<Channel>,
    /// (encoding, Japanese price tier, segments)
    sms: Option<(&'static str, Option<String>, u64)>,
    warnings: Vec<String>,
    /// The letter, kept for the print file instead of written on its own.
    letter: Option<Vec<u8>>,
    pages: u64,
    /// `--output jsonl`: this record's line per channel, written in record order.
    lines: Vec<(Channel, Vec<u8>)>,
}

impl Outcome {
    fn new(raw: &RawRecord) -> Self {
        Outcome {
            number: raw.number,
            line: raw.line,
            errors: Vec::new(),
            rendered: Vec::new(),
            sms: None,
            warnings: Vec::new(),
            letter: None,
            pages: 0,
            lines: Vec::new(),
        }
    }

    fn error(&mut self, channel: Option<Channel>, code: &str, message: String) {
        self.errors.push(ErrorLine {
            record: self.number,
            line: self.line,
            channel: channel.map(|c| c.as_str().to_owned()),
            code: code.to_owned(),
            message,
        });
    }
}

/// Runs `job` over `records`; `progress(records done, bytes read)` after each chunk.
pub fn run(job: &Job<'_>, records: &mut Records, progress: &dyn Fn(u64, u64)) -> Result<Summary> {
    let chunk_size = if job.channels.contains(&Channel::Print) {
        PRINT_CHUNK
    } else {
        CHUNK
    };
    std::fs::create_dir_all(&job.layout.out)
        .with_context(|| format!("cannot create {}", job.layout.out.display()))?;
    let errors_path = job.errors.clone().unwrap_or_else(|| job.layout.errors());
    let mut errors = BufWriter::new(create(&errors_path)?);
    let mut print = Printing::new(job)?;
    let mut streams = Streams::new(job)?;
    let mut summary = Summary {
        template: job.bundle.template_id.clone(),
        version: job.bundle.version,
        template_hash: job.bundle.hash.0.clone(),
        source: job.source.clone(),
        today: ccm_render::context::iso_date(job.opts.today),
        channels: job.channels.iter().map(|c| c.as_str().to_owned()).collect(),
        shards: job.layout.shard.label().into_iter().collect(),
        ..Summary::default()
    };

    let mut next = read_chunk(records, job, chunk_size)?;
    while !next.is_empty() {
        let chunk = next;
        let (outcomes, read) = rayon::join(
            || {
                chunk
                    .par_iter()
                    .map(|raw| render_one(job, raw))
                    .collect::<Result<Vec<Outcome>>>()
            },
            || read_chunk(records, job, chunk_size),
        );
        next = read?;
        for mut outcome in outcomes? {
            if let Some(pdf) = outcome.letter.take() {
                if let Err(message) = print.append(&outcome, &pdf)? {
                    outcome.error(Some(Channel::Print), "batch.print-file", message);
                    outcome.rendered.retain(|c| *c != Channel::Print);
                    outcome.pages = 0;
                }
            }
            for (channel, line) in &outcome.lines {
                streams.write(*channel, line)?;
            }
            fold(&mut summary, &outcome);
            for e in &outcome.errors {
                serde_json::to_writer(&mut errors, e)?;
                errors.write_all(b"\n")?;
            }
        }
        progress(summary.records, records.bytes_read());
    }
    errors.flush()?;
    summary.print.files = print.finish()?;
    summary.streams = streams.finish()?;
    let mut bytes = serde_json::to_vec_pretty(&summary)?;
    bytes.push(b'\n');
    write_file(&job.layout.summary(), &bytes)?;
    Ok(summary)
}

/// Up to `size` of this shard's records.
fn read_chunk(records: &mut Records, job: &Job<'_>, size: usize) -> Result<Vec<RawRecord>> {
    let mut chunk = Vec::with_capacity(size);
    while chunk.len() < size {
        match records.next_record()? {
            Some(r) if job.layout.shard.owns(r.number) => chunk.push(r),
            Some(_) => {}
            None => break,
        }
    }
    Ok(chunk)
}

fn fold(summary: &mut Summary, o: &Outcome) {
    summary.records += 1;
    if o.errors.is_empty() {
        summary.records_ok += 1;
    } else {
        summary.records_failed += 1;
    }
    summary.errors += o.errors.len() as u64;
    for c in &o.rendered {
        *summary.rendered.entry(c.as_str().to_owned()).or_default() += 1;
    }
    if let Some((encoding, tier, segments)) = &o.sms {
        summary.count_sms(encoding, tier.clone(), *segments);
    }
    if o.rendered.contains(&Channel::Print) {
        summary.print.letters += 1;
        summary.print.pages += o.pages;
    }
    for w in &o.warnings {
        *summary.warnings.entry(w.clone()).or_default() += 1;
    }
}

/// The locale a record asks for: the `--locale-from` field when it is set and not empty.
fn locale_of(job: &Job<'_>, data: &Map<String, Value>) -> std::result::Result<String, String> {
    let Some(path) = &job.locale_from else {
        return Ok(job.locale.clone());
    };
    let mut node: Option<&Value> = None;
    let mut map = Some(data);
    for key in path.split('.') {
        node = map.and_then(|m| m.get(key));
        map = node.and_then(Value::as_object);
    }
    match node {
        None | Some(Value::Null) => Ok(job.locale.clone()),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(job.locale.clone()),
        Some(Value::String(s)) => Ok(s.trim().to_owned()),
        Some(other) => Err(format!("`{path}` is {other}, not a locale name")),
    }
}

/// Renders one record and writes its files. `Err` only when a file cannot be written (the run
/// stops: a full disk is no record's fault).
fn render_one(job: &Job<'_>, raw: &RawRecord) -> Result<Outcome> {
    let mut out = Outcome::new(raw);
    let data = match raw.data() {
        Ok(d) => d,
        Err(message) => {
            out.error(None, "batch.bad-record", message);
            return Ok(out);
        }
    };
    let locale = match locale_of(job, &data) {
        Ok(l) => l,
        Err(message) => {
            out.error(None, "batch.bad-locale", message);
            return Ok(out);
        }
    };
    let record = Persona {
        id: format!("record-{}", raw.number),
        label: String::new(),
        edge_case: false,
        data,
    };
    let outputs = render_record(
        job.engine,
        job.bundle,
        &record,
        &locale,
        &job.channels,
        job.opts,
    );
    for o in outputs {
        for d in &o.diagnostics {
            match d.severity {
                Severity::Error => out.error(Some(o.channel), &d.code, one_line(d)),
                Severity::Warning => out.warnings.push(d.code.clone()),
                Severity::Info => {}
            }
        }
        if o.has_errors() {
            continue;
        }
        let Some(rendition) = &o.rendition else {
            continue;
        };
        write_rendition(job, &mut out, rendition)?;
        out.rendered.push(o.channel);
    }
    Ok(out)
}

fn one_line(d: &ccm_core::diagnostic::Diagnostic) -> String {
    let place = match (&d.file, d.line) {
        (Some(f), Some(l)) => format!("{f}:{l}: "),
        (Some(f), None) => format!("{f}: "),
        _ => String::new(),
    };
    format!("{place}{}", d.message.en).replace('\n', " ")
}

fn write_rendition(job: &Job<'_>, out: &mut Outcome, rendition: &Rendition) -> Result<()> {
    let n = out.number;
    let layout = &job.layout;
    let lines = job.output == Output::JsonLines;
    match rendition {
        Rendition::Email(e) if lines => {
            let line = json_line(
                n,
                [(
                    "eml",
                    Value::String(String::from_utf8_lossy(&e.eml).into_owned()),
                )],
            )?;
            out.lines.push((Channel::Email, line));
        }
        Rendition::Email(e) => write_file(&layout.record_file("email", n, ".eml"), &e.eml)?,
        Rendition::Sms(s) => {
            let a = &s.analysis;
            let encoding = match a.encoding {
                SmsEncoding::Gsm7 => "gsm7",
                SmsEncoding::Ucs2 => "ucs2",
            };
            let tier = match (a.encoding, a.japan.price_tier) {
                (SmsEncoding::Ucs2, Some(t)) => Some(t.to_string()),
                (SmsEncoding::Ucs2, None) => Some("over_cap".to_owned()),
                (SmsEncoding::Gsm7, _) => None,
            };
            if lines {
                let line = json_line(
                    n,
                    [
                        ("text", Value::String(s.text.clone())),
                        ("encoding", Value::String(encoding.to_owned())),
                        ("segments", Value::from(a.segments as u64)),
                    ],
                )?;
                out.lines.push((Channel::Sms, line));
            } else {
                let mut text = s.text.clone().into_bytes();
                text.push(b'\n');
                write_file(&layout.record_file("sms", n, ".txt"), &text)?;
            }
            out.sms = Some((encoding, tier, a.segments as u64));
        }
        Rendition::Push(p) if lines => {
            // The payloads are pretty-printed for people; a JSON Lines record holds them compact.
            let apns: Value = serde_json::from_str(&p.apns_json)?;
            let fcm: Value = serde_json::from_str(&p.fcm_json)?;
            let line = json_line(n, [("apns", apns), ("fcm", fcm)])?;
            out.lines.push((Channel::Push, line));
        }
        Rendition::Push(p) => {
            write_file(
                &layout.record_file("push", n, ".apns.json"),
                p.apns_json.as_bytes(),
            )?;
            write_file(
                &layout.record_file("push", n, ".fcm.json"),
                p.fcm_json.as_bytes(),
            )?;
            if let Some(jpg) = p.image.as_ref().and_then(|i| i.reencoded.as_ref()) {
                write_file(&layout.record_file("push", n, ".image.jpg"), jpg)?;
            }
        }
        Rendition::Print(p) => {
            out.pages = p.metrics.pages as u64;
            if job.print == PrintMode::PerRecord {
                write_file(&layout.record_file("print", n, ".pdf"), &p.pdf)?;
            } else {
                out.letter = Some(p.pdf.clone());
            }
        }
    }
    Ok(())
}

/// `{"record":N,…}` and a newline: one record's line of a channel's JSON Lines file.
fn json_line<const K: usize>(record: u64, fields: [(&str, Value); K]) -> Result<Vec<u8>> {
    let mut map = Map::with_capacity(K + 1);
    map.insert("record".to_owned(), Value::from(record));
    for (k, v) in fields {
        map.insert(k.to_owned(), v);
    }
    let mut line = serde_json::to_vec(&Value::Object(map))?;
    line.push(b'\n');
    Ok(line)
}

/// The JSON Lines files of `--output jsonl`, opened on a channel's first line.
struct Streams<'a> {
    job: &'a Job<'a>,
    open: Vec<(Channel, BufWriter<File>)>,
}

impl<'a> Streams<'a> {
    fn new(job: &'a Job<'a>) -> Result<Self> {
        Ok(Streams {
            job,
            open: Vec::new(),
        })
    }

    fn write(&mut self, channel: Channel, line: &[u8]) -> Result<()> {
        let at = match self.open.iter().position(|(c, _)| *c == channel) {
            Some(i) => i,
            None => {
                let path = self.job.layout.stream_file(channel.as_str());
                self.open.push((channel, BufWriter::new(create(&path)?)));
                self.open.len() - 1
            }
        };
        self.open[at].1.write_all(line)?;
        Ok(())
    }

    /// Flushes every file; their names relative to the output folder, in channel order.
    fn finish(mut self) -> Result<Vec<String>> {
        self.open
            .sort_by_key(|(c, _)| Channel::ALL.iter().position(|a| a == c));
        let mut names = Vec::new();
        for (channel, mut w) in self.open {
            w.flush()?;
            let path = self.job.layout.stream_file(channel.as_str());
            names.push(self.job.layout.relative(&path));
        }
        Ok(names)
    }
}

fn create(path: &Path) -> Result<File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    File::create(path).with_context(|| format!("cannot write {}", path.display()))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let write = || -> std::io::Result<()> {
        match std::fs::write(path, bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(path, bytes)
            }
            other => other,
        }
    };
    write().with_context(|| format!("cannot write {}", path.display()))
}

/// The print files and their index, filled in record order.
struct Printing<'a> {
    job: &'a Job<'a>,
    current: Option<PrintFile>,
    part: u64,
    files: Vec<String>,
    index: Option<BufWriter<File>>,
}

impl<'a> Printing<'a> {
    fn new(job: &'a Job<'a>) -> Result<Self> {
        let index = if job.print != PrintMode::PerRecord && job.channels.contains(&Channel::Print) {
            let mut w = BufWriter::new(create(&job.layout.print_index())?);
            w.write_all(b"record,line,file,first_page,last_page,pages\n")?;
            Some(w)
        } else {
            None
        };
        Ok(Printing {
            job,
            current: None,
            part: 0,
            files: Vec::new(),
            index,
        })
    }

    fn path(&self) -> PathBuf {
        match self.job.print {
            PrintMode::Per(_) => self.job.layout.print_file(Some(self.part)),
            _ => self.job.layout.print_file(None),
        }
    }

    /// Adds a letter; the inner `Err` is the record's (its PDF could not be copied).
    fn append(&mut self, o: &Outcome, pdf: &[u8]) -> Result<std::result::Result<(), String>> {
        if self.current.is_none() {
            self.part += 1;
            let path = self.path();
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            let file = PrintFile::create(&path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            self.current = Some(file);
        }
        let file = self.current.as_mut().expect("just set");
        let (first, last) = match file
            .append(pdf)
            .with_context(|| format!("cannot write {}", file.path().display()))?
        {
            Ok(range) => range,
            Err(message) => return Ok(Err(message)),
        };
        let name = self.job.layout.relative(file.path());
        if let Some(index) = &mut self.index {
            writeln!(
                index,
                "{},{},{},{first},{last},{}",
                o.number,
                o.line,
                name,
                last - first + 1
            )?;
        }
        if let PrintMode::Per(n) = self.job.print {
            if file.letters() as u64 >= n {
                self.flush()?;
            }
        }
        Ok(Ok(()))
    }

    fn flush(&mut self) -> Result<()> {
        if let Some(file) = self.current.take() {
            let path = file.path().to_owned();
            file.finish()
                .with_context(|| format!("cannot write {}", path.display()))?;
            self.files.push(self.job.layout.relative(&path));
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<String>> {
        self.flush()?;
        if let Some(mut index) = self.index.take() {
            index.flush()?;
        }
        Ok(self.files)
    }
}
