//! Records to tantivy documents and back: what text each field gets, and the [`DocContext`] a record
//! inherits from its document.
//!
//! This module only converts; it never opens an index or decides what to delete.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use tantivy::schema::Value;
use tantivy::TantivyDocument;
use unicode_normalization::UnicodeNormalization;

use super::schema::Fields;
use super::{DocContext, IngestInfo};
use crate::error::Error;
use crate::records::Record;
use crate::segment::DocType;

/// The stored form of a [`DocContext`].
#[derive(Serialize, Deserialize)]
struct StoredContext {
    title: String,
    doc_type: DocType,
    year: Option<i32>,
    org: Option<String>,
    section_path: Vec<String>,
}

/// Text as it is indexed and searched: NFC, so that a decomposed å (a + ring, common in text saved
/// on macOS) is one letter to the tokenizer, as it is in a typed query.
pub fn normalize(text: &str) -> String {
    // Extracted text is NFC already (`extract::clean`): the quick check saves recomposing it.
    if unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes {
        return text.to_string();
    }
    text.nfc().collect()
}

/// The heading-like text of a record, boosted at search time.
pub fn title_text(record: &Record) -> Option<String> {
    match record {
        Record::Document(d) => Some(normalize(&d.title)),
        Record::Section(s) => Some(normalize(&s.heading)),
        Record::Goal(_) | Record::Activity(_) => None,
    }
}

/// The text searched and quoted in snippets.
pub fn body_text(record: &Record) -> String {
    let mut text = record.text();
    if let Record::Document(d) = record {
        // Keywords are the circular's own index terms: worth finding, never worth a record of their own.
        for keyword in &d.keywords {
            text.push('\n');
            text.push_str(keyword);
        }
    }
    normalize(&text)
}

/// The path a record was read from.
pub fn source_path(record: &Record) -> &str {
    match record {
        Record::Document(r) => &r.source.path,
        Record::Section(r) => &r.source.path,
        Record::Goal(r) => &r.source.path,
        Record::Activity(r) => &r.source.path,
    }
}

fn source_sha256(record: &Record) -> &str {
    match record {
        Record::Document(r) => &r.source.sha256,
        Record::Section(r) => &r.source.sha256,
        Record::Goal(r) => &r.source.sha256,
        Record::Activity(r) => &r.source.sha256,
    }
}

/// The context of each of `records` (all of one document), in the same order.
pub fn contexts(records: &[Record]) -> Vec<DocContext> {
    let document = records.iter().find_map(|r| match r {
        Record::Document(d) => Some(d),
        _ => None,
    });
    let (title, doc_type, year, org) = match document {
        Some(d) => (d.title.clone(), d.doc_type, d.year, d.org.clone()),
        None => (String::new(), DocType::Other, None, None),
    };
    let sections: HashMap<&str, (&str, Option<&str>)> = records
        .iter()
        .filter_map(|r| match r {
            Record::Section(s) => Some((s.id.as_str(), (s.heading.as_str(), s.parent_id.as_deref()))),
            _ => None,
        })
        .collect();
    let path_of = |section: Option<&str>| {
        let mut path = Vec::new();
        let mut seen = HashSet::new();
        let mut next = section;
        // `seen` stops a cycle in `parent_id`: records come from parsing, not from a checked tree.
        while let Some(id) = next.filter(|id| seen.insert(*id)) {
            let Some((heading, parent)) = sections.get(id) else { break };
            path.push(heading.to_string());
            next = *parent;
        }
        path.reverse();
        path
    };
    records
        .iter()
        .map(|r| {
            let section = match r {
                Record::Document(_) => None,
                Record::Section(s) => Some(s.id.as_str()),
                Record::Goal(g) => g.section_id.as_deref(),
                Record::Activity(a) => a.section_id.as_deref(),
            };
            DocContext {
                title: title.clone(),
                doc_type,
                year,
                org: org.clone(),
                section_path: path_of(section),
            }
        })
        .collect()
}

