//! `arkiv bench`: how fast arkiv runs. `bench extract` (this module) times extraction single-threaded
//! and on all cores, beside `pdftotext` on the same files when it is installed; `bench ingest`
//! ([`ingest`]) ingests a generated corpus ([`generate`]) and reports throughput per phase, memory and
//! index size; `bench search` ([`search`]) times each kind of query on an index of that corpus, and
//! the web server under a fixed request rate. Figures, never assertions: speed is measured here, not
//! in tests.

pub mod generate;
pub mod ingest;
pub mod search;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::extract::{self, SourceFormat};

/// Timings of one extractor over a set of files.
#[derive(Debug, Clone)]
pub struct Timing {
    pub label: String,
    pub files: usize,
    pub pages: u64,
    pub elapsed: Duration,
}

impl Timing {
    pub fn pages_per_second(&self) -> f64 {
        self.pages as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Extract `files` on `threads` threads: the pages read (a failed file counts 0) and the time taken.
pub(crate) fn arkiv_run(files: &[PathBuf], threads: usize) -> (u64, Duration) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
    let run = || -> u64 {
        files
            .par_iter()
            .map(|f| {
                extract::extract_file(f, &extract::Options::default()).map_or(0, |d| d.page_count() as u64)
            })
            .sum()
    };
    let started = Instant::now();
    let pages = match pool {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    (pages, started.elapsed())
}

/// Run `pdftotext` on each file in turn; `None` when it is not installed.
fn pdftotext_run(files: &[PathBuf]) -> Option<Duration> {
    Command::new("pdftotext").arg("-v").output().ok()?;
    let started = Instant::now();
    for f in files {
        let _ = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(f).arg("/dev/null").output();
    }
    Some(started.elapsed())
}

/// Every PDF under `paths` (folders recursively), sorted.
pub fn pdfs_under(paths: &[PathBuf]) -> Vec<PathBuf> {
    let (files, _) = crate::ingest::collect_files(paths);
    files.into_iter().filter(|f| SourceFormat::from_path(f) == Some(SourceFormat::Pdf)).collect()
}

/// Time arkiv single-threaded, arkiv on `cores` threads and pdftotext on `files`, `repeat` times each
/// (the best run counts, to damp machine noise).
pub fn run(label: &str, files: &[PathBuf], cores: usize, repeat: usize) -> Vec<Timing> {
    let best = |f: &dyn Fn() -> (u64, Duration)| {
        (0..repeat.max(1)).map(|_| f()).min_by_key(|(_, d)| *d).unwrap_or((0, Duration::ZERO))
    };
    let (pages, single) = best(&|| arkiv_run(files, 1));
    let (_, multi) = best(&|| arkiv_run(files, cores));
    let mut out = vec![
        Timing { label: format!("{label}: arkiv, 1 thread"), files: files.len(), pages, elapsed: single },
        Timing {
            label: format!("{label}: arkiv, {cores} threads"),
            files: files.len(),
            pages,
            elapsed: multi,
        },
    ];
    if pdftotext_run(&files[..files.len().min(1)]).is_some() {
        let (_, poppler) = best(&|| (pages, pdftotext_run(files).unwrap_or_default()));
        out.push(Timing {
            label: format!("{label}: pdftotext, 1 process at a time"),
            files: files.len(),
            pages,
            elapsed: poppler,
        });
    }
    out
}

/// Peak resident memory of this process so far, in KiB (Linux), from `/proc/self/status`.
pub fn peak_rss_kib() -> Option<u64> {
    status_kib("VmHWM:")
}

/// One memory field of `/proc/self/status` (such as `VmRSS:`), in KiB.
pub(crate) fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(Path::new("/proc/self/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// CPU time (user + system, all threads) this process has used so far, from `/proc/self/stat`
/// (Linux): the cost of the work whatever else the machine runs, which wall time is not.
pub fn cpu_time() -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string(Path::new("/proc/self/stat")).ok()?;
    // After the command name, which is in parentheses and may hold spaces: state is the first
    // field, utime and stime the 12th and 13th, in clock ticks of USER_HZ (100 on Linux).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    Some(std::time::Duration::from_millis((ticks(11)? + ticks(12)?) * 10))
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(target_os = "linux")]
    fn cpu_time_is_read_and_never_goes_back() {
        let before = super::cpu_time().expect("CPU time on Linux");
        let mut x = 0u64;
        for i in 0..2_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        std::hint::black_box(x);
        assert!(super::cpu_time().expect("CPU time") >= before);
    }
}
