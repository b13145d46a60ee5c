//! Search quality on the bundled fixtures: the queries of `tests/data/queries.json`, each with the
//! record a staff member would expect on top, scored as mean reciprocal rank over the first ten hits.

mod common;

use common::{arkiv, data, stderr, stdout};
use serde_json::Value;

/// The least mean reciprocal rank the query set may score.
const MIN_MRR: f64 = 0.85;

#[test]
fn expected_records_rank_at_the_top() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("index");
    let index = index.to_string_lossy();
    let out = arkiv(&["ingest", "fixtures", "--index", &index]);
    assert!(out.status.success(), "ingest: {}", stderr(&out));

    let set: Value = serde_json::from_str(&common::read(&data("queries.json"))).expect("queries.json");
    let queries = set["queries"].as_array().expect("a list of queries");
    assert!(queries.len() >= 40, "only {} queries", queries.len());
    let mut total = 0.0;
    let mut misses = Vec::new();
    for query in queries {
        let q = query["q"].as_str().expect("q");
        let expect = query["expect"].as_str().expect("expect");
        let mut args = vec!["search", q, "--index", &index, "--json", "--limit", "10"];
        let extra: Vec<&str> = query["args"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        args.extend(extra.iter().copied());
        let out = arkiv(&args);
        assert_ne!(out.status.code(), Some(2), "{q}: {}", stderr(&out));
        let ids: Vec<String> = stdout(&out)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str::<Value>(l).expect("JSON hit")["id"].as_str().unwrap_or("").to_string()
            })
            .collect();
        match ids.iter().position(|id| id == expect) {
            Some(rank) => {
                total += 1.0 / (rank as f64 + 1.0);
                if rank > 0 {
                    misses.push(format!("{q:?} {extra:?}: rank {}", rank + 1));
                }
            }
            None => misses.push(format!("{q:?} {extra:?}: not in the first ten ({ids:?})")),
        }
    }
    let mrr = total / queries.len() as f64;
    println!("MRR@10 {mrr:.3} over {} queries; not first:\n{}", queries.len(), misses.join("\n"));
    assert!(mrr >= MIN_MRR, "MRR@10 {mrr:.3} < {MIN_MRR}:\n{}", misses.join("\n"));
}
