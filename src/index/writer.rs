//! The write side of the index: the only code that creates, migrates or changes an index.
//!
//! A [`Writer`] holds two locks for as long as it lives: tantivy's, which keeps out a second writer,
//! and arkiv's own `.arkiv-writer.lock`, which readers may probe without writing anything (a shared
//! `flock` on a file they open read-only) to say that an ingest is under way. Documents are keyed by
//! their id (from the content's sha256); the [`Catalog`] of paths is kept in memory, and the records
//! written since the last commit are kept too, so that a document can be rewritten (a path added or
//! taken away) before its first commit.

use std::collections::{BTreeMap, HashMap};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use tantivy::indexer::UserOperation;
use tantivy::{ReloadPolicy, Term};

use super::catalog::{Catalog, Loss};
use super::failures::{self, Failure};
use super::pread::PreadDirectory;
use super::{analyzer, document, has_index, migrate, open_tantivy, schema, Index, IngestInfo};
use crate::error::Error;
use crate::records::{self, DocumentRecord, Record};

/// Indexing memory: enough for a batch between commits, small enough for a shared machine.
const WRITER_HEAP_BYTES: usize = 50_000_000;
/// Indexing threads; tantivy needs at least 15 MB of the heap for each.
const WRITER_THREADS: usize = 2;
/// Merges at a time. Each holds much of its segments in memory, and tantivy's default of four let
/// the writer's peak depend on how many happened to overlap (10,000 documents peaked anywhere
/// between 94 and 112 MiB); one at a time keeps up with an ingest on a machine of a few cores.
const MERGE_THREADS: usize = 1;
/// arkiv's own writer lock, inside the index folder.
const LOCK_FILE: &str = ".arkiv-writer.lock";

/// What [`Writer::replace_document`] did with a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A new document.
    Added,
    /// The content was already indexed under another path, `of` (its first); the path was added to it.
    Duplicate { of: String },
    /// The path already held this content.
    Unchanged,
}

/// An index open for writing. It reads as an [`Index`] (through `Deref`) what has been committed.
pub struct Writer {
    index: Index,
    writer: tantivy::IndexWriter,
    catalog: Catalog,
    /// The document records written since the last commit, by document id, with their ingest
    /// information: enough to add a path to a document before its first commit. (All its records are
    /// not kept: a batch's worth of them is most of an ingest's memory.)
    pending: HashMap<String, (DocumentRecord, IngestInfo)>,
    failures: BTreeMap<String, Failure>,
    failures_changed: bool,
    /// Set by a commit: the reader of committed state is reloaded when it is next used, not at every
    /// commit, since a reload opens each new segment and a batch of new documents never reads them.
    reader_stale: AtomicBool,
    // Last, so that it is released after tantivy's lock.
    _lock: WriterLock,
}

impl std::ops::Deref for Writer {
    type Target = Index;

    fn deref(&self) -> &Index {
        // A failed reload leaves the last state it read readable, and is tried again on next use.
        self.committed().unwrap_or(&self.index)
    }
}

