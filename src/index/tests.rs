//! Behaviour of the index as arkiv uses it: small hand-made documents in a temporary folder.

use super::*;
use crate::records::{
    ActivityRecord, DocumentRecord, GoalRecord, Provenance, SectionRecord, Source, SCHEMA_VERSION,
};
use crate::segment::Status;

/// A document's records, built the way `records::build` lays them out.
struct Doc {
    path: String,
    sha: String,
    records: Vec<Record>,
}

impl Doc {
    fn new(path: &str, sha: &str, title: &str, doc_type: DocType, year: Option<i32>) -> Doc {
        let doc_id = format!("doc-{sha}");
        let record = Record::Document(DocumentRecord {
            id: doc_id.clone(),
            doc_id,
            schema_version: SCHEMA_VERSION,
            doc_type,
            title: title.into(),
            date: None,
            year,
            org: None,
            circular_number: None,
            diary_number: None,
            keywords: Vec::new(),
            recipients: Vec::new(),
            source: Source { path: path.into(), sha256: sha.into(), pages: None },
            needs_ocr: false,
            ocr_pages: Vec::new(),
            warnings: Vec::new(),
        });
        Doc { path: path.into(), sha: sha.into(), records: vec![record] }
    }

    fn doc_id(&self) -> String {
        format!("doc-{}", self.sha)
    }

    fn provenance(&self) -> Provenance {
        Provenance { path: self.path.clone(), sha256: self.sha.clone(), page: None }
    }

    /// Add a section; returns its id.
    fn section(&mut self, heading: &str, text: &str, parent: Option<&str>) -> String {
        let n = self.records.iter().filter(|r| r.kind() == Kind::Section).count();
        let id = format!("{}-s{:03}", self.doc_id(), n + 1);
        self.records.push(Record::Section(SectionRecord {
            id: id.clone(),
            doc_id: self.doc_id(),
            schema_version: SCHEMA_VERSION,
            number: None,
            heading: heading.into(),
            level: if parent.is_some() { 2 } else { 1 },
            parent_id: parent.map(str::to_string),
            text: text.into(),
            page: None,
            source: self.provenance(),
        }));
        id
    }

    fn goal(&mut self, text: &str, section: Option<&str>) {
        let n = self.records.iter().filter(|r| r.kind() == Kind::Goal).count();
        self.records.push(Record::Goal(GoalRecord {
            id: format!("{}-g{:03}", self.doc_id(), n + 1),
            doc_id: self.doc_id(),
            schema_version: SCHEMA_VERSION,
            section_id: section.map(str::to_string),
            text: text.into(),
            source: self.provenance(),
        }));
    }

    fn activity(&mut self, text: &str, section: Option<&str>) {
        let n = self.records.iter().filter(|r| r.kind() == Kind::Activity).count();
        self.records.push(Record::Activity(ActivityRecord {
            id: format!("{}-a{:03}", self.doc_id(), n + 1),
            doc_id: self.doc_id(),
            schema_version: SCHEMA_VERSION,
            section_id: section.map(str::to_string),
            text: text.into(),
            status: Status::Done,
            years: vec![2018],
            actors: Vec::new(),
            source: self.provenance(),
        }));
    }
}

/// A report, a circular and a web page about gender equality.
fn corpus() -> Vec<Doc> {
    let mut report = Doc::new(
        "docs/resultatrapport-2018.pdf",
        "aaa1",
        "Resultatrapport 2018 för överenskommelse om att stärka jämställdhetsarbetet",
        DocType::ResultReport,
        Some(2018),
    );
    let intro = report.section("1. Inledning", "SKL och regeringen har tecknat en överenskommelse.", None);
    let violence = report.section(
        "4. Kvinnofrid",
        "Arbetet mot mäns våld mot kvinnor fortsätter i kommuner och regioner.",
        None,
    );
    let mvp = report.section(
        "4.2 Våldsförebyggande arbete",
        "SKL har spridit metoden Mentors in Violence Prevention (MVP) till skolor. Violence prevention \
         in schools and mentors for students are discussed elsewhere.",
        Some(&violence),
    );
    report.section(
        "4.3 Mentorer",
        "Mentors arbetar med prevention. Violence är ett engelskt ord. Prevention in violence work.",
        Some(&violence),
    );
    report.goal("Stärka och utveckla kvinnofridsarbetet i kommuner och regioner.", Some(&intro));
    report.activity("Utbildning i MVP för fem kommuner under 2018.", Some(&mvp));

    let mut circular = Doc::new(
        "docs/cirkular-12-13-2012.pdf",
        "bbb2",
        "SKL erbjuder startpaket för jämställdhetsintegrering",
        DocType::Circular,
        Some(2012),
    );
    circular.section(
        "Startpaket",
        "Startpaketet ger kommuner stöd i jämställdhetsintegreringen av verksamheten.",
        None,
    );

    let mut web =
        Doc::new("docs/webb-2021-jamstalldhet.html", "ccc3", "Jämställdhet", DocType::WebPage, Some(2021));
    web.section("Om kvinnofrid", "Kvinnofriden är en fråga för hela samhället.", None);
    vec![report, circular, web]
}

