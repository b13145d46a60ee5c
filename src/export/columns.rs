//! The flat, typed view of a record that CSV and Parquet write: one [`Row`] per record, one cell per
//! [`COLUMNS`] entry, each column with one meaning on every kind of row.
//!
//! This table is the export's contract (README "Export columns" lists it): add columns, never rename
//! them or change what they hold.

use crate::index::DocContext;
use crate::records::Record;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Text,
    Int,
    Bool,
    /// `YYYY-MM-DD`.
    Date,
    TextList,
    IntList,
}

/// One column: its name, what it holds, and what it means.
#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: Type,
    pub meaning: &'static str,
}

const fn column(name: &'static str, kind: Type, meaning: &'static str) -> Column {
    Column { name, kind, meaning }
}

/// Every column, in order. Cells that do not apply to a row's kind are empty (null).
pub const COLUMNS: [Column; 30] = [
    column("id", Type::Text, "the record's stable id"),
    column("kind", Type::Text, "document, section, goal or activity"),
    column("doc_id", Type::Text, "the id of the record's document"),
    column("doc_type", Type::Text, "the document's type: circular, result_report, web_page or other"),
    column("year", Type::Int, "the document's year (the year reported on, else of its date)"),
    column("doc_title", Type::Text, "the document's title"),
    column("org", Type::Text, "the organisation the document names itself by (SKL, SKR, …)"),
    column("date", Type::Date, "document rows: the date the document states"),
    column("circular_number", Type::Text, "document rows: the circular's number, such as 12:13"),
    column("diary_number", Type::Text, "document rows: the diary number, such as 12/2218"),
    column("keywords", Type::TextList, "document rows: the circular's keywords"),
    column("recipients", Type::TextList, "document rows: the circular's recipients"),
    column("pages", Type::Int, "document rows: the number of pages (PDF)"),
    column("needs_ocr", Type::Bool, "document rows: some pages have no text layer and were not read by OCR"),
    column("section_id", Type::Text, "goal and activity rows: the id of the section that states it"),
    column("section_heading", Type::Text, "goal and activity rows: that section's heading"),
    column("parent_id", Type::Text, "section rows: the id of the enclosing section"),
    column("number", Type::Text, "section rows: the heading's number, such as 3.10"),
    column("heading", Type::Text, "section rows: the heading without its number"),
    column("level", Type::Int, "section rows: the depth, 1 = top"),
    column("text", Type::Text, "a section's own text; a goal's or an activity's sentence"),
    column("status", Type::Text, "activity rows: done, ongoing or planned"),
    column("years", Type::IntList, "activity rows: the years the activity names"),
    column("actors", Type::TextList, "activity rows: the organisations named as doing it"),
    column("page", Type::Int, "section, goal and activity rows: the page where it starts (PDF)"),
    column("ocr", Type::Bool, "that page was read by OCR; document rows: some page was"),
    column("path", Type::Text, "the file the record was read from"),
    column("sha256", Type::Text, "the sha256 of that file"),
    column("followed_by", Type::TextList, "goal and activity rows: ids of later records that report on it"),
    column("follows", Type::TextList, "goal and activity rows: ids of earlier commitments it reports on"),
];

/// The index of the column named `name`.
pub fn position(name: &str) -> Option<usize> {
    COLUMNS.iter().position(|c| c.name == name)
}

/// One cell, typed as its column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Text(Option<&'a str>),
    Int(Option<i64>),
    Bool(Option<bool>),
    Date(Option<&'a str>),
    TextList(&'a [String]),
    IntList(&'a [i32]),
}

impl Cell<'_> {
    pub fn kind(&self) -> Type {
        match self {
            Cell::Text(_) => Type::Text,
            Cell::Int(_) => Type::Int,
            Cell::Bool(_) => Type::Bool,
            Cell::Date(_) => Type::Date,
            Cell::TextList(_) => Type::TextList,
            Cell::IntList(_) => Type::IntList,
        }
    }
}

impl Type {
    /// The empty (null) cell of this type.
    fn empty(self) -> Cell<'static> {
        match self {
            Type::Text => Cell::Text(None),
            Type::Int => Cell::Int(None),
            Type::Bool => Cell::Bool(None),
            Type::Date => Cell::Date(None),
            Type::TextList => Cell::TextList(&[]),
            Type::IntList => Cell::IntList(&[]),
        }
    }
}

