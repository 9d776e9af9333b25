//! Every limit CCM Studio puts on input it did not write itself, in one place.
//!
//! Templates, personas, brand kits, rule packs and packs come from other people (a vendor's
//! folder, a colleague's push, a pack from another region). Each limit below bounds the time
//! or memory one hostile file can cost, and each is listed with its reason in
//! `docs/SECURITY.md` ("Limits"); a test builds the hostile input and checks the error names the
//! file, the place and what to do. Change a number here and in that table together.
//!
//! The limits are far above anything a real customer communication needs: a letter is a few
//! pages, a persona a few hundred bytes, a template a few kilobytes.

use std::time::Duration;

// ---- files on disk (template, block and brand folders) -------------------------------------

/// Largest file accepted in a brand folder (logos, body images, letterhead assets).
pub const FILE_BYTES: u64 = 5 * 1024 * 1024;
/// Largest text file accepted in a template folder or `_blocks/` (channel files, personas,
/// `template.toml`): real ones are a few kilobytes.
pub const TEMPLATE_TEXT_BYTES: u64 = 1024 * 1024;
/// Most files in one template or brand folder.
pub const FILES_PER_FOLDER: usize = 1000;
/// How deep a brand folder may nest (`layouts/letter/…`).
pub const BRAND_FOLDER_DEPTH: usize = 4;

// ---- personas and batch records ------------------------------------------------------------

/// Largest single string in a persona or batch record. A name, an address or a note is well
/// under a kilobyte; a value this large is an attack on the renderers, not data.
pub const PERSONA_VALUE_BYTES: usize = 64 * 1024;

// ---- Tera ----------------------------------------------------------------------------------

/// Deepest nesting of block tags (`{% if %}`, `{% for %}`, …) and of brackets inside one tag,
/// checked before Tera parses (its parser recurses once per level).
pub const TERA_NESTING: usize = 32;
/// Most operators (`+`, `~`, `and`, `|`, …) outside strings in one tag: Tera nests one level
/// of its expression tree per operator and evaluates it recursively.
pub const TERA_TAG_OPERATORS: usize = 200;
/// Most loop iterations (all loops together) while expanding one channel part.
pub const TERA_LOOP_ITERATIONS: u64 = 100_000;
/// Most items `range()` may produce.
pub const TERA_RANGE_ITEMS: usize = 10_000;
/// Deepest chain of includes and macro calls (a block including itself, directly or through
/// another, is refused before rendering; a macro calling itself stops here).
pub const TERA_CALL_DEPTH: u32 = 16;
/// Largest text one channel part may expand to.
pub const TERA_OUTPUT_BYTES: usize = 2 * 1024 * 1024;
/// Longest one channel part may take to expand.
pub const TERA_RENDER_TIME: Duration = Duration::from_secs(1);

// ---- Markdown (email and print bodies, after Tera) ------------------------------------------

/// Deepest nesting of Markdown containers (block quotes, lists, emphasis, links).
pub const MARKDOWN_NESTING: usize = 32;
/// Most images one channel body may show.
pub const IMAGES_PER_TEMPLATE: usize = 20;

// ---- print ---------------------------------------------------------------------------------

/// Largest letter body (Markdown after Tera) sent to the typesetter; a 20-page letter is
/// about 60 kB.
pub const PRINT_BODY_BYTES: usize = 256 * 1024;
/// Longest line of a letter body (characters); a line is one paragraph to the typesetter,
/// and a paragraph of this length is already many pages.
pub const PRINT_LINE_CHARS: usize = 20_000;
/// Most pages one letter may have.
pub const PRINT_PAGES: usize = 30;

// ---- images --------------------------------------------------------------------------------

/// Largest image file (bytes) decoded anywhere.
pub const IMAGE_BYTES: u64 = 20 * 1024 * 1024;
/// Largest declared image width or height (pixels), checked from the header before decoding:
/// a small file declaring 100,000 × 100,000 pixels is refused without allocating for it.
pub const IMAGE_SIDE: u32 = 8192;
/// Largest decoder allocation for one image.
pub const IMAGE_DECODE_BYTES: u64 = 512 * 1024 * 1024;

// ---- rule packs ----------------------------------------------------------------------------

/// Largest rule pack file.
pub const RULE_PACK_BYTES: usize = 1024 * 1024;
/// Longest regular expression in a rule pack (characters).
pub const RULE_PATTERN_CHARS: usize = 2000;
/// Compiled size of one rule pattern (the `regex` crate's `size_limit`); matching is always
/// linear in the text, this bounds the automaton a pattern like `(a{1000}){1000}` would build.
pub const RULE_PATTERN_COMPILED_BYTES: usize = 2 * 1024 * 1024;
/// Lazy-DFA cache of one rule pattern (`dfa_size_limit`).
pub const RULE_PATTERN_DFA_BYTES: usize = 4 * 1024 * 1024;
