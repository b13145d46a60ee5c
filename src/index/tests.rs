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
            paths: vec![path.into()],
            needs_ocr: false,
            ocr_pages: Vec::new(),
            ocr: None,
            warnings: Vec::new(),
        });
        Doc { path: path.into(), sha: sha.into(), records: vec![record] }
    }

    fn doc_id(&self) -> String {
        format!("doc-{}", self.sha)
    }

    fn provenance(&self) -> Provenance {
        Provenance::new(self.path.clone(), self.sha.clone(), None)
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

fn fill(index: &mut Writer, docs: &[Doc]) {
    for d in docs {
        index.replace_document(&d.path, d.records.clone()).expect("replace");
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

fn new_index() -> (tempfile::TempDir, Writer) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = Writer::open_or_create(&tmp.path().join("idx")).expect("create");
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
    let err = Writer::open_or_create(tmp.path()).err().expect("an error").to_string();
    assert!(err.contains("not empty"), "{err}");
}

#[test]
fn a_second_writer_gets_a_clear_error() {
    let (tmp, _index) = new_index();
    let err = Writer::open_or_create(&tmp.path().join("idx")).err().expect("an error").to_string();
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
    index.replace_document(&docs[0].path, docs[0].records.clone()).expect("replace");
    index.replace_document(&docs[0].path, docs[0].records.clone()).expect("replace");
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
    index.replace_document(&changed.path, changed.records.clone()).expect("replace");
    // Nothing changes before the commit.
    assert!(!index.search("startpaket", &Filter::default(), 10).expect("search").is_empty());
    index.commit().expect("commit");
    assert!(index.search("startpaket", &Filter::default(), 10).expect("search").is_empty());
    assert_eq!(ids(&index.search("budget", &Filter::default(), 10).expect("search")), ["doc-ddd4-s001"]);
    assert_eq!(index.document_count().expect("count"), 3);
    assert_eq!(index.document_at(&docs[1].path), Some("doc-ddd4"));
    assert_eq!(index.document_at(&docs[0].path), Some("doc-aaa1"));
}

#[test]
fn uncommitted_writes_vanish_when_the_index_is_dropped() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("idx");
    let docs = corpus();
    {
        let mut index = Writer::open_or_create(&dir).expect("create");
        fill(&mut index, &docs[..1]);
        index.replace_document(&docs[1].path, docs[1].records.clone()).expect("replace");
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
    let long = "jämställdhetsintegrering ".repeat(500);
    for q in [
        "\"Mentors in",
        "kommuner AND (",
        "title_sv:",
        "mål: 2018",
        "(((",
        "-",
        "\"\"",
        "*",
        "a*",
        "**",
        "-(",
        "OR",
        "NOT NOT",
        "kvinno**",
        "OR OR kommuner",
        "-kommuner",
        &long,
    ] {
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
fn plain_words_must_all_match_and_or_widens() {
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
    // Every word must match; the stop word *mot* is neither required nor marked.
    assert_eq!(headings(&hits), ["Strategin"]);
    assert!(hits[0].snippet.contains("«mäns» «våld» mot «kvinnor»"), "{}", hits[0].snippet);
    assert_eq!(ids(&index.search("våld OR kvinnor", &Filter::default(), 10).expect("search")).len(), 3);
}

/// Sections whose texts differ in one word each, for the query-language tests.
fn query_corpus(index: &mut Writer) {
    let mut doc = Doc::new("q.txt", "eee5", "Rapport", DocType::ResultReport, Some(2019));
    doc.section("Exakt", "Arbetet för jämställdhet i kommunerna fortsätter.", None);
    doc.section("Stavfel", "Arbetet för jämställhet i regionerna fortsätter.", None);
    doc.section("Utan", "En mal i garderoben och ett dike.", None);
    doc.section("Kvinnofrid", "Kvinnofridsarbetet och kvinnojourerna samverkar mot hot.", None);
    fill(index, &[doc]);
}

#[test]
fn a_word_with_one_typo_finds_the_indexed_spellings_below_exact_matches() {
    let (_tmp, mut index) = new_index();
    query_corpus(&mut index);
    // *jämställdhet* and the document's own misspelling *jämställhet* are one letter from the query.
    let hits = index.search("jämstäldhet", &Filter::default(), 10).expect("search");
    assert_eq!(headings(&hits), ["Exakt", "Stavfel"]);
    assert!(hits[0].snippet.contains("«jämställdhet»"), "{}", hits[0].snippet);
    // Typed right, the exact spelling ranks first and the misspelled one is not needed.
    let hits = index.search("jämställdhet", &Filter::default(), 10).expect("search");
    assert_eq!(headings(&hits), ["Exakt"]);
    // Short words get no typo tolerance: *hut* is not *hot*.
    assert!(index.search("hut", &Filter::default(), 10).expect("search").is_empty());
}

#[test]
fn prefixes_exclusions_and_diacritics_typed() {
    let (_tmp, mut index) = new_index();
    query_corpus(&mut index);
    let hits = index.search("kvinno*", &Filter::default(), 10).expect("search");
    assert_eq!(headings(&hits), ["Kvinnofrid"]);
    assert!(hits[0].snippet.contains("«Kvinnofridsarbetet»"), "{}", hits[0].snippet);
    // *Kvinnofridsarbetet* holds *arbetet* as a part, and ranks below the whole word.
    let search = |q: &str| headings(&index.search(q, &Filter::default(), 10).expect("search"));
    assert_eq!(search("arbetet -regionerna"), ["Exakt", "Kvinnofrid"]);
    assert_eq!(search("arbetet NOT kommunerna -kvinnofrid"), ["Stavfel"]);
    // *mål* typed with its diacritic does not find *mal*; typed without, it finds both.
    assert_eq!(search("mål garderoben"), Vec::<String>::new());
    assert_eq!(search("mal garderoben"), ["Utan"]);
    // Stop words are not required, except in a phrase.
    assert_eq!(headings(&index.search("dike och", &Filter::default(), 10).expect("search")), ["Utan"]);
    assert!(index.search("\"dike och\"", &Filter::default(), 10).expect("search").is_empty());
}

#[test]
fn a_query_that_finds_nothing_gets_the_nearest_indexed_spelling() {
    let (_tmp, mut index) = new_index();
    query_corpus(&mut index);
    assert_eq!(index.suggest("kvinnojourrena OR hot").as_deref(), Some("kvinnojourerna OR hot"));
    assert_eq!(index.suggest("hot"), None);
}

/// A 2018 report whose one activity is planned for 2019–2020 with Socialstyrelsen, and a 2021 page
/// with a section and a goal, published by SKR.
fn years_corpus(index: &mut Writer) {
    let mut report = Doc::new("r.pdf", "ddd4", "Rapport 2018", DocType::ResultReport, Some(2018));
    let section = report.section("Uppföljning", "Uppföljningen av våldsutsatta kvinnor.", None);
    report.activity("Projektet om uppföljning genomförs 2019–2020 med Socialstyrelsen.", Some(&section));
    if let Some(Record::Activity(a)) = report.records.last_mut() {
        (a.years, a.status, a.actors) = (vec![2019, 2020], Status::Planned, vec!["Socialstyrelsen".into()]);
    }
    let mut page = Doc::new("p.html", "ccc5", "Jämställdhet", DocType::WebPage, Some(2021));
    let section = page.section("Uppföljning", "SKR:s uppföljning av jämställdhet.", None);
    page.goal("Uppföljningen ska bli bättre.", Some(&section));
    if let Some(Record::Document(d)) = page.records.first_mut() {
        d.org = Some("SKR".into());
    }
    fill(index, &[report, page]);
}

#[test]
fn the_year_filter_matches_an_activitys_own_years() {
    let (_tmp, mut index) = new_index();
    years_corpus(&mut index);
    let n = |q: &str, filter: Filter| index.search(q, &filter, 100).expect("search").len();
    let years = |a, b| Filter { years: Some((a, b)), ..Filter::default() };
    // The activity counts in 2019 and 2020, not in its report's 2018.
    assert_eq!(n("uppföljning", years(2019, 2019)), 1);
    assert_eq!(n("uppföljning", years(2018, 2018)), 1);
    assert_eq!(n("uppföljning", Filter { doc_years: Some((2018, 2018)), ..Filter::default() }), 2);
    assert_eq!(n("uppföljning", Filter { status: Some(Status::Planned), ..Filter::default() }), 1);
    assert_eq!(n("", Filter { actor: Some("socialstyrelsen".into()), ..Filter::default() }), 1);
    assert_eq!(n("", Filter { actor: Some("Lansstyrelsen".into()), ..Filter::default() }), 0);
    assert_eq!(n("uppföljning", Filter { org: Some("skr".into()), ..Filter::default() }), 2);
}

#[test]
fn counts_by_year_count_every_match_in_each_of_its_years() {
    let (_tmp, mut index) = new_index();
    years_corpus(&mut index);
    let counts = index.counts("uppföljning", &Filter::default()).expect("counts").by_year;
    let get = |year: i32, kind: &str| counts.get(&(year, kind.to_string())).copied().unwrap_or(0);
    assert_eq!((get(2018, "section"), get(2018, "activity")), (1, 0));
    assert_eq!((get(2019, "activity"), get(2020, "activity")), (1, 1));
    assert_eq!((get(2021, "section"), get(2021, "goal")), (1, 1));
    // Sorted by date, the 2021 page's records come first.
    let hits = index.search_sorted("uppföljning", &Filter::default(), 10, Sort::Date).expect("search");
    let years: Vec<Option<i32>> = hits.iter().map(|h| h.context.year).collect();
    assert_eq!(years, [Some(2021), Some(2021), Some(2018), Some(2018)]);
}

#[test]
fn reopening_finds_records_with_the_same_analysis() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("idx");
    {
        let mut index = Writer::open_or_create(&dir).expect("create");
        fill(&mut index, &corpus());
    }
    let index = Index::open(&dir).expect("open");
    // Stemming, folding and compound parts all need the registered analysers.
    assert!(!index.search("kvinnofriden", &Filter::default(), 10).expect("search").is_empty());
    assert!(!index.search("jamstalldhetsintegrering", &Filter::default(), 10).expect("search").is_empty());
    assert!(!index.search("integrering", &Filter::default(), 10).expect("search").is_empty());
    assert_eq!(index.documents().expect("documents").len(), 3);
}

#[test]
fn export_keeps_path_order_then_record_order() {
    let (_tmp, mut index) = new_index();
    let docs = corpus();
    // Written in another order, and across several commits (segments).
    for d in docs.iter().rev() {
        index.replace_document(&d.path, d.records.clone()).expect("replace");
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

/// Commit `payload` over the index in `dir`, as another version of arkiv would have, optionally adding
/// raw tantivy documents first.
fn stamp(dir: &Path, payload: &str, add: impl FnOnce(&Fields, &mut tantivy::IndexWriter)) {
    let index = open_tantivy(dir).expect("open");
    let fields = schema::fields(&index.schema()).expect("fields");
    let mut writer = writer::take_writer(&index, dir).expect("writer");
    add(&fields, &mut writer);
    let mut prepared = writer.prepare_commit().expect("prepare");
    prepared.set_payload(payload);
    prepared.commit().expect("commit");
}

/// Every file under `dir` with its length and modification time.
fn snapshot(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((e.path().to_path_buf(), meta.len(), meta.modified().ok()?))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn an_index_from_an_older_version_is_migrated_by_the_writer_only() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("idx");
    drop(Writer::open_or_create(&dir).expect("create"));
    let docs = corpus();
    // An older arkiv keyed documents by path: the same content under two paths was stored twice.
    stamp(&dir, "arkiv index format 1, analyzer 1", |fields, writer| {
        for (d, path) in
            docs.iter().map(|d| (d, d.path.clone())).chain([(&docs[1], "copy/b.pdf".to_string())])
        {
            let mut records = d.records.clone();
            crate::records::set_paths(&mut records, std::slice::from_ref(&path));
            for doc in document::to_documents(fields, &records, &IngestInfo::default()).expect("docs") {
                writer.add_document(doc).expect("add");
            }
        }
    });
    // A reader refuses it, says what to do, and changes nothing.
    let before = snapshot(tmp.path());
    let err = Index::open(&dir).err().expect("an error").to_string();
    assert!(err.contains("older arkiv") && err.contains("arkiv reindex"), "{err}");
    assert_eq!(snapshot(tmp.path()), before);

    let writer = Writer::open_or_create(&dir).expect("the writer migrates");
    drop(writer);
    let index = Index::open(&dir).expect("open");
    assert_eq!(
        index.record_count().expect("count"),
        docs.iter().map(|d| d.records.len() as u64).sum::<u64>()
    );
    assert!(!index.search("integrering", &Filter::default(), 10).expect("search").is_empty());
    let listed = index.documents().expect("documents");
    assert_eq!(listed.len(), 3);
    let circular = listed.iter().find(|d| d.id == "doc-bbb2").expect("circular");
    assert_eq!(circular.paths, ["copy/b.pdf", "docs/cirkular-12-13-2012.pdf"]);
    let exported = index.export(&Filter::default()).expect("export");
    assert_eq!(exported[0].0.id(), "doc-bbb2");
    // No leftovers beside the index.
    assert_eq!(std::fs::read_dir(tmp.path()).expect("list").count(), 1);
}

#[test]
fn an_index_from_a_newer_version_is_left_alone() {
    let (tmp, index) = new_index();
    drop(index);
    let dir = tmp.path().join("idx");
    stamp(&dir, "arkiv index format 99, analyzer 1, written by arkiv 9.0.0", |_, _| {});
    let err = Index::open(&dir).err().expect("an error").to_string();
    assert!(err.contains("newer arkiv") && err.contains("9.0.0"), "{err}");
    let err = Writer::open_or_create(&dir).err().expect("an error").to_string();
    assert!(err.contains("upgrade arkiv"), "{err}");
}

#[test]
fn readers_write_nothing_and_see_commits_without_reopening() {
    let (tmp, mut writer) = new_index();
    let docs = corpus();
    fill(&mut writer, &docs[..1]);
    let before = snapshot(tmp.path());
    let reader = Index::open(&tmp.path().join("idx")).expect("open");
    assert!(!reader.search("kvinnofrid", &Filter::default(), 10).expect("search").is_empty());
    reader.export(&Filter::default()).expect("export");
    reader.documents().expect("documents");
    assert_eq!(snapshot(tmp.path()), before, "a reader changed the index folder");
    // The writer is at work: the reader says so.
    assert!(reader.note().expect("a note").contains("being built by another arkiv process; 1 documents"));
    fill(&mut writer, &docs[1..]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while reader.document_count().expect("count") < 3 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(reader.document_count().expect("count"), 3);
    drop(writer);
    assert_eq!(reader.note(), None);
}

#[test]
fn the_same_content_under_two_paths_is_one_document() {
    let (_tmp, mut index) = new_index();
    let docs = corpus();
    fill(&mut index, &docs);
    let count = index.record_count().expect("count");
    let hits = index.search("Mentors", &Filter::default(), 50).expect("search").len();
    assert_eq!(
        index.replace_document("other/name.pdf", docs[0].records.clone()).expect("dup"),
        Change::Duplicate { of: docs[0].path.clone() }
    );
    // Twice in one uncommitted batch, and a third name before the commit.
    assert_eq!(
        index.replace_document("other/name.pdf", docs[0].records.clone()).expect("dup"),
        Change::Unchanged
    );
    index.replace_document("third.pdf", docs[0].records.clone()).expect("dup");
    index.commit().expect("commit");
    assert_eq!(index.record_count().expect("count"), count);
    let exported = index.export(&Filter::default()).expect("export");
    let ids: std::collections::HashSet<&str> = exported.iter().map(|(r, _)| r.id()).collect();
    assert_eq!(ids.len(), exported.len(), "two records share an id");
    let Some((Record::Document(d), _)) = exported.iter().find(|(r, _)| r.id() == "doc-aaa1") else {
        panic!("no document record")
    };
    assert_eq!(d.paths, [docs[0].path.as_str(), "other/name.pdf", "third.pdf"]);
    assert_eq!(d.source.path, docs[0].path);
    assert_eq!(index.search("Mentors", &Filter::default(), 50).expect("search").len(), hits);
}

#[test]
fn a_path_follows_its_content_and_a_document_goes_with_its_last_path() {
    let (_tmp, mut index) = new_index();
    let docs = corpus();
    fill(&mut index, &docs);
    index.replace_document("copy.pdf", docs[1].records.clone()).expect("dup");
    index.commit().expect("commit");
    // The first path now holds other content: the circular keeps its copy, and names it first.
    let mut changed = Doc::new(&docs[1].path, "ddd4", "Nytt cirkulär", DocType::Circular, Some(2013));
    changed.section("Ny rubrik", "Helt ny text om budget.", None);
    assert_eq!(index.replace_document(&changed.path, changed.records.clone()).expect("new"), Change::Added);
    assert_eq!(index.paths_of("doc-bbb2"), Some(&["copy.pdf".to_string()][..]));
    index.commit().expect("commit");
    let (records, _) = index.document_records("doc-bbb2").expect("records");
    assert!(records.iter().all(|r| document::source_path(r) == "copy.pdf"));
    // Its last path goes: so does the document.
    assert_eq!(index.remove_path("copy.pdf").expect("remove"), Some("doc-bbb2".to_string()));
    index.commit().expect("commit");
    assert!(index.search("startpaket", &Filter::default(), 10).expect("search").is_empty());
    assert_eq!(index.document_count().expect("count"), 3);
    assert_eq!(index.remove_document("doc-ddd4").expect("remove"), Some(vec![docs[1].path.clone()]));
    assert_eq!(index.remove_document("doc-ddd4").expect("remove"), None);
    index.commit().expect("commit");
    assert_eq!(index.document_count().expect("count"), 2);
}

#[test]
fn a_document_can_lose_its_first_path_in_the_batch_that_gave_it_another() {
    let (_tmp, mut index) = new_index();
    let docs = corpus();
    fill(&mut index, &docs);
    index.replace_document("copy.pdf", docs[1].records.clone()).expect("dup");
    let mut changed = Doc::new(&docs[1].path, "ddd4", "Nytt cirkulär", DocType::Circular, Some(2013));
    changed.section("Ny rubrik", "Helt ny text om budget.", None);
    index.replace_document(&changed.path, changed.records.clone()).expect("new");
    index.commit().expect("commit");
    let (records, _) = index.document_records("doc-bbb2").expect("records");
    assert_eq!(records.len(), docs[1].records.len());
    assert!(records.iter().all(|r| document::source_path(r) == "copy.pdf"));
    assert_eq!(index.document_records("doc-ddd4").expect("records").0.len(), 2);
    let exported = index.export(&Filter::default()).expect("export");
    let ids: std::collections::HashSet<&str> = exported.iter().map(|(r, _)| r.id()).collect();
    assert_eq!(ids.len(), exported.len());
}

#[test]
fn failures_are_kept_until_the_file_is_read() {
    let (tmp, mut index) = new_index();
    index.record_failure("/a/bad.pdf", Some("ff"), "empty file");
    index.commit().expect("commit");
    let reader = Index::open(&tmp.path().join("idx")).expect("open");
    assert_eq!(reader.failures().expect("failures")[0].reason, "empty file");
    index.clear_failure("/a/bad.pdf");
    index.commit().expect("commit");
    assert!(reader.failures().expect("failures").is_empty());
}

#[test]
fn an_activity_ranks_above_the_longer_section_that_holds_it() {
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
    // The answer first; its section, the context, shows in the hit's path and comes next.
    assert_eq!(hits[0].record.kind(), Kind::Activity);
    assert_eq!(hits[0].context.section_path, ["Våldsförebyggande arbete"]);
    assert_eq!(hits[1].record.kind(), Kind::Section);
}

/// Each document in a shard of its own, read as one: the same hits with the same scores as one index
/// (statistics summed over shards), in either sort, and the same counts, lists and exports.
#[test]
fn shards_read_as_one_answer_as_one_index() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let docs = corpus();
    let mut whole = Writer::open_or_create(&tmp.path().join("whole")).expect("create");
    fill(&mut whole, &docs);
    drop(whole);
    let mut dirs = Vec::new();
    for (n, doc) in docs.iter().enumerate() {
        let dir = tmp.path().join(format!("shard-{n}"));
        let mut shard = Writer::open_or_create(&dir).expect("create");
        fill(&mut shard, std::slice::from_ref(doc));
        dirs.push(dir);
    }
    let one = Index::open(&tmp.path().join("whole")).expect("open");
    let shards = Index::open_shards(&dirs).expect("open shards");
    let scored = |hits: Vec<Hit>| -> Vec<(String, u32)> {
        hits.iter().map(|h| (h.record.id().to_string(), (h.score * 1e4).round() as u32)).collect()
    };
    for query in ["kvinnofrid", "kommuner regioner", "\"mäns våld\"", "jämställ*", "kvinofrid", ""] {
        for sort in [Sort::Relevance, Sort::Date] {
            let (a, b) = (
                one.search_sorted(query, &Filter::default(), 20, sort).expect("search"),
                shards.search_sorted(query, &Filter::default(), 20, sort).expect("search"),
            );
            assert!(!a.is_empty(), "{query:?}");
            assert_eq!(scored(b), scored(a), "{query:?} by {sort:?}");
        }
        assert_eq!(shards.counts(query, &Filter::default()).ok(), one.counts(query, &Filter::default()).ok());
    }
    // A page beyond the first: the shards' hits are merged before the offset applies.
    let page = |index: &Index| {
        ids(&index.search_page("kvinnofrid", &Filter::default(), Sort::Relevance, 2, 3).expect("page"))
    };
    assert_eq!(page(&shards), page(&one));
    assert_eq!(shards.record_count().ok(), one.record_count().ok());
    assert_eq!(shards.document_count().ok(), Some(3));
    let listed =
        |index: &Index| index.documents().expect("list").iter().map(|d| d.id.clone()).collect::<Vec<_>>();
    assert_eq!(listed(&shards), listed(&one));
    let exported = |index: &Index| {
        index
            .export(&Filter::default())
            .expect("export")
            .iter()
            .map(|(r, _)| r.id().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(exported(&shards), exported(&one));
    assert_eq!(shards.suggest("kvinofrid"), one.suggest("kvinofrid"));
    let (records, _) = shards.document_records("doc-ccc3").expect("a shard's document");
    assert_eq!(records.len(), 2);
    assert!(Index::open_shards(&[]).is_err(), "no index is an error");
}
