//! The ONE place Tera is configured: which sources a channel renders, which blocks they may
//! include, how values are escaped, which filters exist, what the context holds, and how Tera's
//! errors become diagnostics with file, line and column.
//!
//! Escaping is decided per template name, explicitly: Markdown bodies (`email*.md`, `print*.md`
//! and the blocks they include) escape data values with [`markdown::escape`]; plain-text
//! sources (`sms*.txt`, `push*.toml` values, subject, preheader, recipient) are not escaped —
//! they are text, and the JSON/MIME/Typst encoders downstream encode them for their target.
//! Tera decides escaping by the *top-level* template's name suffix and includes inherit it, so
//! a block is escaped inside an email body and left as text inside an SMS.

use crate::filters::{self, FilterLocale};
use crate::guard;
use crate::markdown;
use ccm_core::diagnostic::{codes, line_col, Diagnostic};
use ccm_core::model::{Block, Brand, Channel, Persona};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use time::Date;

/// Tera template name suffix that turns on Markdown escaping.
const MARKDOWN_SUFFIX: &str = ".md";
/// Prefix of block names in include tags (`{% include "blocks/legal-footer" %}`).
pub const BLOCK_PREFIX: &str = "blocks/";

/// One Tera source: a channel body or one Tera string of a front matter / push.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Tera template name. Ends in `.md` exactly when the part is Markdown (escaped).
    pub name: String,
    /// Source file inside the template folder, for diagnostics.
    pub file: String,
    pub text: String,
    /// File line of the part's first line.
    pub first_line: u32,
    /// Characters before the part on its first line (a value after `subject = "`).
    pub first_column_offset: u32,
}

impl Part {
    /// A Markdown body: Tera-expanded with Markdown escaping.
    pub fn markdown(file: &str, text: &str, first_line: u32) -> Self {
        Part {
            name: file.to_string(),
            file: file.to_string(),
            text: text.to_string(),
            first_line,
            first_column_offset: 0,
        }
    }
    /// A whole plain-text file (`sms.txt`).
    pub fn text_file(file: &str, text: &str) -> Self {
        Part {
            name: file.to_string(),
            file: file.to_string(),
            text: text.to_string(),
            first_line: 1,
            first_column_offset: 0,
        }
    }
    /// A TOML string value (`subject`, `push.toml` `body`…): plain text, located in its file.
    pub fn field(
        file: &str,
        key: &str,
        value: &str,
        toml_text: &str,
        toml_first_line: u32,
    ) -> Self {
        let (first_line, first_column_offset) = locate_toml_value(toml_text, key)
            .map(|(l, c)| (toml_first_line + l - 1, c))
            .unwrap_or((toml_first_line, 0));
        Part {
            // `#key` keeps the name from ending in `.md`, so the value is never Markdown-escaped.
            name: format!("{file}#{key}"),
            file: file.to_string(),
            text: value.to_string(),
            first_line,
            first_column_offset,
        }
    }
}

/// Where a TOML key's string value starts: (1-based line within `toml_text`, characters before
/// the value on that line). A `"""` value whose opening quotes end the line starts on the next
/// line (TOML drops that newline).
fn locate_toml_value(toml_text: &str, key: &str) -> Option<(u32, u32)> {
    for (i, line) in toml_text.lines().enumerate() {
        let trimmed = line.trim_start();
        let Some(rest) = trimmed.strip_prefix(key) else {
            continue;
        };
        let rest_trim = rest.trim_start();
        if !rest_trim.starts_with('=') {
            continue;
        }
        let after_eq = rest_trim[1..].trim_start();
        let line_no = i as u32 + 1;
        let value_byte = line.len() - after_eq.len();
        for q in ["\"\"\"", "'''", "\"", "'"] {
            if let Some(after_q) = after_eq.strip_prefix(q) {
                if q.len() == 3 && after_q.trim_end().is_empty() {
                    return Some((line_no + 1, 0));
                }
                let col = line[..value_byte].chars().count() + q.len();
                return Some((line_no, col as u32));
            }
        }
        return Some((line_no, line[..value_byte].chars().count() as u32));
    }
    None
}

