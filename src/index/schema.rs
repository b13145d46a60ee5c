//! The tantivy schema of the record index: one tantivy document per record.
//!
//! The stored `record` (the record's JSON) and `ordinal` (its place in its document) are the index's
//! own backup: a rebuild reads nothing else, so those two names and meanings must never change. Every
//! other field may change freely with [`FORMAT_VERSION`]; an index written under another version is
//! rebuilt on open.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};

use super::analyzer::{self, ANALYZER_VERSION};
use crate::error::Error;

/// Bump whenever a field below is added, removed or changes options.
pub const FORMAT_VERSION: u32 = 1;

/// Stored record JSON: the one field a rebuild needs, with [`ORDINAL`].
pub const RECORD: &str = "record";
/// A record's place in its document (0 = the document record).
pub const ORDINAL: &str = "ordinal";
/// The path as given at ingest; a fast field so that export sorts by it.
pub const PATH: &str = "path";

/// The commit payload that marks an index as written by this version of arkiv.
pub fn payload() -> String {
    format!("arkiv index format {FORMAT_VERSION}, analyzer {ANALYZER_VERSION}")
}

/// Every field of the schema, by role.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub id: Field,
    pub doc_id: Field,
    pub path: Field,
    pub sha256: Field,
    pub kind: Field,
    pub doc_type: Field,
    pub year: Field,
    pub ordinal: Field,
    pub record: Field,
    pub context: Field,
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
    b.add_text_field("doc_id", STRING | STORED);
    b.add_text_field(PATH, STRING | STORED | FAST);
    b.add_text_field("sha256", STRING | STORED);
    b.add_text_field("kind", STRING | FAST);
    b.add_text_field("doc_type", STRING | FAST);
    b.add_i64_field("year", NumericOptions::default().set_indexed().set_fast());
    b.add_u64_field(ORDINAL, NumericOptions::default().set_indexed().set_fast().set_stored());
    b.add_text_field(RECORD, STORED);
    b.add_text_field("context", STORED);
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
        doc_id: f("doc_id")?,
        path: f(PATH)?,
        sha256: f("sha256")?,
        kind: f("kind")?,
        doc_type: f("doc_type")?,
        year: f("year")?,
        ordinal: f(ORDINAL)?,
        record: f(RECORD)?,
        context: f("context")?,
        title_sv: f("title_sv")?,
        body_sv: f("body_sv")?,
        body_folded: f("body_folded")?,
        body_exact: f("body_exact")?,
    })
}
