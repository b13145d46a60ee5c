//! Stage 4: the tantivy index of records, and search and export over it.
//!
//! One tantivy document per record, holding the record's JSON (export and rebuilds need nothing else),
//! the [`DocContext`] it inherits from its document, filter fields and Swedish text fields (see
//! [`analyzer`]). A document's records are replaced as a group, keyed by the file's path; nothing is
//! visible until [`Index::commit`]. An index written under other analysers or another schema is rebuilt
//! from its own stored records on open, so an upgrade never needs the source files.
//!
//! This module never reads source files and never interprets a record beyond what it indexes.

mod analyzer;
mod decompound;
mod document;
pub mod export;
mod schema;
mod search;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use tantivy::collector::sort_key::{SortByStaticFastValue, SortByString};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::indexer::UserOperation;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::error::Error;
use crate::records::{Kind, Record};
use crate::segment::DocType;
use analyzer::Side;
use schema::Fields;

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

impl Hit {
    /// The hit as one JSON object: the record's own fields plus `score`, `snippet`, `year`, `doc_title`,
    /// `doc_type` and `section_path` (what `arkiv search --json` and the web API print).
    pub fn to_json(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(&self.record).unwrap_or(serde_json::Value::Null);
        if let Some(obj) = value.as_object_mut() {
            obj.insert("score".into(), serde_json::json!(self.score));
            obj.insert("snippet".into(), serde_json::json!(self.snippet));
            obj.insert("year".into(), serde_json::json!(self.context.year));
            obj.insert("doc_title".into(), serde_json::json!(self.context.title));
            obj.insert("doc_type".into(), serde_json::json!(self.context.doc_type));
            obj.insert("section_path".into(), serde_json::json!(self.context.section_path));
        }
        value
    }
}

/// Indexing memory: enough for a large batch between flushes, small enough for a shared machine.
const WRITER_HEAP_BYTES: usize = 50_000_000;
/// Indexing threads; tantivy needs at least 15 MB of the heap for each.
const WRITER_THREADS: usize = 2;

/// An open index directory.
pub struct Index {
    dir: PathBuf,
    index: tantivy::Index,
    reader: IndexReader,
    /// Taken on the first write (at once by [`Index::open_or_create`]); holds the directory's lock.
    writer: Option<IndexWriter>,
    fields: Fields,
    /// The query side of the analysers (no compound parts).
    query_tokenizers: tantivy::tokenizer::TokenizerManager,
}

impl Index {
    /// Open the index in `dir`, creating it (and `dir`) when there is none.
    pub fn open_or_create(dir: &Path) -> Result<Index, Error> {
        if !has_index(dir) {
            create(dir)?;
        }
        let mut index = Index::open(dir)?;
        // Take the lock now, so that a second ingest fails before it parses anything.
        index.writer()?;
        Ok(index)
    }

    /// Open an existing index for reading; a clear error when `dir` holds none.
    pub fn open(dir: &Path) -> Result<Index, Error> {
        if !has_index(dir) {
            return Err(Error::Index(format!("no index in {}: run `arkiv ingest` first", dir.display())));
        }
        let mut index = open_tantivy(dir)?;
        if !is_current(&index)? {
            drop(index);
            rebuild(dir)?;
            index = open_tantivy(dir)?;
        }
        let reader: IndexReader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let fields = schema::fields(&index.schema())?;
        Ok(Index {
            dir: dir.to_path_buf(),
            index,
            reader,
            writer: None,
            fields,
            query_tokenizers: analyzer::query_manager(),
        })
    }

    /// Every indexed file: its path as given at ingest, and the sha256 of the content indexed.
    pub fn indexed_files(&self) -> Result<HashMap<String, String>, Error> {
        let searcher = self.reader.searcher();
        let documents = TermQuery::new(
            Term::from_field_text(self.fields.kind, Kind::Document.as_str()),
            IndexRecordOption::Basic,
        );
        let mut files = HashMap::new();
        for address in searcher.search(&documents, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let path = document::stored_str(&doc, self.fields.path);
            let sha256 = document::stored_str(&doc, self.fields.sha256);
            if let (Some(path), Some(sha256)) = (path, sha256) {
                files.insert(path.to_string(), sha256.to_string());
            }
        }
        Ok(files)
    }

