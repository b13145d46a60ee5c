//! `arkiv bench ingest --docs N`: generates N distinct documents (see [`super::generate`]), ingests
//! them into a fresh index with the library's own [`ingest::ingest`], ingests the unchanged set again,
//! and times PDF extraction beside `pdftotext` on the same PDFs with as many workers as cores.
//!
//! It reports figures (throughput, time per phase, peak memory, index size) and never asserts them.
//! Peak memory is the process's high-water mark, so one process measures one N. It writes only inside
//! its own work folder (a new temporary one, removed at the end, or `--keep DIR`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::ingest::{self, Outcome, Timings};

use super::generate::{self, Form};

/// The seed of the generated corpus: fixed, so that two runs ingest the same documents.
pub(crate) const SEED: u64 = 0x61726b6976;

/// What one run measured.
#[derive(Debug, Clone)]
pub struct Figures {
    pub docs: usize,
    pub pdfs: usize,
    pub pages: u64,
    pub pdf_pages: u64,
    pub records: usize,
    pub failed: usize,
    pub generate: Duration,
    pub ingest: Duration,
    /// CPU time (user + system) of the first ingest, all threads.
    pub ingest_cpu: Option<Duration>,
    pub timings: Timings,
    pub reingest: Duration,
    pub unchanged: usize,
    pub peak_rss_kib: Option<u64>,
    /// VmRSS, RssAnon (heap) and RssFile (mapped files: the index's segments) at their largest,
    /// sampled every 50 ms, during the first ingest and during the re-ingest.
    pub ingest_rss: Rss,
    pub reingest_rss: Rss,
    pub rss_after_kib: Option<u64>,
    /// RssAnon when each tenth of the first ingest's files was done: growth over the batch.
    pub anon_by_tenth_kib: Vec<u64>,
    pub index_bytes: u64,
    pub cores: usize,
    pub arkiv_pdf: Duration,
    pub pdftotext: Option<Duration>,
}

/// Bytes of the files under `path` (or of the file itself).
pub(crate) fn size_on_disk(path: &Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else { return 0 };
    if !meta.is_dir() {
        return meta.len();
    }
    std::fs::read_dir(path).map_or(0, |entries| entries.flatten().map(|e| size_on_disk(&e.path())).sum())
}

/// The largest resident sizes seen while something ran, in KiB.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rss {
    pub total: u64,
    pub anon: u64,
    pub file: u64,
}

/// Run `f` while a thread samples `/proc/self/status` every 50 ms, to see whether memory grows with
/// the batch or settles (VmHWM alone gives only the peak of the whole process).
fn sampled<T>(f: impl FnOnce() -> T) -> (T, Rss) {
    let done = AtomicBool::new(false);
    let max = [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)];
    let result = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                for (i, field) in ["VmRSS:", "RssAnon:", "RssFile:"].iter().enumerate() {
                    if let Some(kib) = super::status_kib(field) {
                        max[i].fetch_max(kib, Ordering::Relaxed);
                    }
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let result = f();
        done.store(true, Ordering::Relaxed);
        result
    });
    let [total, anon, file] = max.map(|m| m.load(Ordering::Relaxed));
    (result, Rss { total, anon, file })
}

/// Run `pdftotext` on `files` with `workers` processes at a time; `None` when it is not installed.
fn pdftotext_parallel(files: &[PathBuf], workers: usize) -> Option<Duration> {
    Command::new("pdftotext").arg("-v").output().ok()?;
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(f) = files.get(i) else { break };
                let _ = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(f).arg("/dev/null").output();
            });
        }
    });
    Some(started.elapsed())
}

