//! Routing and answers, on a small index in a temporary folder; no sockets.

use super::*;
use crate::records::{DocumentRecord, GoalRecord, Provenance, Record, Source, SCHEMA_VERSION};
use crate::segment::DocType;

fn document(sha: &str, title: &str, doc_type: DocType, year: i32) -> Record {
    Record::Document(DocumentRecord {
        id: format!("doc-{sha}"),
        doc_id: format!("doc-{sha}"),
        schema_version: SCHEMA_VERSION,
        doc_type,
        title: title.into(),
        date: None,
        year: Some(year),
        org: Some("SKL".into()),
        circular_number: None,
        diary_number: None,
        keywords: Vec::new(),
        recipients: Vec::new(),
        source: Source { path: format!("arkiv/{sha}.pdf"), sha256: sha.into(), pages: Some(3) },
        paths: Vec::new(),
        needs_ocr: false,
        ocr_pages: Vec::new(),
        ocr: None,
        warnings: Vec::new(),
    })
}

fn goal(sha: &str, text: &str) -> Record {
    Record::Goal(GoalRecord {
        id: format!("doc-{sha}-g001"),
        doc_id: format!("doc-{sha}"),
        schema_version: SCHEMA_VERSION,
        section_id: None,
        text: text.into(),
        source: Provenance::new(format!("arkiv/{sha}.pdf"), sha, Some(2)),
    })
}

/// An index of two documents: a 2012 circular about *kvinnofrid* with one goal, and a 2018 report.
fn fixture() -> (tempfile::TempDir, Archive) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut index = crate::index::Writer::open_or_create(&dir.path().join("index")).expect("index");
    let circular = [
        document("aa", "Kvinnofrid och våld i nära relationer", DocType::Circular, 2012),
        goal("aa", "Alla kommuner ska ha en handlingsplan för kvinnofrid <senast 2014>."),
    ];
    index.replace_document("arkiv/aa.pdf", circular.to_vec()).expect("add");
    let report = [document("bb", "Resultatrapport jämställdhet", DocType::ResultReport, 2018)];
    index.replace_document("arkiv/bb.pdf", report.to_vec()).expect("add");
    index.commit().expect("commit");
    drop(index);
    let index = Index::open(&dir.path().join("index")).expect("open");
    (dir, Archive::new(index))
}

fn get(index: &Archive, target: &str) -> Response {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    respond(index, &Request { method: "GET".into(), path: path.into(), query: query.into() })
}

fn body(response: &Response) -> String {
    String::from_utf8(response.body.clone()).expect("utf-8 body")
}

fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
}

#[test]
fn the_start_page_is_the_form() {
    let (_dir, index) = fixture();
    let response = get(&index, "/");
    assert_eq!((response.status, response.content_type), (200, http::HTML));
    let html = body(&response);
    assert!(html.contains("<form action=\"/search\""));
    assert!(!html.contains("class=\"hit\""));
}

#[test]
fn the_search_page_ranks_marks_and_filters() {
    let (_dir, index) = fixture();
    let html = body(&get(&index, "/search?q=kvinnofrid"));
    assert!(html.contains("<mark>"), "{html}");
    assert!(html.contains("2 träffar"));
    assert!(html.contains("&lt;senast 2014&gt;"), "goal text escaped");
    assert!(html.contains("<code>arkiv/aa.pdf</code>, s. 2"));

    let html = body(&get(&index, "/search?q=kvinnofrid&kind=goal"));
    assert!(html.contains("1 träff") && html.contains("doc-aa-g001"), "{html}");
    let html = body(&get(&index, "/search?q=kvinnofrid&doc_year=2012"));
    assert!(html.contains("2 träffar"), "{html}");
    let html = body(&get(&index, "/search?q=kvinnofrid&doc_year=2017..2019"));
    assert!(html.contains("Inga träffar"), "{html}");
    let html = body(&get(&index, "/search?q=kvinnofrid&from=2013"));
    assert!(html.contains("Inga träffar för <q>kvinnofrid</q>"), "{html}");
    // Stemming and folding reach the index through the page too.
    let html = body(&get(&index, "/search?q=jamstalldhet&type=result_report"));
    assert!(html.contains(">Resultatrapport <mark>jämställdhet</mark></a></h2>"), "{html}");
}

