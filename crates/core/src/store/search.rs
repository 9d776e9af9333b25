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
const SNIPPET_TOKENS: usize = 24;
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
        if fts.is_empty() {
            self.search_by_scan(&like, limit)
        } else {
            let hits = self.search_indexed(&fts.join(" AND "), &like, limit)?;
            Ok(hits
                .into_iter()
                .map(|h| SearchHit {
                    snippet: highlight(&h.snippet, &terms),
                    ..h
                })
                .collect())
        }
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

    fn search_indexed(&self, expr: &str, like: &[String], limit: usize) -> Result<Vec<SearchHit>> {
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
                Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let mut page = self.conn.prepare_cached(&format!(
            "SELECT id, name, snippet(template_search, -1, '', '', '…', {SNIPPET_TOKENS})
             FROM template_search WHERE template_search MATCH ?1 AND rowid = ?2"
        ))?;
        let mut hits = Vec::with_capacity(ranked.len());
        for (rowid, score) in ranked {
            let (id, name, snippet) = page.query_row(rusqlite::params![expr, rowid], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            hits.push(SearchHit {
                id: unindexed(&id),
                name: unindexed(&name),
                snippet: unindexed(&snippet).replace('\n', " "),
                score,
            });
        }
        Ok(hits)
    }

    /// Every term is too common to expand: scan with LIKE, name matches first.
    fn search_by_scan(&self, like: &[String], limit: usize) -> Result<Vec<SearchHit>> {
        let mut params = Vec::new();
        let mut sql = String::from(
            "SELECT s.id, s.name, s.description, s.tags, s.body,
                    CASE WHEN s.name LIKE ?1 ESCAPE '\\' THEN 0
                         WHEN s.id LIKE ?1 ESCAPE '\\' OR s.tags LIKE ?1 ESCAPE '\\' THEN 1
                         WHEN s.description LIKE ?1 ESCAPE '\\' THEN 2
                         ELSE 3 END AS score
             FROM template_search s WHERE 1",
        );
        push_like_filters(&mut sql, &mut params, like);
        params.push(Value::Integer(limit as i64));
        sql.push_str(&format!(" ORDER BY score, s.id LIMIT ?{}", params.len()));
        let first = like_term(&like[0]);
        let hits = self
            .conn
            .prepare_cached(&sql)?
            .query_map(rusqlite::params_from_iter(params), |r| {
                let fields: [String; 4] = [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?];
                Ok(SearchHit {
                    id: unindexed(&r.get::<_, String>(0)?),
                    name: unindexed(&fields[0]),
                    snippet: fields
                        .iter()
                        .find_map(|text| snippet_around(unindexed(text).as_str(), &first))
                        .unwrap_or_default(),
                    score: r.get::<_, i64>(5)? as f64,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
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

/// The term a LIKE pattern was made from.
fn like_term(pattern: &str) -> String {
    let inner = &pattern[1..pattern.len() - 1];
    let mut out = String::new();
    let mut escaped = false;
    for c in inner.chars() {
        if c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        escaped = false;
        out.push(c);
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

/// `[term]` with some characters either side, or `None` if `text` does not contain `term`
/// (ASCII case-insensitively, as LIKE matched it).
fn snippet_around(text: &str, term: &str) -> Option<String> {
    let start = text.to_ascii_lowercase().find(&term.to_ascii_lowercase())?;
    let end = start + term.len();
    let before: String = {
        let mut chars: Vec<char> = text[..start]
            .chars()
            .rev()
            .take(SNIPPET_TOKENS / 2)
            .collect();
        chars.reverse();
        chars.into_iter().collect()
    };
    let after: String = text[end..].chars().take(SNIPPET_TOKENS / 2).collect();
    let lead = if before.len() < start { "…" } else { "" };
    let tail = if end + after.len() < text.len() {
        "…"
    } else {
        ""
    };
    Some(format!("{lead}{before}[{}]{after}{tail}", &text[start..end]).replace('\n', " "))
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
        assert_eq!(like_term(&like_pattern("5%_x\\")), "5%_x\\");
    }

    #[test]
    fn snippet_marks_the_match_and_elides() {
        let text = "前置きの文章がとても長く続きます。ご請求金額は下記のとおりです。その後も続く長い文章があります。";
        let s = snippet_around(text, "請求").unwrap();
        assert!(s.contains("[請求]"), "{s}");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert_eq!(snippet_around("Your BILL", "bill").unwrap(), "Your [BILL]");
        assert_eq!(snippet_around("abc", "zz"), None);
    }
}