impl Writer {
    /// Open the index in `dir` for writing, creating it (and `dir`) when there is none, and migrating
    /// an index written by an older arkiv first. Fails at once when another process writes it.
    pub fn open_or_create(dir: &Path) -> Result<Writer, Error> {
        if !has_index(dir) {
            refuse_foreign_folder(dir)?;
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Index(format!("cannot create {}: {e}", dir.display())))?;
        }
        let mut lock = WriterLock::acquire(dir)?;
        if !has_index(dir) {
            create(dir)?;
        }
        let mut tantivy_index = open_tantivy(dir)?;
        let payload = tantivy_index.load_metas()?.payload.unwrap_or_default();
        if schema::is_newer_payload(&payload) {
            return Err(Error::Index(schema::version_mismatch(dir, &payload)));
        }
        if !schema::is_current_payload(&payload) || tantivy_index.schema() != schema::build() {
            drop(tantivy_index);
            migrate::rebuild(dir)?;
            tantivy_index = open_tantivy(dir)?;
            // The rebuild moved the old folder, and the lock file in it, aside.
            drop(lock);
            lock = WriterLock::acquire(dir)?;
        }
        // Two handles on one index: the writer reads through `pread` (see `pread`), the reader of what
        // has been committed through maps.
        let write_index = tantivy::Index::open(PreadDirectory::open(dir)?)?;
        analyzer::register(write_index.tokenizers(), analyzer::Side::Index);
        let writer = take_writer(&write_index, dir)?;
        let index = Index::from_tantivy(dir, tantivy_index, ReloadPolicy::Manual)?;
        // The catalogue is read through `pread` as well: read through the maps, a large archive's
        // fast fields stayed resident for the whole ingest.
        let mut catalog = Catalog::default();
        for (doc_id, paths) in
            Index::from_tantivy(dir, write_index.clone(), ReloadPolicy::Manual)?.catalog()?
        {
            catalog.set(&doc_id, paths);
        }
        Ok(Writer {
            failures: failures::load(dir)?,
            index,
            writer,
            catalog,
            pending: HashMap::new(),
            failures_changed: false,
            reader_stale: AtomicBool::new(false),
            _lock: lock,
        })
    }

    /// Open the existing index in `dir` for writing (`arkiv remove`): an error when there is none.
    pub fn open(dir: &Path) -> Result<Writer, Error> {
        if !has_index(dir) {
            return Err(Error::Index(format!("no index in {}: run `arkiv ingest` first", dir.display())));
        }
        Writer::open_or_create(dir)
    }

    /// The document at `path`, committed or not.
    pub fn document_at(&self, path: &str) -> Option<&str> {
        self.catalog.document_at(path)
    }

    /// The paths of the document `doc_id`, first the one its records name.
    pub fn paths_of(&self, doc_id: &str) -> Option<&[String]> {
        self.catalog.paths(doc_id)
    }

    /// Index `records` (all of one document, the document record first) as the content now at `path`.
    /// The path leaves the document it held before (which goes when it has no path left). When the
    /// content is already indexed, only the path is added to it.
    pub fn replace_document(&mut self, path: &str, records: Vec<Record>) -> Result<Change, Error> {
        self.replace_document_as(path, records, crate::PIPELINE_VERSION)
    }

    /// [`Writer::replace_document`] as pipeline `version` made the records (tests write an older
    /// pipeline's documents through it).
    pub(crate) fn replace_document_as(
        &mut self,
        path: &str,
        records: Vec<Record>,
        version: u32,
    ) -> Result<Change, Error> {
        let Some(Record::Document(d)) = records.first() else {
            return Err(Error::Index("a document's records must start with its document record".into()));
        };
        let doc_id = d.id.clone();
        if let Some(change) = self.add_path(&doc_id, path)? {
            return Ok(change);
        }
        let info = IngestInfo {
            ingested_at: Some(now()),
            pipeline_version: Some(version),
            records: records::count_by_kind(&records),
        };
        self.write(&doc_id, records, info, vec![path.to_string()])?;
        Ok(Change::Added)
    }

    /// Record that `path` holds the indexed document `doc_id`: `None` when no such document is indexed.
    pub fn add_path(&mut self, doc_id: &str, path: &str) -> Result<Option<Change>, Error> {
        let Some(paths) = self.catalog.paths(doc_id) else { return Ok(None) };
        if paths.iter().any(|p| p == path) {
            return Ok(Some(Change::Unchanged));
        }
        let of = paths[0].clone();
        let mut paths = paths.to_vec();
        paths.push(path.to_string());
        // The first path stays, so only the document record changes.
        self.write_document_record(doc_id, &paths)?;
        self.take_paths(doc_id, paths)?;
        Ok(Some(Change::Duplicate { of }))
    }

    /// Replace the records of an indexed document by `records` (read again by a newer pipeline),
    /// keeping its paths. False when the document is not indexed.
    pub fn update_records(&mut self, records: Vec<Record>) -> Result<bool, Error> {
        let Some(Record::Document(d)) = records.first() else {
            return Err(Error::Index("a document's records must start with its document record".into()));
        };
        let doc_id = d.id.clone();
        let Some(paths) = self.catalog.paths(&doc_id).map(<[String]>::to_vec) else { return Ok(false) };
        let (_, old) = self.document_record(&doc_id)?;
        let info = IngestInfo {
            ingested_at: old.ingested_at.or_else(|| Some(now())),
            pipeline_version: Some(crate::PIPELINE_VERSION),
            records: records::count_by_kind(&records),
        };
        self.write(&doc_id, records, info, paths)?;
        Ok(true)
    }

    /// Take `path` out of the index: the document it holds loses the path, and goes when it has no
    /// other. Returns that document's id.
    pub fn remove_path(&mut self, path: &str) -> Result<Option<String>, Error> {
        let Some(loss) = self.catalog.remove_path(path) else { return Ok(None) };
        let doc_id = loss.doc_id.clone();
        self.lose_paths(loss)?;
        Ok(Some(doc_id))
    }

    /// Take the document `doc_id` and all its records out of the index; returns its paths.
    pub fn remove_document(&mut self, doc_id: &str) -> Result<Option<Vec<String>>, Error> {
        let paths = self.catalog.remove(doc_id);
        if paths.is_some() {
            self.writer.delete_term(Term::from_field_text(self.index.fields.doc_id, doc_id));
            self.pending.remove(doc_id);
        }
        Ok(paths)
    }

    /// Note that the file at `path` failed (replacing an earlier failure of it).
    pub fn record_failure(&mut self, path: &str, sha256: Option<&str>, reason: &str) {
        let failure = Failure {
            path: path.into(),
            sha256: sha256.map(str::to_string),
            reason: reason.into(),
            at: now(),
        };
        self.failures.insert(path.to_string(), failure);
        self.failures_changed = true;
    }

    /// Forget an earlier failure of `path` (it has been read since).
    pub fn clear_failure(&mut self, path: &str) {
        self.failures_changed |= self.failures.remove(path).is_some();
    }

    /// Make every change since the last commit durable and visible, the failures file included.
    pub fn commit(&mut self) -> Result<(), Error> {
        commit(&mut self.writer)?;
        self.reader_stale.store(true, Ordering::Relaxed);
        self.pending.clear();
        if self.failures_changed {
            failures::save(self.index.dir(), &self.failures)?;
            self.failures_changed = false;
        }
        Ok(())
    }

    /// Write `records` as the whole of `doc_id` under `paths`, and take those paths from the documents
    /// that held them.
    fn write(
        &mut self,
        doc_id: &str,
        mut records: Vec<Record>,
        info: IngestInfo,
        paths: Vec<String>,
    ) -> Result<(), Error> {
        records::set_paths(&mut records, &paths);
        // A document the catalogue has never seen has nothing to delete. Leaving the delete out
        // matters: a commit with pending deletes opens every segment to apply them, so a batch of
        // new documents would cost time and memory that grow with the whole index.
        let known = self.catalog.paths(doc_id).is_some();
        let term = known.then(|| Term::from_field_text(self.index.fields.doc_id, doc_id));
        self.replace(term, records, info)?;
        self.take_paths(doc_id, paths)
    }

    /// Rewrite only the document record of `doc_id` with `paths` (its first path unchanged, so its
    /// other records still name the right one).
    fn write_document_record(&mut self, doc_id: &str, paths: &[String]) -> Result<(), Error> {
        let (mut record, info) = self.document_record(doc_id)?;
        record.paths = paths.to_vec();
        // The document record's own id: its other records stay as they are.
        self.replace(
            Some(Term::from_field_text(self.index.fields.id, doc_id)),
            vec![Record::Document(record)],
            info,
        )
    }

    /// Give `doc_id` its `paths` in the catalogue, and rewrite the documents that lose one of them.
    fn take_paths(&mut self, doc_id: &str, paths: Vec<String>) -> Result<(), Error> {
        for loss in self.catalog.set(doc_id, paths) {
            self.lose_paths(loss)?;
        }
        Ok(())
    }

    /// Bring a document that lost paths (the catalogue already says so) in line in the index.
    fn lose_paths(&mut self, loss: Loss) -> Result<(), Error> {
        let Loss { doc_id, left, first_lost } = loss;
        if left.is_empty() {
            self.writer.delete_term(Term::from_field_text(self.index.fields.doc_id, &doc_id));
            self.pending.remove(&doc_id);
        } else if !first_lost {
            self.write_document_record(&doc_id, &left)?;
        } else {
            // Every record names the first path: read them all, from the index, which must hold the
            // document's latest state (a rare case: commit if this batch changed it).
            if self.pending.contains_key(&doc_id) {
                self.commit()?;
            }
            let (mut records, info) = self.committed()?.document_records(&doc_id)?;
            records::set_paths(&mut records, &left);
            self.replace(Some(Term::from_field_text(self.index.fields.doc_id, &doc_id)), records, info)?;
        }
        Ok(())
    }

    /// Delete what `term` matches (if given) and add `records` (their document record first, carrying
    /// `info`) in one batch, and keep the document record for later path changes before the commit.
    fn replace(&mut self, term: Option<Term>, records: Vec<Record>, info: IngestInfo) -> Result<(), Error> {
        // Build every tantivy document before touching the writer, so a bad record leaves no half.
        let docs = document::to_documents(&self.index.fields, &records, &info)?;
        let mut operations = Vec::with_capacity(docs.len() + 1);
        // In one batch, the delete applies to what was there before and not to the adds after it.
        operations.extend(term.map(UserOperation::Delete));
        operations.extend(docs.into_iter().map(UserOperation::Add));
        self.writer.run(operations)?;
        if let Some(Record::Document(d)) = records.into_iter().next() {
            self.pending.insert(d.id.clone(), (d, info));
        }
        Ok(())
    }

    /// The current document record of `doc_id`: the one written since the last commit, else the
    /// committed one.
    fn document_record(&self, doc_id: &str) -> Result<(DocumentRecord, IngestInfo), Error> {
        if let Some((record, info)) = self.pending.get(doc_id) {
            return Ok((record.clone(), info.clone()));
        }
        self.committed()?.document_record(doc_id)
    }

    /// What has been committed, the last commit included.
    fn committed(&self) -> Result<&Index, Error> {
        if self.reader_stale.load(Ordering::Relaxed) {
            self.index.reload()?;
            self.reader_stale.store(false, Ordering::Relaxed);
        }
        Ok(&self.index)
    }
}