#[test]
fn hits_link_to_their_document_view_and_the_page_counts_them() {
    let (_dir, index) = fixture();
    let html = body(&get(&index, "/search?q=kvinnofrid"));
    assert!(html.contains("href=\"/doc/doc-aa?q=kvinnofrid#doc-aa-g001\""), "{html}");
    // The year chart: one bar per year, each a link that filters to it; counts per type and kind.
    assert!(html.contains("href=\"/search?q=kvinnofrid&amp;from=2012&amp;to=2012\""), "{html}");
    assert!(html.contains("data-year=\"2012\""));
    assert!(html.contains(">Cirkulär</a><span>2</span>"), "{html}");
    assert!(html.contains(">Mål</a><span>1</span>"), "{html}");

    // Paging: one hit per page, two pages, and a page beyond the last says so.
    let first = body(&get(&index, "/search?q=kvinnofrid&limit=1"));
    assert!(first.contains("De 1 bästa träffarna av 2") && first.contains("page=2"), "{first}");
    let second = body(&get(&index, "/search?q=kvinnofrid&limit=1&page=2"));
    assert!(second.contains("Träff 2–2 av 2") && second.contains("rel=\"prev\""), "{second}");
    let beyond = body(&get(&index, "/search?q=kvinnofrid&limit=1&page=5"));
    assert!(beyond.contains("bortom den sista"), "{beyond}");
    assert_eq!(get(&index, "/search?q=kvinnofrid&page=0").status, 400);
    assert_eq!(get(&index, "/search?q=kvinnofrid&limit=1&page=99999").status, 400);
}

#[test]
fn the_document_view_shows_metadata_goals_and_marks_the_query() {
    let (_dir, index) = fixture();
    let response = get(&index, "/doc/doc-aa?q=handlingsplan");
    assert_eq!(response.status, 200);
    let html = body(&response);
    assert!(html.contains("<dt>Typ</dt><dd>Cirkulär</dd>"), "{html}");
    assert!(html.contains("<dt>År</dt><dd>2012</dd>") && html.contains("<dt>Organisation</dt><dd>SKL</dd>"));
    assert!(html.contains("id=\"doc-aa-g001\""), "the goal is listed: {html}");
    assert!(html.contains("<mark>handlingsplan</mark>"), "{html}");
    assert!(html.contains("&lt;senast 2014&gt;"), "goal text escaped");
    assert!(html.contains("<code>arkiv/aa.pdf</code> (finns inte längre där)"), "{html}");
    assert!(html.contains("Originalfilen finns inte längre"), "{html}");

    assert_eq!(get(&index, "/doc/doc-zz").status, 404);
    assert_eq!(get(&index, "/doc/..%2Fetc").status, 404);
    let api = get(&index, "/api/doc/doc-aa");
    let json: serde_json::Value = serde_json::from_str(&body(&api)).expect("JSON");
    assert_eq!(json["records"].as_array().map(Vec::len), Some(2), "{json}");
    assert_eq!(get(&index, "/api/doc/doc-zz").status, 404);
}

#[test]
fn the_original_is_served_only_from_a_recorded_path_with_the_same_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("original.pdf");
    std::fs::write(&file, b"%PDF-1.4 original").expect("write");
    let sha = crate::ingest::sha256_hex(b"%PDF-1.4 original");
    let mut doc = document(&sha, "Original", DocType::Circular, 2015);
    if let Record::Document(d) = &mut doc {
        d.source.path = file.display().to_string();
    }
    let mut writer = crate::index::Writer::open_or_create(&dir.path().join("index")).expect("index");
    writer.replace_document(&file.display().to_string(), vec![doc]).expect("add");
    writer.commit().expect("commit");
    drop(writer);
    let index = Archive::new(Index::open(&dir.path().join("index")).expect("open"));
    let doc_id = format!("doc-{sha}");

    let response = get(&index, &format!("/file/{doc_id}"));
    assert_eq!(response.status, 200);
    assert_eq!(response.body, b"%PDF-1.4 original");
    assert_eq!(response.content_type, "application/pdf");
    assert_eq!(header(&response, "Content-Disposition"), Some("attachment; filename=\"original.pdf\""));
    // A path in the request is never a file to serve.
    assert_eq!(get(&index, &format!("/file/{doc_id}/../../etc/passwd")).status, 404);

    std::fs::write(&file, b"changed").expect("write");
    let response = get(&index, &format!("/file/{doc_id}"));
    assert_eq!(response.status, 410);
    assert!(body(&response).contains("har ändrats"), "{}", body(&response));
    std::fs::remove_file(&file).expect("remove");
    let response = get(&index, &format!("/file/{doc_id}"));
    assert_eq!(response.status, 410);
    assert!(body(&response).contains("finns inte längre"), "{}", body(&response));
}