/// The tantivy documents for `records` (all of one document, the document record first, its paths
/// already set), the document record carrying `info`.
pub fn to_documents(
    fields: &Fields,
    records: &[Record],
    info: &IngestInfo,
) -> Result<Vec<TantivyDocument>, Error> {
    let path = records.first().map(source_path).unwrap_or_default().to_string();
    let contexts = contexts(records);
    // The filter field's form of the organisation every context carries.
    let org = contexts.first().and_then(|c| c.org.as_deref()).map(str::to_lowercase);
    records
        .iter()
        .zip(contexts)
        .enumerate()
        .map(|(ordinal, (record, context))| {
            let record_json = to_json(record)?;
            let stored = StoredContext {
                title: context.title,
                doc_type: context.doc_type,
                year: context.year,
                org: context.org,
                section_path: context.section_path,
            };
            let context_json = to_json(&stored)?;
            let title = title_text(record);
            let body = body_text(record);
            // Sized once: the document's byte buffer otherwise grows (and is copied) field by field, and
            // the body goes in three times.
            let bytes = record_json.len()
                + context_json.len()
                + 3 * body.len()
                + title.as_ref().map_or(0, String::len);
            let mut doc = TantivyDocument::with_capacity(bytes + 512);
            doc.add_text(fields.id, record.id());
            doc.add_text(fields.doc_id, record.doc_id());
            doc.add_text(fields.path, &path);
            doc.add_text(fields.sha256, source_sha256(record));
            doc.add_text(fields.kind, record.kind().as_str());
            doc.add_text(fields.doc_type, stored.doc_type.as_str());
            if let Some(year) = stored.year {
                doc.add_i64(fields.year, i64::from(year));
            }
            match record {
                Record::Activity(a) if !a.years.is_empty() => {
                    for year in &a.years {
                        doc.add_i64(fields.years, i64::from(*year));
                    }
                }
                _ => {
                    if let Some(year) = stored.year {
                        doc.add_i64(fields.years, i64::from(year));
                    }
                }
            }
            if let Record::Activity(a) = record {
                doc.add_text(fields.status, a.status.as_str());
                for actor in &a.actors {
                    doc.add_text(fields.actors, actor);
                }
            }
            if let Some(org) = &org {
                doc.add_text(fields.org, org);
            }
            doc.add_u64(fields.ordinal, ordinal as u64);
            doc.add_text(fields.record, record_json);
            doc.add_text(fields.context, context_json);
            if let Record::Document(d) = record {
                doc.add_text(fields.ingest, to_json(info)?);
                doc.add_text(fields.paths, to_json(&super::catalog::paths_of(d))?);
            }
            if let Some(title) = title {
                doc.add_text(fields.title_sv, title);
            }
            doc.add_text(fields.body_sv, &body);
            doc.add_text(fields.body_folded, &body);
            doc.add_text(fields.body_exact, &body);
            Ok(doc)
        })
        .collect()
}

/// The record and context stored in `doc`.
pub fn from_stored(fields: &Fields, doc: &TantivyDocument) -> Result<(Record, DocContext), Error> {
    let record: Record = parse_stored(doc, fields.record, "record")?;
    let stored: StoredContext = parse_stored(doc, fields.context, "context")?;
    let context = DocContext {
        title: stored.title,
        doc_type: stored.doc_type,
        year: stored.year,
        org: stored.org,
        section_path: stored.section_path,
    };
    Ok((record, context))
}

/// The ingest information stored with a document record (empty when an old index lacks it).
pub fn ingest_info(fields: &Fields, doc: &TantivyDocument) -> IngestInfo {
    stored_str(doc, fields.ingest).and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default()
}

/// The stored string of `field`, if any.
pub fn stored_str(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<&str> {
    doc.get_first(field).and_then(|v| v.as_str())
}

/// The JSON value stored in `doc` under `field`.
pub fn parse_stored<T: for<'de> Deserialize<'de>>(
    doc: &TantivyDocument,
    field: tantivy::schema::Field,
    what: &str,
) -> Result<T, Error> {
    let json = stored_str(doc, field).ok_or_else(|| Error::Index(format!("a stored {what} is missing")))?;
    serde_json::from_str(json).map_err(|e| Error::Index(format!("a stored {what} is unreadable: {e}")))
}

fn to_json<T: Serialize>(value: &T) -> Result<String, Error> {
    // A record is mostly its text: start with room for it rather than grow from nothing.
    let mut out = Vec::with_capacity(1024);
    serde_json::to_writer(&mut out, value)
        .map_err(|e| Error::Index(format!("cannot store a record: {e}")))?;
    // serde_json writes only valid UTF-8.
    String::from_utf8(out).map_err(|e| Error::Index(format!("cannot store a record: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{GoalRecord, Provenance, SectionRecord};

    fn section(id: &str, heading: &str, parent: Option<&str>) -> Record {
        Record::Section(SectionRecord {
            id: id.into(),
            doc_id: "doc-1".into(),
            schema_version: 1,
            number: None,
            heading: heading.into(),
            level: 1,
            parent_id: parent.map(str::to_string),
            text: String::new(),
            page: None,
            source: Provenance::new("a.txt", "1", None),
        })
    }

    #[test]
    fn section_path_follows_parents_and_survives_cycles() {
        let goal = Record::Goal(GoalRecord {
            id: "g1".into(),
            doc_id: "doc-1".into(),
            schema_version: 1,
            section_id: Some("s2".into()),
            text: "Mål".into(),
            source: Provenance::new("a.txt", "1", None),
        });
        let records = [
            section("s1", "Inledning", None),
            section("s2", "Bakgrund", Some("s1")),
            goal,
            section("s3", "Loop", Some("s4")),
            section("s4", "Pool", Some("s3")),
        ];
        let ctx = contexts(&records);
        assert_eq!(ctx[0].section_path, ["Inledning"]);
        assert_eq!(ctx[1].section_path, ["Inledning", "Bakgrund"]);
        assert_eq!(ctx[2].section_path, ["Inledning", "Bakgrund"]);
        assert_eq!(ctx[3].section_path, ["Pool", "Loop"]);
        assert_eq!(ctx[0].doc_type, DocType::Other);
    }

    #[test]
    fn normalizes_decomposed_letters() {
        assert_eq!(normalize("ja\u{308}msta\u{308}lldhet"), "jämställdhet");
    }
}
