//! The limits of [`ccm_core::limits`] enforced on the way through the renderer, so a hostile
//! template or persona gets a `render.limit` diagnostic in its own pane within bounded time and
//! memory, and the other channels keep rendering.
//!
//! Tera has no budget of its own, so after parsing, every template's syntax tree is
//! instrumented ([`instrument`]): each loop iteration calls `__ccm_tick`, each include and
//! macro body is wrapped in `__ccm_enter` / `__ccm_leave`, each `set` reports the size of what
//! it stored. Those functions check a per-thread [`Budget`] armed for one part's expansion
//! ([`Budget::arm`]); the expansion writes through a [`LimitedWriter`] capped in bytes and
//! time. Amplifying filters (`replace`, `join`, `indent`) and `range` check their result size
//! before building it. Before Tera parses, [`check_tera_source`] bounds the nesting its
//! recursive parser would descend.

use ccm_core::diagnostic::{codes, line_col, Diagnostic};
use ccm_core::limits;
use ccm_core::model::{Channel, Persona};
use serde_json::Value;
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::sync::Arc;
use std::time::Instant;
use tera::ast::{Expr, ExprVal, FunctionCall, Node, WS};

/// Marks a Tera error raised by a limit, so the diagnostic names the limit, not Tera's chain.
pub(crate) const LIMIT_MARK: &str = "ccm-limit: ";

const TICK: &str = "__ccm_tick";
const ENTER: &str = "__ccm_enter";
const LEAVE: &str = "__ccm_leave";
const SIZE: &str = "__ccm_size";

thread_local! {
    static BUDGET: Cell<Option<Budget>> = const { Cell::new(None) };
}

/// What one part's expansion may still spend.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    started: Instant,
    iterations: u64,
    depth: u32,
}

/// Disarms the budget when the expansion ends, also on early return.
pub(crate) struct Armed(());

impl Drop for Armed {
    fn drop(&mut self) {
        BUDGET.with(|b| b.set(None));
    }
}

impl Budget {
    /// Starts a fresh budget for the expansion about to run on this thread.
    pub(crate) fn arm() -> Armed {
        BUDGET.with(|b| {
            b.set(Some(Budget {
                started: Instant::now(),
                iterations: 0,
                depth: 0,
            }))
        });
        Armed(())
    }

    fn update(f: impl FnOnce(&mut Budget) -> Result<(), String>) -> tera::Result<()> {
        BUDGET.with(|cell| {
            let Some(mut b) = cell.get() else {
                return Ok(());
            };
            let r = f(&mut b).and_then(|()| b.check_time());
            cell.set(Some(b));
            r.map_err(|m| tera::Error::msg(format!("{LIMIT_MARK}{m}")))
        })
    }

    fn check_time(&self) -> Result<(), String> {
        if self.started.elapsed() > limits::TERA_RENDER_TIME {
            return Err(format!(
                "expanding this part took longer than {} ms; a loop or filter does far too much work",
                limits::TERA_RENDER_TIME.as_millis()
            ));
        }
        Ok(())
    }
}

fn tick(_: &HashMap<String, Value>) -> tera::Result<Value> {
    Budget::update(|b| {
        b.iterations += 1;
        if b.iterations > limits::TERA_LOOP_ITERATIONS {
            return Err(format!(
                "loops ran more than {} times in this part",
                limits::TERA_LOOP_ITERATIONS
            ));
        }
        Ok(())
    })?;
    Ok(Value::String(String::new()))
}

fn enter(_: &HashMap<String, Value>) -> tera::Result<Value> {
    Budget::update(|b| {
        b.depth += 1;
        if b.depth > limits::TERA_CALL_DEPTH {
            return Err(format!(
                "includes and macro calls nest more than {} deep (a macro calling itself?)",
                limits::TERA_CALL_DEPTH
            ));
        }
        Ok(())
    })?;
    Ok(Value::String(String::new()))
}

fn leave(_: &HashMap<String, Value>) -> tera::Result<Value> {
    Budget::update(|b| {
        b.depth = b.depth.saturating_sub(1);
        Ok(())
    })?;
    Ok(Value::String(String::new()))
}

fn size(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let bytes = args.get("v").map(value_bytes).unwrap_or(0);
    Budget::update(|_| {
        if bytes > limits::TERA_OUTPUT_BYTES {
            return Err(format!(
                "a `set` built a value of {bytes} bytes, over the {}-byte limit",
                limits::TERA_OUTPUT_BYTES
            ));
        }
        Ok(())
    })?;
    Ok(Value::String(String::new()))
}

