//! The batch: files and folders in, records into the index, a report out.
//!
//! Files are read, extracted and segmented in parallel (rayon); the index is written by one thread.
//! A file that fails is reported with its reason and the batch goes on; the index is committed once at
//! the end, so a crash leaves the previous commit intact. An unchanged file (same path, same sha256) is
//! skipped; a changed one replaces its old records.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::extract::{self, SourceFormat};
use crate::index::Index;
use crate::records::{self, Kind, Record};
use crate::segment;

/// One file read through extract → segment → records, nothing indexed.
#[derive(Debug)]
pub struct Parsed {
    pub records: Vec<Record>,
    pub pages: u32,
    pub pages_without_text: Vec<u32>,
    pub warnings: Vec<String>,
    /// Time spent in extraction and in segmentation (for `arkiv bench ingest`).
    pub extract_time: Duration,
    pub segment_time: Duration,
}

/// sha256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Run one file's bytes through the pipeline up to records. `path` is recorded as given.
pub fn parse_bytes(
    path: &str,
    bytes: &[u8],
    sha256: &str,
    options: &extract::Options,
) -> Result<Parsed, Error> {
    let format = SourceFormat::from_path(Path::new(path)).ok_or(Error::UnsupportedFormat)?;
    let started = Instant::now();
    let doc = extract::extract_bytes(bytes, format, options)?;
    let extract_time = started.elapsed();
    let started = Instant::now();
    let seg = segment::segment(&doc);
    let segment_time = started.elapsed();
    let pages = (format == SourceFormat::Pdf).then(|| doc.page_count());
    let file = records::FileInfo {
        path,
        sha256,
        pages,
        pages_without_text: &doc.pages_without_text,
        warnings: &doc.warnings,
    };
    Ok(Parsed {
        records: records::build(&file, &seg),
        pages: doc.page_count(),
        pages_without_text: doc.pages_without_text.clone(),
        warnings: doc.warnings.clone(),
        extract_time,
        segment_time,
    })
}

/// Read and parse one file.
pub fn parse_file(path: &Path, options: &extract::Options) -> Result<Parsed, Error> {
    let bytes = std::fs::read(path)?;
    parse_bytes(&path.to_string_lossy(), &bytes, &sha256_hex(&bytes), options)
}

/// Every readable file under `paths` (folders recursively), sorted, with the paths that could not be
/// listed and why.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        walk(path, true, &mut files, &mut problems);
    }
    files.sort();
    files.dedup();
    (files, problems)
}

fn walk(path: &Path, explicit: bool, files: &mut Vec<PathBuf>, problems: &mut Vec<(PathBuf, String)>) {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return problems.push((path.to_path_buf(), format!("cannot read: {e}"))),
    };
    if meta.is_dir() {
        let entries = match std::fs::read_dir(path) {
            Ok(e) => e,
            Err(e) => return problems.push((path.to_path_buf(), format!("cannot list folder: {e}"))),
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            // Hidden files and folders (.git, editor swap files) are never documents, and a folder's
            // README describes the folder rather than being one of its documents.
            let name = name.to_string_lossy();
            let readme = name.to_ascii_lowercase().starts_with("readme.");
            if !name.starts_with('.') && !readme {
                walk(&entry.path(), false, files, problems);
            }
        }
    } else if SourceFormat::from_path(path).is_some() {
        files.push(path.to_path_buf());
    } else if explicit {
        problems.push((path.to_path_buf(), Error::UnsupportedFormat.to_string()));
    }
}

/// What happened to one file.
#[derive(Debug)]
pub enum Outcome {
    Indexed {
        pages: u32,
        records: BTreeMap<Kind, usize>,
        pages_without_text: Vec<u32>,
        warnings: Vec<String>,
    },
    Unchanged,
    Failed(String),
}

/// The summary of a batch.
#[derive(Debug, Default)]
pub struct Report {
    /// Every file with what happened to it, in path order.
    pub files: Vec<(PathBuf, Outcome)>,
    pub elapsed: Duration,
    pub timings: Timings,
}