fn fill(index: &mut Index, docs: &[Doc]) {
    for d in docs {
        index.replace_document(&d.path, &d.records).expect("replace");
    }
    index.commit().expect("commit");
}

fn ids(hits: &[Hit]) -> Vec<String> {
    hits.iter().map(|h| h.record.id().to_string()).collect()
}

fn headings(hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .filter_map(|h| match &h.record {
            Record::Section(s) => Some(s.heading.clone()),
            _ => None,
        })
        .collect()
}

fn new_index() -> (tempfile::TempDir, Index) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = Index::open_or_create(&tmp.path().join("idx")).expect("create");
    (tmp, index)
}

#[test]
fn open_without_an_index_says_to_ingest() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for dir in [tmp.path().join("missing"), tmp.path().to_path_buf()] {
        let err = Index::open(&dir).err().expect("an error").to_string();
        assert!(err.contains("no index in") && err.contains("arkiv ingest"), "{err}");
    }
}

#[test]
fn refuses_to_create_an_index_among_other_files() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("rapport.pdf"), b"%PDF-").expect("write");
    let err = Index::open_or_create(tmp.path()).err().expect("an error").to_string();
    assert!(err.contains("not empty"), "{err}");
}

#[test]
fn a_second_writer_gets_a_clear_error() {
    let (tmp, _index) = new_index();
    let err = Index::open_or_create(&tmp.path().join("idx")).err().expect("an error").to_string();
    assert!(err.contains("another arkiv process"), "{err}");
    // Readers are never locked out.
    assert!(Index::open(&tmp.path().join("idx")).is_ok());
}

#[test]
fn replace_is_idempotent() {
    let (_tmp, mut index) = new_index();
    let docs = corpus();
    fill(&mut index, &docs);
    let count = index.record_count().expect("count");
    assert_eq!(count, docs.iter().map(|d| d.records.len() as u64).sum::<u64>());
    fill(&mut index, &docs);
    assert_eq!(index.record_count().expect("count"), count);
    // Twice in one uncommitted batch as well.
    index.replace_document(&docs[0].path, &docs[0].records).expect("replace");
    index.replace_document(&docs[0].path, &docs[0].records).expect("replace");
    index.commit().expect("commit");
    assert_eq!(index.record_count().expect("count"), count);
}

#[test]
fn replacing_a_path_removes_its_old_records() {
    let (_tmp, mut index) = new_index();
    let docs = corpus();
    fill(&mut index, &docs);
    let mut changed = Doc::new(&docs[1].path, "ddd4", "Nytt cirkulär", DocType::Circular, Some(2013));
    changed.section("Ny rubrik", "Helt ny text om budget.", None);
    index.replace_document(&changed.path, &changed.records).expect("replace");
    // Nothing changes before the commit.
    assert!(!index.search("startpaket", &Filter::default(), 10).expect("search").is_empty());
    index.commit().expect("commit");
    assert!(index.search("startpaket", &Filter::default(), 10).expect("search").is_empty());
    assert_eq!(ids(&index.search("budget", &Filter::default(), 10).expect("search")), ["doc-ddd4-s001"]);
    let files = index.indexed_files().expect("files");
    assert_eq!(files.len(), 3);
    assert_eq!(files.get(&docs[1].path).map(String::as_str), Some("ddd4"));
    assert_eq!(files.get(&docs[0].path).map(String::as_str), Some("aaa1"));
}

#[test]
fn uncommitted_writes_vanish_when_the_index_is_dropped() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("idx");
    let docs = corpus();
    {
        let mut index = Index::open_or_create(&dir).expect("create");
        fill(&mut index, &docs[..1]);
        index.replace_document(&docs[1].path, &docs[1].records).expect("replace");
    }
    let index = Index::open(&dir).expect("open");
    assert_eq!(index.record_count().expect("count"), docs[0].records.len() as u64);
}