    /// Replace every record indexed under `path` by `records` (all of one document). Takes effect on
    /// [`Index::commit`].
    pub fn replace_document(&mut self, path: &str, records: &[Record]) -> Result<(), Error> {
        // Build every document before touching the writer, so a bad record leaves no half of a file.
        let operations = operations(&self.fields, path, records)?;
        self.writer()?.run(operations)?;
        Ok(())
    }

    /// Make every change since the last commit durable and visible.
    pub fn commit(&mut self) -> Result<(), Error> {
        if let Some(writer) = &mut self.writer {
            commit(writer)?;
        }
        self.reader.reload()?;
        Ok(())
    }

    /// Number of records in the index.
    pub fn record_count(&self) -> Result<u64, Error> {
        Ok(self.reader.searcher().num_docs())
    }

    /// Ranked records matching `query` and `filter`. An empty query lists the filtered records in
    /// export order.
    pub fn search(&self, query: &str, filter: &Filter, limit: usize) -> Result<Vec<Hit>, Error> {
        let searcher = self.reader.searcher();
        // tantivy allocates for the limit up front: never ask for more than there is.
        let limit = limit.min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
        if limit == 0 {
            return Ok(Vec::new());
        }
        let tantivy_query =
            search::build(&self.index.schema(), &self.fields, &self.query_tokenizers, query, filter);
        if document::normalize(query).trim().is_empty() {
            let records = in_order(&searcher, &self.fields, &*tantivy_query, limit)?;
            return Ok(records
                .into_iter()
                .map(|(record, context)| {
                    let snippet = search::opening(&document::body_text(&record));
                    Hit { record, context, score: 0.0, snippet }
                })
                .collect());
        }
        // Fetch more than asked, so that the section of a matching goal or activity is at hand when the
        // hits are put in context below.
        let wanted = limit.saturating_mul(3).saturating_add(20);
        let wanted = wanted.min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
        let top = searcher.search(&*tantivy_query, &TopDocs::with_limit(wanted).order_by_score())?;
        let snippets = search::Snippets::new(&searcher, &*tantivy_query, &self.fields)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let (record, context) = document::from_stored(&self.fields, &doc)?;
            let snippet = snippets.snippet(&document::body_text(&record));
            hits.push(Hit { record, context, score, snippet });
        }
        sections_first(&mut hits);
        hits.truncate(limit);
        Ok(hits)
    }

    /// Every record matching `filter`, documents in path order, each document's records in their order.
    pub fn export(&self, filter: &Filter) -> Result<Vec<(Record, DocContext)>, Error> {
        let searcher = self.reader.searcher();
        let query = search::build(&self.index.schema(), &self.fields, &self.query_tokenizers, "", filter);
        in_order(&searcher, &self.fields, &*query, usize::MAX)
    }

    /// The writer, taken (with the directory's lock) on first use.
    fn writer(&mut self) -> Result<&mut IndexWriter, Error> {
        match &mut self.writer {
            Some(writer) => Ok(writer),
            slot => Ok(slot.insert(take_writer(&self.index, &self.dir)?)),
        }
    }
}

/// The records matching `query`, at most `limit`, in path order and then in document order.
fn in_order(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    limit: usize,
) -> Result<Vec<(Record, DocContext)>, Error> {
    let limit = limit.min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
    if limit == 0 {
        return Ok(Vec::new());
    }
    let order = (
        (SortByString::for_field(schema::PATH), Order::Asc),
        (SortByStaticFastValue::<u64>::for_field(schema::ORDINAL), Order::Asc),
    );
    let top = searcher.search(query, &TopDocs::with_limit(limit).order_by(order))?;
    top.into_iter()
        .map(|(_, address)| {
            let doc: TantivyDocument = searcher.doc(address)?;
            document::from_stored(fields, &doc)
        })
        .collect()
}