/// Approximate size of a JSON value (string bytes plus a little per item).
fn value_bytes(v: &Value) -> usize {
    match v {
        Value::String(s) => s.len(),
        Value::Array(a) => a.iter().map(value_bytes).sum::<usize>() + a.len(),
        Value::Object(o) => o.iter().map(|(k, v)| k.len() + value_bytes(v)).sum(),
        _ => 8,
    }
}

fn too_big(what: &str, bytes: usize) -> tera::Error {
    tera::Error::msg(format!(
        "{LIMIT_MARK}`{what}` would build {bytes} bytes of text, over the {}-byte limit",
        limits::TERA_OUTPUT_BYTES
    ))
}

fn str_arg<'a>(args: &'a HashMap<String, Value>, k: &str) -> &'a str {
    args.get(k).and_then(Value::as_str).unwrap_or_default()
}

/// Registers the budget functions, a bounded `range`, and size checks in front of the
/// filters that can multiply text (`replace`, `join`, `indent`).
pub(crate) fn register(tera: &mut tera::Tera) {
    tera.register_function(TICK, tick);
    tera.register_function(ENTER, enter);
    tera.register_function(LEAVE, leave);
    tera.register_function(SIZE, size);
    if let Some(range) = tera.functions.get("range").cloned() {
        tera.register_function("range", move |args: &HashMap<String, Value>| {
            let n = |k: &str, d: u64| args.get(k).and_then(Value::as_u64).unwrap_or(d);
            let (start, end, step) = (n("start", 0), n("end", 0), n("step_by", 1).max(1));
            let items = end.saturating_sub(start).div_ceil(step);
            if items > limits::TERA_RANGE_ITEMS as u64 {
                return Err(tera::Error::msg(format!(
                    "{LIMIT_MARK}range() of {items} items, over the limit of {}",
                    limits::TERA_RANGE_ITEMS
                )));
            }
            range.call(args)
        });
    }
    guard_filter(tera, "replace", |v, args| {
        let s = v.as_str().unwrap_or_default();
        let (from, to) = (str_arg(args, "from"), str_arg(args, "to"));
        if from.is_empty() || to.len() <= from.len() {
            return s.len();
        }
        s.len() + s.matches(from).count() * (to.len() - from.len())
    });
    guard_filter(tera, "join", |v, args| {
        let items = v.as_array().map(Vec::as_slice).unwrap_or_default();
        items.iter().map(value_bytes).sum::<usize>() + items.len() * str_arg(args, "sep").len()
    });
    guard_filter(tera, "indent", |v, args| {
        let s = v.as_str().unwrap_or_default();
        let prefix = args
            .get("prefix")
            .and_then(Value::as_str)
            .map_or(4, str::len);
        s.len() + (s.lines().count() + 1) * prefix
    });
}

fn guard_filter(
    tera: &mut tera::Tera,
    name: &'static str,
    result_bytes: fn(&Value, &HashMap<String, Value>) -> usize,
) {
    let Some(inner) = tera.filters.get(name).cloned() else {
        return;
    };
    let inner: Arc<dyn tera::Filter> = inner;
    tera.register_filter(name, move |v: &Value, args: &HashMap<String, Value>| {
        let bytes = result_bytes(v, args);
        if bytes > limits::TERA_OUTPUT_BYTES {
            return Err(too_big(name, bytes));
        }
        inner.filter(v, args)
    });
}

/// Instruments every parsed template of `tera` (see the module comment).
pub(crate) fn instrument(tera: &mut tera::Tera) {
    for template in tera.templates.values_mut() {
        instrument_body(&mut template.ast);
        for m in template.macros.values_mut() {
            instrument_body(&mut m.body);
            m.body.insert(0, call(ENTER, None));
            m.body.push(call(LEAVE, None));
        }
        for b in template.blocks.values_mut() {
            instrument_body(&mut b.body);
        }
        for defs in template.blocks_definitions.values_mut() {
            for (_, b) in defs.iter_mut() {
                instrument_body(&mut b.body);
            }
        }
    }
}

