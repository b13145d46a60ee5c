//! Helpers shared by the end-to-end tests: run the binary, compare texts.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn data(rel: &str) -> PathBuf {
    root().join("tests/data").join(rel)
}

/// Run `arkiv` with `args` from the project root.
pub fn arkiv(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_arkiv")).args(args).current_dir(root()).output().expect("run arkiv")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Word error rate as `score-text` computes it: whitespace collapsed, word-level Levenshtein distance
/// divided by the number of truth words.
pub fn word_error_rate(truth: &str, extracted: &str) -> f64 {
    let t: Vec<&str> = truth.split_whitespace().collect();
    let e: Vec<&str> = extracted.split_whitespace().collect();
    let mut prev: Vec<usize> = (0..=e.len()).collect();
    for (i, tw) in t.iter().enumerate() {
        let mut cur = vec![i + 1; e.len() + 1];
        for (j, ew) in e.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(tw != ew)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[e.len()] as f64 / t.len().max(1) as f64
}

/// Word error rate forgiving where footnotes stand, as `score-text` does: a truth paragraph that is a
/// footnote ("1 Patientkontraktet är …") found whole anywhere in the extraction is taken out of both.
pub fn word_error_rate_footnotes_anywhere(truth: &str, extracted: &str) -> f64 {
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut truth_text = collapse(truth);
    let mut extracted_text = collapse(extracted);
    for paragraph in truth.split("\n\n").map(collapse) {
        let is_footnote = paragraph
            .split(' ')
            .next()
            .is_some_and(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()));
        if is_footnote && extracted_text.contains(&paragraph) {
            truth_text = truth_text.replacen(&paragraph, "", 1);
            extracted_text = extracted_text.replacen(&paragraph, "", 1);
        }
    }
    word_error_rate(&truth_text, &extracted_text)
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read test data")
}

/// A folder `docs` in `dir` with the bundled fixtures (PDF and HTML) and `extra` files.
pub fn fixtures_with(dir: &Path, extra: &[&Path]) -> PathBuf {
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).expect("create docs folder");
    for entry in std::fs::read_dir(root().join("fixtures")).expect("read fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "pdf" || e == "html") {
            std::fs::copy(&path, docs.join(path.file_name().expect("name"))).expect("copy a fixture");
        }
    }
    for file in extra {
        std::fs::copy(file, docs.join(file.file_name().expect("name"))).expect("copy a file");
    }
    docs
}

/// Copy a folder's files (not recursively) into `dest`.
pub fn copy_files(from: &Path, dest: &Path) {
    std::fs::create_dir_all(dest).expect("create dir");
    for entry in std::fs::read_dir(from).expect("list dir").flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), dest.join(entry.file_name())).expect("copy");
        }
    }
}

/// Make `doc` a one-page A4 document: a page of `content` with `resources`, plus the entries of
/// `page_extra` (annotations, rotation), under a page tree and a catalogue.
pub fn one_page(
    doc: &mut lopdf::Document,
    content: lopdf::Stream,
    resources: lopdf::Dictionary,
    page_extra: &lopdf::Dictionary,
) {
    use lopdf::{dictionary, Object};
    let pages_id = doc.new_object_id();
    let content_id = doc.add_object(content);
    let mut page = dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => resources,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    };
    page.extend(page_extra);
    let page_id = doc.add_object(page);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
}

/// The hits' ids, with each group of equal scores sorted and the group at the cut left out (which of
/// several equally good records makes the top 10 is the order of ties, not ranking).
pub fn ranked_hits(json_lines: &str, limit: usize) -> Vec<(String, String)> {
    let hits: Vec<(f64, String)> = json_lines
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON hit");
            (v["score"].as_f64().expect("score"), v["id"].as_str().expect("id").to_string())
        })
        .collect();
    let cut = hits.get(limit - 1).map(|h| h.0);
    hits.into_iter()
        .take(limit)
        .filter(|(score, _)| hits_beyond_cut(*score, cut))
        .map(|(score, id)| (format!("{score:.4}"), id))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn hits_beyond_cut(score: f64, cut: Option<f64>) -> bool {
    cut.is_none_or(|cut| (score - cut).abs() > 1e-4)
}
