//! The one error type of ccm-core. Each variant has a stable [`Error::code`] the UI and scripts
//! branch on, and a [`Error::hint`] telling a person what to do about it.

use std::path::PathBuf;

use crate::assets::AssetError;
use crate::diagnostic::{codes, Code, Diagnostic};
use crate::format::FormatError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no library at {}", path.display())]
    NoLibrary { path: PathBuf },

    #[error("{} is not a CCM Studio library: {reason}", path.display())]
    NotALibrary { path: PathBuf, reason: String },

    #[error(
        "library {} has schema version {found}, but this version of CCM Studio supports up to {supported}",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    #[error("{what} '{id}' is not in the library")]
    NotFound { what: &'static str, id: String },

    /// Creating something whose id is taken: nothing was stored (a new template never
    /// silently becomes a version of someone else's).
    #[error("{what} '{id}' already exists in the library")]
    AlreadyExists { what: &'static str, id: String },

    /// A value a person typed (an id, a name, a locale) that cannot be used as it is.
    #[error("{field}: {message}")]
    InvalidInput {
        field: &'static str,
        message: String,
        hint: String,
    },

    /// A template (or block, brand) that does not parse; nothing was stored.
    #[error("{}", describe_invalid(.0))]
    Invalid(Vec<FormatError>),

    #[error(transparent)]
    Format(#[from] FormatError),

    #[error(transparent)]
    Asset(#[from] AssetError),

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("library storage: {0}")]
    Storage(#[from] rusqlite::Error),

    /// Stored data that no longer decodes — the file was changed outside CCM Studio.
    #[error("library data is damaged: {0}")]
    Corrupt(String),
}

fn describe_invalid(problems: &[FormatError]) -> String {
    match problems {
        [] => "invalid template".to_owned(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more problems)", rest.len()),
    }
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Stable machine-readable code; never change one once shipped.
    pub fn code(&self) -> &'static str {
        self.code_entry().id
    }

    /// The code's registry entry, with its English and Japanese summaries.
    pub fn code_entry(&self) -> Code {
        match self {
            Error::NoLibrary { .. } => codes::LIBRARY_MISSING,
            Error::NotALibrary { .. } => codes::NOT_A_LIBRARY,
            Error::NewerSchema { .. } => codes::LIBRARY_TOO_NEW,
            Error::NotFound { .. } => codes::NOT_FOUND,
            Error::AlreadyExists { .. } => codes::ALREADY_EXISTS,
            Error::InvalidInput { .. } => codes::INVALID_INPUT,
            Error::Invalid(_) => codes::INVALID,
            Error::Format(_) => codes::FORMAT,
            Error::Asset(_) => codes::ASSET,
            Error::Io { .. } => codes::IO,
            Error::Storage(e) if is_busy(e) => codes::LIBRARY_BUSY,
            Error::Storage(_) => codes::STORAGE,
            Error::Corrupt(_) => codes::LIBRARY_DAMAGED,
        }
    }

    /// The file problems behind an invalid template (one per file and place); empty for
    /// errors that are not about a file's content.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Invalid(list) => list.iter().map(Diagnostic::format).collect(),
            Error::Format(one) => vec![Diagnostic::format(one)],
            _ => Vec::new(),
        }
    }

    /// What a person should do next.
    pub fn hint(&self) -> String {
        match self {
            Error::NoLibrary { .. } => {
                "create one with `ccm init`, or choose another with --library PATH / CCM_LIBRARY"
                    .to_owned()
            }
            Error::NotALibrary { .. } => {
                "choose a library file created by CCM Studio (--library PATH), or a new path for `ccm init`"
                    .to_owned()
            }
            Error::NewerSchema { .. } => {
                "upgrade CCM Studio to open this library; it was not changed".to_owned()
            }
            Error::NotFound { what, .. } => match *what {
                "brand" => "import the brand kit (assets/brands/<id>/) with `ccm import`".to_owned(),
                "template" => "see `ccm list` or `ccm search` for the ids in this library".to_owned(),
                _ => "see `ccm history ID` for the versions that exist".to_owned(),
            },
            Error::AlreadyExists { what, id } => format!(
                "choose another id for the new {what}, or open '{id}' to edit it (`ccm show {id}`)"
            ),
            Error::InvalidInput { hint, .. } => hint.clone(),
            Error::Invalid(problems) => problems
                .first()
                .map(|p| p.hint.clone())
                .unwrap_or_default(),
            Error::Format(e) => e.hint.clone(),
            Error::Asset(_) => {
                "replace the image with a PNG, JPEG, GIF or WebP within the size limits".to_owned()
            }
            Error::Io { .. } => "check that the path exists and is readable/writable".to_owned(),
            Error::Storage(e) if is_busy(e) => {
                "another CCM Studio process is writing to this library; try again".to_owned()
            }
            Error::Storage(_) => {
                "check the disk; `sqlite3 LIBRARY 'PRAGMA integrity_check'` reports damage".to_owned()
            }
            Error::Corrupt(_) => {
                "export what still reads (`ccm export`) and re-import into a new library".to_owned()
            }
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}