fn call(name: &str, arg: Option<Expr>) -> Node {
    let args = arg.map(|e| ("v".to_string(), e)).into_iter().collect();
    Node::VariableBlock(
        WS::default(),
        Expr::new(ExprVal::FunctionCall(FunctionCall {
            name: name.to_string(),
            args,
        })),
    )
}

fn instrument_body(body: &mut Vec<Node>) {
    let nodes = std::mem::take(body);
    for mut node in nodes {
        match &mut node {
            Node::Forloop(_, f, _) => {
                instrument_body(&mut f.body);
                f.body.insert(0, call(TICK, None));
                if let Some(empty) = &mut f.empty_body {
                    instrument_body(empty);
                }
            }
            Node::If(i, _) => {
                for (_, _, b) in &mut i.conditions {
                    instrument_body(b);
                }
                if let Some((_, b)) = &mut i.otherwise {
                    instrument_body(b);
                }
            }
            Node::Block(_, b, _) => instrument_body(&mut b.body),
            Node::FilterSection(_, f, _) => instrument_body(&mut f.body),
            Node::MacroDefinition(_, m, _) => instrument_body(&mut m.body),
            _ => {}
        }
        match node {
            Node::Include(..) => {
                body.push(call(ENTER, None));
                body.push(node);
                body.push(call(LEAVE, None));
            }
            Node::Set(_, ref s) => {
                let key = s.key.clone();
                body.push(node);
                body.push(call(SIZE, Some(Expr::new(ExprVal::Ident(key)))));
            }
            other => body.push(other),
        }
    }
}

/// Expansion output capped at [`limits::TERA_OUTPUT_BYTES`] and checked against the time
/// budget on every write.
pub(crate) struct LimitedWriter {
    pub(crate) out: Vec<u8>,
}

impl Write for LimitedWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.out.len() + buf.len() > limits::TERA_OUTPUT_BYTES {
            return Err(io::Error::other(format!(
                "{LIMIT_MARK}this part expands to more than {} bytes of text",
                limits::TERA_OUTPUT_BYTES
            )));
        }
        Budget::update(|_| Ok(())).map_err(|e| io::Error::other(e.to_string()))?;
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Checks, before Tera parses `text`, that tags do not nest deeper than
/// [`limits::TERA_NESTING`] and no tag holds brackets nested deeper. Returns the byte offset of
/// the first place over the limit and what is over it.
pub fn check_tera_source(text: &str) -> Result<(), (usize, String)> {
    const OPENERS: [&str; 6] = ["if", "for", "block", "macro", "filter", "raw"];
    let mut depth = 0usize;
    let mut at = 0usize;
    while let Some(rel) = text[at..].find('{') {
        let start = at + rel;
        let rest = &text[start..];
        let close = if rest.starts_with("{%") {
            "%}"
        } else if rest.starts_with("{{") {
            "}}"
        } else {
            at = start + 1;
            continue;
        };
        // An unclosed tag runs to the end of the text (Tera reports it; here it is only measured).
        let (inner, end) = match rest[2..].find(close) {
            Some(e) => (&rest[2..2 + e], start + 2 + e + 2),
            None => (&rest[2..], text.len()),
        };
        let mut brackets = 0usize;
        let mut operators = 0usize;
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for (i, c) in inner.char_indices() {
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
                prev = c;
                continue;
            }
            let word_start = !(prev.is_alphanumeric() || prev == '_');
            prev = c;
            let operator = matches!(
                c,
                '+' | '-' | '*' | '/' | '%' | '~' | '|' | '<' | '>' | '=' | '!'
            ) || (word_start
                && ["and ", "or ", "not ", "in "]
                    .iter()
                    .any(|w| inner[i..].starts_with(w)));
            if operator {
                operators += 1;
                if operators > limits::TERA_TAG_OPERATORS {
                    return Err((
                        start + 2 + i,
                        format!(
                            "more than {} operators in one tag; split the expression with {{% set %}}",
                            limits::TERA_TAG_OPERATORS
                        ),
                    ));
                }
            }
            match c {
                '"' | '\'' | '`' => quote = Some(c),
                '(' | '[' | '{' => {
                    brackets += 1;
                    if brackets > limits::TERA_NESTING {
                        return Err((
                            start + 2 + i,
                            format!(
                                "brackets nest more than {} deep inside one tag",
                                limits::TERA_NESTING
                            ),
                        ));
                    }
                }
                ')' | ']' | '}' => brackets = brackets.saturating_sub(1),
                _ => {}
            }
        }
        if close == "%}" {
            let word = inner
                .trim_start_matches('-')
                .trim_start()
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .next()
                .unwrap_or_default();
            if OPENERS.contains(&word) {
                depth += 1;
                if depth > limits::TERA_NESTING {
                    return Err((
                        start,
                        format!(
                            "{{% {word} %}} tags nest more than {} deep",
                            limits::TERA_NESTING
                        ),
                    ));
                }
            } else if word.starts_with("end") {
                depth = depth.saturating_sub(1);
            }
        }
        at = end.max(start + 1);
    }
    Ok(())
}

