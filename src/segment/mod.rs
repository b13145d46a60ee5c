//! Stage 2: find what a careful reader finds in a document's text: its metadata, its section tree,
//! the goals it states and the activities it reports.
//!
//! Input is an [`extract::Document`](crate::extract::Document); output is a [`Segmented`], which
//! refers to sections by index and knows nothing of ids or files (that is `records`). The rules are
//! those of `../shared/corpus/gold/README.md`. This module never reads files and never decides from a
//! file name.
//!
//! The work is split by concern: `units` flattens the extracted blocks (and repairs what a PDF reader
//! leaves joined), `metadata` reads the header block, type, title, date, year and organisation,
//! `boilerplate` removes web chrome, `sections` builds the heading tree, `goals` and `activities`
//! read sentences with the help of `clauses` (a shallow clause reader), `verbs` (a verb lexicon),
//! `dates` (Swedish times) and `actors` (organisation names).

mod activities;
mod actors;
mod boilerplate;
mod clauses;
mod dates;
mod goals;
mod metadata;
mod sections;
mod text;
mod units;
mod verbs;

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::extract::{Document, SourceFormat};

/// What kind of document this is, judged from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
// The command line takes the names the records use (`--type web_page`).
#[value(rename_all = "snake_case")]
pub enum DocType {
    Circular,
    ResultReport,
    WebPage,
    Other,
}

impl DocType {
    pub fn as_str(self) -> &'static str {
        match self {
            DocType::Circular => "circular",
            DocType::ResultReport => "result_report",
            DocType::WebPage => "web_page",
            DocType::Other => "other",
        }
    }
}

/// Whether an activity is done, going on or planned, as of the document's own date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Status {
    Done,
    Ongoing,
    Planned,
}

impl Status {
    /// The name the records use.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Ongoing => "ongoing",
            Status::Planned => "planned",
        }
    }
}

/// Document metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    pub doc_type: DocType,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub year: Option<i32>,
    pub org: Option<String>,
    pub circular_number: Option<String>,
    pub diary_number: Option<String>,
    pub keywords: Vec<String>,
    pub recipients: Vec<String>,
}

/// A heading and the text up to the next heading of the same or a higher level.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub number: Option<String>,
    pub heading: String,
    /// 1 = top.
    pub level: u32,
    /// Index into [`Segmented::sections`] of the enclosing section.
    pub parent: Option<usize>,
    pub text: String,
    pub page: Option<u32>,
}

/// An explicit aim.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    /// Index into [`Segmented::sections`].
    pub section: Option<usize>,
    pub text: String,
    pub page: Option<u32>,
}

/// A concrete action done, going on or planned.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub section: Option<usize>,
    pub text: String,
    pub status: Status,
    pub years: Vec<i32>,
    pub actors: Vec<String>,
    pub page: Option<u32>,
}

/// Everything found in one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Segmented {
    pub meta: Metadata,
    pub sections: Vec<Section>,
    pub goals: Vec<Goal>,
    pub activities: Vec<Activity>,
}

/// Segment one document.
pub fn segment(doc: &Document) -> Segmented {
    let (units, doc_type, header) = read_units(doc);
    let layout = units::Layout::of(&units);
    let body_start = header.as_ref().map_or(0, |h| h.end);
    let title = metadata::title_unit(&units, body_start, doc_type, header.as_ref(), &layout);
    let (meta, date) = metadata::metadata(&units, doc_type, header.as_ref(), title);
    let outline = sections::outline(&units, body_start, title, &layout);

    // Body text: after the header block, not a heading, not the publication line.
    let body: Vec<usize> = (body_start..units.len())
        .filter(|&i| !outline.is_heading(i) && metadata::published(&units[i].text).is_none())
        .collect();
    let lowercase_words = lowercase_words(&units);
    let reference = date.or(meta.year.map(dates::Day::end_of_year));
    let ctx = activities::Context {
        doc_type,
        reference,
        year: meta.year,
        org: meta.org.as_deref(),
        actors: actors::Context { org: meta.org.as_deref(), lowercase_words: &lowercase_words },
    };
    let page = |unit: usize| units.get(unit).map(|u| u.page);
    let goals = goals::goals(&units, &body)
        .into_iter()
        .map(|(unit, text)| Goal { section: outline.section_of[unit], text, page: page(unit) })
        .collect();
    let activities = activities::activities(&units, &body, &ctx)
        .into_iter()
        .map(|a| Activity {
            section: outline.section_of[a.unit],
            text: a.text,
            status: a.status,
            years: a.years,
            actors: a.actors,
            page: page(a.unit),
        })
        .collect();
    Segmented { meta, sections: outline.sections, goals, activities }
}