/// The block variant used for `locale`: exact locale, then its language (`ja` for `ja-JP`),
/// then the locale-neutral one.
pub fn resolve_block<'a>(blocks: &'a [Block], name: &str, locale: &str) -> Option<&'a Block> {
    let lang = locale.split('-').next().unwrap_or(locale);
    let pick = |want: Option<&str>| {
        blocks
            .iter()
            .find(|b| b.name == name && b.locale.as_deref() == want)
    };
    pick(Some(locale))
        .or_else(|| pick(Some(lang)))
        .or_else(|| pick(None))
}

fn block_file(b: &Block) -> String {
    match &b.locale {
        Some(l) => format!("_blocks/{}.{l}.md", b.name),
        None => format!("_blocks/{}.md", b.name),
    }
}

/// `{% include "…" %}` targets with their 1-based line and column in `text`.
fn includes(text: &str) -> Vec<(String, u32, u32)> {
    ccm_core::format::find_includes(text)
        .into_iter()
        .map(|i| (i.target, i.line, i.column))
        .collect()
}

/// A channel's parsed Tera templates, ready to render any persona. Built once per content hash
/// and cached by the [`crate::Engine`].
pub struct ChannelTemplates {
    channel: Channel,
    tera: tera::Tera,
    /// Tera name → (file, text, first line, first column offset), for locating errors.
    sources: BTreeMap<String, (String, String, u32, u32)>,
}

impl std::fmt::Debug for ChannelTemplates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChannelTemplates")
            .field("channel", &self.channel)
            .field("templates", &self.sources.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Everything that decides how a channel's templates parse: hashed into the cache key.
pub struct TemplateSet<'a> {
    pub channel: Channel,
    pub locale: &'a str,
    pub filters: FilterLocale,
    pub parts: Vec<Part>,
    /// The blocks the parts include (transitively), resolved for the locale.
    pub blocks: Vec<&'a Block>,
    /// Includes that name no existing block: reported as diagnostics by `build`.
    pub missing: Vec<Diagnostic>,
}

impl<'a> TemplateSet<'a> {
    pub fn new(
        channel: Channel,
        locale: &'a str,
        filters: FilterLocale,
        parts: Vec<Part>,
        all_blocks: &'a [Block],
    ) -> Self {
        let mut blocks: Vec<&Block> = Vec::new();
        let mut missing = Vec::new();
        let mut seen = BTreeSet::new();
        // (included target, includer file, includer text line offset)
        let mut queue: VecDeque<(String, String, u32, u32, u32)> = VecDeque::new();
        for p in &parts {
            for (target, line, col) in includes(&p.text) {
                queue.push_back((target, p.file.clone(), p.first_line + line - 1, col, 0));
            }
        }
        while let Some((target, file, line, col, depth)) = queue.pop_front() {
            if !seen.insert(target.clone()) {
                continue;
            }
            let found = target
                .strip_prefix(BLOCK_PREFIX)
                .and_then(|name| resolve_block(all_blocks, name, locale));
            match found {
                Some(b) => {
                    blocks.push(b);
                    if depth < 16 {
                        for (t, l, c) in includes(&b.content) {
                            queue.push_back((t, block_file(b), l, c, depth + 1));
                        }
                    }
                }
                None => {
                    let mut names: Vec<&str> = all_blocks.iter().map(|b| b.name.as_str()).collect();
                    names.sort_unstable();
                    names.dedup();
                    let hint = if target.starts_with(BLOCK_PREFIX) {
                        format!(
                            "add templates/_blocks/{}.md (or .{locale}.md), or include one of: {}",
                            target.trim_start_matches(BLOCK_PREFIX),
                            if names.is_empty() {
                                "(no blocks in the library)".to_string()
                            } else {
                                names.join(", ")
                            }
                        )
                    } else {
                        "include shared blocks as {% include \"blocks/<name>\" %}".to_string()
                    };
                    missing.push(
                        Diagnostic::error(
                            channel,
                            codes::TERA_UNKNOWN_BLOCK,
                            format!("unknown block `{target}` for locale {locale}"),
                        )
                        .at(file, Some(line), Some(col))
                        .hint(hint),
                    );
                }
            }
        }
        blocks.sort_by(|a, b| a.name.cmp(&b.name));
        TemplateSet {
            channel,
            locale,
            filters,
            parts,
            blocks,
            missing,
        }
    }