/// Delete the file's old records, then add the new ones: one batch, so they land together.
fn operations(fields: &Fields, path: &str, records: &[Record]) -> Result<Vec<UserOperation>, Error> {
    let docs = document::to_documents(fields, path, records)?;
    let mut operations = Vec::with_capacity(docs.len() + 1);
    operations.push(UserOperation::Delete(Term::from_field_text(fields.path, path)));
    operations.extend(docs.into_iter().map(UserOperation::Add));
    Ok(operations)
}

fn has_index(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// A new, empty, committed index in `dir`, which must be missing or empty.
fn create(dir: &Path) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Index(format!("cannot create {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    // Never scatter index files among someone's documents. Hidden files and a README (the project's
    // own `index/` folder keeps one to say what the folder is for) are not documents.
    let foreign = std::fs::read_dir(dir).map_err(io)?.flatten().any(|entry| {
        let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
        !name.starts_with('.') && !name.starts_with("readme")
    });
    if foreign {
        return Err(Error::Index(format!(
            "{} is not empty and holds no arkiv index: give --index a new or empty folder",
            dir.display()
        )));
    }
    let index = tantivy::Index::create_in_dir(dir, schema::build())?;
    analyzer::register(index.tokenizers(), Side::Index);
    let mut writer = take_writer(&index, dir)?;
    // Committing at once writes the version payload, so the empty index is already current.
    commit(&mut writer)?;
    writer.wait_merging_threads()?;
    Ok(())
}

fn open_tantivy(dir: &Path) -> Result<tantivy::Index, Error> {
    let index = tantivy::Index::open_in_dir(dir)
        .map_err(|e| Error::Index(format!("cannot open the index in {}: {e}", dir.display())))?;
    // tantivy keeps only the analysers' names in the index: register them on every open.
    analyzer::register(index.tokenizers(), Side::Index);
    Ok(index)
}

/// True when `index` was written by this version's schema and analysers.
fn is_current(index: &tantivy::Index) -> Result<bool, Error> {
    let payload = index.load_metas()?.payload;
    Ok(payload.as_deref() == Some(schema::payload().as_str()) && index.schema() == schema::build())
}

fn take_writer(index: &tantivy::Index, dir: &Path) -> Result<IndexWriter, Error> {
    index.writer_with_num_threads(WRITER_THREADS, WRITER_HEAP_BYTES).map_err(|e| match e {
        tantivy::TantivyError::LockFailure(..) => Error::Index(format!(
            "{} is being written by another arkiv process (its lock is held); try again when it is done",
            dir.display()
        )),
        e => Error::from(e),
    })
}

fn commit(writer: &mut IndexWriter) -> Result<(), Error> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&schema::payload());
    prepared.commit()?;
    Ok(())
}

