//! Segmenter CPU per document in steady state: parses the given files `--repeat R` times in one process
//! and prints the first pass (which pays for compiling the segmenter's regexes) apart from the later
//! ones. `cargo run --release --example parse_loop -- --repeat 20 tests/data/pdf fixtures`; run it under
//! `valgrind --tool=callgrind` for instruction counts. A measuring aid, never a test.

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut repeat = 10usize;
    if let Some(i) = args.iter().position(|a| a == "--repeat") {
        repeat = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(repeat).max(1);
        args.drain(i..(i + 2).min(args.len()));
    }
    let paths: Vec<PathBuf> = args.into_iter().map(PathBuf::from).collect();
    let (files, _) = arkiv::ingest::collect_files(&paths);
    let inputs: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter_map(|f| std::fs::read(f).ok().map(|b| (f.to_string_lossy().into_owned(), b)))
        .collect();
    let options = arkiv::extract::Options::default();
    for pass in 0..repeat {
        let started = Instant::now();
        let mut records = 0;
        for (path, bytes) in &inputs {
            if let Ok(p) = arkiv::ingest::parse_bytes(path, bytes, "", &options) {
                records += p.records.len();
            }
        }
        let per_doc = started.elapsed().as_secs_f64() * 1e3 / inputs.len().max(1) as f64;
        if pass == 0 || pass == repeat - 1 {
            println!("pass {}: {} files, {records} records, {per_doc:.2} ms/doc", pass + 1, inputs.len());
        }
    }
}