    /// sha256 over everything that goes into the parsed templates.
    pub fn cache_key(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        let mut field = |s: &str| {
            h.update((s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        field(self.channel.as_str());
        field(self.locale);
        field(&self.filters.locale);
        field(&self.filters.default_currency);
        for p in &self.parts {
            field(&p.name);
            field(&p.file);
            field(&p.text);
            field(&p.first_line.to_string());
            field(&p.first_column_offset.to_string());
        }
        for b in &self.blocks {
            field(&b.name);
            field(b.locale.as_deref().unwrap_or(""));
            field(&b.content);
        }
        h.finalize().into()
    }

    /// Parses every part and block into one Tera instance.
    pub fn build(&self) -> Result<ChannelTemplates, Vec<Diagnostic>> {
        if !self.missing.is_empty() {
            return Err(self.missing.clone());
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![MARKDOWN_SUFFIX]);
        tera.set_escape_fn(markdown::escape);
        filters::register(&mut tera, &self.filters);
        crate::components::register(&mut tera, self.channel, &self.filters);
        let mut sources = BTreeMap::new();
        let mut diags = Vec::new();
        let mut named: Vec<(String, String, String, u32, u32)> = self
            .parts
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.file.clone(),
                    p.text.clone(),
                    p.first_line,
                    p.first_column_offset,
                )
            })
            .collect();
        for b in &self.blocks {
            named.push((
                format!("{BLOCK_PREFIX}{}", b.name),
                block_file(b),
                b.content.clone(),
                1,
                0,
            ));
        }
        if let Some(d) = self.include_cycle_diagnostic(&named) {
            return Err(vec![d]);
        }
        // One template at a time, so every syntax error is reported, not only the first.
        for (name, file, text, line, col) in named {
            // Tera's parser recurses once per nesting level: bound the nesting before it runs.
            if text.len() as u64 > ccm_core::limits::TEMPLATE_TEXT_BYTES {
                let what = format!(
                    "this part is {} bytes; template files may be at most {} bytes",
                    text.len(),
                    ccm_core::limits::TEMPLATE_TEXT_BYTES
                );
                diags.push(guard::located(self.channel, &file, "", line, 0, what));
            } else if let Err((offset, what)) = guard::check_tera_source(&text) {
                diags.push(guard::located(
                    self.channel,
                    &file,
                    &text,
                    line,
                    offset,
                    what,
                ));
            } else if let Err(e) = tera.add_raw_template(&name, &text) {
                diags.push(parse_diagnostic(self.channel, &file, &e, line, col));
            }
            sources.insert(name, (file, text, line, col));
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        guard::register(&mut tera);
        guard::instrument(&mut tera);
        Ok(ChannelTemplates {
            channel: self.channel,
            tera,
            sources,
        })
    }
}

impl TemplateSet<'_> {
    /// A block that includes itself, directly or through other blocks, located at the include
    /// that closes the cycle.
    fn include_cycle_diagnostic(
        &self,
        named: &[(String, String, String, u32, u32)],
    ) -> Option<Diagnostic> {
        let texts: BTreeMap<String, String> = named
            .iter()
            .map(|(name, _, text, _, _)| (name.clone(), text.clone()))
            .collect();
        let cycle = guard::include_cycle(&texts)?;
        let from = &cycle[cycle.len() - 2];
        let to = &cycle[cycle.len() - 1];
        let (file, text, first_line) = named
            .iter()
            .find(|n| &n.0 == from)
            .map(|n| (n.1.clone(), n.2.as_str(), n.3))?;
        let place = includes(text).into_iter().find(|(t, _, _)| t == to);
        Some(
            Diagnostic::error(
                self.channel,
                codes::RENDER_LIMIT,
                format!(
                    "blocks include each other in a cycle ({}): the expansion would never end",
                    cycle.join(" → ")
                ),
            )
            .at(
                file,
                place.as_ref().map(|(_, l, _)| first_line + l - 1),
                place.as_ref().map(|(_, _, c)| *c),
            )
            .hint(format!("remove the include of `{to}` here, or move the shared text into a block that includes nothing")),
        )
    }
}

