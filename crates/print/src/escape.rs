//! Escaping user text for Typst. Text is untrusted (persona data, template copy): it must never
//! become markup or code, so in markup every ASCII punctuation character is backslash-escaped.
//! That covers every Typst markup trigger (`#` code, `$` math, `*`/`_` emphasis, `@` refs,
//! `<label>`, `//` comments, `=`/`-`/`+`/`/` at line start, `~`/`--`/`...` shorthands, `[`/`]`
//! content blocks, `` ` `` raw, `\` itself) and also stops a following character from continuing
//! a preceding `#func[..]` call. A backslash before any non-space character yields that character.

/// Escapes `text` for Typst markup. Newlines become spaces (line structure is the caller's job).
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    push_markup(&mut out, text);
    out
}

/// Appends `text` escaped for Typst markup to `out`.
pub fn push_markup(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            // Other control characters have no business in a letter; drop them.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// A Typst string literal (with quotes) holding exactly `text`.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_markup_trigger_is_escaped() {
        assert_eq!(markup("#read(\"x\")"), "\\#read\\(\\\"x\\\"\\)");
        assert_eq!(
            markup("$1 *a* _b_ @c <d> // e"),
            "\\$1 \\*a\\* \\_b\\_ \\@c \\<d\\> \\/\\/ e"
        );
        assert_eq!(markup("= h\n- l"), "\\= h \\- l");
        assert_eq!(markup("\\u{41}"), "\\\\u\\{41\\}");
        assert_eq!(markup("山田 太郎 様"), "山田 太郎 様");
    }

    #[test]
    fn string_literals_round_trip_quotes_and_backslashes() {
        assert_eq!(string_literal("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(string_literal("\u{1}"), "\"\\u{1}\"");
    }
}
