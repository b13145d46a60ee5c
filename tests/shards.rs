//! Shards read as one index: `arkiv parse --batch` over the fixtures and the test PDFs, `arkiv index
//! --from-records --shard K/N` into three shards, and every reader with `--index` three times. The
//! records, counts, failures and the top 10 of each query in `tests/data/queries.json` must be those
//! of one index that `arkiv ingest` built from the same files.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use common::{arkiv, data, fixtures_with, ranked_hits, stderr, stdout};

const SHARDS: u32 = 3;

/// The fixtures, the five producers' renderings of the corpus, the follow pairs and a bad file.
fn documents(dir: &Path) -> PathBuf {
    let mut extra: Vec<PathBuf> = Vec::new();
    for producer in std::fs::read_dir(data("pdf")).expect("tests/data/pdf").flatten() {
        for file in std::fs::read_dir(producer.path()).expect("a producer's folder").flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            if name.ends_with(".pdf") {
                // One folder: the producer goes into the name.
                let renamed = dir.join(format!("{}-{name}", producer.file_name().to_string_lossy()));
                std::fs::copy(file.path(), &renamed).expect("copy");
                extra.push(renamed);
            }
        }
    }
    extra.push(data("follow/pdf/resultatrapport-2019.pdf"));
    extra.push(data("follow-heldout/pdf/slutrapport-2021-2023-hedersfortryck.pdf"));
    let bad = dir.join("trasig.pdf");
    std::fs::write(&bad, b"%PDF-1.7\nnot really").expect("write");
    extra.push(bad);
    let refs: Vec<&Path> = extra.iter().map(PathBuf::as_path).collect();
    fixtures_with(dir, &refs)
}

