//! Migration: an index written in another format or under other analysers is rebuilt under this
//! version's, from the records it stores. Only the writer side calls this (`arkiv ingest`,
//! `arkiv reindex`), with the index's lock held; a reader never does.
//!
//! The new index is written beside the old one and swapped in by renaming, so a failure before the
//! swap leaves the old index as it was. Documents are regrouped by id, so an index from before
//! documents were their content (one copy per path) comes out with one document listing every path.

use std::collections::BTreeMap;
use std::path::Path;

use tantivy::collector::DocSetCollector;
use tantivy::indexer::UserOperation;
use tantivy::schema::Value;
use tantivy::{IndexReader, ReloadPolicy, TantivyDocument};

use super::writer::{commit, take_writer};
use super::{analyzer, document, open_tantivy, schema, IngestInfo};
use crate::error::Error;
use crate::records::{self, Record};

/// Rebuild the index in `dir` under the current schema and analysers. Returns the number of documents.
pub fn rebuild(dir: &Path) -> Result<usize, Error> {
    let io = |what: &str, e: std::io::Error| {
        Error::Index(format!("cannot migrate {}: {what}: {e}", dir.display()))
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
    analyzer::register(index.tokenizers(), analyzer::Side::Index);
    let fields = schema::fields(&index.schema())?;
    let mut writer = take_writer(&index, &fresh)?;
    for (records, info) in documents.values() {
        let docs = document::to_documents(&fields, records, info)?;
        writer.run(docs.into_iter().map(UserOperation::Add))?;
    }
    commit(&mut writer)?;
    writer.wait_merging_threads()?;
    drop(index);
    drop(lock);
    drop(old);

    // What arkiv keeps in the folder beside tantivy's files (a README, the failures) moves with it.
    for entry in std::fs::read_dir(&dir).map_err(|e| io("cannot list the folder", e))?.flatten() {
        let file = entry.file_name().to_string_lossy().to_ascii_lowercase();
        if file.starts_with("readme") || file.starts_with("arkiv-") {
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
    Ok(documents.len())
}

/// Every document stored in `index` by id: its records in document order under all its paths, and
/// its ingest information.
fn stored_documents(index: &tantivy::Index) -> Result<BTreeMap<String, (Vec<Record>, IngestInfo)>, Error> {
    let schema = index.schema();
    let field = |name: &str| {
        schema.get_field(name).map_err(|_| {
            Error::Index(format!("the index has no stored {name:?}: it was not written by arkiv"))
        })
    };
    let (record_field, ordinal_field) = (field(schema::RECORD)?, field(schema::ORDINAL)?);
    // The path the records were indexed under, in indexes from before documents had `paths`.
    let path_field = schema.get_field(schema::PATH).ok();
    let ingest_field = schema.get_field(schema::INGEST).ok();
    let reader: IndexReader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    let searcher = reader.searcher();

    struct Found {
        /// (path, ordinal, record) of every stored copy.
        copies: Vec<(String, u64, Record)>,
        info: IngestInfo,
    }
    let mut found: BTreeMap<String, Found> = BTreeMap::new();
    for address in searcher.search(&tantivy::query::AllQuery, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let record: Record = document::parse_stored(&doc, record_field, "record")?;
        let ordinal = doc.get_first(ordinal_field).and_then(|v| v.as_u64()).unwrap_or(0);
        let path = path_field
            .and_then(|f| document::stored_str(&doc, f))
            .unwrap_or(document::source_path(&record))
            .to_string();
        let entry = found
            .entry(record.doc_id().to_string())
            .or_insert_with(|| Found { copies: Vec::new(), info: IngestInfo::default() });
        if let Some(info) = ingest_field
            .and_then(|f| document::stored_str(&doc, f))
            .and_then(|json| serde_json::from_str(json).ok())
        {
            entry.info = info;
        }
        entry.copies.push((path, ordinal, record));
    }
    let mut documents = BTreeMap::new();
    for (doc_id, Found { mut copies, info }) in found {
        // The paths a document record lists keep their order (the first is the one its records name);
        // an index from before `paths` has only the paths its copies were indexed under: sorted.
        let mut paths: Vec<String> = Vec::new();
        for (_, _, record) in &copies {
            if let Record::Document(d) = record {
                for p in &d.paths {
                    if !paths.contains(p) {
                        paths.push(p.clone());
                    }
                }
            }
        }
        let mut unnamed: Vec<String> =
            copies.iter().map(|(path, _, _)| path.clone()).filter(|p| !paths.contains(p)).collect();
        unnamed.sort();
        unnamed.dedup();
        paths.extend(unnamed);
        if copies.iter().filter(|(_, ordinal, _)| *ordinal == 0).count() > 1 {
            // Several copies: no one order to keep.
            paths.sort();
        }
        let first = paths.first().cloned().unwrap_or_default();
        copies.retain(|(path, _, _)| *path == first);
        copies.sort_by_key(|(_, ordinal, _)| *ordinal);
        // Two copies of one path (an index that was written twice in one batch) keep one record each.
        copies.dedup_by_key(|(_, ordinal, _)| *ordinal);
        let mut records: Vec<Record> = copies.into_iter().map(|(_, _, r)| r).collect();
        records::set_paths(&mut records, &paths);
        let mut info = info;
        if info.records.is_empty() {
            info.records = records::count_by_kind(&records);
        }
        documents.insert(doc_id, (records, info));
    }
    Ok(documents)
}