/// The cells of one record, in [`COLUMNS`] order.
pub fn cells<'a>(
    record: &'a Record,
    context: &'a DocContext,
    followed_by: &'a [String],
    follows: &'a [String],
) -> [Cell<'a>; COLUMNS.len()] {
    let mut row: [Cell<'a>; COLUMNS.len()] = std::array::from_fn(|i| COLUMNS[i].kind.empty());
    let mut set = |name: &str, cell: Cell<'a>| match position(name) {
        Some(at) => row[at] = cell,
        None => debug_assert!(false, "no export column {name}"),
    };
    let text = |v: &'a Option<String>| Cell::Text(v.as_deref());
    let int = |v: Option<u32>| Cell::Int(v.map(i64::from));
    set("id", Cell::Text(Some(record.id())));
    set("kind", Cell::Text(Some(record.kind().as_str())));
    set("doc_id", Cell::Text(Some(record.doc_id())));
    set("doc_type", Cell::Text(Some(context.doc_type.as_str())));
    set("year", Cell::Int(context.year.map(i64::from)));
    set("doc_title", Cell::Text(Some(&context.title)));
    set("org", text(&context.org));
    let heading = Cell::Text(context.section_path.last().map(String::as_str));
    let (path, sha256) = match record {
        Record::Document(d) => {
            set("date", Cell::Date(d.date.as_deref()));
            set("circular_number", text(&d.circular_number));
            set("diary_number", text(&d.diary_number));
            set("keywords", Cell::TextList(&d.keywords));
            set("recipients", Cell::TextList(&d.recipients));
            set("pages", int(d.source.pages));
            set("needs_ocr", Cell::Bool(Some(d.needs_ocr)));
            set("ocr", Cell::Bool(Some(d.ocr.is_some())));
            (&d.source.path, &d.source.sha256)
        }
        Record::Section(s) => {
            set("parent_id", text(&s.parent_id));
            set("number", text(&s.number));
            set("heading", Cell::Text(Some(&s.heading)));
            set("level", int(Some(s.level)));
            set("text", Cell::Text(Some(&s.text)));
            set("page", int(s.page));
            set("ocr", Cell::Bool(Some(s.source.ocr)));
            (&s.source.path, &s.source.sha256)
        }
        Record::Goal(g) => {
            set("section_id", text(&g.section_id));
            set("section_heading", heading);
            set("text", Cell::Text(Some(&g.text)));
            set("page", int(g.source.page));
            set("ocr", Cell::Bool(Some(g.source.ocr)));
            (&g.source.path, &g.source.sha256)
        }
        Record::Activity(a) => {
            set("section_id", text(&a.section_id));
            set("section_heading", heading);
            set("text", Cell::Text(Some(&a.text)));
            set("status", Cell::Text(Some(a.status.as_str())));
            set("years", Cell::IntList(&a.years));
            set("actors", Cell::TextList(&a.actors));
            set("page", int(a.source.page));
            set("ocr", Cell::Bool(Some(a.source.ocr)));
            (&a.source.path, &a.source.sha256)
        }
    };
    set("path", Cell::Text(Some(path)));
    set("sha256", Cell::Text(Some(sha256)));
    set("followed_by", Cell::TextList(followed_by));
    set("follows", Cell::TextList(follows));
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{ActivityRecord, DocumentRecord, GoalRecord, Provenance, SectionRecord, Source};
    use crate::segment::{DocType, Status};

    fn provenance() -> Provenance {
        Provenance::new("a.pdf", "ab", Some(2))
    }

    fn records() -> Vec<Record> {
        vec![
            Record::Document(DocumentRecord {
                id: "d".into(),
                doc_id: "d".into(),
                schema_version: 1,
                doc_type: DocType::Circular,
                title: "Cirkulär".into(),
                date: Some("2012-05-03".into()),
                year: Some(2012),
                org: Some("SKL".into()),
                circular_number: Some("12:13".into()),
                diary_number: None,
                keywords: vec!["jämställdhet".into()],
                recipients: Vec::new(),
                source: Source { path: "a.pdf".into(), sha256: "ab".into(), pages: Some(3) },
                paths: vec!["a.pdf".into()],
                needs_ocr: false,
                ocr_pages: Vec::new(),
                ocr: None,
                warnings: Vec::new(),
            }),
            Record::Section(SectionRecord {
                id: "s".into(),
                doc_id: "d".into(),
                schema_version: 1,
                number: Some("3.10".into()),
                heading: "Våld".into(),
                level: 2,
                parent_id: Some("p".into()),
                text: "Text.".into(),
                page: Some(2),
                source: provenance(),
            }),
            Record::Goal(GoalRecord {
                id: "g".into(),
                doc_id: "d".into(),
                schema_version: 1,
                section_id: Some("s".into()),
                text: "Målet är att …".into(),
                source: provenance(),
            }),
            Record::Activity(ActivityRecord {
                id: "a".into(),
                doc_id: "d".into(),
                schema_version: 1,
                section_id: Some("s".into()),
                text: "SKL startar 2019 …".into(),
                status: Status::Planned,
                years: vec![2019],
                actors: vec!["SKL".into()],
                source: provenance(),
            }),
        ]
    }

    fn context() -> DocContext {
        DocContext {
            title: "Cirkulär".into(),
            doc_type: DocType::Circular,
            year: Some(2012),
            org: Some("SKL".into()),
            section_path: vec!["Mål".into(), "Våld".into()],
        }
    }

    #[test]
    fn the_readme_documents_every_column() {
        let readme = include_str!("../../README.md");
        for column in &COLUMNS {
            assert!(
                readme.contains(&format!("| `{}` |", column.name)),
                "README lacks the column {}",
                column.name
            );
        }
    }

    #[test]
    fn every_cell_has_its_columns_type_on_every_kind() {
        let context = context();
        for record in records() {
            for (cell, column) in cells(&record, &context, &[], &[]).iter().zip(&COLUMNS) {
                assert_eq!(cell.kind(), column.kind, "{} on a {:?}", column.name, record.kind());
            }
        }
    }

    #[test]
    fn a_column_means_one_thing_on_every_kind() {
        let context = context();
        let records = records();
        fn cell<'a>(record: &'a Record, context: &'a DocContext, name: &str) -> Cell<'a> {
            let at = position(name).unwrap_or_else(|| panic!("no column {name}"));
            cells(record, context, &[], &[])[at]
        }
        let cell = |record, name| cell(record, &context, name);
        // parent_id only on sections; section_id and section_heading only on goals and activities.
        assert_eq!(cell(&records[1], "parent_id"), Cell::Text(Some("p")));
        assert_eq!(cell(&records[1], "section_id"), Cell::Text(None));
        assert_eq!(cell(&records[2], "section_id"), Cell::Text(Some("s")));
        assert_eq!(cell(&records[3], "section_heading"), Cell::Text(Some("Våld")));
        assert_eq!(cell(&records[2], "parent_id"), Cell::Text(None));
        // Every row carries its document's year, type, title and organisation.
        for record in &records {
            assert_eq!(cell(record, "year"), Cell::Int(Some(2012)));
            assert_eq!(cell(record, "org"), Cell::Text(Some("SKL")));
            assert_eq!(cell(record, "doc_title"), Cell::Text(Some("Cirkulär")));
        }
        assert_eq!(cell(&records[0], "circular_number"), Cell::Text(Some("12:13")));
        assert_eq!(cell(&records[1], "number"), Cell::Text(Some("3.10")));
        assert_eq!(cell(&records[3], "years"), Cell::IntList(&[2019]));
    }
}
