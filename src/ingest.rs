//! The batch: files and folders in, records into the index, a report out.
//!
//! Files are read, extracted and segmented in parallel (rayon); the index is written by one thread.
//! A document is its content: a file whose sha256 is already indexed adds its path to that document
//! and is not read again, and a path already holding the same content is unchanged. A file that fails
//! is reported with its reason, recorded in the index's failures, and the batch goes on. The index is
//! committed every few hundred documents or few seconds, so a crash (even `kill -9`) loses at most the
//! batch in flight, and the same ingest run again completes it with nothing twice.
//!
//! A panic here or in the stages below is arkiv's bug: it is caught per file, so the batch goes on,
//! and reported as an internal error, never as a damaged file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::extract::{self, SourceFormat};
use crate::index::{Change, Writer};
use crate::records::{self, Kind, Record};
use crate::segment;

/// One file read through extract → segment → records, nothing indexed.
#[derive(Debug)]
pub struct Parsed {
    pub records: Vec<Record>,
    pub pages: u32,
    pub pages_without_text: Vec<u32>,
    /// Pages without a text layer that OCR did not read.
    pub pages_needing_ocr: Vec<u32>,
    /// Pages read by OCR.
    pub ocr_pages: Vec<extract::OcrPage>,
    pub ocr_engine: Option<String>,
    pub warnings: Vec<String>,
    /// Time spent extracting and segmenting.
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
    let extracted = Instant::now();
    let seg = segment::segment(&doc);
    let segmented = Instant::now();
    let pages = (format == SourceFormat::Pdf).then(|| doc.page_count());
    let pages_needing_ocr = doc.pages_needing_ocr();
    let file = records::FileInfo {
        path,
        sha256,
        pages,
        pages_without_text: &doc.pages_without_text,
        needs_ocr: !pages_needing_ocr.is_empty(),
        ocr_pages: &doc.ocr_pages,
        ocr_engine: doc.ocr_engine.as_deref(),
        warnings: &doc.warnings,
    };
    Ok(Parsed {
        records: records::build(&file, &seg),
        pages: doc.page_count(),
        pages_without_text: doc.pages_without_text.clone(),
        pages_needing_ocr,
        ocr_pages: doc.ocr_pages.clone(),
        ocr_engine: doc.ocr_engine.clone(),
        warnings: doc.warnings.clone(),
        extract_time: extracted - started,
        segment_time: segmented - extracted,
    })
}

/// Read and parse one file.
pub fn parse_file(path: &Path, options: &extract::Options) -> Result<Parsed, Error> {
    let bytes = std::fs::read(path)?;
    parse_bytes(&path.to_string_lossy(), &bytes, &sha256_hex(&bytes), options)
}

/// [`parse_bytes`], with a panic (arkiv's bug) turned into [`Error::Internal`] so that the batch goes
/// on. The third-party parsers' own panics are caught below, as damaged files.
pub(crate) fn parse_guarded(
    path: &str,
    bytes: &[u8],
    sha256: &str,
    options: &extract::Options,
) -> Result<Parsed, Error> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse_bytes(path, bytes, sha256, options)))
        .unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".into());
            Err(Error::Internal(message))
        })
}

/// Every file to read under `paths` (folders recursively), canonical (absolute, symlinks resolved)
/// and sorted, with the paths that could not be read and why.
///
/// The walk never follows a symbolic link found inside a folder: a link cannot lead out of the given
/// roots or round in a loop, and what it points to inside them is walked anyway. A path given
/// explicitly is resolved, links included.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for given in paths {
        let root = match std::fs::canonicalize(given) {
            Ok(root) => root,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                problems.push((given.clone(), "no such file or folder".into()));
                continue;
            }
            Err(e) => {
                problems.push((given.clone(), format!("cannot read: {e}")));
                continue;
            }
        };
        if root.is_file() {
            if SourceFormat::from_path(&root).is_some() {
                files.push(root);
            } else {
                problems.push((given.clone(), Error::UnsupportedFormat.to_string()));
            }
            continue;
        }
        let before = files.len();
        let walker = walkdir::WalkDir::new(&root).follow_links(false).sort_by_file_name();
        // Hidden files and folders (.git, editor swap files) are never documents, and a folder's
        // README describes the folder rather than being one of its documents. The root itself may be
        // named anything (".").
        let walker = walker.into_iter().filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            entry.depth() == 0 || !(name.starts_with('.') || name.to_ascii_lowercase().starts_with("readme."))
        });
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    if SourceFormat::from_path(entry.path()).is_some() {
                        files.push(entry.into_path());
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let at = e.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    problems.push((at, format!("cannot list: {e}")));
                }
            }
        }
        if files.len() == before {
            problems.push((given.clone(), "no documents in this folder".into()));
        }
    }
    files.sort();
    files.dedup();
    (files, problems)
}