/// Generate `docs` documents into `dir`/corpus, ingest them into `dir`/index twice and time PDF
/// extraction. `dir` must not hold an index already (the first ingest must index everything).
pub fn run(docs: usize, dir: &Path) -> Result<Figures, Error> {
    let corpus = dir.join("corpus");
    let index_dir = dir.join("index");
    if index_dir.exists() {
        return Err(Error::Io(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} exists: give an empty or new folder", index_dir.display()),
        )));
    }
    std::fs::create_dir_all(&corpus)?;

    let started = Instant::now();
    let pdfs: Vec<PathBuf> = generate::write_corpus(&corpus, SEED, docs)?
        .into_iter()
        .filter(|(_, form)| *form == Form::Pdf)
        .map(|(path, _)| path)
        .collect();
    let generate = started.elapsed();

    let tenths = Arc::new(std::sync::Mutex::new(vec![0u64; 10]));
    let progress = tenths.clone();
    let options = ingest::Options {
        index_dir: index_dir.clone(),
        extract: Default::default(),
        on_progress: Box::new(move |at: ingest::Progress, _| {
            let (done, total) = (at.files_done, at.files_total);
            let tenth = done * 10 / total.max(1);
            if tenth > 0 && (done - 1) * 10 / total.max(1) < tenth {
                if let (Some(kib), Ok(mut t)) = (super::status_kib("RssAnon:"), progress.lock()) {
                    t[tenth - 1] = kib;
                }
            }
        }),
        commit_every: ingest::COMMIT_EVERY,
    };
    let started = Instant::now();
    let cpu_before = super::cpu_time();
    let (first, ingest_rss) = sampled(|| ingest::ingest(std::slice::from_ref(&corpus), &options));
    let ingest_time = started.elapsed();
    let ingest_cpu = super::cpu_time().zip(cpu_before).map(|(after, before)| after.saturating_sub(before));
    let first = first?;
    let rss_after_kib = super::status_kib("VmRSS:");

    let started = Instant::now();
    let (again, reingest_rss) = sampled(|| ingest::ingest(std::slice::from_ref(&corpus), &options));
    let reingest = started.elapsed();
    let again = again?;
    let peak_rss_kib = super::peak_rss_kib();
    let index_bytes = size_on_disk(&index_dir);

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (pdf_pages, arkiv_pdf) = super::arkiv_run(&pdfs, cores);
    let pdftotext = pdftotext_parallel(&pdfs, cores);

    Ok(Figures {
        docs,
        pdfs: pdfs.len(),
        pages: u64::from(first.pages()),
        pdf_pages,
        records: first.records_by_kind().values().sum(),
        failed: first.failures().count(),
        generate,
        ingest: ingest_time,
        ingest_cpu,
        timings: first.timings,
        reingest,
        unchanged: again.count(|o| matches!(o, Outcome::Unchanged)),
        peak_rss_kib,
        ingest_rss,
        reingest_rss,
        anon_by_tenth_kib: tenths.lock().map(|t| t.clone()).unwrap_or_default(),
        rss_after_kib,
        index_bytes,
        cores,
        arkiv_pdf,
        pdftotext,
    })
}

/// A new, empty folder under the system's temporary folder.
pub fn temp_dir() -> Result<PathBuf, Error> {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("arkiv-bench-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// The figures as one table.
pub fn table(f: &Figures) -> String {
    let per_s = |n: f64, d: Duration| n / d.as_secs_f64().max(1e-9);
    let secs = |d: Duration| format!("{:.2} s", d.as_secs_f64());
    let mib = |kib: Option<u64>| kib.map_or("-".to_string(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
    let rss = |r: &Rss| format!("{} ({} + {})", mib(Some(r.total)), mib(Some(r.anon)), mib(Some(r.file)));
    let t = &f.timings;
    let mut rows: Vec<(String, String)> = vec![
        ("documents (PDF / HTML+Markdown)".into(), format!("{} ({} / {})", f.docs, f.pdfs, f.docs - f.pdfs)),
        ("pages (of them PDF)".into(), format!("{} ({})", f.pages, f.pdf_pages)),
        ("records".into(), f.records.to_string()),
        ("failed".into(), f.failed.to_string()),
        ("generate".into(), secs(f.generate)),
        ("ingest".into(), secs(f.ingest)),
        ("  documents/s".into(), format!("{:.0}", per_s(f.docs as f64, f.ingest))),
        ("  pages/s".into(), format!("{:.0}", per_s(f.pages as f64, f.ingest))),
        ("  records/s".into(), format!("{:.0}", per_s(f.records as f64, f.ingest))),
        (
            "  CPU, user + system (per document)".into(),
            f.ingest_cpu.map_or("-".into(), |cpu| {
                format!("{} ({:.2} ms)", secs(cpu), cpu.as_secs_f64() * 1000.0 / f.docs.max(1) as f64)
            }),
        ),
        (format!("  extract (summed over {} threads)", f.cores), secs(t.extract)),
        (format!("  segment (summed over {} threads)", f.cores), secs(t.segment)),
        ("  index (1 thread)".into(), secs(t.index)),
        ("  commit".into(), secs(t.commit)),
        (
            "re-ingest, unchanged".into(),
            format!("{} ({} of {} unchanged)", secs(f.reingest), f.unchanged, f.docs),
        ),
        ("peak RSS (VmHWM)".into(), mib(f.peak_rss_kib)),
        ("  largest VmRSS (RssAnon + RssFile), ingest".into(), rss(&f.ingest_rss)),
        ("  largest VmRSS (RssAnon + RssFile), re-ingest".into(), rss(&f.reingest_rss)),
        (
            "  RssAnon at each tenth of the ingest, MiB".into(),
            f.anon_by_tenth_kib
                .iter()
                .map(|k| format!("{:.0}", *k as f64 / 1024.0))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        ("  VmRSS after ingest".into(), mib(f.rss_after_kib)),
        ("index on disk".into(), format!("{:.1} MiB", f.index_bytes as f64 / (1024.0 * 1024.0))),
        (
            format!("PDF extraction, arkiv, {} threads", f.cores),
            format!("{:.0} pages/s", per_s(f.pdf_pages as f64, f.arkiv_pdf)),
        ),
    ];
    rows.push((
        format!("PDF extraction, pdftotext, {} processes", f.cores),
        f.pdftotext
            .map_or("not installed".into(), |d| format!("{:.0} pages/s", per_s(f.pdf_pages as f64, d))),
    ));
    let width = rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    rows.iter().map(|(k, v)| format!("{k:<width$}  {v}\n")).collect()
}
