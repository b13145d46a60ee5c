//! The tantivy schema of the record index: one tantivy document per record.
//!
//! The stored `record` (the record's JSON) and `ordinal` (its place in its document) are the index's
//! own backup: a migration reads nothing else (and `ingest`, when it is there), so those names and
//! meanings must never change. Every other field may change freely with [`FORMAT_VERSION`]; an index
//! written under another version is migrated by the writer side (`arkiv ingest`, `arkiv reindex`),
//! never by a reader.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};

use super::analyzer::{self, ANALYZER_VERSION};
use crate::error::Error;

/// Bump whenever a field below is added, removed or changes options.
pub const FORMAT_VERSION: u32 = 4;

/// Stored record JSON: the one field a rebuild needs, with [`ORDINAL`].
pub const RECORD: &str = "record";
/// A record's place in its document (0 = the document record).
pub const ORDINAL: &str = "ordinal";
/// The document's first path; a fast field so that export sorts by it.
pub const PATH: &str = "path";
/// On a document record only: its [`super::IngestInfo`] as JSON.
pub const INGEST: &str = "ingest";
/// On a document record only: its paths as one JSON array, a fast field, so that a writer learns
/// every document's paths without reading the stored records.
pub const PATHS: &str = "paths";
/// A record's own years (an activity's, else its document's year): a fast field, for counts per year.
pub const YEARS: &str = "years";
/// The record kind: a fast field, for counts per kind.
pub const KIND: &str = "kind";
/// The document's type: a fast field, for counts per type.
pub const DOC_TYPE: &str = "doc_type";
/// The document id of a record; a fast field too, for the same reason.
pub const DOC_ID: &str = "doc_id";

/// The commit payload that marks an index as written by this version of arkiv.
pub fn payload() -> String {
    format!(
        "arkiv index format {FORMAT_VERSION}, analyzer {ANALYZER_VERSION}, written by arkiv {}",
        env!("CARGO_PKG_VERSION")
    )
}

/// True when `payload` says the index was written in this version's format and analysers (whichever
/// arkiv release wrote it).
pub fn is_current_payload(payload: &str) -> bool {
    versions(payload) == Some((FORMAT_VERSION, ANALYZER_VERSION))
}

/// True when `payload` comes from an arkiv newer than this one, which must not touch it.
pub fn is_newer_payload(payload: &str) -> bool {
    versions(payload).is_some_and(|(format, analyzer)| {
        format > FORMAT_VERSION || (format == FORMAT_VERSION && analyzer > ANALYZER_VERSION)
    })
}

/// The (format, analyzer) versions named in a payload.
fn versions(payload: &str) -> Option<(u32, u32)> {
    let mut format = None;
    let mut analyzer = None;
    for part in payload.split(',').map(str::trim) {
        if let Some(v) = part.strip_prefix("arkiv index format ") {
            format = v.trim().parse().ok();
        } else if let Some(v) = part.strip_prefix("analyzer ") {
            analyzer = v.trim().parse().ok();
        }
    }
    Some((format?, analyzer?))
}

/// What a reader says about an index written in another format: who should act, and how.
pub fn version_mismatch(dir: &std::path::Path, payload: &str) -> String {
    let ours = format!("index format {FORMAT_VERSION}, analyzer {ANALYZER_VERSION}");
    if is_newer_payload(payload) {
        format!(
            "{} was written by a newer arkiv ({payload}); this arkiv {} reads {ours}: upgrade arkiv",
            dir.display(),
            env!("CARGO_PKG_VERSION")
        )
    } else if is_current_payload(payload) {
        // Same versions, other fields: a development build wrote it without bumping the format.
        format!(
            "{} holds an index of {ours} whose fields differ from this arkiv's (a development build \
             wrote it): run `arkiv reindex --index {}` to rebuild it (an ingest rebuilds it too)",
            dir.display(),
            dir.display()
        )
    } else {
        format!(
            "{} was written by an older arkiv ({payload}; this one writes {ours}): run `arkiv reindex \
             --index {}` to migrate it (an ingest migrates it too)",
            dir.display(),
            dir.display()
        )
    }
}