fn supported() -> &'static str {
    "arkiv reads .pdf, .html, .htm, .txt and .md"
}

/// What happened to one file.
#[derive(Debug)]
pub enum Outcome {
    Indexed {
        pages: u32,
        records: BTreeMap<Kind, usize>,
        /// Pages without a text layer that OCR did not read.
        pages_needing_ocr: Vec<u32>,
        /// Pages read by OCR.
        ocr_pages: u32,
        warnings: Vec<String>,
    },
    /// The same content is already indexed under `of`; this path was added to that document.
    Duplicate {
        of: String,
    },
    Unchanged,
    Failed(Error),
}

/// Time spent in each phase of a batch. Extraction and segmentation are summed over the threads.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub extract: Duration,
    pub segment: Duration,
    pub index: Duration,
    pub commit: Duration,
}

/// The summary of a batch.
#[derive(Debug, Default)]
pub struct Report {
    /// Every file with what happened to it, in path order.
    pub files: Vec<(PathBuf, Outcome)>,
    pub elapsed: Duration,
    pub timings: Timings,
    /// Commits made during the batch.
    pub commits: usize,
}

impl Report {
    pub fn failures(&self) -> impl Iterator<Item = (&PathBuf, &Error)> {
        self.files.iter().filter_map(|(p, o)| match o {
            Outcome::Failed(reason) => Some((p, reason)),
            _ => None,
        })
    }