/// Rebuild the index in `dir` under this arkiv's schema and analysers, from its stored records
/// (`arkiv reindex`). Returns the number of documents.
pub fn rebuild(dir: &Path) -> Result<usize, Error> {
    if !has_index(dir) {
        return Err(Error::Index(format!("no index in {}: run `arkiv ingest` first", dir.display())));
    }
    let _lock = WriterLock::acquire(dir)?;
    let payload = open_tantivy(dir)?.load_metas()?.payload.unwrap_or_default();
    if schema::is_newer_payload(&payload) {
        return Err(Error::Index(schema::version_mismatch(dir, &payload)));
    }
    migrate::rebuild(dir)
}

/// Now, RFC 3339 in UTC to the second.
pub(crate) fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// True when a writer holds `dir`'s lock now. Opens the lock file read-only and writes nothing.
pub(super) fn is_active(dir: &Path) -> bool {
    let Ok(file) = File::open(dir.join(LOCK_FILE)) else { return false };
    matches!(file.try_lock_shared(), Err(TryLockError::WouldBlock))
}

/// arkiv's writer lock: an exclusive `flock` on a file in the index folder, released by the operating
/// system however the process ends (a `kill -9` leaves no stale lock).
struct WriterLock {
    _file: File,
}

impl WriterLock {
    fn acquire(dir: &Path) -> Result<WriterLock, Error> {
        let path = dir.join(LOCK_FILE);
        let io = |e: std::io::Error| Error::Index(format!("cannot lock {}: {e}", path.display()));
        let mut file = OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(io)?;
        // A reader's probe holds a shared lock for an instant: retry briefly before calling it a writer.
        let mut attempts = 0;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if attempts < 50 => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                Err(TryLockError::WouldBlock) => return Err(busy(dir)),
                Err(TryLockError::Error(e)) => return Err(io(e)),
            }
        }
        // For a person looking: which process writes. Nothing reads it.
        let _ = file.set_len(0).and_then(|()| writeln!(file, "{}", std::process::id()));
        Ok(WriterLock { _file: file })
    }
}

