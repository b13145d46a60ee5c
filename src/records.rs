//! Stage 3: the records arkiv emits, with stable ids and provenance.
//!
//! [`build`] turns one document's segmentation into records. Ids depend only on the file's content
//! (its sha256) and the record's position in the document, so the same input gives the same ids on
//! every run and machine. The field names are a contract (`../shared/corpus/gold/README.md`, and
//! `arkiv schema`): add fields, never rename them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::segment::{DocType, Segmented, Status};

/// Version of the record layout; bump it when a field changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// One record: a document, a section, a goal or an activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Document(DocumentRecord),
    Section(SectionRecord),
    Goal(GoalRecord),
    Activity(ActivityRecord),
}

/// The kind of a record, as a filter value.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Document,
    Section,
    Goal,
    Activity,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Section => "section",
            Kind::Goal => "goal",
            Kind::Activity => "activity",
        }
    }
}

/// Where a document came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    /// The path as given to arkiv.
    pub path: String,
    /// sha256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// Number of pages; `null` for a web page or text.
    pub pages: Option<u32>,
}

/// Where a section, goal or activity came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Provenance {
    pub path: String,
    pub sha256: String,
    /// The page where the record starts (PDF); `null` otherwise.
    pub page: Option<u32>,
    /// That page's text was read by OCR.
    #[serde(default)]
    pub ocr: bool,
    /// On an OCR'd page: the mean confidence of its words (0–100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr_confidence: Option<f32>,
    /// On an OCR'd page: the engine and model ("tesseract 5.3.0, swe").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr_engine: Option<String>,
}

impl Provenance {
    /// Where a record of a page that was not read by OCR came from.
    pub fn new(path: impl Into<String>, sha256: impl Into<String>, page: Option<u32>) -> Provenance {
        Provenance {
            path: path.into(),
            sha256: sha256.into(),
            page,
            ocr: false,
            ocr_confidence: None,
            ocr_engine: None,
        }
    }
}