#[test]
fn the_facets_api_counts_by_year_type_and_kind() {
    let (_dir, index) = fixture();
    let json: serde_json::Value =
        serde_json::from_str(&body(&get(&index, "/api/facets?q=kvinnofrid"))).expect("JSON");
    assert_eq!(json["total"], 2, "{json}");
    assert_eq!(json["by_type"]["circular"], 2, "{json}");
    assert_eq!(json["by_kind"]["goal"], 1, "{json}");
    assert_eq!(json["by_year"][0]["year"], 2012, "{json}");
    assert_eq!(get(&index, "/api/facets?from=x").status, 400);
}

#[test]
fn an_empty_query_lists_the_filtered_records() {
    let (_dir, index) = fixture();
    let html = body(&get(&index, "/search?q=&to=2015"));
    assert!(html.contains("doc-aa") && !html.contains("doc-bb"), "{html}");
}

#[test]
fn bad_parameters_are_a_400_with_the_form_kept() {
    let (_dir, index) = fixture();
    let response = get(&index, "/search?q=%3Cb%3E&from=20x8");
    assert_eq!(response.status, 400);
    let html = body(&response);
    assert!(html.contains("”20x8” är inte ett årtal"), "{html}");
    assert!(html.contains("value=\"&lt;b&gt;\""));

    let response = get(&index, "/api/search?q=x&kind=chapter");
    assert_eq!((response.status, response.content_type), (400, http::JSON));
    let error: serde_json::Value = serde_json::from_slice(&response.body).expect("JSON");
    assert!(error["error"].as_str().is_some_and(|m| m.contains("chapter")));

    let response = get(&index, "/export?format=pdf");
    assert_eq!(response.status, 400);
    assert!(body(&response).contains("csv, json, jsonl eller parquet"));
}

#[test]
fn the_api_returns_the_fields_of_search_json() {
    let (_dir, index) = fixture();
    let response = get(&index, "/api/search?q=kvinnofrid&limit=1");
    assert_eq!(response.status, 200);
    let answer: serde_json::Value = serde_json::from_slice(&response.body).expect("JSON");
    let hits = answer["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 1);
    // Every match counts in the total and the years, not only the hits returned.
    assert_eq!(answer["total"], 2, "{answer}");
    assert_eq!(
        answer["by_year"],
        serde_json::json!([{"year": 2012, "total": 2, "document": 1, "section": 0, "goal": 1, "activity": 0}])
    );
    let hit = &hits[0];
    for field in ["id", "kind", "score", "snippet", "year", "doc_title", "doc_type", "section_path"] {
        assert!(!hit[field].is_null(), "{field} in {hit}");
    }
    assert_eq!(hit["doc_type"], "circular");
    assert_eq!(hit["year"], 2012);
}

#[test]
fn export_downloads_every_match() {
    let (_dir, index) = fixture();
    let response = get(&index, "/export?format=csv");
    assert_eq!(response.status, 200);
    assert!(response.content_type.starts_with("text/csv"));
    assert_eq!(header(&response, "Content-Disposition"), Some("attachment; filename=\"arkiv-export.csv\""));
    let csv = body(&response);
    assert!(csv.starts_with("id,kind,doc_id,"));
    assert_eq!(csv.lines().count(), 4, "header and three records: {csv}");

    // With a query, only its matches, past the page's limit.
    let response = get(&index, "/export?format=jsonl&q=kvinnofrid&limit=1");
    let lines: Vec<serde_json::Value> =
        body(&response).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|r| r["doc_id"] == "doc-aa"));

    let response = get(&index, "/export?format=json&type=result_report");
    let all: Vec<serde_json::Value> = serde_json::from_slice(&response.body).expect("JSON");
    assert_eq!(all.len(), 1);
    assert_eq!(header(&response, "Content-Disposition"), Some("attachment; filename=\"arkiv-export.json\""));
}

#[test]
fn unknown_paths_and_methods() {
    let (_dir, index) = fixture();
    assert_eq!(get(&index, "/index.html").status, 404);
    assert_eq!(get(&index, "/search/").status, 404);
    let post = Request { method: "POST".into(), path: "/search".into(), query: String::new() };
    let response = respond(&index, &post);
    assert_eq!(response.status, 405);
    assert_eq!(header(&response, "Allow"), Some("GET, HEAD"));
}

#[test]
fn the_page_says_when_an_ingest_is_still_writing_the_archive() {
    let (dir, index) = fixture();
    assert!(!body(&get(&index, "/search?q=kvinnofrid")).contains("class=\"note\""));
    let writer = crate::index::Writer::open(&dir.path().join("index")).expect("writer");
    for target in ["/", "/search?q=kvinnofrid"] {
        let page = body(&get(&index, target));
        assert!(page.contains("2 dokument är sparade hittills"), "{target}: {page}");
    }
    drop(writer);
    assert!(!body(&get(&index, "/")).contains("class=\"note\""));
}

