//! Stage 2: find what a careful reader finds in a document's text: its metadata, its section tree,
//! the goals it states and the activities it reports.
//!
//! Input is an [`extract::Document`](crate::extract::Document); output is a [`Segmented`], which
//! refers to sections by index and knows nothing of ids or files (that is `records`). The rules are
//! those of `../shared/corpus/gold/README.md`. This module never reads files and never decides from a
//! file name.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::extract::Document;

/// What kind of document this is, judged from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    Ongoing,
    Planned,
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
    let title = doc
        .pages
        .iter()
        .flat_map(|p| &p.blocks)
        .map(|b| b.text())
        .find(|t| !t.trim().is_empty())
        .unwrap_or_default();
    Segmented {
        meta: Metadata {
            doc_type: DocType::Other,
            title,
            date: None,
            year: None,
            org: None,
            circular_number: None,
            diary_number: None,
            keywords: Vec::new(),
            recipients: Vec::new(),
        },
        sections: Vec::new(),
        goals: Vec::new(),
        activities: Vec::new(),
    }
}
