//! Full-text search over the latest version of every template.
//!
//! The FTS5 index uses the trigram tokenizer, which finds any substring of three or more
//! characters — Japanese included, which has no spaces to split words on. A term of one or two
//! characters (請求, 住所, ID) has no trigram of its own: it is expanded to the indexed trigrams
//! that begin with it (looked up in the `fts5vocab` table), and only when that set is too large
//! is it matched with LIKE over the same text.
//!
//! Ranking runs first on rowids alone; snippets are built for the returned page only, because
//! `snippet()` over every match of a common word costs more than the search itself.

use rusqlite::types::Value;
use serde::Serialize;

use super::write::SEARCH_SENTINEL;
use super::Store;
use crate::error::Result;

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub id: String,
    pub name: String,
    /// Text around the first match, matches wrapped in `[` `]`.
    pub snippet: String,
    /// Lower is better (bm25 for indexed terms; field order for LIKE scans).
    pub score: f64,
}

/// Column weights for bm25 over (id, name, description, tags, body): a hit in the name says
/// far more about relevance than one in a long letter body.
const BM25: &str = "bm25(template_search, 4.0, 10.0, 4.0, 6.0, 1.0)";
/// Characters of context a snippet shows around its matches.
const SNIPPET_CHARS: usize = 24;
/// A short term expanding to more trigrams than this is matched with LIKE instead.
const MAX_EXPANSION: usize = 200;

/// How one query term is matched.
enum TermMatch {
    Fts(String),
    Like(String),
}

impl Store {
    /// Templates matching every whitespace-separated term of `query`, best first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let terms: Vec<&str> = query.split_whitespace().collect();
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let mut fts = Vec::new();
        let mut like = Vec::new();
        for &term in &terms {
            match self.term_match(term)? {
                Some(TermMatch::Fts(expr)) => fts.push(expr),
                Some(TermMatch::Like(pattern)) => like.push(pattern),
                // A short term that occurs nowhere: nothing can match all terms.
                None => return Ok(Vec::new()),
            }
        }
        let ranked = if fts.is_empty() {
            self.rank_by_scan(&like, limit)?
        } else {
            self.rank_indexed(&fts.join(" AND "), &like, limit)?
        };
        self.page(&ranked, &terms)
    }

    fn term_match(&self, term: &str) -> Result<Option<TermMatch>> {
        if term.chars().count() >= 3 {
            return Ok(Some(TermMatch::Fts(quote(term))));
        }
        // The trigram tokenizer folds ASCII case; the vocabulary holds lower-case terms.
        let prefix = term.to_ascii_lowercase();
        let mut stmt = self.conn.prepare_cached(
            "SELECT term FROM template_search_terms WHERE term >= ?1 AND term < ?2 LIMIT ?3",
        )?;
        let expansions = stmt
            .query_map(
                rusqlite::params![
                    prefix,
                    format!("{prefix}\u{10FFFF}"),
                    MAX_EXPANSION as i64 + 1
                ],
                |r| r.get::<_, String>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(match expansions.len() {
            0 => None,
            n if n > MAX_EXPANSION => Some(TermMatch::Like(like_pattern(term))),
            _ => Some(TermMatch::Fts(format!(
                "({})",
                expansions
                    .iter()
                    .map(|t| quote(t))
                    .collect::<Vec<_>>()
                    .join(" OR ")
            ))),
        })
    }

    /// `(rowid, score)` of the best `limit` matches. Only rowids and bm25 go through the sort:
    /// any text column here would be read for every match of a common word, not just the page.
    fn rank_indexed(&self, expr: &str, like: &[String], limit: usize) -> Result<Vec<(i64, f64)>> {
        let mut params = vec![Value::Text(expr.to_owned())];
        let mut sql = format!(
            "SELECT s.rowid, {BM25} AS score FROM template_search s
             WHERE template_search MATCH ?1"
        );
        push_like_filters(&mut sql, &mut params, like);
        params.push(Value::Integer(limit as i64));
        sql.push_str(&format!(" ORDER BY score, s.rowid LIMIT ?{}", params.len()));
        let ranked = self
            .conn
            .prepare_cached(&sql)?
            .query_map(rusqlite::params_from_iter(params), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ranked)
    }

    /// Every term is too common to expand: scan with LIKE, name matches first, then id or tags,
    /// then description, then body.
    fn rank_by_scan(&self, like: &[String], limit: usize) -> Result<Vec<(i64, f64)>> {
        let mut params = Vec::new();
        let mut sql = String::from(
            "SELECT s.rowid,
                    CASE WHEN s.name LIKE ?1 ESCAPE '\\' THEN 0
                         WHEN s.id LIKE ?1 ESCAPE '\\' OR s.tags LIKE ?1 ESCAPE '\\' THEN 1
                         WHEN s.description LIKE ?1 ESCAPE '\\' THEN 2
                         ELSE 3 END AS score
             FROM template_search s WHERE 1",
        );
        push_like_filters(&mut sql, &mut params, like);
        params.push(Value::Integer(limit as i64));
        sql.push_str(&format!(" ORDER BY score, s.id LIMIT ?{}", params.len()));
        let ranked = self
            .conn
            .prepare_cached(&sql)?
            .query_map(rusqlite::params_from_iter(params), |r| {
                Ok((r.get(0)?, r.get::<_, i64>(1)? as f64))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ranked)
    }

    /// The hits for ranked rowids, read by rowid alone. `snippet()` would re-run the MATCH for
    /// every row of the page, which cost more than ranking all matches of a common word.
    fn page(&self, ranked: &[(i64, f64)], terms: &[&str]) -> Result<Vec<SearchHit>> {
        let mut row = self.conn.prepare_cached(
            "SELECT id, name, description, tags, body FROM template_search WHERE rowid = ?1",
        )?;
        let mut hits = Vec::with_capacity(ranked.len());
        for &(rowid, score) in ranked {
            let [id, name, description, tags, body] = row
                .query_row([rowid], |r| {
                    Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])
                })?
                .map(|value: String| unindexed(&value));
            // Name and id are shown beside the snippet, so the body explains a hit best.
            let snippet = best_snippet(&[&body, &description, &tags, &name, &id], terms);
            hits.push(SearchHit {
                id,
                name,
                snippet,
                score,
            });
        }
        Ok(hits)
    }
}