impl ChannelTemplates {
    /// Renders one part (by its Tera name) with `ctx`, within the limits of
    /// [`ccm_core::limits`] (loop count, call depth, output size, time); a Markdown part's
    /// expansion is then checked for nesting depth and image count.
    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        let mut writer = guard::LimitedWriter { out: Vec::new() };
        {
            let _armed = guard::Budget::arm();
            self.tera
                .render_to(name, ctx, &mut writer)
                .map_err(|e| self.render_diagnostic(name, &e, ctx))?;
        }
        let out = String::from_utf8(writer.out).map_err(|_| {
            let (file, ..) = self.source(name);
            Diagnostic::error(
                self.channel,
                codes::TERA_RENDER,
                "the expansion is not valid UTF-8",
            )
            .at(file, None, None)
        })?;
        if name.ends_with(MARKDOWN_SUFFIX) {
            if let Err((offset, what)) = guard::check_markdown(&out) {
                let (file, _, first_line, _) = self.source(name);
                let (line, _) = line_col(&out, offset.min(out.len()));
                return Err(guard::located(
                    self.channel,
                    &file,
                    "",
                    first_line,
                    0,
                    format!("{what} (line {line} of the expanded body)"),
                ));
            }
        }
        Ok(out)
    }

    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    fn render_diagnostic(&self, top: &str, e: &tera::Error, ctx: &tera::Context) -> Diagnostic {
        let chain = error_chain(e);
        let joined = chain.join(": ");
        if let Some(limit) = chain.iter().find_map(|m| {
            m.find(guard::LIMIT_MARK)
                .map(|i| m[i + guard::LIMIT_MARK.len()..].to_string())
        }) {
            let needles: &[&str] = if limit.contains("loops") {
                &["for"]
            } else if limit.contains("nest") {
                &["include", "self::"]
            } else if limit.contains("range()") {
                &["range"]
            } else {
                &[]
            };
            let (file, line, col) = self.locate_any(needles, top);
            return Diagnostic::error(self.channel, codes::RENDER_LIMIT, limit)
                .at(file, line, col)
                .hint("see docs/SECURITY.md (Limits): loop over the data you have, not over a huge range; a macro or block must not call itself without end");
        }
        // Missing variable: "Variable `x.y` not found in context while rendering 'name'".
        for msg in &chain {
            if let Some((var, tpl)) = parse_missing_variable(msg) {
                let (file, line, col) = self.locate(&tpl, &var, top);
                return Diagnostic::error(
                    self.channel,
                    codes::TERA_MISSING_VARIABLE,
                    format!("missing variable `{var}`"),
                )
                .at(file, line, col)
                .hint(match closest_variable(&var, ctx) {
                    Some(near) => format!(
                        "did you mean `{near}`? If not, add `{var}` to the persona data, or for an optional field write {{{{ {var} | default(value=\"\") }}}}"
                    ),
                    None => format!(
                        "add `{var}` to the persona data, or for an optional field write {{{{ {var} | default(value=\"\") }}}} or {{% if {var} %}}…{{% endif %}}"
                    ),
                });
            }
        }
        // Filter failures: "Filter call 'currency' failed" → our message from filters.rs.
        for (i, msg) in chain.iter().enumerate() {
            if let Some(filter) = between(msg, "Filter call '", "' failed") {
                let detail = chain.get(i + 1).cloned().unwrap_or_else(|| msg.clone());
                let needle = format!("| {filter}");
                let (file, line, col) = self.locate_any(&[&needle, &filter], top);
                return Diagnostic::error(self.channel, codes::TERA_FILTER, detail)
                    .at(file, line, col)
                    .hint(format!(
                        "check the value passed to `{filter}` in the persona data"
                    ));
            }
            if let Some(filter) = between(msg, "Filter '", "' not found") {
                let (file, line, col) = self.locate_any(&[&filter], top);
                return Diagnostic::error(
                    self.channel,
                    codes::TERA_UNKNOWN_FILTER,
                    format!("unknown filter `{filter}`"),
                )
                .at(file, line, col)
                .hint("CCM filters are currency, date, mask, phone and urlencode; Tera's own (default, upper, lower, trim, replace, truncate, join, length, round…) work too");
            }
            if let Some(func) = between(msg, "Function '", "' not found") {
                let (file, line, col) = self.locate_any(&[&func], top);
                return Diagnostic::error(
                    self.channel,
                    codes::TERA_UNKNOWN_FUNCTION,
                    format!("unknown function `{func}`"),
                )
                .at(file, line, col)
                .hint("templates cannot call functions such as now() or get_env(): dates come from the data or `today`");
            }
        }
        let (file, ..) = self.source(top);
        Diagnostic::error(self.channel, codes::TERA_RENDER, joined)
            .at(file, None, None)
            .hint("fix the template expression named above")
    }

    fn source(&self, name: &str) -> (String, &str, u32, u32) {
        match self.sources.get(name) {
            Some((file, text, line, col)) => (file.clone(), text.as_str(), *line, *col),
            None => (name.to_string(), "", 1, 0),
        }
    }

    /// File position of the first use of `var` inside a Tera tag of template `tpl` (falling
    /// back on the top-level template).
    fn locate(&self, tpl: &str, var: &str, top: &str) -> (String, Option<u32>, Option<u32>) {
        for name in [tpl, top] {
            let (file, text, first_line, first_col) = self.source(name);
            if let Some(off) = find_in_tags(text, var) {
                let (l, c) = line_col(text, off);
                let c = if l == 1 { c + first_col } else { c };
                return (file, Some(first_line + l - 1), Some(c));
            }
        }
        let (file, ..) = self.source(tpl);
        (file, None, None)
    }

    fn locate_any(&self, needles: &[&str], top: &str) -> (String, Option<u32>, Option<u32>) {
        let mut names: Vec<&str> = vec![top];
        names.extend(
            self.sources
                .keys()
                .map(String::as_str)
                .filter(|n| *n != top),
        );
        for name in names {
            let (file, text, first_line, first_col) = self.source(name);
            for needle in needles {
                if let Some(off) = find_in_tags(text, needle) {
                    let (l, c) = line_col(text, off);
                    let c = if l == 1 { c + first_col } else { c };
                    return (file, Some(first_line + l - 1), Some(c));
                }
            }
        }
        let (file, ..) = self.source(top);
        (file, None, None)
    }
}

