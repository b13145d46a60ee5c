//! End-to-end tests of the whole chain on the fixtures: parse, ingest, search, export, schema.

mod common;

use common::{arkiv, copy_files, data, root, stderr, stdout};
use serde_json::Value;

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

fn parse(file: &str) -> Vec<Value> {
    let out = arkiv(&["parse", file, "--json"]);
    assert!(out.status.success(), "{file}: {}", stderr(&out));
    json_lines(&stdout(&out))
}

fn of_kind<'a>(records: &'a [Value], kind: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["kind"] == kind).collect()
}

#[test]
fn the_circular_has_its_number_and_date() {
    let records = parse("fixtures/cirkular-12-13-2012.pdf");
    let doc = of_kind(&records, "document")[0];
    assert_eq!(doc["doc_type"], "circular");
    assert_eq!(doc["circular_number"], "12:13");
    assert_eq!(doc["diary_number"], "12/2218");
    assert_eq!(doc["date"], "2012-04-04");
    assert_eq!(doc["year"], 2012);
    assert_eq!(doc["org"], "SKL");
    assert_eq!(doc["source"]["pages"], 2);
    assert_eq!(doc["source"]["sha256"].as_str().map(str::len), Some(64));
    let planned = of_kind(&records, "activity")
        .into_iter()
        .filter(|a| a["text"].as_str().is_some_and(|t| t.contains("9-10 oktober")))
        .count();
    assert_eq!(planned, 1, "one activity per course occasion");
}

#[test]
fn the_report_section_tree_has_parents() {
    let records = parse("fixtures/resultatrapport-2018.pdf");
    let sections = of_kind(&records, "section");
    let find = |number: &str| sections.iter().find(|s| s["number"] == number).copied();
    let s31 = find("3.1").expect("section 3.1");
    let s3 = find("3").expect("section 3");
    assert_eq!(s31["heading"], "Jämställd hälsa");
    assert_eq!(s31["parent_id"], s3["id"]);
    assert_eq!(s31["level"], 2);
    assert!(s31["page"].as_u64().is_some());
    for r in &records {
        assert!(r["source"]["sha256"].is_string(), "provenance on every record: {r}");
    }
}

#[test]
fn ids_are_deterministic_and_unique() {
    let a = parse("fixtures/resultatrapport-2018.pdf");
    let b = parse("fixtures/resultatrapport-2018.pdf");
    let ids = |r: &[Value]| r.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
    let mut unique = ids(&a);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), a.len());
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let out = arkiv(&["schema"]);
    let committed = std::fs::read_to_string(root().join("src/records.schema.json")).expect("schema file");
    assert_eq!(stdout(&out).trim(), committed.trim(), "run `arkiv schema > src/records.schema.json`");
}

/// Ingest the fixtures into a fresh index and return its directory.
fn fixture_index() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    let out = arkiv(&["ingest", "fixtures", "--index", index.to_str().unwrap()]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    dir
}

fn index_arg(dir: &tempfile::TempDir) -> String {
    dir.path().join("index").to_string_lossy().into_owned()
}

