//! The template folder parser: manifest, channel files with front matter, personas, blocks.
//! The input is a folder as text: files separated by lines `=== <path>`.
#![no_main]

use ccm_core::format;
use ccm_core::model::TemplateFiles;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut files = BTreeMap::new();
    for chunk in text.split("=== ").skip(1) {
        let (path, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
        files.insert(path.trim().to_string(), body.to_string());
    }
    for (path, body) in &files {
        let _ = format::split_front_matter(body);
        if let Some(id) = path.strip_prefix("data/").and_then(|p| p.strip_suffix(".json")) {
            let _ = format::parse_persona(path, id, body);
        }
        if let Some(name) = path.strip_prefix("_blocks/") {
            if let Ok(block) = format::parse_block(path, name, body.clone()) {
                let locale = block.locale.clone();
                let _ = format::check_includes(path, body, locale.as_deref(), &[block]);
            }
        }
        let _ = format::parse_email(path, body);
        let _ = format::parse_print(path, body);
        let _ = format::parse_push(path, body);
    }
    let _ = format::parse_template(&TemplateFiles(files));
});