fn busy(dir: &Path) -> Error {
    Error::Index(format!(
        "{} is being written by another arkiv process (its lock is held); try again when it is done",
        dir.display()
    ))
}

/// Never scatter index files among someone's documents: `dir` must be missing or hold nothing but
/// hidden files and a README (the project's own `index/` folder keeps one to say what it is for).
fn refuse_foreign_folder(dir: &Path) -> Result<(), Error> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    let foreign = entries.flatten().any(|entry| {
        let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
        !name.starts_with('.') && !name.starts_with("readme")
    });
    if foreign {
        return Err(Error::Index(format!(
            "{} is not empty and holds no arkiv index: give --index a new or empty folder",
            dir.display()
        )));
    }
    Ok(())
}

/// A new, empty, committed index in `dir`.
fn create(dir: &Path) -> Result<(), Error> {
    let index = tantivy::Index::create_in_dir(dir, schema::build())?;
    analyzer::register(index.tokenizers(), analyzer::Side::Index);
    let mut writer = take_writer(&index, dir)?;
    // Committing at once writes the version payload, so the empty index is already current.
    commit(&mut writer)?;
    writer.wait_merging_threads()?;
    Ok(())
}

pub(super) fn take_writer(index: &tantivy::Index, dir: &Path) -> Result<tantivy::IndexWriter, Error> {
    let options = tantivy::indexer::IndexWriterOptions::builder()
        .num_worker_threads(WRITER_THREADS)
        .memory_budget_per_thread(WRITER_HEAP_BYTES / WRITER_THREADS)
        .num_merge_threads(MERGE_THREADS)
        .build();
    let writer = index.writer_with_options(options).map_err(|e| match e {
        tantivy::TantivyError::LockFailure(..) => busy(dir),
        e => Error::from(e),
    })?;
    writer.set_merge_policy(Box::new(merge_policy()));
    Ok(writer)
}

/// Records past which a segment is no longer merged.
const MAX_MERGED_RECORDS: usize = 20_000;

/// tantivy's logarithmic merge policy, but segments of more than [`MAX_MERGED_RECORDS`] stay as they
/// are. A merge holds much of its segments in memory (a segment's whole store is read to be copied),
/// so without a bound the largest merges, and the writer's peak memory, grew with the index: 10,000
/// documents peaked at 1.7 times 1,000. Searches pay a little for the extra segments (an archive of
/// 10,000 documents has about 20).
fn merge_policy() -> tantivy::indexer::LogMergePolicy {
    let mut policy = tantivy::indexer::LogMergePolicy::default();
    policy.set_max_docs_before_merge(MAX_MERGED_RECORDS);
    policy
}

pub(super) fn commit(writer: &mut tantivy::IndexWriter) -> Result<(), Error> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&schema::payload());
    prepared.commit()?;
    Ok(())
}