fn error_chain(e: &tera::Error) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = cur {
        out.push(s.to_string());
        cur = s.source();
    }
    out
}

fn between(s: &str, start: &str, end: &str) -> Option<String> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(s[i..j].to_string())
}

fn parse_missing_variable(msg: &str) -> Option<(String, String)> {
    let var = between(msg, "Variable `", "` not found in context")?;
    let tpl = between(msg, "while rendering '", "'").unwrap_or_default();
    Some((var, tpl))
}

/// Byte offset of the first occurrence of `needle` as a whole word inside a `{{ }}` or `{% %}`.
fn find_in_tags(text: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let mut from = 0;
    while let Some(rel) = text[from..].find(needle) {
        let at = from + rel;
        from = at + needle.len();
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        let first = needle.chars().next().unwrap_or(' ');
        let last = needle.chars().next_back().unwrap_or(' ');
        if (is_word(first) && before.is_some_and(is_word))
            || (is_word(last) && after.is_some_and(|c| c.is_alphanumeric() || c == '_'))
        {
            continue;
        }
        let head = &text[..at];
        let open = head.rfind("{{").max(head.rfind("{%"));
        let close = head.rfind("}}").max(head.rfind("%}"));
        if open.is_some() && open > close {
            return Some(at);
        }
    }
    None
}

