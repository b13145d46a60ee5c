//! `arkiv export` on the bundled fixtures plus the follow-up development pair: every format carries the
//! document fields and the follow-up links, CSV has one meaning per column, `--explode` and `--bom`
//! work, and DuckDB reads Parquet, CSV and JSON Lines back with the types and counts arkiv wrote
//! (`tests/duckdb_read.py`). The DuckDB part needs `python3 -m pip install duckdb`; without it the
//! test says so and skips that part, unless `ARKIV_REQUIRE_DUCKDB` is set (as `.ci/run` does).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use common::{arkiv, data, fixtures_with, root, stderr, stdout};

/// An index of the fixtures and the 2019 follow-up report, in a temporary folder.
fn fixture_index() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = fixtures_with(dir.path(), &[&data("follow/pdf/resultatrapport-2019.pdf")]);
    let index = dir.path().join("index");
    let out = arkiv(&["ingest", path(&docs), "--index", path(&index)]);
    assert!(out.status.success(), "ingest: {}", stderr(&out));
    (dir, index)
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn export(index: &Path, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["export", "--index", path(index)];
    all.extend_from_slice(args);
    let out = arkiv(&all);
    assert!(out.status.success(), "export {args:?}: {}", stderr(&out));
    out.stdout
}

fn jsonl(index: &Path) -> Vec<Value> {
    let out = String::from_utf8(export(index, &[])).expect("utf-8");
    out.lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect()
}

#[test]
fn every_record_carries_its_documents_fields_and_its_links() {
    let (_dir, index) = fixture_index();
    let records = jsonl(&index);
    assert!(records.len() > 200);
    for r in &records {
        for field in ["year", "doc_type", "doc_title", "org", "followed_by", "follows"] {
            assert!(r.get(field).is_some(), "{} lacks {field}", r["id"]);
        }
        assert!(r["followed_by"].is_array() && r["follows"].is_array());
        if r["kind"] == "activity" {
            assert!(r["years"].is_array() && r["actors"].is_array(), "lists stay lists: {r}");
            assert!(r.get("section_heading").is_some());
        }
    }
    let report_2018 = records
        .iter()
        .find(|r| r["kind"] == "goal" && r["year"] == 2018 && r["doc_type"] == "result_report")
        .expect("a 2018 goal");
    assert_eq!(report_2018["org"], "SKL");
    assert!(report_2018["doc_title"].as_str().is_some_and(|t| t.starts_with("Resultatrapport 2018")));

    // `followed_by` and `follows` are the two ends of the same links, and match `arkiv follow --json`.
    let by_id: BTreeMap<&str, &Value> = records.iter().filter_map(|r| Some((r["id"].as_str()?, r))).collect();
    let mut links = 0;
    for r in &records {
        for later in r["followed_by"].as_array().into_iter().flatten() {
            let later = by_id.get(later.as_str().unwrap_or_default()).expect("a linked record exists");
            assert!(later["follows"].as_array().is_some_and(|f| f.contains(&r["id"])));
            assert!(later["year"].as_i64() > r["year"].as_i64());
            links += 1;
        }
    }
    let follow = arkiv(&["follow", "--index", path(&index), "--json"]);
    assert!(follow.status.success(), "{}", stderr(&follow));
    assert_eq!(stdout(&follow).lines().count(), links);
    assert!(links >= 10, "only {links} links");
}