    /// True when some file met a bug in arkiv (not a problem of the file).
    pub fn has_internal_errors(&self) -> bool {
        self.failures().any(|(_, e)| matches!(e, Error::Internal(_)))
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
/// Where a batch stands, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    /// Pages read by OCR so far (they take far longer than pages with text).
    pub ocr_pages: usize,
}

pub type ProgressFn = Box<dyn Fn(Progress, &Path) + Sync>;

/// How to run a batch.
pub struct Options {
    pub index_dir: PathBuf,
    pub extract: extract::Options,
    pub on_progress: ProgressFn,
    /// Commit once this many documents have changed since the last commit.
    pub commit_every: usize,
}

/// Documents changed between commits, by default: a `kill -9` loses at most these.
pub const COMMIT_EVERY: usize = 200;
/// Commit at least this often while documents change.
const COMMIT_INTERVAL: Duration = Duration::from_secs(5);
/// Files are read in parallel chunks, so that memory stays bounded by the chunk, not the batch.
const CHUNK: usize = 64;

/// A file read and compared with the index, before the single-threaded write.
enum Prepared {
    Unchanged,
    /// The content is indexed under another path: this document id.
    Known(String),
    Parsed(Parsed),
}

/// Ingest `paths` into the index. Errors when there is nothing to ingest (no index is created then),
/// or when the index itself cannot be opened or written; a bad file is an [`Outcome::Failed`] in the
/// report.
pub fn ingest(paths: &[PathBuf], options: &Options) -> Result<Report, Error> {
    let started = Instant::now();
    let (files, problems) = collect_files(paths);
    if files.is_empty() {
        let why: Vec<String> = problems.iter().map(|(p, why)| format!("{}: {why}", p.display())).collect();
        let mut why = if why.is_empty() { "no files given".to_string() } else { why.join("; ") };
        if !why.contains(supported()) {
            why = format!("{why} ({})", supported());
        }
        return Err(Error::NothingToIngest(why));
    }
    let mut writer = Writer::open_or_create(&options.index_dir)?;
    let mut report = Report::default();
    for (path, why) in problems {
        writer.record_failure(&path.to_string_lossy(), None, &why);
        report.files.push((path, Outcome::Failed(Error::Unreadable(why))));
    }
    let total = files.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let ocr_pages = std::sync::atomic::AtomicUsize::new(0);
    let (mut changed, mut last_commit) = (0usize, Instant::now());
    // A chunk is written whole: never more than a commit's worth.
    for chunk in files.chunks(CHUNK.min(options.commit_every.max(1))) {
        let reader = &writer;
        let results: Vec<(PathBuf, Option<String>, Result<Prepared, Error>)> = chunk
            .par_iter()
            .map(|path| {
                let key = path.to_string_lossy();
                let (sha, result) = match std::fs::read(path) {
                    Ok(bytes) => {
                        let sha = sha256_hex(&bytes);
                        let doc_id = records::doc_id(&sha);
                        let result = if reader.document_at(&key) == Some(doc_id.as_str()) {
                            Ok(Prepared::Unchanged)
                        } else if reader.paths_of(&doc_id).is_some() {
                            Ok(Prepared::Known(doc_id))
                        } else {
                            parse_guarded(&key, &bytes, &sha, &options.extract).map(Prepared::Parsed)
                        };
                        (Some(sha), result)
                    }
                    Err(e) => (None, Err(Error::from(e))),
                };
                if let Ok(Prepared::Parsed(parsed)) = &result {
                    ocr_pages.fetch_add(parsed.ocr_pages.len(), std::sync::atomic::Ordering::Relaxed);
                }
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                let ocr_pages = ocr_pages.load(std::sync::atomic::Ordering::Relaxed);
                (options.on_progress)(Progress { files_done: n, files_total: total, ocr_pages }, path);
                (path.clone(), sha, result)
            })
            .collect();
        let writing = Instant::now();
        for (path, sha, result) in results {
            let key = path.to_string_lossy();
            let outcome = match result {
                Ok(Prepared::Unchanged) => Outcome::Unchanged,
                Ok(Prepared::Known(doc_id)) => match writer.add_path(&doc_id, &key)? {
                    Some(Change::Duplicate { of }) => Outcome::Duplicate { of },
                    _ => Outcome::Unchanged,
                },
                Ok(Prepared::Parsed(parsed)) => {
                    report.timings.extract += parsed.extract_time;
                    report.timings.segment += parsed.segment_time;
                    let records = records::count_by_kind(&parsed.records);
                    match writer.replace_document(&key, parsed.records)? {
                        // The same content met twice in one chunk.
                        Change::Duplicate { of } => Outcome::Duplicate { of },
                        Change::Unchanged => Outcome::Unchanged,
                        Change::Added => Outcome::Indexed {
                            pages: parsed.pages,
                            records,
                            pages_needing_ocr: parsed.pages_needing_ocr,
                            ocr_pages: parsed.ocr_pages.len() as u32,
                            warnings: parsed.warnings,
                        },
                    }
                }
                Err(e) => {
                    writer.record_failure(&key, sha.as_deref(), &e.to_string());
                    report.files.push((path, Outcome::Failed(e)));
                    continue;
                }
            };
            writer.clear_failure(&key);
            if !matches!(outcome, Outcome::Unchanged) {
                changed += 1;
            }
            report.files.push((path, outcome));
        }
        report.timings.index += writing.elapsed();
        if changed >= options.commit_every.max(1) || (changed > 0 && last_commit.elapsed() >= COMMIT_INTERVAL)
        {
            commit(&mut writer, &mut report)?;
            (changed, last_commit) = (0, Instant::now());
        }
    }
    commit(&mut writer, &mut report)?;
    report.files.sort_by(|a, b| a.0.cmp(&b.0));
    report.elapsed = started.elapsed();
    Ok(report)
}

fn commit(writer: &mut Writer, report: &mut Report) -> Result<(), Error> {
    let started = Instant::now();
    writer.commit()?;
    report.timings.commit += started.elapsed();
    report.commits += 1;
    Ok(())
}

/// What `reindex` did.
#[derive(Debug, Default)]
pub struct Reindexed {
    pub documents: usize,
    /// Documents read again from a source file by this pipeline version.
    pub reparsed: usize,
    /// Documents from another pipeline version kept as stored: no path still holds their content.
    pub kept: Vec<String>,
    /// Documents whose source could be read but not parsed any more, kept as stored, with why.
    pub failed: Vec<(String, Error)>,
}

/// Rebuild the index in `dir` under this arkiv's schema and analysers; with `reparse`, also read
/// every document made by another pipeline version again from its source file, where one of its
/// paths still holds the same content (others keep their stored records).
pub fn reindex(dir: &Path, reparse: bool, options: &extract::Options) -> Result<Reindexed, Error> {
    let documents = crate::index::rebuild(dir)?;
    let mut done = Reindexed { documents, ..Reindexed::default() };
    if !reparse {
        return Ok(done);
    }
    let mut writer = Writer::open_or_create(dir)?;
    for listed in writer.documents()? {
        if listed.pipeline_version == Some(crate::PIPELINE_VERSION) {
            continue;
        }
        let source = listed.paths.iter().find_map(|path| {
            let bytes = std::fs::read(path).ok()?;
            (sha256_hex(&bytes) == listed.sha256).then_some((path, bytes))
        });
        let Some((path, bytes)) = source else {
            done.kept.push(listed.id);
            continue;
        };
        match parse_guarded(path, &bytes, &listed.sha256, options) {
            Ok(parsed) => {
                writer.update_records(parsed.records)?;
                done.reparsed += 1;
            }
            Err(e) => done.failed.push((listed.id, e)),
        }
    }
    writer.commit()?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::tests::pdf_with_actual_text;

    #[test]
    fn reparse_reads_older_documents_again_where_their_source_still_is() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("index");
        let options = extract::Options::default();
        let parse = |path: &Path, text: &str| {
            let bytes = text.as_bytes();
            let key = path.to_string_lossy();
            parse_guarded(&key, bytes, &sha256_hex(bytes), &options).expect("parse").records
        };
        let here = tmp.path().join("kvar.md");
        std::fs::write(
            &here,
            "# Handlingsplan för kvinnofrid\n\nMålet är att alla kommuner ska ha en plan.\n",
        )
        .expect("write");
        let gone = tmp.path().join("borta.md");
        let current = parse(&here, &std::fs::read_to_string(&here).expect("read"));
        // What an older pipeline made of the two files: another title, and a file since deleted.
        let mut stale = current.clone();
        if let Some(Record::Document(d)) = stale.first_mut() {
            d.title = "Gammal titel".into();
        }
        let orphan = parse(&gone, "# Resultatrapport 2009\n\nArbetet pågår.\n");
        let mut writer = Writer::open_or_create(&dir).expect("writer");
        writer.replace_document_as(&here.to_string_lossy(), stale, 0).expect("write");
        writer.replace_document_as(&gone.to_string_lossy(), orphan.clone(), 0).expect("write");
        writer.commit().expect("commit");
        drop(writer);

        let done = reindex(&dir, true, &options).expect("reindex");
        assert_eq!((done.documents, done.reparsed, done.failed.len()), (2, 1, 0));
        assert_eq!(done.kept, [orphan[0].id().to_string()]);
        let index = crate::index::Index::open(&dir).expect("open");
        let listed = index.documents().expect("list");
        let of = |id: &str| listed.iter().find(|l| l.id == id).expect("listed");
        let reread = of(current[0].id());
        assert_eq!(reread.title, "Handlingsplan för kvinnofrid");
        assert_eq!(reread.pipeline_version, Some(crate::PIPELINE_VERSION));
        let kept = of(orphan[0].id());
        assert_eq!(kept.pipeline_version, Some(0));
        let (records, _) = index.document_records(orphan[0].id()).expect("records");
        assert_eq!(records.len(), orphan.len(), "the kept document keeps all its records");
    }