/// Rebuild the index in `dir` under the current schema and analysers, from the records it stores.
///
/// The new index is written beside the old one and swapped in by renaming, so a failure before the
/// swap leaves the old index as it was.
fn rebuild(dir: &Path) -> Result<(), Error> {
    let io = |what: &str, e: std::io::Error| {
        Error::Index(format!("cannot rebuild {}: {what}: {e}", dir.display()))
    };
    let dir = std::fs::canonicalize(dir).map_err(|e| io("cannot resolve the folder", e))?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "index".into());
    let old = open_tantivy(&dir)?;
    // Hold the old index's lock while copying, so no write is lost.
    let lock = take_writer(&old, &dir)?;
    let documents = stored_documents(&old)?;

    let fresh = dir.with_file_name(format!(".{name}.rebuild"));
    if fresh.exists() {
        // Left by a rebuild that was interrupted: it never replaced anything.
        std::fs::remove_dir_all(&fresh).map_err(|e| io("cannot clear the last attempt", e))?;
    }
    std::fs::create_dir_all(&fresh).map_err(|e| io("cannot create a folder beside it", e))?;
    let index = tantivy::Index::create_in_dir(&fresh, schema::build())?;
    analyzer::register(index.tokenizers(), Side::Index);
    let fields = schema::fields(&index.schema())?;
    let mut writer = take_writer(&index, &fresh)?;
    for (path, records) in &documents {
        writer.run(operations(&fields, path, records)?)?;
    }
    commit(&mut writer)?;
    writer.wait_merging_threads()?;
    drop(index);
    drop(lock);
    drop(old);

    // A README kept in the index folder (the project's `index/` has one) moves with the index.
    for entry in std::fs::read_dir(&dir).map_err(|e| io("cannot list the folder", e))?.flatten() {
        if entry.file_name().to_string_lossy().to_ascii_lowercase().starts_with("readme") {
            let _ = std::fs::copy(entry.path(), fresh.join(entry.file_name()));
        }
    }
    let retired = dir.with_file_name(format!(".{name}.old"));
    if retired.exists() {
        std::fs::remove_dir_all(&retired).map_err(|e| io("cannot clear an old copy", e))?;
    }
    std::fs::rename(&dir, &retired).map_err(|e| io("cannot move the old index aside", e))?;
    if let Err(e) = std::fs::rename(&fresh, &dir) {
        // Put the old index back rather than leave no index at all.
        let _ = std::fs::rename(&retired, &dir);
        return Err(io("cannot move the new index in place", e));
    }
    // The rebuilt index is in place; a leftover old copy only wastes space.
    let _ = std::fs::remove_dir_all(&retired);
    Ok(())
}

/// Every record stored in `index`, grouped by path (sorted) and in document order.
fn stored_documents(index: &tantivy::Index) -> Result<BTreeMap<String, Vec<Record>>, Error> {
    let schema = index.schema();
    let field = |name: &str| {
        schema.get_field(name).map_err(|_| {
            Error::Index(format!("the index has no stored {name:?}: it was not written by arkiv"))
        })
    };
    let (record_field, ordinal_field) = (field(schema::RECORD)?, field(schema::ORDINAL)?);
    // The path the records were replaced under; the records' own source path if an index lacks it.
    let path_field = schema.get_field(schema::PATH).ok();
    let reader: IndexReader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    let searcher = reader.searcher();
    let mut grouped: BTreeMap<String, Vec<(u64, Record)>> = BTreeMap::new();
    for address in searcher.search(&tantivy::query::AllQuery, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let record: Record = document::parse_stored(&doc, record_field, "record")?;
        let ordinal = doc.get_first(ordinal_field).and_then(|v| v.as_u64()).unwrap_or(0);
        let path =
            path_field.and_then(|f| document::stored_str(&doc, f)).unwrap_or(document::source_path(&record));
        grouped.entry(path.to_string()).or_default().push((ordinal, record));
    }
    Ok(grouped
        .into_iter()
        .map(|(path, mut records)| {
            records.sort_by_key(|(ordinal, _)| *ordinal);
            (path, records.into_iter().map(|(_, r)| r).collect())
        })
        .collect())
}

/// Put hits in context: a matching section ranks at least as high as its best matching goal or activity
/// (its score is raised to that one's), and comes before it. A short sentence otherwise outranks the
/// section that holds it, and the reader loses the context it was said in.
fn sections_first(hits: &mut [Hit]) {
    let section_of = |hit: &Hit| match &hit.record {
        Record::Goal(g) => g.section_id.clone(),
        Record::Activity(a) => a.section_id.clone(),
        _ => None,
    };
    let mut best_child: std::collections::HashMap<String, f32> = std::collections::HashMap::new();
    for hit in hits.iter() {
        if let Some(section) = section_of(hit) {
            let best = best_child.entry(section).or_insert(hit.score);
            *best = best.max(hit.score);
        }
    }
    for hit in hits.iter_mut() {
        if let Record::Section(s) = &hit.record {
            if let Some(&child) = best_child.get(&s.id) {
                hit.score = hit.score.max(child);
            }
        }
    }
    // Stable: equal scores keep tantivy's order, except that a section precedes its own records.
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| (a.record.kind() != Kind::Section).cmp(&(b.record.kind() != Kind::Section)))
    });
}

#[cfg(test)]
mod tests;