#[test]
fn the_page_filters_by_organisation_sorts_by_date_and_suggests_a_spelling() {
    let (_dir, index) = fixture();
    let html = body(&get(&index, "/search?q=&org=skl&sort=date"));
    // The 2018 report before the 2012 circular.
    let (Some(report), Some(circular)) = (html.find("Resultatrapport"), html.find("Kvinnofrid och")) else {
        panic!("{html}")
    };
    assert!(report < circular, "{html}");
    assert!(
        html.contains("name=\"status\"") && html.contains("name=\"actor\"") && html.contains("name=\"sort\"")
    );
    assert!(!body(&get(&index, "/search?q=&org=skr")).contains("<ol class=\"hits\">"));
    // Two letters off: no typo match, but a suggestion.
    let html = body(&get(&index, "/search?q=handlinsplen"));
    assert!(html.contains("Menade du <a href=\"/search?q=handlingsplan\">handlingsplan</a>?"), "{html}");
    // A list cut at its limit says how many there are in all.
    let html = body(&get(&index, "/search?q=&limit=2"));
    assert!(html.contains("De 2 första posterna av 3"), "{html}");
    let response = get(&index, "/search?q=x&sort=alfabetisk");
    assert_eq!(response.status, 400);
    assert!(body(&response).contains("Okänd sortering"));
}

#[test]
fn the_document_view_shows_follow_ups_both_ways() {
    use crate::records::{ActivityRecord, SectionRecord};
    use crate::segment::Status;
    let provenance = |sha: &str| Provenance::new(format!("arkiv/{sha}.pdf"), sha, Some(1));
    let section = |sha: &str, number: &str, heading: &str| {
        Record::Section(SectionRecord {
            id: format!("doc-{sha}-s001"),
            doc_id: format!("doc-{sha}"),
            schema_version: SCHEMA_VERSION,
            number: Some(number.into()),
            heading: heading.into(),
            level: 2,
            parent_id: None,
            text: String::new(),
            page: Some(1),
            source: provenance(sha),
        })
    };
    let activity = |sha: &str, text: &str, status: Status, year: i32| {
        Record::Activity(ActivityRecord {
            id: format!("doc-{sha}-a001"),
            doc_id: format!("doc-{sha}"),
            schema_version: SCHEMA_VERSION,
            section_id: Some(format!("doc-{sha}-s001")),
            text: text.into(),
            status,
            years: vec![year],
            actors: vec!["SKL".into()],
            source: provenance(sha),
        })
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut writer = crate::index::Writer::open_or_create(&dir.path().join("index")).expect("index");
    let earlier = [
        document("cc", "Resultatrapport 2018", DocType::ResultReport, 2018),
        section("cc", "3.1", "Jämställd hälsa"),
        activity(
            "cc",
            "Kunskapsöversikten Ojämställdhet i hälsa lanseras på Bokmässan 2019.",
            Status::Planned,
            2019,
        ),
    ];
    let later = [
        document("dd", "Resultatrapport 2019", DocType::ResultReport, 2019),
        section("dd", "3.4", "Jämställd hälsa"),
        activity(
            "dd",
            "Kunskapsöversikten Ojämställdhet i hälsa lanserades på Bokmässan 2019.",
            Status::Done,
            2019,
        ),
    ];
    writer.replace_document("arkiv/cc.pdf", earlier.to_vec()).expect("add");
    writer.replace_document("arkiv/dd.pdf", later.to_vec()).expect("add");
    writer.commit().expect("commit");
    drop(writer);
    let archive = Archive::new(Index::open(&dir.path().join("index")).expect("open"));

    let html = body(&get(&archive, "/doc/doc-cc"));
    assert!(html.contains("Uppföljning: genomfört 2019 (Resultatrapport 2019, avsnitt 3.4)"), "{html}");
    assert!(html.contains("href=\"/doc/doc-dd#doc-dd-a001\""), "{html}");
    let html = body(&get(&archive, "/doc/doc-dd"));
    assert!(html.contains("Följer upp: planerat 2018 (Resultatrapport 2018, avsnitt 3.1)"), "{html}");

    let export = get(&archive, "/export?format=jsonl");
    let lines: Vec<serde_json::Value> =
        body(&export).lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    let earlier = lines.iter().find(|r| r["id"] == "doc-cc-a001").expect("the planned activity");
    assert_eq!(earlier["followed_by"], serde_json::json!(["doc-dd-a001"]));
}
