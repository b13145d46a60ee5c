//! Indexes built from records made elsewhere (`arkiv index --from-records`): the JSON Lines of
//! `arkiv parse --batch` or `arkiv export --format jsonl`, or Parquet files with a `record` column of
//! record JSON (what `deploy/spark/arkiv_spark.py` writes). Nothing is parsed from a source file.
//!
//! Records are grouped by document within each file (a document's records must be in one file, its
//! document record first; a second document record of the same id is the same content under another
//! path, indexed as a duplicate); failure lines (`{"kind": "failure", …}`) become the index's failures,
//! as ingest records them. With a shard `K/N`, only the documents [`shard_of`] puts in shard K are
//! indexed, so that N processes can build N shards from the same records. Loading the same records
//! again changes nothing. This module writes only through [`Writer`].

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::index::{Change, Writer};
use crate::records::Record;

/// Which shard of how many to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub of: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `K/N`, with 0 ≤ K < N.
    fn from_str(text: &str) -> Result<Shard, String> {
        let (k, n) = text.split_once('/').ok_or("a shard is K/N, such as 0/4")?;
        let (index, of): (u32, u32) = (
            k.trim().parse().map_err(|_| format!("{k:?} is no shard number"))?,
            n.trim().parse().map_err(|_| format!("{n:?} is no shard count"))?,
        );
        if of == 0 || index >= of {
            return Err(format!("shard {index}/{of}: K must be below N, and N at least 1"));
        }
        Ok(Shard { index, of })
    }
}

/// The shard of `shards` that holds the document `doc_id`: its id's 64-bit hex number (the first 16
/// hex digits of the file's sha256, after `doc-`) modulo `shards`, so that any tool can compute it.
/// An id of another form (a failed file's name) goes by the FNV-1a hash of its bytes.
pub fn shard_of(doc_id: &str, shards: u32) -> u32 {
    let shards = u64::from(shards.max(1));
    let number =
        doc_id.strip_prefix("doc-").and_then(|hex| u64::from_str_radix(hex, 16).ok()).unwrap_or_else(|| {
            doc_id
                .bytes()
                .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
        });
    u32::try_from(number % shards).unwrap_or(0)
}

/// What a load did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub files: usize,
    /// Documents newly indexed.
    pub added: usize,
    /// Documents already indexed under the same path.
    pub unchanged: usize,
    /// Documents already indexed under another path (the path was added).
    pub duplicates: usize,
    /// Documents left to other shards.
    pub other_shards: usize,
    pub records: usize,
    pub failures: usize,
}

/// Index the records in `sources` (files, or folders searched for `*.jsonl`, `*.json` and
/// `*.parquet`, hidden files and Spark's `_` files skipped) into the index in `index_dir`, in one
/// pass. The same content read from several files is one document whose first path is the smallest,
/// whatever order the files and their records come in (see [`add`]).
pub fn load(sources: &[PathBuf], index_dir: &Path, shard: Option<Shard>) -> Result<Loaded, Error> {
    let files = record_files(sources)?;
    if files.is_empty() {
        return Err(Error::NothingToIngest("no .jsonl, .json or .parquet record files found".into()));
    }
    let mut writer = Writer::open_or_create(index_dir)?;
    let mut loaded = Loaded::default();
    for file in &files {
        for (doc_id, records) in documents(file, shard, &mut writer, &mut loaded)? {
            if !matches!(records.first(), Some(Record::Document(_))) {
                return Err(Error::Index(format!(
                    "{}: the records of {doc_id} do not start with its document record",
                    file.display()
                )));
            }
            add(&mut writer, &doc_id, records, &mut loaded)?;
        }
        loaded.files += 1;
    }
    writer.commit()?;
    Ok(loaded)
}