#[test]
fn words_typed_without_diacritics_match() {
    let (_tmp, mut index) = new_index();
    fill(&mut index, &corpus());
    let hits = index.search("jamstalldhet", &Filter::default(), 10).expect("search");
    assert!(ids(&hits).contains(&"doc-ccc3".to_string()), "{:?}", ids(&hits));
    let hits = index.search("kvinnofridsarbetet", &Filter::default(), 10).expect("search");
    assert_eq!(ids(&hits)[0], "doc-aaa1-g001");
}

#[test]
fn stemming_finds_inflected_forms() {
    let (_tmp, mut index) = new_index();
    fill(&mut index, &corpus());
    let hits = index.search("kvinnofriden", &Filter::default(), 10).expect("search");
    let found = headings(&hits);
    assert!(found.contains(&"4. Kvinnofrid".to_string()), "{found:?}");
    assert!(found.contains(&"Om kvinnofrid".to_string()), "{found:?}");
}

#[test]
fn compound_parts_are_found() {
    let (_tmp, mut index) = new_index();
    fill(&mut index, &corpus());
    // "integrering" only occurs inside jämställdhetsintegrering(en).
    let hits = index.search("integrering", &Filter::default(), 10).expect("search");
    assert!(ids(&hits).contains(&"doc-bbb2".to_string()), "{:?}", ids(&hits));
    assert!(ids(&hits).contains(&"doc-bbb2-s001".to_string()), "{:?}", ids(&hits));
    let hit = hits.iter().find(|h| h.record.id() == "doc-bbb2-s001").expect("section hit");
    assert!(hit.snippet.contains("«jämställdhetsintegreringen»"), "{}", hit.snippet);
    // "våld" finds both the free word and the compound.
    let hits = index.search("våld", &Filter::default(), 10).expect("search");
    let found = headings(&hits);
    assert!(found.contains(&"4. Kvinnofrid".to_string()), "{found:?}");
    assert!(found.contains(&"4.2 Våldsförebyggande arbete".to_string()), "{found:?}");
}

#[test]
fn a_long_swedish_compound_is_searchable() {
    let (_tmp, mut index) = new_index();
    let word = "jämställdhetsintegreringsutbildningsöverenskommelseprojektet";
    assert!(word.len() >= 60);
    let mut doc = Doc::new("long.txt", "eee5", "Långa ord", DocType::Other, None);
    doc.section("Ord", &format!("Ett {word} i en mening."), None);
    fill(&mut index, &[doc]);
    let hits = index.search(word, &Filter::default(), 10).expect("search");
    assert_eq!(ids(&hits), ["doc-eee5-s001"]);
    let folded: String = word.replace(['ä', 'å'], "a").replace('ö', "o");
    assert_eq!(ids(&index.search(&folded, &Filter::default(), 10).expect("search")), ["doc-eee5-s001"]);
}

#[test]
fn filters_combine_with_the_text_query() {
    let (_tmp, mut index) = new_index();
    fill(&mut index, &corpus());
    let all = Filter::default();
    let n = |q: &str, f: &Filter| index.search(q, f, 100).expect("search").len();
    assert!(n("kommuner", &all) >= 3);
    let report = Filter { years: Some((2018, 2018)), ..Filter::default() };
    assert!(index
        .search("kommuner", &report, 100)
        .expect("search")
        .iter()
        .all(|h| h.context.year == Some(2018)));
    assert_eq!(n("kommuner", &Filter { years: Some((2019, 2030)), ..Filter::default() }), 0);
    assert_eq!(n("kommuner", &Filter { years: Some((2012, 2012)), ..Filter::default() }), 1);
    let circulars = Filter { doc_type: Some(DocType::Circular), ..Filter::default() };
    assert_eq!(ids(&index.search("kommuner", &circulars, 100).expect("search")), ["doc-bbb2-s001"]);
    let goals = Filter { kind: Some(Kind::Goal), ..Filter::default() };
    assert_eq!(ids(&index.search("kommuner", &goals, 100).expect("search")), ["doc-aaa1-g001"]);
    let none = Filter { kind: Some(Kind::Goal), doc_type: Some(DocType::Circular), ..Filter::default() };
    assert_eq!(n("kommuner", &none), 0);
}