#[test]
fn csv_has_one_meaning_per_column_and_a_long_form() {
    let (_dir, index) = fixture_index();
    let csv = export(&index, &["--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let kind = |row: &csv::StringRecord| row[at("kind")].to_string();
    for row in &rows {
        assert!(
            !row[at("year")].is_empty() && !row[at("doc_title")].is_empty() && !row[at("org")].is_empty()
        );
        match kind(row).as_str() {
            "section" => assert!(row[at("section_id")].is_empty() && row[at("section_heading")].is_empty()),
            "goal" | "activity" => {
                assert!(row[at("parent_id")].is_empty());
                assert!(!row[at("section_id")].is_empty() && !row[at("section_heading")].is_empty());
            }
            _ => {}
        }
    }
    let circular = rows.iter().find(|r| kind(r) == "document" && !r[at("circular_number")].is_empty());
    let circular = circular.expect("the circular's document row");
    assert_eq!(&circular[at("circular_number")], "12:13");
    assert!(!circular[at("diary_number")].is_empty() && !circular[at("keywords")].is_empty());
    assert!(!circular[at("recipients")].is_empty() && !circular[at("date")].is_empty());

    // Long form: one row per year of an activity, the other rows once.
    let years_of = |rows: &[csv::StringRecord]| -> usize {
        rows.iter().map(|r| r[at("years")].split("; ").filter(|y| !y.is_empty()).count()).sum()
    };
    let long = export(&index, &["--format", "csv", "--explode", "years"]);
    let long: Vec<csv::StringRecord> =
        csv::Reader::from_reader(long.as_slice()).records().map(|r| r.expect("row")).collect();
    let multi = rows.iter().filter(|r| r[at("years")].contains("; ")).count();
    assert!(multi > 0, "no activity with several years in the fixtures");
    assert_eq!(years_of(&long), years_of(&rows));
    assert!(long.iter().all(|r| !r[at("years")].contains(';')));
    assert_eq!(
        long.len(),
        rows.len() - rows.iter().filter(|r| !r[at("years")].is_empty()).count() + years_of(&rows)
    );

    let bom = export(&index, &["--format", "csv", "--bom"]);
    assert!(bom.starts_with("\u{feff}id,kind,".as_bytes()));
    let refused = arkiv(&["export", "--index", path(&index), "--format", "jsonl", "--bom"]);
    assert!(!refused.status.success() && stderr(&refused).contains("csv only"));
}

#[test]
fn duckdb_reads_every_format_with_its_types_and_counts() {
    let has_duckdb =
        Command::new("python3").args(["-c", "import duckdb"]).output().is_ok_and(|o| o.status.success());
    if !has_duckdb {
        assert!(
            std::env::var_os("ARKIV_REQUIRE_DUCKDB").is_none(),
            "ARKIV_REQUIRE_DUCKDB is set but duckdb is missing"
        );
        eprintln!("skipped: python3 -m pip install duckdb to run it");
        return;
    }
    let (dir, index) = fixture_index();
    let files = ["export.parquet", "export.csv", "export.jsonl"].map(|f| dir.path().join(f));
    for (file, format) in files.iter().zip(["parquet", "csv", "jsonl"]) {
        let out = arkiv(&["export", "--index", path(&index), "--format", format, "-o", path(file)]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = Command::new("python3")
        .arg(root().join("tests/duckdb_read.py"))
        .args(files.iter().map(|f| path(f)))
        .output()
        .expect("run python3");
    assert!(out.status.success(), "duckdb_read.py: {}", stderr(&out));
    let seen: Value = serde_json::from_slice(&out.stdout).expect("JSON from duckdb_read.py");
    let types = &seen["parquet"]["types"];
    for (column, expected) in [
        ("circular_number", "VARCHAR"),
        ("number", "VARCHAR"),
        ("year", "INTEGER"),
        ("years", "INTEGER[]"),
        ("actors", "VARCHAR[]"),
        ("keywords", "VARCHAR[]"),
        ("date", "DATE"),
        ("level", "INTEGER"),
        ("needs_ocr", "BOOLEAN"),
        ("followed_by", "VARCHAR[]"),
    ] {
        assert_eq!(types[column], expected, "Parquet {column}");
    }
    assert_eq!(seen["csv"]["types"]["circular_number"], "VARCHAR");
    assert_eq!(seen["csv"]["types"]["number"], "VARCHAR");
    assert_eq!(seen["jsonl"]["types"]["years"], "BIGINT[]", "lists stay lists in JSON Lines");
    assert_eq!(seen["csv_circular_numbers"], serde_json::json!(["12:13"]));
    assert_eq!(seen["jsonl_circular_numbers"], serde_json::json!(["12:13"]));
    assert_eq!(seen["csv_section_numbers"], seen["parquet_section_numbers"]);
    assert_eq!(seen["csv_years"], seen["parquet_years"]);

    // The same counts per (year, kind, status) from every format, and the same as arkiv's own records.
    let records = jsonl(&index);
    let mut expected: BTreeMap<(i64, String, String), i64> = BTreeMap::new();
    for r in &records {
        let key = (r["year"].as_i64().unwrap_or(-1), r["kind"].to_string(), r["status"].to_string());
        *expected.entry(key).or_insert(0) += 1;
    }
    let counted = |format: &str| -> BTreeMap<(i64, String, String), i64> {
        seen[format]["counts"]
            .as_array()
            .expect("counts")
            .iter()
            .map(|row| {
                let key = (row[0].as_i64().unwrap_or(-1), row[1].to_string(), row[2].to_string());
                (key, row[3].as_i64().unwrap_or(0))
            })
            .collect()
    };
    for format in ["parquet", "csv", "jsonl"] {
        assert_eq!(counted(format), expected, "{format} counts");
        assert_eq!(seen[format]["rows"].as_u64(), Some(records.len() as u64));
    }
    // Dates are DATE, in order.
    let dates = seen["parquet_dates"].as_array().expect("dates");
    assert!(dates.iter().any(|d| d == "2012-04-04"), "{dates:?}");
}
