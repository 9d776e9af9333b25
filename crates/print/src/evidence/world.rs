//! The Typst world of one evidence record: the template, the record as JSON, the letter page
//! images and the attached files' bytes. Nothing else exists, so text that slipped into markup
//! could not read anything either.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

use crate::world::Warm;

const TEMPLATE: &str = include_str!("../../../../assets/print/evidence.typ");

/// A file id for a path ccm-print made itself (never one taken from the record).
pub(super) fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("generated virtual paths are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

static MAIN: LazyLock<FileId> = LazyLock::new(|| file_id("/main.typ"));
static RECORD: LazyLock<FileId> = LazyLock::new(|| file_id("/record.json"));

pub(super) struct EvidenceWorld<'a> {
    warm: &'a Warm,
    template: Source,
    record_json: Bytes,
    /// Page images and attachments, by the path the JSON names them with.
    files: Vec<(FileId, Bytes)>,
    today: Datetime,
}

impl<'a> EvidenceWorld<'a> {
    pub fn new(
        warm: &'a Warm,
        record_json: Vec<u8>,
        files: Vec<(String, Vec<u8>)>,
        today: Datetime,
    ) -> Self {
        EvidenceWorld {
            warm,
            template: Source::new(*MAIN, TEMPLATE.to_string()),
            record_json: Bytes::new(record_json),
            files: files
                .into_iter()
                .map(|(path, bytes)| (file_id(&path), Bytes::new(bytes)))
                .collect(),
            today,
        }
    }
}

impl World for EvidenceWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.warm.library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.warm.book()
    }

    fn main(&self) -> FileId {
        *MAIN
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN {
            Ok(self.template.clone())
        } else {
            Err(FileError::NotFound(
                id.get().vpath().get_with_slash().into(),
            ))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *RECORD {
            Ok(self.record_json.clone())
        } else if id == *MAIN {
            Ok(Bytes::from_string(self.template.clone()))
        } else if let Some((_, bytes)) = self.files.iter().find(|(i, _)| *i == id) {
            Ok(bytes.clone())
        } else {
            Err(FileError::NotFound(
                id.get().vpath().get_with_slash().into(),
            ))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.warm.fonts().get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