/// Every field of the schema, by role.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub id: Field,
    pub doc_id: Field,
    pub path: Field,
    pub paths: Field,
    pub sha256: Field,
    pub kind: Field,
    pub doc_type: Field,
    pub year: Field,
    /// A record's own years: an activity's `years`, else its document's year.
    pub years: Field,
    pub status: Field,
    pub actors: Field,
    pub org: Field,
    pub ordinal: Field,
    pub record: Field,
    pub context: Field,
    pub ingest: Field,
    pub title_sv: Field,
    pub body_sv: Field,
    pub body_folded: Field,
    pub body_exact: Field,
}

/// The schema arkiv writes.
pub fn build() -> Schema {
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let mut b = Schema::builder();
    // `delete_term` on `id` or `path` does nothing unless the field is indexed: STRING is.
    b.add_text_field("id", STRING | STORED);
    b.add_text_field(DOC_ID, STRING | STORED | FAST);
    b.add_text_field(PATH, STRING | STORED | FAST);
    b.add_text_field(PATHS, STRING | FAST);
    b.add_text_field("sha256", STRING | STORED);
    b.add_text_field(KIND, STRING | FAST);
    b.add_text_field(DOC_TYPE, STRING | FAST);
    b.add_i64_field("year", NumericOptions::default().set_indexed().set_fast());
    b.add_i64_field(YEARS, NumericOptions::default().set_indexed().set_fast());
    b.add_text_field("status", STRING | FAST);
    b.add_text_field("actors", text(analyzer::FOLDED));
    b.add_text_field("org", STRING | FAST);
    b.add_u64_field(ORDINAL, NumericOptions::default().set_indexed().set_fast().set_stored());
    b.add_text_field(RECORD, STORED);
    b.add_text_field("context", STORED);
    b.add_text_field(INGEST, STORED);
    b.add_text_field("title_sv", text(analyzer::SWEDISH));
    b.add_text_field("body_sv", text(analyzer::SWEDISH));
    b.add_text_field("body_folded", text(analyzer::FOLDED));
    b.add_text_field("body_exact", text(analyzer::EXACT));
    b.build()
}

/// The fields of `schema`, which must be the one [`build`] makes.
pub fn fields(schema: &Schema) -> Result<Fields, Error> {
    let f = |name: &str| {
        schema.get_field(name).map_err(|_| Error::Index(format!("the index has no field {name:?}")))
    };
    Ok(Fields {
        id: f("id")?,
        doc_id: f(DOC_ID)?,
        path: f(PATH)?,
        paths: f(PATHS)?,
        sha256: f("sha256")?,
        kind: f(KIND)?,
        doc_type: f(DOC_TYPE)?,
        year: f("year")?,
        years: f(YEARS)?,
        status: f("status")?,
        actors: f("actors")?,
        org: f("org")?,
        ordinal: f(ORDINAL)?,
        record: f(RECORD)?,
        context: f("context")?,
        ingest: f(INGEST)?,
        title_sv: f("title_sv")?,
        body_sv: f("body_sv")?,
        body_folded: f("body_folded")?,
        body_exact: f("body_exact")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_say_which_side_is_newer() {
        assert!(is_current_payload(&payload()));
        assert!(is_current_payload(&format!(
            "arkiv index format {FORMAT_VERSION}, analyzer {ANALYZER_VERSION}, written by arkiv 9.9.9"
        )));
        assert!(!is_current_payload("arkiv index format 1, analyzer 1"));
        assert!(!is_newer_payload("arkiv index format 1, analyzer 1"));
        assert!(is_newer_payload("arkiv index format 99, analyzer 1"));
        let message = version_mismatch(std::path::Path::new("idx"), "arkiv index format 99, analyzer 1");
        assert!(message.contains("newer arkiv") && message.contains("format 99"), "{message}");
        let message = version_mismatch(std::path::Path::new("idx"), "arkiv index format 1, analyzer 1");
        assert!(message.contains("arkiv reindex --index idx"), "{message}");
        let message = version_mismatch(std::path::Path::new("idx"), &payload());
        assert!(
            message.contains("fields differ") && message.contains("arkiv reindex --index idx"),
            "{message}"
        );
    }
}