/// Where a batch's time went. Extraction and segmentation run on several threads and are summed over
/// them; indexing and the commit run on one.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub extract: Duration,
    pub segment: Duration,
    pub index: Duration,
    pub commit: Duration,
}

impl Report {
    pub fn failures(&self) -> impl Iterator<Item = (&PathBuf, &str)> {
        self.files.iter().filter_map(|(p, o)| match o {
            Outcome::Failed(reason) => Some((p, reason.as_str())),
            _ => None,
        })
    }

    pub fn count(&self, pred: impl Fn(&Outcome) -> bool) -> usize {
        self.files.iter().filter(|(_, o)| pred(o)).count()
    }

    pub fn pages(&self) -> u32 {
        self.files.iter().map(|(_, o)| if let Outcome::Indexed { pages, .. } = o { *pages } else { 0 }).sum()
    }

    pub fn records_by_kind(&self) -> BTreeMap<Kind, usize> {
        let mut total = BTreeMap::new();
        for (_, o) in &self.files {
            if let Outcome::Indexed { records, .. } = o {
                for (k, n) in records {
                    *total.entry(*k).or_insert(0) += n;
                }
            }
        }
        total
    }
}

/// Called after each file with (files done, files in all, path).
pub type ProgressFn = Box<dyn Fn(usize, usize, &Path) + Sync>;

/// How to run a batch.
pub struct Options {
    pub index_dir: PathBuf,
    pub extract: extract::Options,
    pub on_progress: ProgressFn,
}

/// Files in a batch are processed in chunks so that memory stays bounded by the chunk, not the batch.
const CHUNK: usize = 64;

/// Ingest `paths` into the index. Errors only when the index itself cannot be opened or written; a bad
/// file is an [`Outcome::Failed`] in the report.
pub fn ingest(paths: &[PathBuf], options: &Options) -> Result<Report, Error> {
    let started = Instant::now();
    let mut index = Index::open_or_create(&options.index_dir)?;
    let indexed = index.indexed_files()?;
    let (files, problems) = collect_files(paths);
    let mut report = Report::default();
    report.files.extend(problems.into_iter().map(|(p, why)| (p, Outcome::Failed(why))));
    let total = files.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    for chunk in files.chunks(CHUNK) {
        let results: Vec<(PathBuf, Result<Option<Parsed>, Error>)> = chunk
            .par_iter()
            .map(|path| {
                let result = std::fs::read(path).map_err(Error::from).and_then(|bytes| {
                    let sha = sha256_hex(&bytes);
                    let key = path.to_string_lossy();
                    if indexed.get(key.as_ref()) == Some(&sha) {
                        return Ok(None);
                    }
                    parse_bytes(&key, &bytes, &sha, &options.extract).map(Some)
                });
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                (options.on_progress)(n, total, path);
                (path.clone(), result)
            })
            .collect();
        for (path, result) in results {
            let outcome = match result {
                Ok(None) => Outcome::Unchanged,
                Ok(Some(parsed)) => {
                    report.timings.extract += parsed.extract_time;
                    report.timings.segment += parsed.segment_time;
                    let started = Instant::now();
                    index.replace_document(&path.to_string_lossy(), &parsed.records)?;
                    report.timings.index += started.elapsed();
                    let mut records = BTreeMap::new();
                    for r in &parsed.records {
                        *records.entry(r.kind()).or_insert(0) += 1;
                    }
                    Outcome::Indexed {
                        pages: parsed.pages,
                        records,
                        pages_without_text: parsed.pages_without_text,
                        warnings: parsed.warnings,
                    }
                }
                Err(e) => Outcome::Failed(e.to_string()),
            };
            report.files.push((path, outcome));
        }
    }
    let commit_started = Instant::now();
    index.commit()?;
    report.timings.commit = commit_started.elapsed();
    report.files.sort_by(|a, b| a.0.cmp(&b.0));
    report.elapsed = started.elapsed();
    Ok(report)
}