/// Include cycles among `templates` (Tera name → source): a block including itself, directly
/// or through others, would recurse without end. Returns the cycle as names, first repeated.
pub(crate) fn include_cycle(templates: &BTreeMap<String, String>) -> Option<Vec<String>> {
    let edges: BTreeMap<&str, Vec<String>> = templates
        .iter()
        .map(|(name, text)| {
            let targets = ccm_core::format::find_includes(text)
                .into_iter()
                .map(|i| i.target)
                .collect();
            (name.as_str(), targets)
        })
        .collect();
    fn visit(
        node: &str,
        edges: &BTreeMap<&str, Vec<String>>,
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = std::collections::BTreeSet::new();
    edges
        .keys()
        .find_map(|start| visit(start, &edges, &mut Vec::new(), &mut done))
}

/// The first persona value over [`limits::PERSONA_VALUE_BYTES`]: (dotted path, bytes).
pub(crate) fn oversized_value(persona: &Persona) -> Option<(String, usize)> {
    fn walk(v: &Value, path: &str) -> Option<(String, usize)> {
        match v {
            Value::String(s) if s.len() > limits::PERSONA_VALUE_BYTES => {
                Some((path.to_string(), s.len()))
            }
            Value::Array(a) => a
                .iter()
                .enumerate()
                .find_map(|(i, v)| walk(v, &format!("{path}[{i}]"))),
            Value::Object(o) => o.iter().find_map(|(k, v)| {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(v, &p)
            }),
            _ => None,
        }
    }
    persona.data.iter().find_map(|(k, v)| walk(v, k))
}

/// The diagnostic of a persona value over the limit, for `channel`.
pub(crate) fn persona_value_diagnostic(
    channel: Channel,
    persona: &Persona,
    path: &str,
    bytes: usize,
) -> Diagnostic {
    Diagnostic::error(
        channel,
        codes::RENDER_LIMIT,
        format!(
            "persona value `{path}` is {bytes} bytes; values may be at most {} bytes",
            limits::PERSONA_VALUE_BYTES
        ),
    )
    .at(format!("data/{}.json", persona.id), None, None)
    .hint("a name, address or note is a few hundred bytes: shorten the value (see docs/SECURITY.md, Limits)")
}

/// Markdown (after Tera) nested deeper than [`limits::MARKDOWN_NESTING`] or showing more than
/// [`limits::IMAGES_PER_TEMPLATE`] images: (byte offset, what is over).
pub fn check_markdown(text: &str) -> Result<(), (usize, String)> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut depth = 0usize;
    let mut images = 0usize;
    for (event, range) in Parser::new_ext(text, crate::markdown::DIALECT).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                depth += 1;
                if depth > limits::MARKDOWN_NESTING {
                    return Err((
                        range.start,
                        format!(
                            "Markdown nests more than {} levels deep (quotes, lists, emphasis)",
                            limits::MARKDOWN_NESTING
                        ),
                    ));
                }
                if matches!(tag, Tag::Image { .. }) {
                    images += 1;
                    if images > limits::IMAGES_PER_TEMPLATE {
                        return Err((
                            range.start,
                            format!(
                                "more than {} images in one body",
                                limits::IMAGES_PER_TEMPLATE
                            ),
                        ));
                    }
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// A letter body too large for the typesetter: over [`limits::PRINT_BODY_BYTES`], or with a
/// line over [`limits::PRINT_LINE_CHARS`] characters. (byte offset, what is over).
pub fn check_print_body(text: &str) -> Result<(), (usize, String)> {
    if text.len() > limits::PRINT_BODY_BYTES {
        return Err((
            0,
            format!(
                "the letter body is {} bytes after expansion; letters may be at most {} bytes",
                text.len(),
                limits::PRINT_BODY_BYTES
            ),
        ));
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let chars = line.chars().count();
        if chars > limits::PRINT_LINE_CHARS {
            return Err((
                offset,
                format!(
                    "a line of {chars} characters; a letter line may be at most {} characters",
                    limits::PRINT_LINE_CHARS
                ),
            ));
        }
        offset += line.len();
    }
    Ok(())
}

/// A limit diagnostic located at byte `offset` of `text`, which starts at file line
/// `first_line`.
pub(crate) fn located(
    channel: Channel,
    file: &str,
    text: &str,
    first_line: u32,
    offset: usize,
    message: String,
) -> Diagnostic {
    let offset = offset.min(text.len());
    let offset = (0..=offset)
        .rev()
        .find(|o| text.is_char_boundary(*o))
        .unwrap_or(0);
    let (line, col) = line_col(text, offset);
    Diagnostic::error(channel, codes::RENDER_LIMIT, message)
        .at(file, Some(first_line + line - 1), Some(col))
        .hint("see docs/SECURITY.md (Limits): real templates stay far below these limits; simplify this part or shorten the data")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_and_bracket_nesting_are_bounded_before_parsing() {
        let deep_ifs = "{% if a %}".repeat(100) + &"{% endif %}".repeat(100);
        let (at, msg) = check_tera_source(&deep_ifs).unwrap_err();
        assert_eq!(at, "{% if a %}".len() * limits::TERA_NESTING);
        assert!(msg.contains("nest more than"), "{msg}");
        let parens = format!("{{{{ {}a{} }}}}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(check_tera_source(&parens).is_err());
        let chain = format!("{{{{ 1{} }}}}", " + 1".repeat(100_000));
        assert!(check_tera_source(&chain)
            .unwrap_err()
            .1
            .contains("operators"));
        let dashes = format!("{{{{ x | default(value=\"{}\") }}}}", "-".repeat(1000));
        assert!(
            check_tera_source(&dashes).is_ok(),
            "operators inside strings do not count"
        );
        let fine = "{% for x in xs %}{% if x %}{{ (x + 1) * 2 }}{% endif %}{% endfor %}";
        assert!(check_tera_source(fine).is_ok());
        // Sequential tags never add up.
        assert!(check_tera_source(&"{% if a %}b{% endif %}".repeat(1000)).is_ok());
        // Found by the `render` fuzz target: an unclosed tag ending in multi-byte text.
        assert!(check_tera_source("{% for i in x %}{{ i }}{%\0\0手続き").is_ok());
        assert!(check_tera_source("{{ お客様").is_ok());
    }

    #[test]
    fn include_cycles_are_found_directly_and_through_another_block() {
        let mut t = BTreeMap::new();
        t.insert(
            "email.md".to_string(),
            "{% include \"blocks/a\" %}".to_string(),
        );
        t.insert(
            "blocks/a".to_string(),
            "{% include \"blocks/b\" %}".to_string(),
        );
        t.insert("blocks/b".to_string(), "x".to_string());
        assert_eq!(include_cycle(&t), None);
        t.insert(
            "blocks/b".to_string(),
            "{% include \"blocks/a\" %}".to_string(),
        );
        assert_eq!(
            include_cycle(&t).unwrap(),
            ["blocks/a", "blocks/b", "blocks/a"]
        );
        t.insert(
            "blocks/b".to_string(),
            "{% include \"blocks/b\" %}".to_string(),
        );
        assert_eq!(include_cycle(&t).unwrap(), ["blocks/b", "blocks/b"]);
    }

    #[test]
    fn markdown_depth_images_and_print_lines_are_bounded() {
        let quotes = ">".repeat(100_000) + " deep";
        assert!(check_markdown(&quotes)
            .unwrap_err()
            .1
            .contains("nests more"));
        let images = "![x](brands/b/l.png)\n\n".repeat(limits::IMAGES_PER_TEMPLATE + 1);
        assert!(check_markdown(&images).unwrap_err().1.contains("images"));
        assert!(check_markdown("> a\n>> b\n\n- *c* **d**").is_ok());
        let line = "x".repeat(limits::PRINT_LINE_CHARS + 1);
        let text = format!("ok\n{line}\n");
        assert_eq!(check_print_body(&text).unwrap_err().0, 3);
        assert!(check_print_body("a\nb\n").is_ok());
    }
}