#[test]
fn filters_do_not_change_the_ranking() {
    let (_tmp, mut index) = new_index();
    fill(&mut index, &corpus());
    let plain = index.search("kommuner regioner", &Filter::default(), 100).expect("search");
    let filtered = index
        .search("kommuner regioner", &Filter { years: Some((2000, 2100)), ..Filter::default() }, 100)
        .expect("search");
    assert_eq!(ids(&plain), ids(&filtered));
    for (a, b) in plain.iter().zip(&filtered) {
        assert!((a.score - b.score).abs() < 1e-4);
    }
}

#[test]
fn an_empty_query_lists_filtered_records_in_order() {
    let (_tmp, mut index) = new_index();
    fill(&mut index, &corpus());
    let sections = Filter { kind: Some(Kind::Section), ..Filter::default() };
    let hits = index.search("", &sections, 3).expect("search");
    assert_eq!(ids(&hits), ["doc-bbb2-s001", "doc-aaa1-s001", "doc-aaa1-s002"]);
    assert!(hits[0].snippet.starts_with("Startpaket Startpaketet ger"), "{}", hits[0].snippet);
}

#[test]
fn a_quoted_phrase_ranks_the_section_that_holds_it_first() {
    let (_tmp, mut index) = new_index();
    fill(&mut index, &corpus());
    let hits = index.search("\"Mentors in Violence Prevention\"", &Filter::default(), 10).expect("search");
    assert_eq!(headings(&hits).first().map(String::as_str), Some("4.2 Våldsförebyggande arbete"));
    // Section 4.3 has every word, but not the phrase.
    assert!(!headings(&hits).contains(&"4.3 Mentorer".to_string()));
    // Unquoted, both match.
    let loose =
        headings(&index.search("Mentors in Violence Prevention", &Filter::default(), 10).expect("search"));
    assert!(loose.contains(&"4.3 Mentorer".to_string()));
}

#[test]
fn snippets_mark_matched_words() {
    let (_tmp, mut index) = new_index();
    fill(&mut index, &corpus());
    let hits = index.search("regeringen", &Filter::default(), 10).expect("search");
    assert_eq!(hits[0].snippet, "1. Inledning SKL och «regeringen» har tecknat en överenskommelse.");
    let hits = index.search("kvinnofrid", &Filter { kind: Some(Kind::Section), ..Filter::default() }, 10);
    let hit = hits.expect("search").into_iter().find(|h| h.record.id() == "doc-ccc3-s001").expect("hit");
    assert_eq!(hit.snippet, "Om «kvinnofrid» «Kvinnofriden» är en fråga för hela samhället.");
    assert_eq!(hit.context.section_path, ["Om kvinnofrid"]);
    assert_eq!(hit.context.title, "Jämställdhet");
}

#[test]
fn a_bad_query_is_parsed_leniently() {
    let (_tmp, mut index) = new_index();
    fill(&mut index, &corpus());
    for q in ["\"Mentors in", "kommuner AND (", "title_sv:", "mål: 2018", "(((", "-", "\"\""] {
        assert!(index.search(q, &Filter::default(), 10).is_ok(), "{q}");
    }
    let hits = index.search("\"Mentors in", &Filter::default(), 10).expect("search");
    assert!(!hits.is_empty());
    // The lenient parser alone would drop `SKL:s` as an unknown field.
    let hits = index.search("SKL:s", &Filter::default(), 10).expect("search");
    assert!(ids(&hits).contains(&"doc-aaa1-s001".to_string()), "{:?}", ids(&hits));
    assert!(index.search("kommuner", &Filter::default(), usize::MAX).expect("search").len() > 2);
}

#[test]
fn plain_words_rank_records_holding_all_of_them_first() {
    let (_tmp, mut index) = new_index();
    let mut doc = Doc::new("a.txt", "fff6", "Rapport", DocType::ResultReport, Some(2019));
    doc.section("Kvinnor", "Kvinnor och män. Kvinnor och män. Kvinnor.", None);
    doc.section("Våld", "Våld och hot. Våld.", None);
    doc.section(
        "Strategin",
        "Den nationella strategin ska förebygga mäns våld mot kvinnor i hela landet.",
        None,
    );
    fill(&mut index, &[doc]);
    let hits = index.search("mäns våld mot kvinnor", &Filter::default(), 10).expect("search");
    assert_eq!(headings(&hits)[0], "Strategin");
    assert!(hits[0].snippet.contains("«mäns» «våld» «mot» «kvinnor»"), "{}", hits[0].snippet);
    assert_eq!(hits.len(), 3);
}