/// Index one document's records (the document record first) under the path they name. Content
/// already indexed under a larger first path is indexed again from this copy, its paths kept after
/// it: the first path is the smallest, as one ingest of all the files makes it.
fn add(writer: &mut Writer, doc_id: &str, records: Vec<Record>, loaded: &mut Loaded) -> Result<(), Error> {
    let Some(Record::Document(document)) = records.first() else { return Ok(()) };
    let path = document.source.path.clone();
    let count = records.len();
    let known = writer.paths_of(doc_id).map(<[String]>::to_vec);
    if let Some(paths) = known.filter(|paths| paths.first().is_some_and(|first| path < *first)) {
        writer.remove_document(doc_id)?;
        writer.replace_document(&path, records)?;
        for other in &paths {
            writer.add_path(doc_id, other)?;
        }
        loaded.duplicates += 1;
    } else {
        match writer.replace_document(&path, records)? {
            Change::Added => {
                loaded.added += 1;
                loaded.records += count;
            }
            Change::Unchanged => loaded.unchanged += 1,
            Change::Duplicate { .. } => loaded.duplicates += 1,
        }
    }
    writer.clear_failure(&path);
    Ok(())
}

/// The documents of `file` in `shard`, each as its records in order; its failures go to `writer`.
/// A line of another shard's document is skipped unread (by its leading ids).
fn documents(
    file: &Path,
    shard: Option<Shard>,
    writer: &mut Writer,
    loaded: &mut Loaded,
) -> Result<Vec<(String, Vec<Record>)>, Error> {
    let mut documents: Vec<(String, Vec<Record>)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for (number, line) in read_lines(file)?.iter().enumerate() {
        if let Some(head) = leading(line).filter(|h| !in_shard(h.doc_id, shard)) {
            loaded.other_shards += usize::from(head.kind == "document");
            continue;
        }
        let place = || format!("{}, line {}", file.display(), number + 1);
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| Error::Index(format!("{}: not a JSON record: {e}", place())))?;
        if value.get("kind").and_then(|k| k.as_str()) == Some("failure") {
            let text = |key: &str| value.get(key).and_then(|v| v.as_str());
            let path = text("file").unwrap_or("(unnamed input)");
            // A failure is kept in one shard (by its file's name), so that shards read as one list
            // it once.
            if in_shard(path, shard) {
                writer.record_failure(path, text("sha256"), text("reason").unwrap_or("failed"));
                loaded.failures += 1;
            }
            continue;
        }
        let record: Record = serde_json::from_value(value)
            .map_err(|e| Error::Index(format!("{}: not an arkiv record: {e}", place())))?;
        let doc_id = record.doc_id().to_string();
        if !in_shard(&doc_id, shard) {
            loaded.other_shards += usize::from(matches!(record, Record::Document(_)));
            continue;
        }
        // A document record starts a document's records: the same content read from two files
        // comes twice, and its second copy is a duplicate path, not more records.
        let slot = match (&record, at.get(&doc_id)) {
            (Record::Document(_), _) | (_, None) => {
                documents.push((doc_id.clone(), Vec::new()));
                at.insert(doc_id, documents.len() - 1);
                documents.len() - 1
            }
            (_, Some(&slot)) => slot,
        };
        documents[slot].1.push(record);
    }
    Ok(documents)
}

fn in_shard(id: &str, shard: Option<Shard>) -> bool {
    shard.is_none_or(|s| shard_of(id, s.of) == s.index)
}

/// The kind and document id a record line starts with (`{"kind":K,"id":I,"doc_id":D`, the order
/// arkiv writes them in), read without parsing the line; `None` for a line of another form.
fn leading(line: &str) -> Option<Leading<'_>> {
    let rest = line.strip_prefix("{\"kind\":\"")?;
    let (kind, rest) = rest.split_once('"')?;
    let rest = rest.strip_prefix(",\"id\":\"")?;
    let (_, rest) = rest.split_once('"')?;
    let rest = rest.strip_prefix(",\"doc_id\":\"")?;
    let (doc_id, _) = rest.split_once('"')?;
    (!doc_id.contains('\\') && kind != "failure").then_some(Leading { kind, doc_id })
}

