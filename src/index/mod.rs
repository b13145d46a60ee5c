//! Stage 4: the tantivy index of records, and search and export over it.
//!
//! Placeholder: the real implementation is being written. The public surface below is the contract the
//! rest of arkiv uses.

pub mod export;

use std::path::Path;

use crate::error::Error;
use crate::records::{Kind, Record};
use crate::segment::DocType;

/// Which records to return: every set field must match.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Inclusive range of the document's year.
    pub years: Option<(i32, i32)>,
    pub doc_type: Option<DocType>,
    pub kind: Option<Kind>,
}

/// What a record's document contributes to each of its records in the index.
#[derive(Debug, Clone, PartialEq)]
pub struct DocContext {
    pub title: String,
    pub doc_type: DocType,
    pub year: Option<i32>,
    /// Headings from the top section down to the record's own section (empty for a document record).
    pub section_path: Vec<String>,
}

/// One search result.
#[derive(Debug, Clone)]
pub struct Hit {
    pub record: Record,
    pub context: DocContext,
    pub score: f32,
    /// The best passage, matched words marked with `«` and `»`.
    pub snippet: String,
}

/// An open index directory.
pub struct Index {}

impl Index {
    /// Open the index in `dir`, creating it (and `dir`) when there is none.
    pub fn open_or_create(_dir: &Path) -> Result<Index, Error> {
        Ok(Index {})
    }

    /// Open an existing index for reading; a clear error when `dir` holds none.
    pub fn open(dir: &Path) -> Result<Index, Error> {
        Err(Error::Index(format!("no index in {}: run `arkiv ingest` first", dir.display())))
    }

    /// Every indexed file: its path as given at ingest, and the sha256 of the content indexed.
    pub fn indexed_files(&self) -> Result<std::collections::HashMap<String, String>, Error> {
        Ok(Default::default())
    }

    /// Replace every record indexed under `path` by `records` (all of one document). Takes effect on
    /// [`Index::commit`].
    pub fn replace_document(&mut self, _path: &str, _records: &[Record]) -> Result<(), Error> {
        Ok(())
    }

    /// Make every change since the last commit durable and visible.
    pub fn commit(&mut self) -> Result<(), Error> {
        Ok(())
    }

    /// Number of records in the index.
    pub fn record_count(&self) -> Result<u64, Error> {
        Ok(0)
    }

    /// Ranked records matching `query` and `filter`.
    pub fn search(&self, _query: &str, _filter: &Filter, _limit: usize) -> Result<Vec<Hit>, Error> {
        Ok(Vec::new())
    }

    /// Every record matching `filter`, documents in path order, each document's records in their order.
    pub fn export(&self, _filter: &Filter) -> Result<Vec<(Record, DocContext)>, Error> {
        Ok(Vec::new())
    }
}