#[test]
fn reopening_finds_records_with_the_same_analysis() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("idx");
    {
        let mut index = Index::open_or_create(&dir).expect("create");
        fill(&mut index, &corpus());
    }
    let index = Index::open(&dir).expect("open");
    // Stemming, folding and compound parts all need the registered analysers.
    assert!(!index.search("kvinnofriden", &Filter::default(), 10).expect("search").is_empty());
    assert!(!index.search("jamstalldhetsintegrering", &Filter::default(), 10).expect("search").is_empty());
    assert!(!index.search("integrering", &Filter::default(), 10).expect("search").is_empty());
    assert_eq!(index.indexed_files().expect("files").len(), 3);
}

#[test]
fn export_keeps_path_order_then_record_order() {
    let (_tmp, mut index) = new_index();
    let docs = corpus();
    // Written in another order, and across several commits (segments).
    for d in docs.iter().rev() {
        index.replace_document(&d.path, &d.records).expect("replace");
        index.commit().expect("commit");
    }
    let exported = index.export(&Filter::default()).expect("export");
    let mut expected: Vec<&Doc> = docs.iter().collect();
    expected.sort_by(|a, b| a.path.cmp(&b.path));
    let expected: Vec<&Record> = expected.iter().flat_map(|d| &d.records).collect();
    assert_eq!(exported.len(), expected.len());
    for ((got, _), want) in exported.iter().zip(expected) {
        assert_eq!(got, want);
    }
    let (record, context) = &exported.iter().find(|(r, _)| r.id() == "doc-aaa1-a001").expect("activity");
    assert_eq!(record.kind(), Kind::Activity);
    assert_eq!(context.section_path, ["4. Kvinnofrid", "4.2 Våldsförebyggande arbete"]);
    assert_eq!(context.doc_type, DocType::ResultReport);
    assert_eq!(context.year, Some(2018));
    let goals = index.export(&Filter { kind: Some(Kind::Goal), ..Filter::default() }).expect("export");
    assert_eq!(goals.len(), 1);
}

#[test]
fn an_index_from_another_version_is_rebuilt_from_its_records() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("idx");
    {
        let mut index = Index::open_or_create(&dir).expect("create");
        fill(&mut index, &corpus());
        // Pretend an older arkiv wrote it.
        let writer = index.writer().expect("writer");
        let mut prepared = writer.prepare_commit().expect("prepare");
        prepared.set_payload("arkiv index format 0, analyzer 0");
        prepared.commit().expect("commit");
    }
    let before = std::fs::read_dir(tmp.path()).expect("list").count();
    let index = Index::open(&dir).expect("open rebuilds");
    assert!(is_current(&index.index).expect("meta"));
    assert_eq!(
        index.record_count().expect("count"),
        corpus().iter().map(|d| d.records.len() as u64).sum::<u64>()
    );
    assert!(!index.search("integrering", &Filter::default(), 10).expect("search").is_empty());
    let exported = index.export(&Filter::default()).expect("export");
    assert_eq!(exported[0].0.id(), "doc-bbb2");
    // No leftovers beside the index.
    assert_eq!(std::fs::read_dir(tmp.path()).expect("list").count(), before);
}

#[test]
fn a_section_ranks_before_its_own_matching_activity() {
    let (_dir, mut index) = new_index();
    let mut doc = Doc::new("rapport.pdf", "aa11", "Resultatrapport", DocType::ResultReport, Some(2018));
    let section = doc.section(
        "Våldsförebyggande arbete",
        "SKL har under 2018 etablerat ett pilotprojekt för utvärdering av metoden Mentors in Violence \
         Prevention i skolan. Projektet drivs tillsammans med länsstyrelserna och flera kommuner, och \
         erfarenheterna sprids under 2019 till fler skolor i landet.",
        None,
    );
    doc.activity("SKL har etablerat ett pilotprojekt om Mentors in Violence Prevention.", Some(&section));
    fill(&mut index, &[doc]);
    let hits = index.search("\"Mentors in Violence Prevention\"", &Filter::default(), 10).unwrap();
    assert_eq!(hits[0].record.kind(), Kind::Section);
    assert_eq!(hits[1].record.kind(), Kind::Activity);
    assert!(hits[0].score >= hits[1].score);
}