struct Leading<'a> {
    kind: &'a str,
    doc_id: &'a str,
}

/// The record files under `sources`, sorted, each once.
fn record_files(sources: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let wanted = |path: &Path| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        !name.starts_with(['.', '_']) && matches!(ext, "jsonl" | "json" | "parquet")
    };
    let mut files = Vec::new();
    for source in sources {
        if source.is_dir() {
            for entry in walkdir::WalkDir::new(source).follow_links(false) {
                let entry = entry.map_err(|e| Error::Index(format!("{}: {e}", source.display())))?;
                if entry.file_type().is_file() && wanted(entry.path()) {
                    files.push(entry.into_path());
                }
            }
        } else if source.is_file() {
            files.push(source.clone());
        } else {
            return Err(Error::Index(format!("{}: no such file or folder of records", source.display())));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// The record JSON of one file: its lines, or its Parquet `record` column.
fn read_lines(file: &Path) -> Result<Vec<String>, Error> {
    let open = || std::fs::File::open(file).map_err(|e| Error::Index(format!("{}: {e}", file.display())));
    if file.extension().and_then(|e| e.to_str()) == Some("parquet") {
        return parquet_records(open()?).map_err(|e| Error::Index(format!("{}: {e}", file.display())));
    }
    let mut lines = Vec::new();
    for line in std::io::BufReader::new(open()?).lines() {
        let line = line.map_err(|e| Error::Index(format!("{}: {e}", file.display())))?;
        if !line.trim().is_empty() {
            lines.push(line);
        }
    }
    Ok(lines)
}

/// The `record` column of a Parquet file.
fn parquet_records(file: std::fs::File) -> Result<Vec<String>, String> {
    use arrow_array::{Array, LargeStringArray, StringArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::arrow::ProjectionMask;

    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| e.to_string())?;
    let schema = builder.parquet_schema();
    let column = (0..schema.num_columns()).find(|&i| schema.column(i).name() == "record").ok_or(
        "no `record` column: this Parquet holds no whole records (an `arkiv export` table is not \
         enough); index the JSON Lines instead",
    )?;
    let mask = ProjectionMask::leaves(schema, [column]);
    let reader = builder.with_projection(mask).build().map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| e.to_string())?;
        let Some(values) = batch.columns().first() else { continue };
        if let Some(strings) = values.as_any().downcast_ref::<StringArray>() {
            out.extend(strings.iter().flatten().map(str::to_string));
        } else if let Some(strings) = values.as_any().downcast_ref::<LargeStringArray>() {
            out.extend(strings.iter().flatten().map(str::to_string));
        } else {
            return Err(format!("the `record` column is {}, not text", values.data_type()));
        }
        if values.null_count() > 0 {
            return Err("the `record` column has empty rows".into());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_lines_leading_ids_are_read_without_parsing() {
        let head = leading(r#"{"kind":"goal","id":"doc-1-g001","doc_id":"doc-1","text":"x"}"#).expect("ids");
        assert_eq!((head.kind, head.doc_id), ("goal", "doc-1"));
        for other in [r#"{"id":"a","kind":"goal"}"#, r#"{"kind":"failure","file":"x"}"#, "[]", ""] {
            assert!(leading(other).is_none(), "{other}");
        }
    }

    #[test]
    fn shards_are_read_from_k_of_n_and_documents_spread_over_them() {
        assert_eq!("1/4".parse::<Shard>(), Ok(Shard { index: 1, of: 4 }));
        for bad in ["4/4", "1", "a/2", "0/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert_eq!(shard_of("doc-00000000000000ff", 16), 15);
        assert_eq!(shard_of("doc-ffffffffffffffff", 2), 1);
        let mut counts = [0usize; 3];
        for n in 0..300u64 {
            let id = format!("doc-{:016x}", n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            counts[shard_of(&id, 3) as usize] += 1;
        }
        assert!(counts.iter().all(|&c| c > 60), "{counts:?}");
        assert!(shard_of("not-a-doc-id", 5) < 5);
    }
}
