//! The Typst "world": what a compilation may see. Fonts, the standard library and the letter
//! template are loaded once ([`Warm`]) and shared by every compilation; each letter adds only
//! its own generated body, its data as JSON, the logo and the brand-kit images its body shows
//! (`/img/<i>.<ext>`). Nothing else exists: any other path,
//! such as a `#read("secrets.txt")` that slipped past escaping, is simply "not found".

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::fonts;
use crate::job::PrintError;

const TEMPLATE: &str = include_str!("../../../assets/print/letter.typ");

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("constant virtual paths are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

pub(crate) static MAIN: LazyLock<FileId> = LazyLock::new(|| file_id("/main.typ"));
pub(crate) static BODY: LazyLock<FileId> = LazyLock::new(|| file_id("/body.typ"));
static JOB: LazyLock<FileId> = LazyLock::new(|| file_id("/job.json"));
static LOGO: LazyLock<FileId> = LazyLock::new(|| file_id("/logo.png"));

/// State shared by all compilations.
pub(crate) struct Warm {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    template: Source,
}

impl Warm {
    pub fn new() -> Result<Warm, PrintError> {
        let (book, fonts) = fonts::load()?;
        Ok(Warm {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(book),
            fonts,
            template: Source::new(*MAIN, TEMPLATE.to_string()),
        })
    }

    /// The standard library, for other documents compiled with the same fonts.
    pub fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    pub fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    pub fn fonts(&self) -> &[Font] {
        &self.fonts
    }
}

/// One letter's view of the world.
pub(crate) struct LetterWorld<'a> {
    warm: &'a Warm,
    body: Source,
    job_json: Bytes,
    logo: Option<Bytes>,
    /// Body images: `/img/<i>.<ext>` and their bytes.
    images: Vec<(FileId, Bytes)>,
    today: Datetime,
}

impl<'a> LetterWorld<'a> {
    /// `body`: the generated body as a Typst source (new, or edited from the previous compile).
    pub fn new(
        warm: &'a Warm,
        body: Source,
        job_json: Vec<u8>,
        logo: Option<Vec<u8>>,
        images: Vec<(String, Vec<u8>)>,
        today: Datetime,
    ) -> Self {
        LetterWorld {
            warm,
            body,
            job_json: Bytes::new(job_json),
            logo: logo.map(Bytes::new),
            images: images
                .into_iter()
                .filter_map(|(path, bytes)| {
                    let vpath = VirtualPath::new(&path).ok()?;
                    let id = RootedPath::new(VirtualRoot::Project, vpath).intern();
                    Some((id, Bytes::new(bytes)))
                })
                .collect(),
            today,
        }
    }

    pub fn body(&self) -> &Source {
        &self.body
    }

    fn not_found(id: FileId) -> FileError {
        FileError::NotFound(id.get().vpath().get_with_slash().into())
    }
}

impl World for LetterWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.warm.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.warm.book
    }

    fn main(&self) -> FileId {
        *MAIN
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN {
            Ok(self.warm.template.clone())
        } else if id == *BODY {
            Ok(self.body.clone())
        } else {
            Err(Self::not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *JOB {
            Ok(self.job_json.clone())
        } else if id == *LOGO {
            self.logo.clone().ok_or_else(|| Self::not_found(id))
        } else if let Some((_, bytes)) = self.images.iter().find(|(i, _)| *i == id) {
            Ok(bytes.clone())
        } else if id == *MAIN || id == *BODY {
            Ok(Bytes::from_string(self.source(id)?))
        } else {
            Err(Self::not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.warm.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