/// Tera's parse errors carry pest's ` --> L:C` position and an `= expected …` line.
fn parse_diagnostic(
    channel: Channel,
    file: &str,
    e: &tera::Error,
    first_line: u32,
    first_col: u32,
) -> Diagnostic {
    let chain = error_chain(e);
    let detail = chain.last().cloned().unwrap_or_default();
    let pos = detail.find("--> ").and_then(|i| {
        let rest = &detail[i + 4..];
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ':'))?;
        let (l, c) = rest[..end].split_once(':')?;
        Some((l.parse::<u32>().ok()?, c.parse::<u32>().ok()?))
    });
    let expected = detail
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("= "))
        .unwrap_or("the template could not be parsed")
        .to_string();
    let d = Diagnostic::error(channel, codes::TERA_SYNTAX, format!("Tera syntax error: {expected}"))
        .hint("check the {{ }} / {% %} tags around this place: every tag must be closed and every {% if %}/{% for %} needs its {% endif %}/{% endfor %}");
    match pos {
        Some((l, c)) => {
            let c = if l == 1 { c + first_col } else { c };
            d.at(file, Some(first_line + l - 1), Some(c))
        }
        None => d.at(file, None, None),
    }
}

/// The `brand` object templates see, localised where the brand kit has a `[locales.X]` entry.
pub fn brand_value(brand: &Brand, locale: &str) -> Value {
    let kit = &brand.kit;
    let lang = locale.split('-').next().unwrap_or(locale);
    let loc = kit.locales.get(locale).or_else(|| kit.locales.get(lang));
    let name = loc
        .and_then(|l| l.name.clone())
        .unwrap_or_else(|| kit.name.clone());
    let legal_name = loc
        .and_then(|l| l.legal_name.clone())
        .unwrap_or_else(|| kit.legal_name.clone());
    let address = loc
        .and_then(|l| l.address.clone())
        .unwrap_or_else(|| kit.address.clone());
    let sep = if lang == "ja" { " " } else { ", " };
    let c = &kit.colors;
    json!({
        "id": kit.id,
        "name": name,
        "legal_name": legal_name,
        "address": address.lines.join(sep),
        "address_lines": address.lines,
        "country": address.country,
        "phone": kit.contact.phone,
        "email": kit.contact.email,
        "website": kit.contact.website,
        "enquiries_url": kit.contact.enquiries_url.clone().unwrap_or_default(),
        "opt_out_url": kit.contact.opt_out_url.clone().unwrap_or_default(),
        "colors": {
            "primary": c.primary,
            "secondary": c.secondary,
            "text": c.text,
            "background": c.background,
            "muted": c.muted,
            "accent": c.accent.clone().unwrap_or_else(|| c.primary.clone()),
        },
    })
}

/// `YYYY-MM-DD`, the form the `date` filter reads.
pub fn iso_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// The Tera context of one rendering: persona data, then `brand`, `today` and `locale` (which
/// persona data cannot override: a persona must not be able to spoof the brand's legal name).
pub fn build_context(persona: &Persona, brand: &Brand, locale: &str, today: Date) -> tera::Context {
    let mut data: Map<String, Value> = persona.data.clone();
    data.insert("brand".into(), brand_value(brand, locale));
    data.insert("today".into(), Value::String(iso_date(today)));
    data.insert("locale".into(), Value::String(locale.to_string()));
    // A JSON object always converts; fall back to an empty context rather than panic.
    tera::Context::from_value(Value::Object(data)).unwrap_or_default()
}

