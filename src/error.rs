//! The errors arkiv reports for one file. Each message says what is wrong in words an archivist can act
//! on; the caller adds the file name.

use thiserror::Error;

/// Why a file could not be read. Problems that do not stop extraction are warnings, not errors.
#[derive(Debug, Error)]
pub enum Error {
    #[error("empty file")]
    Empty,
    #[error("not a PDF (no %PDF- header)")]
    NotPdf,
    #[error("truncated or damaged PDF ({0})")]
    Damaged(String),
    #[error("encrypted: a password is required (give it with --password)")]
    PasswordRequired,
    #[error("encrypted: the password given is wrong")]
    WrongPassword,
    #[error("content stream larger than {0} MiB (a decompression bomb?)")]
    StreamTooLarge(usize),
    #[error("unsupported file type (arkiv reads .pdf, .html, .htm, .txt and .md)")]
    UnsupportedFormat,
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("nothing to ingest: {0}")]
    NothingToIngest(String),
    /// A path given to a batch that could not be read or listed.
    #[error("{0}")]
    Unreadable(String),
    #[error("index: {0}")]
    Index(String),
    /// A limit on the work one file may cost was reached ("page 3: more than 2,000,000 content
    /// operations"): the file is refused, the batch goes on.
    #[error("{0}; the file may be hostile or corrupt")]
    Budget(String),
    /// The file took longer than the per-file limit.
    #[error("reading took longer than {0} s (the limit set by --file-timeout); the file may be hostile or corrupt")]
    Timeout(u64),
    /// A bug in arkiv, not a problem with the file: a panic outside the third-party parsers.
    #[error("internal error in arkiv while reading this file (please report it): {0}")]
    Internal(String),
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Index(e.to_string())
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for Error {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        Error::Index(e.to_string())
    }
}

impl From<tantivy::query::QueryParserError> for Error {
    fn from(e: tantivy::query::QueryParserError) -> Self {
        Error::Index(format!("cannot parse the query: {e}"))
    }
}
