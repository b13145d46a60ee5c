//! `arkiv follow` scored on written follow-up pairs (`tests/data/follow/README.md`,
//! `tests/data/follow-heldout/README.md`): an earlier report, a later one, and gold links between
//! their goals and activities. Each pair is ingested with the bundled fixtures (so that other later
//! documents compete), `arkiv follow --json` is run, and its links from the earlier document to the
//! later one are scored against the gold: precision and recall over (commitment, follow-up) pairs.
//! Only the commitments the gold lists are scored (a link from a sentence the gold does not list as a
//! commitment is neither right nor wrong).

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use common::{arkiv, data, fixtures_with, root, stderr, stdout};

/// Floors on the development pair: what the method reaches today (precision 0.808, recall 0.875),
/// rounded down, so that a change that loses links fails. Issue 10's targets are 0.85 and 0.85; the
/// errors left are the pair's deliberate distractors (same section, year and partners, another
/// activity) and paraphrases that share almost no words.
const DEV_PRECISION: f64 = 0.8;
const DEV_RECALL: f64 = 0.85;

/// The held-out pair is scored, not tuned on: this floor only catches a collapse.
const HELD_OUT_FLOOR: f64 = 0.6;

fn normalize(text: &str) -> String {
    text.nfc().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

struct Scored {
    precision: f64,
    recall: f64,
    report: String,
}

/// Ingest `earlier` and `later` with the fixtures, follow, and score against `gold`.
fn score(earlier: &Path, later: &Path, gold: &Path) -> Scored {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = fixtures_with(dir.path(), &[earlier, later]);
    let index = dir.path().join("index");
    let index = index.to_str().expect("utf-8 path");
    let out = arkiv(&["ingest", docs.to_str().expect("utf-8 path"), "--index", index]);
    assert!(out.status.success(), "ingest failed: {}", stderr(&out));

    let out = arkiv(&["export", "--index", index, "--format", "jsonl"]);
    assert!(out.status.success(), "export failed: {}", stderr(&out));
    let records: Vec<Value> =
        stdout(&out).lines().map(|l| serde_json::from_str(l).expect("JSON record")).collect();
    let file_name = |p: &Path| p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let doc_of = |name: &str| -> String {
        records
            .iter()
            .find(|r| {
                r["kind"] == "document" && r["source"]["path"].as_str().is_some_and(|p| p.ends_with(name))
            })
            .and_then(|r| r["id"].as_str())
            .unwrap_or_else(|| panic!("no document for {name}"))
            .to_string()
    };
    let (from_doc, to_doc) = (doc_of(&file_name(earlier)), doc_of(&file_name(later)));
    let text_of: HashMap<&str, String> = records
        .iter()
        .filter_map(|r| Some((r["id"].as_str()?, normalize(r["text"].as_str().unwrap_or_default()))))
        .collect();
    // The one goal or activity of `doc` whose text holds `contains`.
    let find = |doc: &str, kind: &str, contains: &str| -> Option<String> {
        let needle = normalize(contains);
        let found: Vec<&str> = records
            .iter()
            .filter(|r| r["doc_id"] == doc && (kind.is_empty() || r["kind"] == kind))
            .filter(|r| r["kind"] == "goal" || r["kind"] == "activity")
            .filter(|r| normalize(r["text"].as_str().unwrap_or_default()).contains(&needle))
            .filter_map(|r| r["id"].as_str())
            .collect();
        found.first().map(|id| id.to_string())
    };

    let gold: Value = serde_json::from_str(&std::fs::read_to_string(gold).expect("gold")).expect("gold JSON");
    let mut listed = HashSet::new();
    let mut expected = HashSet::new();
    let mut report = String::new();
    for commitment in gold["commitments"].as_array().expect("commitments") {
        let from_text = commitment["from"].as_str().expect("from");
        let kind = commitment["kind"].as_str().unwrap_or_default();
        let Some(from) = find(&from_doc, kind, from_text) else {
            report.push_str(&format!("  commitment not segmented: {from_text}\n"));
            // Its gold links count as missed.
            for to in commitment["to"].as_array().into_iter().flatten() {
                expected.insert((format!("missing:{from_text}"), to["contains"].to_string()));
            }
            continue;
        };
        listed.insert(from.clone());
        for to in commitment["to"].as_array().into_iter().flatten() {
            let contains = to["contains"].as_str().expect("contains");
            match find(&to_doc, "", contains) {
                Some(to) => expected.insert((from.clone(), to)),
                None => {
                    report.push_str(&format!("  follow-up not segmented: {contains}\n"));
                    expected.insert((from.clone(), format!("missing:{contains}")))
                }
            };
        }
    }

    let out = arkiv(&["follow", "--index", index, "--json"]);
    assert!(out.status.success(), "follow failed: {}", stderr(&out));
    let mut found = HashSet::new();
    for line in stdout(&out).lines() {
        let link: Value = serde_json::from_str(line).expect("JSON link");
        for field in
            ["from", "to", "from_doc", "to_doc", "from_year", "to_year", "from_status", "to_status", "score"]
        {
            assert!(link.get(field).is_some(), "a link lacks {field}: {line}");
        }
        assert!(link["to_year"].as_i64() > link["from_year"].as_i64(), "a link goes back in time: {line}");
        let (from, to) = (link["from"].as_str().unwrap_or_default(), link["to"].as_str().unwrap_or_default());
        if link["from_doc"] == from_doc.as_str() && link["to_doc"] == to_doc.as_str() && listed.contains(from)
        {
            found.insert((from.to_string(), to.to_string()));
        }
    }
    let right = found.intersection(&expected).count();
    let short =
        |id: &str| text_of.get(id).map(|t| t.chars().take(90).collect::<String>()).unwrap_or(id.to_string());
    for (from, to) in found.difference(&expected) {
        report.push_str(&format!("  wrong: {}\n      → {}\n", short(from), short(to)));
    }
    for (from, to) in expected.difference(&found) {
        report.push_str(&format!("  missed: {}\n      → {}\n", short(from), short(to)));
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    Scored { precision: ratio(right, found.len()), recall: ratio(right, expected.len()), report }
}

#[test]
fn follow_links_the_development_pair() {
    let scored = score(
        &root().join("fixtures/resultatrapport-2018.pdf"),
        &data("follow/pdf/resultatrapport-2019.pdf"),
        &data("follow/links.json"),
    );
    println!(
        "development pair: precision {:.3}, recall {:.3}\n{}",
        scored.precision, scored.recall, scored.report
    );
    assert!(
        scored.precision >= DEV_PRECISION && scored.recall >= DEV_RECALL,
        "precision {:.3}, recall {:.3} (floors {DEV_PRECISION}, {DEV_RECALL}):\n{}",
        scored.precision,
        scored.recall,
        scored.report
    );
}

#[test]
fn follow_links_the_held_out_pair() {
    let scored = score(
        &data("follow-heldout/pdf/resultatrapport-2021-hedersrelaterat-vald.pdf"),
        &data("follow-heldout/pdf/slutrapport-2021-2023-hedersfortryck.pdf"),
        &data("follow-heldout/links.json"),
    );
    println!("held-out pair: precision {:.3}, recall {:.3}", scored.precision, scored.recall);
    assert!(
        scored.precision >= HELD_OUT_FLOOR && scored.recall >= HELD_OUT_FLOOR,
        "held-out pair: precision {:.3}, recall {:.3} (floor {HELD_OUT_FLOOR})",
        scored.precision,
        scored.recall
    );
}
