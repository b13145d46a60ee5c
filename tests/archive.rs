//! The archive as archivists use it, end to end through the binary: the same documents under many
//! names, an ingest killed at any moment and run again, empty and missing inputs, failures kept and
//! retried, documents removed, and output into a closed pipe.

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{arkiv, copy_files, data, root, stderr, stdout};
use serde_json::Value;

fn json_lines(text: &str) -> Vec<Value> {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("JSON")).collect()
}

fn s(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn export(index: &Path) -> Vec<Value> {
    let out = arkiv(&["export", "--index", &s(index)]);
    assert!(out.status.success(), "export: {}", stderr(&out));
    json_lines(&stdout(&out))
}

fn documents(index: &Path) -> Vec<Value> {
    let out = arkiv(&["list", "--json", "--index", &s(index)]);
    assert!(out.status.success(), "list: {}", stderr(&out));
    json_lines(&stdout(&out))
}

/// Ids are unique, and return the number of records.
fn assert_unique_ids(records: &[Value]) -> usize {
    let ids: HashSet<&str> = records.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids.len(), records.len(), "two records share an id");
    records.len()
}

#[test]
fn the_same_files_under_other_names_and_paths_are_one_set_of_documents() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("index");
    let ingest = |path: &str| {
        let out = arkiv(&["ingest", path, "--index", &s(&index)]);
        assert!(out.status.success(), "{path}: {}\n{}", stdout(&out), stderr(&out));
        stdout(&out)
    };
    ingest("fixtures");
    let records = export(&index);
    let count = assert_unique_ids(&records);

    // Named another way: no change at all.
    for path in
        ["./fixtures", "fixtures/", &s(&root().join("fixtures")), &s(&root().join("fixtures/../fixtures"))]
    {
        assert!(ingest(path).contains("0 indexed, 5 unchanged"), "{path}");
    }
    // Copies under other names, a link to the folder, and a link loop inside it.
    let copies = tmp.path().join("kopior");
    std::fs::create_dir_all(&copies).expect("mkdir");
    for entry in std::fs::read_dir(root().join("fixtures")).expect("list").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.to_ascii_lowercase().starts_with("readme") {
            std::fs::copy(entry.path(), copies.join(format!("kopia av {name}"))).expect("copy");
        }
    }
    std::os::unix::fs::symlink(&copies, copies.join("loop")).expect("link");
    std::os::unix::fs::symlink(root().join("fixtures"), copies.join("fixtures-link")).expect("link");
    let summary = ingest(&s(&copies));
    assert!(summary.contains("5 duplicates of already indexed documents"), "{summary}");
    let link = tmp.path().join("fixtures-link");
    std::os::unix::fs::symlink(root().join("fixtures"), &link).expect("link");
    assert!(ingest(&s(&link)).contains("5 unchanged"));

    let after = export(&index);
    assert_eq!(assert_unique_ids(&after), count, "no record added");
    let docs = documents(&index);
    assert_eq!(docs.len(), 5);
    for d in &docs {
        let paths: Vec<&str> =
            d["paths"].as_array().expect("paths").iter().filter_map(Value::as_str).collect();
        assert_eq!(paths.len(), 2, "{d}");
        assert!(paths[0].starts_with(&s(&root().join("fixtures"))), "the first path stays first: {d}");
        assert!(paths[1].contains("kopia av "), "{d}");
        for key in ["id", "sha256", "doc_type", "title", "records", "ingested_at", "pipeline_version"] {
            assert!(!d[key].is_null(), "{key} missing: {d}");
        }
    }
    let document = after.iter().find(|r| r["kind"] == "document").expect("a document");
    assert_eq!(document["paths"][0], document["source"]["path"]);
    let out = arkiv(&["list", "--duplicates", "--index", &s(&index)]);
    assert_eq!(stdout(&out).matches("kopia av ").count(), 5, "{}", stdout(&out));
    let hits = json_lines(&stdout(&arkiv(&[
        "search",
        "kvinnofrid",
        "--json",
        "--limit",
        "500",
        "--index",
        &s(&index),
    ])));
    assert_unique_ids(&hits);

    // Removing a copy keeps the document; removing its last path removes it.
    let copy = copies.join("kopia av cirkular-12-13-2012.pdf");
    let out = arkiv(&["remove", &s(&copy), "--index", &s(&index)]);
    assert!(out.status.success() && stdout(&out).contains("stays"), "{}", stdout(&out));
    let id = documents(&index).iter().find(|d| d["paths"][0].as_str().unwrap().contains("cirkular")).unwrap()
        ["id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = arkiv(&["remove", &id, "--index", &s(&index)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(documents(&index).len(), 4);
    assert!(export(&index).iter().all(|r| r["doc_id"] != id.as_str()));
    let out = arkiv(&["remove", &id, "--index", &s(&index)]);
    assert_eq!(out.status.code(), Some(1));
}

