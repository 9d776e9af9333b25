//! The data file, read as a stream: one record at a time, never the whole file. A JSON Lines
//! record is one JSON object per line; a CSV record is one row under a header row whose dotted
//! names (`customer.name`) build nested objects. Records are numbered from 1 in file order
//! (blank JSON lines are not records); a record that does not parse is reported with its number
//! and line and the run goes on.
//!
//! Reading only splits the file; turning a record's text into data ([`RawRecord::data`]) is
//! left to the worker threads.

use std::io::{BufRead, Read};
use std::sync::Arc;

use anyhow::{anyhow, bail, Context as _, Result};
use serde_json::{Map, Value};

/// How the data file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    JsonLines,
    Csv,
}

impl Format {
    /// From the file name: `.jsonl`/`.ndjson`/`.json` → JSON Lines, `.csv` → CSV.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" | "json" => Some(Format::JsonLines),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// One record as read, not yet parsed.
#[derive(Debug, Clone)]
pub struct RawRecord {
    /// 1-based position among the file's records.
    pub number: u64,
    /// 1-based line where the record starts.
    pub line: u64,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub enum Body {
    Json(String),
    Csv {
        header: Arc<Header>,
        fields: csv::StringRecord,
    },
    /// The reader could not split this record (e.g. a CSV row with the wrong number of
    /// fields); the message says why.
    Unreadable(String),
}

impl RawRecord {
    /// The record's data: a JSON object.
    pub fn data(&self) -> std::result::Result<Map<String, Value>, String> {
        match &self.body {
            Body::Json(text) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(map)) => Ok(map),
                Ok(other) => Err(format!(
                    "the record is a JSON {}, not an object",
                    kind_of(&other)
                )),
                Err(e) => Err(format!("not valid JSON: {e}")),
            },
            Body::Csv { header, fields } => Ok(header.object(fields)),
            Body::Unreadable(message) => Err(message.clone()),
        }
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The CSV header row: each column's path (`customer.name` → `["customer", "name"]`).
#[derive(Debug)]
pub struct Header {
    paths: Vec<Vec<String>>,
}

impl Header {
    /// Checks that no column is both a value and an object (`customer` and `customer.name`)
    /// and that no path repeats, so every row maps to one object.
    pub fn new(names: &csv::StringRecord) -> Result<Header> {
        let mut paths: Vec<Vec<String>> = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let name = name.trim();
            let path: Vec<String> = name.split('.').map(str::to_owned).collect();
            if name.is_empty() || path.iter().any(String::is_empty) {
                bail!(
                    "CSV header: column {} has an empty name or an empty part in `{name}`",
                    i + 1
                );
            }
            for other in &paths {
                let shorter = other.len().min(path.len());
                if other[..shorter] == path[..shorter] {
                    bail!(
                        "CSV header: columns `{}` and `{name}` both set `{}`",
                        other.join("."),
                        path[..shorter].join(".")
                    );
                }
            }
            paths.push(path);
        }
        Ok(Header { paths })
    }

    /// The row as an object; every value is a string.
    fn object(&self, fields: &csv::StringRecord) -> Map<String, Value> {
        let mut root = Map::new();
        for (path, value) in self.paths.iter().zip(fields.iter()) {
            let (last, parents) = path.split_last().expect("paths are never empty");
            let mut node = &mut root;
            for key in parents {
                let entry = node
                    .entry(key.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                node = match entry {
                    Value::Object(m) => m,
                    // Header::new refuses a path that is both a value and an object.
                    _ => unreachable!("checked by Header::new"),
                };
            }
            node.insert(last.clone(), Value::String(value.to_owned()));
        }
        root
    }
}

/// Reads records one at a time and knows how many bytes it has consumed (for the progress
/// bar's ETA).
pub struct Records {
    inner: Inner,
    next_number: u64,
}

enum Inner {
    Json {
        reader: Box<dyn BufRead + Send>,
        line: u64,
        bytes: u64,
        buf: Vec<u8>,
    },
    Csv {
        reader: csv::Reader<Box<dyn Read + Send>>,
        header: Arc<Header>,
        fields: csv::StringRecord,
    },
}

impl Records {
    pub fn new(reader: Box<dyn BufRead + Send>, format: Format) -> Result<Records> {
        let inner = match format {
            Format::JsonLines => Inner::Json {
                reader,
                line: 0,
                bytes: 0,
                buf: Vec::new(),
            },
            Format::Csv => {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(true)
                    .from_reader(Box::new(reader) as Box<dyn Read + Send>);
                let names = reader.headers().context("cannot read the CSV header row")?;
                let header = Arc::new(Header::new(names)?);
                Inner::Csv {
                    reader,
                    header,
                    fields: csv::StringRecord::new(),
                }
            }
        };
        Ok(Records {
            inner,
            next_number: 1,
        })
    }