/// The variable in `ctx` spelt most like `var` (a typo such as `customer.frist_name`), if one
/// is close enough to be a likely slip rather than a different variable.
fn closest_variable(var: &str, ctx: &tera::Context) -> Option<String> {
    fn paths(prefix: &str, value: &Value, depth: usize, out: &mut Vec<String>) {
        let Value::Object(map) = value else { return };
        for (key, child) in map {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            if depth < 6 {
                paths(&path, child, depth + 1, out);
            }
            out.push(path);
        }
    }
    let mut candidates = Vec::new();
    paths("", &ctx.clone().into_json(), 0, &mut candidates);
    let limit = (var.chars().count() / 4).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(var, &c), c))
        .filter(|(d, _)| *d > 0 && *d <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccm_core::model::ContentHash;

    fn block(name: &str, locale: Option<&str>, content: &str) -> Block {
        Block {
            name: name.into(),
            locale: locale.map(Into::into),
            content: content.into(),
            hash: ContentHash::of_bytes(content.as_bytes()),
        }
    }

    fn ctx(v: Value) -> tera::Context {
        tera::Context::from_value(v).unwrap()
    }

    fn set<'a>(parts: Vec<Part>, blocks: &'a [Block], locale: &'a str) -> TemplateSet<'a> {
        TemplateSet::new(
            Channel::Email,
            locale,
            FilterLocale::new(locale, "JP"),
            parts,
            blocks,
        )
    }

    #[test]
    fn markdown_parts_escape_data_and_text_parts_do_not() {
        let parts = vec![
            Part::markdown("email.md", "Hi {{ name }}", 5),
            Part::field(
                "email.md",
                "subject",
                "Hi {{ name }}",
                "subject = \"Hi {{ name }}\"\n",
                2,
            ),
        ];
        let t = set(parts, &[], "en").build().unwrap();
        let c = ctx(json!({"name": "**Bo** <i>"}));
        assert_eq!(
            t.render("email.md", &c).unwrap(),
            "Hi \\*\\*Bo\\*\\* \\<i\\>"
        );
        assert_eq!(t.render("email.md#subject", &c).unwrap(), "Hi **Bo** <i>");
    }

    #[test]
    fn blocks_resolve_by_locale_then_neutral() {
        let blocks = vec![
            block("footer", Some("ja"), "日本語 {{ brand }}"),
            block("footer", None, "neutral {{ brand }}"),
            block("optout", None, "optout"),
        ];
        let parts = |f: &str| vec![Part::markdown(f, "{% include \"blocks/footer\" %}", 1)];
        let c = ctx(json!({"brand": "B"}));
        let ja = set(parts("email.md"), &blocks, "ja").build().unwrap();
        assert_eq!(ja.render("email.md", &c).unwrap(), "日本語 B");
        let en = set(parts("email.en.md"), &blocks, "en").build().unwrap();
        assert_eq!(en.render("email.en.md", &c).unwrap(), "neutral B");
    }

    #[test]
    fn unknown_block_names_the_include_line() {
        let parts = vec![Part::markdown(
            "email.md",
            "a\n\n{% include \"blocks/nope\" %}",
            4,
        )];
        let blocks = [block("legal-footer", None, "x")];
        let err = set(parts, &blocks, "ja").build().unwrap_err();
        assert_eq!(err[0].code, "tera.unknown-block");
        assert_eq!(
            (err[0].file.as_deref(), err[0].line),
            (Some("email.md"), Some(6))
        );
        assert!(err[0]
            .hint
            .as_ref()
            .map(|h| h.en.as_str())
            .unwrap()
            .contains("legal-footer"));
    }

    #[test]
    fn missing_variable_names_variable_file_and_line() {
        let parts = vec![Part::markdown(
            "email.md",
            "Dear {{ customer.name }}\n\nPay {{ amount | currency }}",
            5,
        )];
        let t = set(parts, &[], "ja").build().unwrap();
        let d = t
            .render("email.md", &ctx(json!({"customer": {"name": "A"}})))
            .unwrap_err();
        assert_eq!(d.code, "tera.missing-variable");
        assert!(d.message.en.contains("`amount`"), "{}", d.message.en);
        assert_eq!(
            (d.file.as_deref(), d.line, d.column),
            (Some("email.md"), Some(7), Some(8))
        );
    }

    #[test]
    fn a_misspelt_variable_suggests_the_one_the_data_has() {
        let parts = vec![Part::markdown("sms.txt", "Hi {{ customer.frist_name }}", 1)];
        let t = set(parts, &[], "en").build().unwrap();
        let data = json!({"customer": {"first_name": "Ann", "last_name": "Lee"}});
        let d = t.render("sms.txt", &ctx(data)).unwrap_err();
        assert!(
            d.hint
                .as_ref()
                .map(|h| h.en.as_str())
                .unwrap_or_default()
                .starts_with("did you mean `customer.first_name`?"),
            "{:?}",
            d.hint
        );
        // Nothing alike: no guess.
        let parts = vec![Part::markdown("sms.txt", "{{ policy.number }}", 1)];
        let t = set(parts, &[], "en").build().unwrap();
        let d = t
            .render("sms.txt", &ctx(json!({"customer": {}})))
            .unwrap_err();
        assert!(
            !d.hint
                .as_ref()
                .map(|h| h.en.as_str())
                .unwrap_or_default()
                .contains("did you mean"),
            "{:?}",
            d.hint
        );
    }

    #[test]
    fn missing_variable_inside_a_block_points_into_the_block() {
        let blocks = [block("footer", Some("ja"), "line1\n{{ brand.nope }}")];
        let parts = vec![Part::markdown(
            "email.md",
            "{% include \"blocks/footer\" %}",
            4,
        )];
        let t = set(parts, &blocks, "ja").build().unwrap();
        let d = t
            .render("email.md", &ctx(json!({"brand": {}})))
            .unwrap_err();
        assert_eq!(d.file.as_deref(), Some("_blocks/footer.ja.md"));
        assert_eq!(d.line, Some(2));
    }

    #[test]
    fn missing_variable_in_a_front_matter_field_points_at_its_line() {
        let toml = "subject = \"x\"\npreheader = \"Due {{ due }}\"\n";
        let parts = vec![Part::field(
            "email.md",
            "preheader",
            "Due {{ due }}",
            toml,
            2,
        )];
        let t = set(parts, &[], "ja").build().unwrap();
        let d = t.render("email.md#preheader", &ctx(json!({}))).unwrap_err();
        assert_eq!((d.line, d.column), (Some(3), Some(13 + 8)));
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let parts = vec![Part::markdown("email.md", "ok\n{{ name }\n", 5)];
        let err = set(parts, &[], "ja").build().unwrap_err();
        assert_eq!(err[0].code, "tera.syntax");
        assert_eq!(err[0].line, Some(6), "{err:?}");
        assert!(err[0].column.is_some());
        let parts = vec![Part::markdown("email.md", "{% if x %}never closed", 1)];
        assert_eq!(
            set(parts, &[], "ja").build().unwrap_err()[0].code,
            "tera.syntax"
        );
    }

    #[test]
    fn filter_errors_name_the_filter_place() {
        let parts = vec![Part::text_file("sms.txt", "a\n{{ amount | currency }}")];
        let t = set(parts, &[], "ja").build().unwrap();
        let d = t
            .render("sms.txt", &ctx(json!({"amount": "lots"})))
            .unwrap_err();
        assert_eq!(d.code, "tera.filter");
        assert!(
            d.message.en.contains("currency: expected a number"),
            "{}",
            d.message.en
        );
        assert_eq!(d.line, Some(2));
    }

    #[test]
    fn now_is_not_available() {
        let parts = vec![Part::text_file("sms.txt", "{{ now() }}")];
        let t = set(parts, &[], "ja").build();
        let d = match t {
            Ok(t) => t.render("sms.txt", &ctx(json!({}))).unwrap_err(),
            Err(mut d) => d.remove(0),
        };
        assert!(d.code.starts_with("tera."), "{d:?}");
    }

    #[test]
    fn cache_key_changes_with_any_source() {
        let a = set(vec![Part::text_file("sms.txt", "a")], &[], "ja").cache_key();
        let b = set(vec![Part::text_file("sms.txt", "b")], &[], "ja").cache_key();
        let c = set(vec![Part::text_file("sms.txt", "a")], &[], "en").cache_key();
        assert!(a != b && a != c);
        assert_eq!(
            a,
            set(vec![Part::text_file("sms.txt", "a")], &[], "ja").cache_key()
        );
    }
}