/// `n` distinct small Markdown reports in `dir`.
fn write_reports(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for i in 0..n {
        let year = 2000 + i % 25;
        let text = format!(
            "# Resultatrapport {i} om jämställdhet\n\n## 1 Inledning\n\nMålet är att stärka arbetet \
             med kvinnofrid i kommun nummer {i}.\n\n## 2 Aktiviteter\n\nSKR har under {year} genomfört \
             utbildningen kodord{i} för {} kommuner.\n\nUnder {} planerar SKR en konferens.\n",
            i % 290 + 1,
            year + 1
        );
        std::fs::write(dir.join(format!("rapport-{i:04}.md")), text).expect("write");
    }
}

#[test]
fn an_ingest_killed_at_any_moment_resumes_to_the_records_of_a_clean_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let files = tmp.path().join("rapporter");
    write_reports(&files, 400);
    let clean = tmp.path().join("clean");
    let out = arkiv(&["ingest", &s(&files), "--index", &s(&clean)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let expected = export(&clean);
    assert_eq!(expected.iter().filter(|r| r["kind"] == "document").count(), 400);

    let index = tmp.path().join("killed");
    let (mut committed, mut partial_states) = (0, 0);
    let mut seen = Vec::new();
    // Kill later and later, until an ingest ends on its own: whatever the machine's speed, some kills
    // land before the first commit, some between commits, and some during the last.
    let mut delay = Duration::from_millis(10);
    for _ in 0..40 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_arkiv"))
            .args(["ingest", &s(&files), "--index", &s(&index), "--commit-every", "25"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ingest");
        std::thread::sleep(delay);
        let finished = child.try_wait().expect("wait").is_some();
        child.kill().ok();
        child.wait().expect("wait");
        if finished {
            break;
        }
        let killed_at = delay;
        delay = delay.mul_f64(1.5);
        if !index.join("meta.json").exists() {
            continue;
        }
        let out = arkiv(&["list", "--json", "--index", &s(&index)]);
        if !out.status.success() {
            // Killed between creating the index and its first commit: a reader says so.
            assert!(stderr(&out).contains("first ingest was interrupted"), "{}", stderr(&out));
            assert_eq!(committed, 0);
            continue;
        }
        // The index opens, and what was committed is whole and searchable.
        let docs = json_lines(&stdout(&out));
        assert!(docs.len() >= committed, "a commit was lost");
        committed = docs.len();
        seen.push(format!("{} ms: {committed}", killed_at.as_millis()));
        if committed > 0 && committed < 400 {
            partial_states += 1;
        }
        let records = export(&index);
        assert_unique_ids(&records);
        for d in &docs {
            let n: u64 = d["records"].as_object().expect("counts").values().filter_map(Value::as_u64).sum();
            let got = records.iter().filter(|r| r["doc_id"] == d["id"]).count() as u64;
            assert_eq!(got, n, "a document was committed in part: {d}");
            let path = d["paths"][0].as_str().expect("path");
            let number: usize =
                path.trim_end_matches(".md").rsplit('-').next().and_then(|n| n.parse().ok()).expect("n");
            assert!(records
                .iter()
                .any(|r| r["text"].as_str().is_some_and(|t| t.contains(&format!("kodord{number} ")))));
        }
        if let Some(d) = docs.last() {
            let path = d["paths"][0].as_str().expect("path");
            let number: usize =
                path.trim_end_matches(".md").rsplit('-').next().and_then(|n| n.parse().ok()).expect("n");
            let out = arkiv(&["search", &format!("kodord{number}"), "--json", "--index", &s(&index)]);
            assert!(out.status.success(), "kodord{number} not found after a kill: {}", stderr(&out));
        }
    }
    eprintln!("documents committed when killed after: {}", seen.join(", "));
    assert!(partial_states > 0, "no kill landed between two commits");
    let out = arkiv(&["ingest", &s(&files), "--index", &s(&index)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(export(&index), expected, "the resumed ingest differs from a clean run");
}

#[test]
fn nothing_to_ingest_is_an_error_and_creates_no_index() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("index");
    let empty = tmp.path().join("tom");
    std::fs::create_dir_all(&empty).expect("mkdir");
    std::fs::write(tmp.path().join("bild.png"), b"png").expect("write");
    for (path, says) in [
        (s(&empty), "no documents in this folder"),
        (s(&tmp.path().join("saknas")), "no such file or folder"),
        (s(&tmp.path().join("bild.png")), "unsupported file type"),
    ] {
        let out = arkiv(&["ingest", &path, "--index", &s(&index)]);
        assert_eq!(out.status.code(), Some(1), "{path}");
        let err = stderr(&out);
        assert!(err.contains("nothing to ingest") && err.contains(&path) && err.contains(says), "{err}");
        assert!(err.contains(".pdf, .html, .htm, .txt and .md"), "{err}");
        assert!(!index.exists(), "an index folder was created for nothing");
    }
    // A missing path beside real files fails alone.
    let out = arkiv(&["ingest", "fixtures", &s(&tmp.path().join("saknas")), "--index", &s(&index)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("saknas: no such file or folder"), "{}", stderr(&out));
    assert_eq!(documents(&index).len(), 5);
}

/// A temporary folder with a copy of the fixtures (`batch`) and a place for an index.
fn fixtures_batch() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (index, batch) = (tmp.path().join("index"), tmp.path().join("batch"));
    copy_files(&root().join("fixtures"), &batch);
    (tmp, index, batch)
}

#[test]
fn failures_are_listed_and_retried_until_the_file_reads() {
    let (_tmp, index, batch) = fixtures_batch();
    std::fs::copy(data("bad/empty.pdf"), batch.join("trasig.pdf")).expect("copy");
    let out = arkiv(&["ingest", &s(&batch), "--index", &s(&index)]);
    assert_eq!(out.status.code(), Some(1));
    let out = arkiv(&["list", "--failed", "--json", "--index", &s(&index)]);
    let failed = json_lines(&stdout(&out));
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(
        failed[0]["path"].as_str().unwrap().ends_with("trasig.pdf") && failed[0]["reason"] == "empty file"
    );

    // Retrying reads exactly the failed file.
    let out = arkiv(&["ingest", "--retry-failed", "--index", &s(&index)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("1 files: 0 indexed"), "{}", stdout(&out));
    std::fs::copy(root().join("fixtures/resultatrapport-2018.pdf"), batch.join("trasig.pdf")).expect("copy");
    let out = arkiv(&["ingest", "--retry-failed", "--index", &s(&index)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 duplicate of an already indexed document"), "{}", stdout(&out));
    let out = arkiv(&["list", "--failed", "--index", &s(&index)]);
    assert_eq!(stdout(&out), "", "the failure is cleared");
    let out = arkiv(&["ingest", "--retry-failed", "--index", &s(&index)]);
    assert!(out.status.success() && stdout(&out).contains("no failed files"), "{}", stdout(&out));
}

#[test]
fn reindex_rebuilds_the_same_records_and_reparse_leaves_current_documents() {
    let (_tmp, index, batch) = fixtures_batch();
    assert!(arkiv(&["ingest", &s(&batch), "--index", &s(&index)]).status.success());
    let before = export(&index);
    let out = arkiv(&["reindex", "--index", &s(&index)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("5 documents rebuilt"), "{}", stdout(&out));
    assert_eq!(export(&index), before);
    // Every document is of this pipeline version: nothing to read again.
    let out = arkiv(&["reindex", "--reparse", "--index", &s(&index)]);
    assert!(stdout(&out).contains("0 read again"), "{}", stdout(&out));
    assert_eq!(export(&index), before);
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("index");
    assert!(arkiv(&["ingest", "fixtures", "--index", &s(&index)]).status.success());
    let commands: [&[&str]; 5] = [
        &["schema"],
        &["export", "--index", &s(&index)],
        &["list", "--index", &s(&index)],
        &["search", "kvinnofrid", "--limit", "100", "--index", &s(&index)],
        &["parse", "fixtures/resultatrapport-2018.pdf", "--json"],
    ];
    for args in commands {
        let mut child = Command::new(env!("CARGO_BIN_EXE_arkiv"))
            .args(args)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start");
        // Close the reading end before the command writes.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.status.success(), "{args:?}: {:?} {err}", out.status);
    }
}