/// The pages of a document that OCR read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OcrInfo {
    /// "tesseract 5.3.0, swe".
    pub engine: String,
    pub pages: Vec<OcrPageInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OcrPageInfo {
    pub page: u32,
    pub words: usize,
    /// Mean word confidence, 0–100.
    pub mean_confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentRecord {
    pub id: String,
    pub doc_id: String,
    pub schema_version: u32,
    pub doc_type: DocType,
    pub title: String,
    /// `YYYY-MM-DD`: the publication or decision date the document states.
    pub date: Option<String>,
    /// The year the document is about, else the year it was published.
    pub year: Option<i32>,
    pub org: Option<String>,
    pub circular_number: Option<String>,
    pub diary_number: Option<String>,
    pub keywords: Vec<String>,
    pub recipients: Vec<String>,
    pub source: Source,
    /// Every path where this content was seen, the first being `source.path`. The same bytes under
    /// two names are one document with two paths.
    #[serde(default)]
    pub paths: Vec<String>,
    /// True when some pages have no text layer (scanned) and OCR did not read them.
    pub needs_ocr: bool,
    /// The pages without a text layer (1-based), read by OCR or not.
    pub ocr_pages: Vec<u32>,
    /// The pages OCR read, and with what; absent when none were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<OcrInfo>,
    /// Problems met while reading the file that did not stop it.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SectionRecord {
    pub id: String,
    pub doc_id: String,
    pub schema_version: u32,
    pub number: Option<String>,
    pub heading: String,
    pub level: u32,
    pub parent_id: Option<String>,
    /// The section's own text (not its sub-sections'), footnotes included.
    pub text: String,
    pub page: Option<u32>,
    pub source: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GoalRecord {
    pub id: String,
    pub doc_id: String,
    pub schema_version: u32,
    pub section_id: Option<String>,
    pub text: String,
    pub source: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ActivityRecord {
    pub id: String,
    pub doc_id: String,
    pub schema_version: u32,
    pub section_id: Option<String>,
    pub text: String,
    pub status: Status,
    pub years: Vec<i32>,
    pub actors: Vec<String>,
    pub source: Provenance,
}

impl Record {
    pub fn id(&self) -> &str {
        match self {
            Record::Document(r) => &r.id,
            Record::Section(r) => &r.id,
            Record::Goal(r) => &r.id,
            Record::Activity(r) => &r.id,
        }
    }

    pub fn doc_id(&self) -> &str {
        match self {
            Record::Document(r) => &r.doc_id,
            Record::Section(r) => &r.doc_id,
            Record::Goal(r) => &r.doc_id,
            Record::Activity(r) => &r.doc_id,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Record::Document(_) => Kind::Document,
            Record::Section(_) => Kind::Section,
            Record::Goal(_) => Kind::Goal,
            Record::Activity(_) => Kind::Activity,
        }
    }

    /// The text a reader searches in: a document's title, a section's heading and text, a goal's or an
    /// activity's sentence.
    pub fn text(&self) -> String {
        match self {
            Record::Document(r) => r.title.clone(),
            Record::Section(r) => format!("{}\n{}", r.heading, r.text),
            Record::Goal(r) => r.text.clone(),
            Record::Activity(r) => r.text.clone(),
        }
    }
}

/// Where every record of a document says it was read: `paths[0]` (also `source.path`) and every
/// path in the document record's `paths`.
pub fn set_paths(records: &mut [Record], paths: &[String]) {
    let Some(first) = paths.first() else { return };
    for record in records {
        match record {
            Record::Document(r) => {
                r.source.path.clone_from(first);
                r.paths = paths.to_vec();
            }
            Record::Section(r) => r.source.path.clone_from(first),
            Record::Goal(r) => r.source.path.clone_from(first),
            Record::Activity(r) => r.source.path.clone_from(first),
        }
    }
}

/// How many records of each kind `records` holds.
pub fn count_by_kind(records: &[Record]) -> std::collections::BTreeMap<Kind, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for r in records {
        *counts.entry(r.kind()).or_insert(0) += 1;
    }
    counts
}

/// The id of the document whose file has this sha256.
pub fn doc_id(sha256: &str) -> String {
    format!("doc-{}", &sha256[..sha256.len().min(16)])
}

/// What [`build`] needs to know about the file besides its segmentation.
pub struct FileInfo<'a> {
    pub path: &'a str,
    pub sha256: &'a str,
    /// Number of pages for a PDF, `None` otherwise.
    pub pages: Option<u32>,
    pub pages_without_text: &'a [u32],
    /// Some of those pages were not read by OCR.
    pub needs_ocr: bool,
    /// The pages OCR read, and the engine that did.
    pub ocr_pages: &'a [crate::extract::OcrPage],
    pub ocr_engine: Option<&'a str>,
    pub warnings: &'a [String],
}

/// All records of one document: the document record first, then sections, goals and activities, each
/// in reading order.
pub fn build(file: &FileInfo<'_>, seg: &Segmented) -> Vec<Record> {
    let doc_id = doc_id(file.sha256);
    let section_id = |i: usize| format!("{doc_id}-s{:03}", i + 1);
    let provenance = |page: Option<u32>| {
        let page = if file.pages.is_some() { page } else { None };
        let mut source = Provenance::new(file.path, file.sha256, page);
        if let Some(read) = page.and_then(|p| file.ocr_pages.iter().find(|o| o.number == p)) {
            source.ocr = true;
            source.ocr_confidence = Some(round1(read.mean_confidence));
            source.ocr_engine = file.ocr_engine.map(str::to_string);
        }
        source
    };
    let ocr = file.ocr_engine.filter(|_| !file.ocr_pages.is_empty()).map(|engine| OcrInfo {
        engine: engine.to_string(),
        pages: file
            .ocr_pages
            .iter()
            .map(|o| OcrPageInfo {
                page: o.number,
                words: o.words,
                mean_confidence: round1(o.mean_confidence),
            })
            .collect(),
    });
    let meta = &seg.meta;
    let mut out = Vec::with_capacity(1 + seg.sections.len() + seg.goals.len() + seg.activities.len());
    out.push(Record::Document(DocumentRecord {
        id: doc_id.clone(),
        doc_id: doc_id.clone(),
        schema_version: SCHEMA_VERSION,
        doc_type: meta.doc_type,
        title: meta.title.clone(),
        date: meta.date.clone(),
        year: meta.year,
        org: meta.org.clone(),
        circular_number: meta.circular_number.clone(),
        diary_number: meta.diary_number.clone(),
        keywords: meta.keywords.clone(),
        recipients: meta.recipients.clone(),
        source: Source { path: file.path.to_string(), sha256: file.sha256.to_string(), pages: file.pages },
        paths: vec![file.path.to_string()],
        needs_ocr: file.needs_ocr,
        ocr_pages: file.pages_without_text.to_vec(),
        ocr,
        warnings: file.warnings.to_vec(),
    }));
    for (i, s) in seg.sections.iter().enumerate() {
        out.push(Record::Section(SectionRecord {
            id: section_id(i),
            doc_id: doc_id.clone(),
            schema_version: SCHEMA_VERSION,
            number: s.number.clone(),
            heading: s.heading.clone(),
            level: s.level,
            parent_id: s.parent.map(section_id),
            text: s.text.clone(),
            page: if file.pages.is_some() { s.page } else { None },
            source: provenance(s.page),
        }));
    }
    for (i, g) in seg.goals.iter().enumerate() {
        out.push(Record::Goal(GoalRecord {
            id: format!("{doc_id}-g{:03}", i + 1),
            doc_id: doc_id.clone(),
            schema_version: SCHEMA_VERSION,
            section_id: g.section.map(section_id),
            text: g.text.clone(),
            source: provenance(g.page),
        }));
    }
    for (i, a) in seg.activities.iter().enumerate() {
        out.push(Record::Activity(ActivityRecord {
            id: format!("{doc_id}-a{:03}", i + 1),
            doc_id: doc_id.clone(),
            schema_version: SCHEMA_VERSION,
            section_id: a.section.map(section_id),
            text: a.text.clone(),
            status: a.status,
            years: a.years.clone(),
            actors: a.actors.clone(),
            source: provenance(a.page),
        }));
    }
    out
}

/// A confidence to one decimal, as records give it.
fn round1(value: f32) -> f32 {
    (value * 10.0).round() / 10.0
}

/// The JSON Schema of a record, generated from the types above (`arkiv schema`).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Record);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