fn push_like_filters(sql: &mut String, params: &mut Vec<Value>, like: &[String]) {
    for pattern in like {
        params.push(Value::Text(pattern.clone()));
        let n = params.len();
        sql.push_str(&format!(
            " AND (s.name LIKE ?{n} ESCAPE '\\' OR s.id LIKE ?{n} ESCAPE '\\'
                   OR s.tags LIKE ?{n} ESCAPE '\\' OR s.description LIKE ?{n} ESCAPE '\\'
                   OR s.body LIKE ?{n} ESCAPE '\\')"
        ));
    }
}

/// An indexed value without the search sentinel.
fn unindexed(value: &str) -> String {
    value
        .trim_end_matches(SEARCH_SENTINEL)
        .trim_end()
        .to_owned()
}

/// `text` with every occurrence of any term (ASCII case-insensitive) wrapped in `[` `]`.
/// Done here rather than by `snippet()`, which would mark whole trigrams (`[請求額]`).
fn highlight(text: &str, terms: &[&str]) -> String {
    let folded = text.to_ascii_lowercase();
    let terms: Vec<String> = terms.iter().map(|t| t.to_ascii_lowercase()).collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < text.len() {
        let hit = terms
            .iter()
            .filter(|t| !t.is_empty() && folded[i..].starts_with(t.as_str()))
            .map(String::len)
            .max();
        if let Some(len) = hit {
            out.push('[');
            out.push_str(&text[i..i + len]);
            out.push(']');
            i += len;
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// A term as an FTS5 string (a phrase of its trigrams), so query syntax in it is literal.
fn quote(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

fn like_pattern(term: &str) -> String {
    let mut p = String::from("%");
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// About `SNIPPET_CHARS` characters of the field and place that show the most distinct terms
/// (then the most occurrences), every term marked; earlier fields win ties. ASCII
/// case-insensitive, as the trigram index and LIKE match.
fn best_snippet(fields: &[&str], terms: &[&str]) -> String {
    let terms: Vec<String> = terms
        .iter()
        .map(|t| t.to_ascii_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    // (score, field, first byte, last byte) of the best window so far.
    let mut best: Option<((usize, usize), usize, usize, usize)> = None;
    for (f, field) in fields.iter().enumerate() {
        let folded = field.to_ascii_lowercase();
        // (start byte, end byte, term) of every occurrence, in text order.
        let mut found: Vec<(usize, usize, usize)> = terms
            .iter()
            .enumerate()
            .flat_map(|(t, term)| {
                folded
                    .match_indices(term.as_str())
                    .map(move |(at, m)| (at, at + m.len(), t))
            })
            .collect();
        found.sort_unstable();
        for (i, &(start, _, _)) in found.iter().enumerate() {
            let limit = start + byte_len_of_chars(&field[start..], SNIPPET_CHARS);
            let window: Vec<_> = found[i..].iter().take_while(|o| o.1 <= limit).collect();
            let Some(last) = window.last() else { continue };
            let mut distinct: Vec<usize> = window.iter().map(|o| o.2).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let score = (distinct.len(), window.len());
            if best.is_none_or(|(b, ..)| score > b) {
                best = Some((score, f, start, last.1));
            }
        }
    }
    let Some((_, f, first, last)) = best else {
        // Matched by case folding beyond ASCII: show the start of the first non-empty field.
        let text = fields.iter().find(|t| !t.trim().is_empty()).unwrap_or(&"");
        return excerpt(text, 0, 0, &terms);
    };
    excerpt(fields[f], first, last, &terms)
}

/// `text[first..last]` with up to `SNIPPET_CHARS / 2` characters either side, `…` where cut.
fn excerpt(text: &str, first: usize, last: usize, terms: &[String]) -> String {
    let context = SNIPPET_CHARS / 2;
    let before = text[..first]
        .char_indices()
        .rev()
        .nth(context.saturating_sub(1));
    let mut start = before.map_or(0, |(at, _)| at);
    let mut end = last + byte_len_of_chars(&text[last..], context);
    // Context stays on the line of the match: a neighbouring line is another field or file.
    let mut lead = if start > 0 { "…" } else { "" };
    if let Some(nl) = text[start..first].rfind('\n') {
        start += nl + 1;
        lead = "";
    }
    let mut tail = if end < text.len() { "…" } else { "" };
    if let Some(nl) = text[last..end].find('\n') {
        end = last + nl;
        tail = "";
    }
    let terms: Vec<&str> = terms.iter().map(String::as_str).collect();
    format!(
        "{lead}{}{tail}",
        highlight(text[start..end].trim(), &terms).replace('\n', " ")
    )
}

/// Bytes taken by the first `n` characters of `text` (all of it if shorter).
fn byte_len_of_chars(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(at, _)| at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_makes_operators_literal() {
        assert_eq!(quote("お支払い"), "\"お支払い\"");
        assert_eq!(quote("a\"b OR c"), "\"a\"\"b OR c\"");
    }

    #[test]
    fn highlight_marks_every_term_case_insensitively() {
        assert_eq!(
            highlight("ご請求額 BILL and bill", &["請求", "bill"]),
            "ご[請求]額 [BILL] and [bill]"
        );
        assert_eq!(highlight("abc", &["zz"]), "abc");
    }

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern("5%_x"), "%5\\%\\_x%");
        assert_eq!(like_pattern("a\\b"), "%a\\\\b%");
    }

    #[test]
    fn snippet_marks_the_match_and_elides() {
        let text = "前置きの文章がとても長く続きます。ご請求金額は下記のとおりです。その後も続く長い文章があります。";
        let s = best_snippet(&[text], &["請求"]);
        assert!(s.contains("[請求]"), "{s}");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert_eq!(
            best_snippet(&["Your BILL is ready"], &["bill"]),
            "Your [BILL] is ready"
        );
        // Context stays on the line of the match.
        assert_eq!(
            best_snippet(&["subject\nYour BILL\nis ready"], &["bill"]),
            "Your [BILL]"
        );
    }

    #[test]
    fn snippet_prefers_the_place_with_most_distinct_terms() {
        let body =
            "Your bill. ".repeat(10) + "Your bill is ready to view. " + &"Thanks. ".repeat(10);
        let s = best_snippet(&[&body, "Bill ready"], &["bill", "ready"]);
        assert!(s.contains("[bill] is [ready]"), "{s}");
        // Equal windows: the earlier field wins.
        assert_eq!(best_snippet(&["a bill", "the bill"], &["bill"]), "a [bill]");
        assert_eq!(
            best_snippet(&["nothing", "the bill"], &["bill"]),
            "the [bill]"
        );
    }

    #[test]
    fn snippet_without_an_ascii_match_shows_the_first_text() {
        assert_eq!(best_snippet(&["", "Été"], &["ÉTÉ"]), "Été");
    }
}