/// The JSON lines `arkiv parse --batch` writes for `inputs`.
fn parse_batch(inputs: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_arkiv"))
        .args(["parse", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run arkiv parse --batch");
    let mut stdin = child.stdin.take().expect("stdin");
    let inputs = inputs.to_string();
    let feeder = std::thread::spawn(move || stdin.write_all(inputs.as_bytes()).expect("write inputs"));
    let out = child.wait_with_output().expect("wait");
    feeder.join().expect("feeder");
    assert!(out.status.success(), "parse --batch failed: {}", stderr(&out));
    stdout(&out)
}

fn with_indexes(args: &[&str], indexes: &[String]) -> Vec<String> {
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    for index in indexes {
        all.push("--index".into());
        all.push(index.clone());
    }
    all
}

fn run(args: &[String]) -> String {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = arkiv(&refs);
    assert!(out.status.success() || out.status.code() == Some(1), "{refs:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn three_shards_read_as_one_index_built_by_ingest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = documents(dir.path());
    let single = dir.path().join("single").to_string_lossy().into_owned();
    let out = arkiv(&["ingest", docs.to_str().expect("utf-8"), "--index", &single]);
    assert!(out.status.success() || out.status.code() == Some(1), "ingest: {}", stderr(&out));

    // The worker mode over the same files, some by path and some by content.
    let mut inputs = String::new();
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&docs).expect("docs").flatten().map(|e| e.path()).collect();
    files.sort();
    for (n, file) in files.iter().enumerate() {
        if n % 2 == 0 {
            inputs.push_str(&format!("{}\n", file.display()));
        } else {
            use base64::Engine as _;
            let content =
                base64::engine::general_purpose::STANDARD.encode(std::fs::read(file).expect("read"));
            let name = file.canonicalize().expect("canonical");
            inputs.push_str(&format!("{}\n", serde_json::json!({"content": content, "name": name})));
        }
    }
    let lines = parse_batch(&inputs);
    let failures = lines.lines().filter(|l| l.contains("\"kind\":\"failure\"")).count();
    assert_eq!(failures, 1, "the one bad file");
    let records = dir.path().join("records.jsonl");
    std::fs::write(&records, &lines).expect("write records");

    let shards: Vec<String> =
        (0..SHARDS).map(|k| dir.path().join(format!("index-{k}")).to_string_lossy().into_owned()).collect();
    for (k, shard) in shards.iter().enumerate() {
        let spec = format!("{k}/{SHARDS}");
        let out = arkiv(&[
            "index",
            "--from-records",
            records.to_str().expect("utf-8"),
            "--index",
            shard,
            "--shard",
            &spec,
        ]);
        assert!(out.status.success(), "index shard {k}: {}", stderr(&out));
    }
    let single = vec![single];

    // The same records, with the same ids and provenance.
    let export = |indexes: &[String]| {
        let mut lines: Vec<String> =
            run(&with_indexes(&["export"], indexes)).lines().map(str::to_string).collect();
        lines.sort();
        lines
    };
    let one = export(&single);
    assert!(one.len() > 1000, "{} records", one.len());
    let strip_time = |lines: Vec<String>| -> Vec<Value> {
        lines
            .iter()
            .map(|l| {
                let mut v: Value = serde_json::from_str(l).expect("JSON");
                // When each was indexed differs, and nothing else may.
                if let Some(o) = v.as_object_mut() {
                    o.remove("ingested_at");
                }
                v
            })
            .collect()
    };
    let (sharded, whole) = (strip_time(export(&shards)), strip_time(one));
    assert_eq!(sharded.len(), whole.len(), "as many records in the shards as in the one index");
    if let Some((a, b)) = sharded.iter().zip(&whole).find(|(a, b)| a != b) {
        panic!("the shards hold\n{a}\nwhere the one index holds\n{b}");
    }

    // The same records with the documents in reverse order make the same index: the first path of
    // content met twice is the smallest, not the first met.
    let mut groups: Vec<Vec<&str>> = Vec::new();
    for line in lines.lines() {
        if line.starts_with("{\"kind\":\"document\"") || groups.is_empty() {
            groups.push(Vec::new());
        }
        groups.last_mut().expect("a group").push(line);
    }
    groups.reverse();
    let reversed = dir.path().join("reversed.jsonl");
    std::fs::write(&reversed, groups.concat().join("\n")).expect("write");
    let backwards = dir.path().join("backwards").to_string_lossy().into_owned();
    let out = arkiv(&["index", "--from-records", reversed.to_str().expect("utf-8"), "--index", &backwards]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(strip_time(export(&[backwards])), whole, "the order of the records changes nothing");

    // Counts, the document list and the failures.
    let count = |indexes: &[String]| {
        run(&with_indexes(&["list"], indexes)).lines().filter(|l| l.starts_with("doc-")).count()
    };
    assert_eq!(count(&shards), count(&single));
    let failed = |indexes: &[String]| run(&with_indexes(&["list", "--failed"], indexes)).lines().count();
    assert_eq!((failed(&shards), failed(&single)), (1, 1));
    let by_year =
        |indexes: &[String]| run(&with_indexes(&["search", "jämställdhet", "--by-year", "--json"], indexes));
    assert_eq!(by_year(&shards), by_year(&single));

    // The top 10 of every query of the search quality set, by score, as one index ranks them.
    let queries: Value =
        serde_json::from_str(&std::fs::read_to_string(data("queries.json")).expect("queries")).expect("JSON");
    let mut compared = 0;
    for query in queries["queries"].as_array().expect("queries") {
        let q = query["q"].as_str().expect("q");
        let mut args = vec!["search", q, "--json", "--limit", "10"];
        let extra: Vec<String> = query["args"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        args.extend(extra.iter().map(String::as_str));
        let (sharded, whole) = (run(&with_indexes(&args, &shards)), run(&with_indexes(&args, &single)));
        assert_eq!(ranked_hits(&sharded, 10), ranked_hits(&whole, 10), "query {q:?}");
        compared += usize::from(!whole.is_empty());
    }
    assert!(compared >= 50, "{compared} queries with hits");
}