    /// Bytes of the file read so far.
    pub fn bytes_read(&self) -> u64 {
        match &self.inner {
            Inner::Json { bytes, .. } => *bytes,
            Inner::Csv { reader, .. } => reader.position().byte(),
        }
    }

    /// The next record; `Ok(None)` at the end; `Err` only when the file cannot be read at all.
    pub fn next_record(&mut self) -> Result<Option<RawRecord>> {
        let number = self.next_number;
        let record = match &mut self.inner {
            Inner::Json {
                reader,
                line,
                bytes,
                buf,
            } => loop {
                buf.clear();
                let n = reader
                    .read_until(b'\n', buf)
                    .context("cannot read the data file")?;
                if n == 0 {
                    break None;
                }
                *line += 1;
                *bytes += n as u64;
                let body = match std::str::from_utf8(buf) {
                    Ok(text) if text.trim().is_empty() => continue,
                    Ok(text) => Body::Json(text.trim().to_owned()),
                    Err(_) => Body::Unreadable("the line is not UTF-8 text".to_owned()),
                };
                break Some(RawRecord {
                    number,
                    line: *line,
                    body,
                });
            },
            Inner::Csv {
                reader,
                header,
                fields,
            } => match reader.read_record(fields) {
                Ok(false) => None,
                Ok(true) => Some(RawRecord {
                    number,
                    line: fields.position().map_or(0, |p| p.line()),
                    body: Body::Csv {
                        header: header.clone(),
                        fields: fields.clone(),
                    },
                }),
                Err(e) => match e.kind() {
                    csv::ErrorKind::Io(_) => {
                        return Err(anyhow!(e).context("cannot read the data file"))
                    }
                    _ => Some(RawRecord {
                        number,
                        line: e.position().map_or(0, |p| p.line()),
                        body: Body::Unreadable(format!("bad CSV row: {e}")),
                    }),
                },
            },
        };
        if record.is_some() {
            self.next_number += 1;
        }
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, format: Format) -> Vec<RawRecord> {
        let reader: Box<dyn BufRead + Send> = Box::new(std::io::Cursor::new(text.to_owned()));
        let mut records = Records::new(reader, format).unwrap();
        let mut out = Vec::new();
        while let Some(r) = records.next_record().unwrap() {
            out.push(r);
        }
        out
    }

    #[test]
    fn json_lines_are_numbered_by_record_and_keep_their_line() {
        let recs = read("{\"a\":1}\n\n{\"a\":2}\n[1]\nnot json\n", Format::JsonLines);
        assert_eq!(recs.len(), 4);
        assert_eq!((recs[1].number, recs[1].line), (2, 3));
        assert_eq!(recs[1].data().unwrap()["a"], 2);
        assert!(recs[2].data().unwrap_err().contains("array"));
        assert!(recs[3].data().unwrap_err().contains("not valid JSON"));
    }

    #[test]
    fn a_line_that_is_not_utf8_is_one_bad_record_and_the_next_line_still_reads() {
        let bytes = b"{\"a\":1}\n\xff\xfe\n{\"a\":3}\n".to_vec();
        let reader: Box<dyn BufRead + Send> = Box::new(std::io::Cursor::new(bytes));
        let mut records = Records::new(reader, Format::JsonLines).unwrap();
        let mut all = Vec::new();
        while let Some(r) = records.next_record().unwrap() {
            all.push(r);
        }
        assert_eq!(all.len(), 3);
        assert!(all[1].data().unwrap_err().contains("UTF-8"));
        assert_eq!(all[2].data().unwrap()["a"], 3);
        assert_eq!(records.bytes_read(), 19);
    }

    #[test]
    fn csv_dotted_headers_build_nested_string_objects() {
        let recs = read(
            "customer.name,customer.address,amount\n\"Yamada, Taro\",Tokyo,48230\nshort\nSato,Osaka,1\n",
            Format::Csv,
        );
        assert_eq!(recs.len(), 3);
        let d = recs[0].data().unwrap();
        assert_eq!(d["customer"]["name"], "Yamada, Taro");
        assert_eq!(d["amount"], "48230");
        assert!(recs[1].data().unwrap_err().contains("bad CSV row"));
        assert_eq!((recs[2].number, recs[2].line), (3, 4));
    }

    #[test]
    fn a_column_that_is_both_value_and_object_is_refused() {
        let names = csv::StringRecord::from(vec!["customer", "customer.name"]);
        assert!(Header::new(&names)
            .unwrap_err()
            .to_string()
            .contains("both set"));
    }
}