    #[test]
    fn a_panic_in_arkiv_is_an_internal_error_and_the_batch_goes_on() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let files = tmp.path().join("filer");
        std::fs::create_dir_all(&files).expect("mkdir");
        std::fs::write(files.join("a-bug.pdf"), pdf_with_actual_text(crate::extract::layout::PANIC_TRIGGER))
            .expect("write");
        std::fs::write(files.join("b-fine.pdf"), pdf_with_actual_text("Kvinnofrid i kommunerna"))
            .expect("write");
        let options = Options {
            index_dir: tmp.path().join("index"),
            extract: extract::Options::default(),
            on_progress: Box::new(|_, _| {}),
            commit_every: COMMIT_EVERY,
        };
        let report = ingest(&[files], &options).expect("ingest");
        assert!(report.has_internal_errors());
        let (path, error) = report.failures().next().expect("a failure");
        assert!(path.ends_with("a-bug.pdf"));
        let message = error.to_string();
        assert!(
            message.starts_with("internal error in arkiv") && message.contains("please report it"),
            "{message}"
        );
        assert!(message.contains("injected panic in layout_page"), "{message}");
        assert!(!message.contains("damaged"), "{message}");
        assert_eq!(report.count(|o| matches!(o, Outcome::Indexed { .. })), 1);
    }

    #[test]
    fn the_walk_never_follows_links_and_skips_hidden_files() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("rot");
        std::fs::create_dir_all(root.join(".git")).expect("mkdir");
        std::fs::write(root.join("a.md"), "# A").expect("write");
        std::fs::write(root.join(".git/b.md"), "# B").expect("write");
        std::fs::write(root.join("README.md"), "# R").expect("write");
        let outside = tmp.path().join("utanför");
        std::fs::create_dir_all(&outside).expect("mkdir");
        std::fs::write(outside.join("c.md"), "# C").expect("write");
        std::os::unix::fs::symlink(&root, root.join("loop")).expect("link");
        std::os::unix::fs::symlink(&outside, root.join("out")).expect("link");
        std::os::unix::fs::symlink(root.join("a.md"), root.join("a-link.md")).expect("link");
        let (files, problems) = collect_files(&[root.clone(), root.join("a-link.md")]);
        let canonical = std::fs::canonicalize(root.join("a.md")).expect("canonical");
        assert_eq!(files, [canonical], "{problems:?}");
        assert!(problems.is_empty(), "{problems:?}");
    }
}
