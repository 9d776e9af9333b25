//! One print file of many letters, for a print vendor: the renderer's letter PDFs, copied page
//! by page in record order, each letter one node of the page tree (so a letter's pages stay
//! together and the index's page ranges are the tree's own).
//!
//! Why copy the letter PDFs rather than lay all letters out as one Typst document: the letter
//! PDFs are the renditions — the bytes an approval binds and `ccm render` writes —, so the
//! print file holds exactly those pages; and a letter that fails stays out without touching
//! its neighbours' layout or page numbers ("1 / 2" is per letter). The copy uses `hayro-write`
//! over `pdf-writer`, which typst-pdf itself uses to embed PDFs: no new dependency. The cost is
//! that each letter keeps its own font subsets, as the single-letter PDFs do.
//!
//! The file is streamed: each letter's objects are written as soon as it is appended, and the
//! cross-reference lines go to a spill file beside it, copied in at the end. Memory holds one
//! letter and four bytes per letter (the page tree's root), however many letters the file has.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use hayro_write::{ChunkSettings, ExtractionQuery};
use pdf_writer::{Chunk, Ref, Settings, TextStr};

const COMPACT: Settings = Settings { pretty: false };
const CATALOG: Ref = Ref::new(1);
const ROOT: Ref = Ref::new(2);
/// The first id a letter's objects get.
const FIRST_LETTER_ID: i32 = 3;

pub struct PrintFile {
    path: PathBuf,
    out: BufWriter<File>,
    written: u64,
    /// One 20-byte cross-reference line per object from [`FIRST_LETTER_ID`] on, in id order.
    xref: BufWriter<File>,
    xref_path: PathBuf,
    next: Ref,
    letters: Vec<Ref>,
    pages: u64,
}