/// The document's units, repaired, with a web page's chrome removed; its type; and a circular's
/// header block.
fn read_units(doc: &Document) -> (Vec<units::Unit>, DocType, Option<metadata::Header>) {
    let mut all = units::flatten(doc);
    let layout = units::Layout::of(&all);
    units::repair(&mut all, &layout);
    let header = metadata::header_block(&all);
    let doc_type = metadata::doc_type(doc.format, &all, header.as_ref());
    if doc_type == DocType::WebPage {
        // A saved page's article starts at the publication line or the main heading, whichever
        // comes first; a printed page starts with its article.
        let start = all
            .iter()
            .position(|u| metadata::published(&u.text).is_some() || u.kind == units::Kind::Heading(1))
            .filter(|_| doc.format == SourceFormat::Html)
            .unwrap_or(0);
        all.drain(..start);
        boilerplate::strip_web_chrome(&mut all);
    }
    // Any document may open with a label block ("Datum:", "Dnr:"); a circular always does.
    let header = metadata::header_block(&all);
    (all, doc_type, header)
}

/// The words the document writes in lower case somewhere (to tell a sentence's first word, a common
/// noun, from a name).
fn lowercase_words(units: &[units::Unit]) -> HashSet<String> {
    let mut words = HashSet::new();
    for t in units.iter().flat_map(|u| text::tokens(&u.text)) {
        if t.is_word() && !t.capitalized() && !words.contains(t.lower.as_ref()) {
            words.insert(t.lower.into_owned());
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::extract::{Block, Line, Role};

    fn doc(pages: Vec<Vec<Block>>, format: SourceFormat) -> Document {
        Document::from_pages(format, pages)
    }

    fn block(role: Role, lines: &[(&str, f32, bool)]) -> Block {
        Block {
            role,
            lines: lines
                .iter()
                .map(|(t, size, bold)| Line { text: t.to_string(), size: *size, bold: *bold })
                .collect(),
        }
    }

    #[test]
    fn a_small_report_end_to_end() {
        let d = doc(
            vec![vec![
                block(Role::Paragraph, &[("Resultatrapport 2018 för satsningen", 18.0, true)]),
                block(Role::Paragraph, &[("1. Inledning", 14.0, true)]),
                block(Role::Paragraph, &[("Syftet är att stärka arbetet. Målen är att:", 11.0, false)]),
                block(Role::ListItem, &[("• öka kunskapen", 11.0, false)]),
                block(Role::ListItem, &[("• sprida metoder", 11.0, false)]),
                block(Role::Paragraph, &[("1.1 Aktiviteter", 12.0, true)]),
                block(
                    Role::Paragraph,
                    &[
                        ("Under 2018 har SKL anordnat tre konferenser. Stödet kommer att", 11.0, false),
                        ("genomföras 2019–2020.", 11.0, false),
                    ],
                ),
            ]],
            SourceFormat::Pdf,
        );
        let seg = segment(&d);
        assert_eq!(seg.meta.doc_type, DocType::ResultReport);
        assert_eq!(seg.meta.year, Some(2018));
        assert_eq!(seg.meta.org.as_deref(), Some("SKL"));
        let heads: Vec<(Option<&str>, &str, u32, Option<usize>)> = seg
            .sections
            .iter()
            .map(|s| (s.number.as_deref(), s.heading.as_str(), s.level, s.parent))
            .collect();
        assert_eq!(
            heads,
            vec![
                (None, "Resultatrapport 2018 för satsningen", 1, None),
                (Some("1"), "Inledning", 1, None),
                (Some("1.1"), "Aktiviteter", 2, Some(1))
            ]
        );
        let goals: Vec<&str> = seg.goals.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(goals, vec!["Syftet är att stärka arbetet.", "öka kunskapen", "sprida metoder"]);
        assert!(seg.goals.iter().all(|g| g.section == Some(1)));
        let acts: Vec<(Status, Vec<i32>)> =
            seg.activities.iter().map(|a| (a.status, a.years.clone())).collect();
        assert_eq!(acts, vec![(Status::Done, vec![2018]), (Status::Planned, vec![2019, 2020])]);
        assert!(seg.activities.iter().all(|a| a.section == Some(2) && a.page == Some(1)));
    }

    #[test]
    fn an_empty_document() {
        let seg = segment(&doc(Vec::new(), SourceFormat::Pdf));
        assert_eq!(seg.meta.doc_type, DocType::Other);
        assert!(seg.sections.is_empty() && seg.goals.is_empty() && seg.activities.is_empty());
    }

    fn arb_line() -> impl Strategy<Value = (String, f32, bool)> {
        let words = prop::sample::select(vec![
            "SKL",
            "har",
            "genomfört",
            "2019–2020",
            "Målet",
            "är",
            "att",
            "hösten",
            "2018",
            "•",
            "1.",
            "3.1",
            "Cirkulärnr:",
            "Datum:",
            "Publicerad:",
            "19",
            "september",
            "(RKA)",
            "i",
            "samarbete",
            "med",
            "Kontakt",
            "kommer",
            ",",
            ".",
            ":",
            ";",
            "\t",
            "å",
            "Ö",
            "som",
            "sedan",
            "den",
            "21",
            "maj",
            "–",
            "-",
            "?",
            "?!",
            "12:13",
            "Rubrik:",
        ]);
        (
            prop::collection::vec(words, 0..12),
            prop::sample::select(vec![8.0f32, 9.5, 11.0, 13.5, 19.0]),
            any::<bool>(),
        )
            .prop_map(|(w, size, bold)| (w.join(" "), size, bold))
    }

    fn arb_block() -> impl Strategy<Value = Block> {
        let role = prop::sample::select(vec![
            Role::Paragraph,
            Role::ListItem,
            Role::TableRow,
            Role::Heading(1),
            Role::Heading(3),
        ]);
        (role, prop::collection::vec(arb_line(), 0..4)).prop_map(|(role, lines)| Block {
            role,
            lines: lines.into_iter().map(|(text, size, bold)| Line { text, size, bold }).collect(),
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Whatever the reader delivers, segmenting never panics and references stay in range.
        #[test]
        fn never_panics_and_references_hold(
            pages in prop::collection::vec(prop::collection::vec(arb_block(), 0..12), 0..4),
            html in any::<bool>(),
        ) {
            let d = doc(pages, if html { SourceFormat::Html } else { SourceFormat::Pdf });
            let seg = segment(&d);
            let n = seg.sections.len();
            for (i, s) in seg.sections.iter().enumerate() {
                prop_assert!(s.level >= 1);
                prop_assert!(s.parent.is_none_or(|p| p < i));
            }
            prop_assert!(seg.goals.iter().all(|g| g.section.is_none_or(|s| s < n)));
            prop_assert!(seg.activities.iter().all(|a| a.section.is_none_or(|s| s < n)));
            if let Some(date) = &seg.meta.date {
                prop_assert_eq!(date.len(), 10);
            }
        }
    }
}