#[test]
fn search_finds_a_phrase_in_the_right_section_first() {
    let dir = fixture_index();
    let args =
        ["search", "\"Mentors in Violence Prevention\"", "--index", &index_arg(&dir), "--json", "--kind"];
    let out = arkiv(&[&args[..], &["section"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let hits = json_lines(&stdout(&out));
    let first = &hits[0];
    assert_eq!(first["kind"], "section", "{first}");
    assert_eq!(first["number"], "4.2", "{first}");
    // Without the filter, the activity that states it comes first, in that section.
    let out = arkiv(&args[..5]);
    let first = &json_lines(&stdout(&out))[0];
    assert_eq!(first["kind"], "activity", "{first}");
    assert_eq!(first["section_path"][1], "Våldsförebyggande arbete i skolan", "{first}");
    for key in ["id", "doc_id", "kind", "year", "score", "snippet"] {
        assert!(first.get(key).is_some(), "hit without {key}: {first}");
    }
    assert!(first["snippet"].as_str().unwrap().contains('«'));
}

#[test]
fn search_is_swedish_aware_and_filters_by_year_type_and_kind() {
    let dir = fixture_index();
    let index = index_arg(&dir);
    let search = |args: &[&str]| {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--index", &index, "--json", "--limit", "100"]);
        json_lines(&stdout(&arkiv(&all)))
    };
    // Folded: typed without å/ä/ö.
    assert!(!search(&["jamstalldhetsintegrering"]).is_empty());
    // --year 2012 gives only the circular's records.
    let hits = search(&["jämställdhet", "--year", "2012"]);
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["year"] == 2012), "{hits:?}");
    let hits = search(&["kvinnofrid", "--year", "2018..2020", "--kind", "activity"]);
    assert!(hits.iter().all(|h| h["kind"] == "activity"));
    let hits = search(&["jämställdhet", "--type", "web_page"]);
    assert!(!hits.is_empty() && hits.iter().all(|h| h["doc_type"] == "web_page"), "{hits:?}");
}

#[test]
fn export_writes_every_matching_record() {
    let dir = fixture_index();
    let index = index_arg(&dir);
    let out = arkiv(&["export", "--index", &index, "--kind", "activity", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = stdout(&out);
    let mut rows = csv.lines();
    assert!(rows.next().unwrap().starts_with("id,kind,doc_id"));
    assert!(rows.clone().count() > 10);
    assert!(rows.all(|r| r.contains(",activity,")));
    let all = json_lines(&stdout(&arkiv(&["export", "--index", &index])));
    assert_eq!(of_kind(&all, "document").len(), 5);
}

#[test]
fn a_batch_with_bad_files_indexes_the_good_ones_and_reingest_adds_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let batch = dir.path().join("batch");
    copy_files(&root().join("fixtures"), &batch);
    let bad = batch.join("bad");
    copy_files(&data("bad"), &bad);
    std::fs::remove_file(bad.join("many-pages.pdf")).expect("remove");
    let index = dir.path().join("index");
    // OCR off: the scan is flagged, whether or not this machine has Tesseract (tests/ocr.rs reads it).
    let run =
        || arkiv(&["ingest", batch.to_str().unwrap(), "--index", index.to_str().unwrap(), "--ocr", "never"]);

    let first = run();
    assert_eq!(first.status.code(), Some(1), "some files failed: exit 1");
    let err = stderr(&first);
    for (file, reason) in [
        ("empty.pdf", "empty file"),
        ("not-a-pdf.pdf", "not a PDF"),
        ("truncated.pdf", "truncated or damaged PDF"),
        ("encrypted-user-password.pdf", "password is required"),
        ("bomb.pdf", "content stream larger than"),
    ] {
        assert!(err.lines().any(|l| l.contains(file) && l.contains(reason)), "{file}: {err}");
    }
    assert!(err.contains("scanned-image-only.pdf") && err.contains("needs OCR"), "{err}");
    let count = || json_lines(&stdout(&arkiv(&["export", "--index", index.to_str().unwrap()]))).len();
    let records = count();
    let docs =
        json_lines(&stdout(&arkiv(&["export", "--index", index.to_str().unwrap(), "--kind", "document"])));
    // The five fixtures and the four readable damaged files (xref, cycle, empty password, scan).
    assert_eq!(docs.len(), 9, "{docs:?}");

    let second = run();
    assert_eq!(second.status.code(), Some(1));
    assert!(stdout(&second).contains("0 indexed"), "{}", stdout(&second));
    assert_eq!(count(), records, "a second ingest adds no records");

    // A changed file at the same path replaces its records.
    let note = batch.join("anteckning.txt");
    let search = |word: &str| {
        json_lines(&stdout(&arkiv(&["search", word, "--index", index.to_str().unwrap(), "--json"]))).len()
    };
    std::fs::write(&note, "Anteckning\n\nVi planerar ett sommarläger om kvinnofrid.\n").expect("write");
    run();
    assert!(search("sommarläger") > 0);
    std::fs::write(&note, "Anteckning\n\nVi planerar en utbildning om kvinnofrid.\n").expect("write");
    run();
    assert_eq!(search("sommarläger"), 0, "the old version's records are gone");
    assert!(search("utbildning") > 0);
}

#[test]
fn by_year_counts_an_activity_in_its_own_years_and_sort_by_date_puts_the_newest_first() {
    let dir = fixture_index();
    let index = index_arg(&dir);
    let out = arkiv(&["search", "skolriksdagen", "--index", &index, "--by-year", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let years = json_lines(&stdout(&out));
    let of = |year: i64| years.iter().find(|y| y["year"] == year).cloned().unwrap_or_default();
    // Planned for 2019 in the 2018 report.
    assert_eq!(of(2019)["activity"], 1, "{years:?}");
    assert_eq!(of(2018)["activity"], 0, "{years:?}");
    let out = arkiv(&["search", "kommuner", "--index", &index, "--sort", "date", "--json", "--limit", "50"]);
    let years: Vec<i64> = json_lines(&stdout(&out)).iter().filter_map(|h| h["year"].as_i64()).collect();
    assert!(years.len() > 5 && years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");
}