impl PrintFile {
    pub fn create(path: &Path) -> std::io::Result<PrintFile> {
        let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
        // A binary comment after the header tells transfer tools the file is binary.
        let header = b"%PDF-1.7\n%\x80\x80\x80\x80\n";
        out.write_all(header)?;
        let mut xref_name = path.as_os_str().to_owned();
        xref_name.push(".xref.tmp");
        let xref_path = PathBuf::from(xref_name);
        Ok(PrintFile {
            path: path.to_owned(),
            out,
            written: header.len() as u64,
            xref: BufWriter::new(
                std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(true)
                    .open(&xref_path)?,
            ),
            xref_path,
            next: Ref::new(FIRST_LETTER_ID),
            letters: Vec::new(),
            pages: 0,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn letters(&self) -> usize {
        self.letters.len()
    }

    /// Appends one letter; `Ok(Err(why))` when the letter cannot be copied (nothing of it is
    /// written), `Ok(Ok(range))` with its pages in this file (1-based, inclusive).
    pub fn append(&mut self, letter_pdf: &[u8]) -> std::io::Result<Result<(u64, u64), String>> {
        let first_id = self.next;
        let copied = match self.copy(letter_pdf) {
            Ok(c) => c,
            Err(why) => {
                self.next = first_id;
                return Ok(Err(why));
            }
        };
        let (chunk, node, count) = copied;
        let offsets = match object_offsets(&chunk) {
            Ok(o) => o,
            Err(why) => {
                self.next = first_id;
                return Ok(Err(why));
            }
        };
        // Ids first_id..next, each exactly once: the cross-reference lines in id order.
        let mut by_id = vec![None; (self.next.get() - first_id.get()) as usize];
        for (id, offset) in offsets {
            if let Some(slot) = by_id.get_mut((id.get() - first_id.get()) as usize) {
                *slot = Some(self.written + offset as u64);
            }
        }
        for offset in by_id {
            match offset {
                Some(o) => writeln!(self.xref, "{o:010} 00000 n ")?,
                // An id handed out but not used (hayro-write reserves some): a free entry.
                None => self.xref.write_all(b"0000000000 65535 f \n")?,
            }
        }
        self.out.write_all(chunk.as_bytes())?;
        self.written += chunk.len() as u64;
        self.letters.push(node);
        let first = self.pages + 1;
        self.pages += count;
        Ok(Ok((first, self.pages)))
    }

    /// The letter's objects renumbered from `self.next`, under a page-tree node of its own.
    fn copy(&mut self, letter_pdf: &[u8]) -> Result<(Chunk, Ref, u64), String> {
        let doc = hayro_write::hayro_syntax::Pdf::new(letter_pdf.to_vec())
            .map_err(|e| format!("the letter PDF cannot be read: {e:?}"))?;
        let count = doc.pages().len();
        if count == 0 {
            return Err("the letter PDF has no pages".to_owned());
        }
        let queries: Vec<ExtractionQuery> = (0..count).map(ExtractionQuery::new_page).collect();
        let next = &mut self.next;
        let extracted = hayro_write::extract(
            &doc,
            Box::new(|| next.bump()),
            ChunkSettings { pretty: false },
            // Only used for pages extracted as XObjects, which we never ask for.
            |_: &mut pdf_writer::writers::Group<'_>| {},
            &queries,
        )
        .map_err(|e| format!("cannot copy the letter's pages: {e:?}"))?;
        let pages = extracted
            .root_refs
            .into_iter()
            .collect::<Result<Vec<Ref>, _>>()
            .map_err(|e| format!("cannot copy the letter's pages: {e:?}"))?;
        let node = extracted.page_tree_parent_ref;
        let mut chunk = Chunk::with_settings(COMPACT);
        chunk
            .pages(node)
            .parent(ROOT)
            .kids(pages.iter().copied())
            .count(pages.len() as i32);
        chunk.extend(&extracted.chunk);
        Ok((chunk, node, pages.len() as u64))
    }

    /// Writes the page tree's root, the catalog and the cross-reference table. Deterministic:
    /// no dates, no random file id.
    pub fn finish(mut self) -> std::io::Result<()> {
        let info = self.next.bump();
        let mut tail = Chunk::with_settings(COMPACT);
        tail.pages(ROOT)
            .kids(self.letters.iter().copied())
            .count(self.pages as i32);
        tail.indirect(CATALOG)
            .dict()
            .pair(pdf_writer::Name(b"Type"), pdf_writer::Name(b"Catalog"))
            .pair(pdf_writer::Name(b"Pages"), ROOT);
        tail.indirect(info)
            .dict()
            .pair(pdf_writer::Name(b"Producer"), TextStr("CCM Studio"));
        let offsets = object_offsets(&tail).map_err(std::io::Error::other)?;
        let at = |r: Ref| {
            offsets
                .iter()
                .find(|(id, _)| *id == r)
                .map(|(_, o)| self.written + *o as u64)
                .unwrap_or(0)
        };
        let (root_at, catalog_at, info_at) = (at(ROOT), at(CATALOG), at(info));
        writeln!(self.xref, "{info_at:010} 00000 n ")?;
        self.xref.flush()?;
        self.out.write_all(tail.as_bytes())?;
        self.written += tail.len() as u64;

        let xref_at = self.written;
        let size = info.get() + 1;
        write!(
            self.out,
            "xref\n0 {FIRST_LETTER_ID}\n0000000000 65535 f \n{catalog_at:010} 00000 n \n{root_at:010} 00000 n \n{FIRST_LETTER_ID} {}\n",
            size - FIRST_LETTER_ID
        )?;
        let mut spill = self.xref.into_inner().map_err(|e| e.into_error())?;
        spill.seek(SeekFrom::Start(0))?;
        std::io::copy(&mut spill, &mut self.out)?;
        drop(spill);
        std::fs::remove_file(&self.xref_path)?;
        write!(
            self.out,
            "trailer\n<</Size {size}/Root {} 0 R/Info {} 0 R>>\nstartxref\n{xref_at}\n%%EOF\n",
            CATALOG.get(),
            info.get()
        )?;
        self.out.flush()
    }
}

/// Where each object of `chunk` starts, in the chunk's order. pdf-writer writes an object as
/// `ID 0 obj\n…\nendobj\n` one after the other (compact settings), so an object ends where
/// `\nendobj\nNEXT 0 obj\n` (with the next object's id) is found. Stream data could only fool
/// this by holding that exact line sequence; a letter's streams (content, fonts, images) are
/// Flate-compressed, where a given 20-byte run has odds of about 2^-160.
fn object_offsets(chunk: &Chunk) -> Result<Vec<(Ref, usize)>, String> {
    let bytes = chunk.as_bytes();
    let refs: Vec<Ref> = chunk.refs().collect();
    let mut out = Vec::with_capacity(refs.len());
    let mut pos = 0;
    for (i, r) in refs.iter().enumerate() {
        let header = format!("{} 0 obj\n", r.get());
        if !bytes[pos..].starts_with(header.as_bytes()) {
            return Err(format!(
                "unexpected PDF object layout at object {}",
                r.get()
            ));
        }
        out.push((*r, pos));
        if let Some(next) = refs.get(i + 1) {
            let boundary = format!("\nendobj\n{} 0 obj\n", next.get());
            let found = find(&bytes[pos..], boundary.as_bytes())
                .ok_or_else(|| format!("unexpected PDF object layout after object {}", r.get()))?;
            pos += found + "\nendobj\n".len();
        }
    }
    Ok(out)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_writer::Finish;

    #[test]
    fn offsets_follow_pdf_writer_framing() {
        let mut c = Chunk::with_settings(COMPACT);
        c.indirect(Ref::new(7)).primitive(1);
        // Text that looks like object syntax inside a stream does not end the object early.
        c.stream(Ref::new(5), b"q 1 0 obj endobj 6 0 obj Q")
            .finish();
        c.indirect(Ref::new(6)).primitive(2);
        let offsets = object_offsets(&c).unwrap();
        let ids: Vec<i32> = offsets.iter().map(|(r, _)| r.get()).collect();
        assert_eq!(ids, vec![7, 5, 6]);
        for (r, at) in offsets {
            assert!(c.as_bytes()[at..].starts_with(format!("{} 0 obj\n", r.get()).as_bytes()));
        }
    }
}
