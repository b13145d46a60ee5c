//! Records written for analysts, loadable as they are: JSON Lines, one JSON array, CSV or Parquet.
//!
//! Every record carries its document's `year`, `doc_type`, `doc_title` and `org`, and the follow-up
//! links [`crate::follow`] found (`followed_by` on the earlier record, `follows` on the later one), so
//! no count needs a join. JSON keeps each record as `parse --json` prints it plus those fields, lists
//! as lists. CSV and Parquet write the flat [`columns::COLUMNS`], one meaning per column; Parquet with
//! explicit types (lists as lists, `date` as DATE), CSV with lists joined by `"; "` or, with
//! [`Explode`], one row per item.
//!
//! This module only writes what it is given: it never opens an index or decides what to export.

pub mod columns;
mod parquet;

use std::collections::HashMap;
use std::io::Write;

use crate::error::Error;
use crate::follow::Link;
use crate::index::DocContext;
use crate::records::Record;
use columns::{Cell, COLUMNS};

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Json,
    Csv,
    Parquet,
}

/// A list column that CSV writes one row per item of (the "long" format).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Explode {
    Years,
    Actors,
}

/// How to write. `explode` and `bom` apply to CSV only; other formats ignore them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub format: Format,
    /// CSV only: one row per year or actor instead of one per record.
    pub explode: Option<Explode>,
    /// CSV only: start with a UTF-8 byte-order mark, so that spreadsheet programs read UTF-8.
    pub bom: bool,
}

impl Options {
    pub fn new(format: Format) -> Options {
        Options { format, explode: None, bom: false }
    }
}

/// The follow-up links of the exported records, by record id.
#[derive(Debug, Default)]
pub struct FollowUps {
    followed_by: HashMap<String, Vec<String>>,
    follows: HashMap<String, Vec<String>>,
}

impl FollowUps {
    pub fn new(links: &[Link]) -> FollowUps {
        let mut ups = FollowUps::default();
        for link in links {
            ups.followed_by.entry(link.from.clone()).or_default().push(link.to.clone());
            ups.follows.entry(link.to.clone()).or_default().push(link.from.clone());
        }
        ups
    }

    /// The ids of the later records that report on `id`.
    pub fn followed_by(&self, id: &str) -> &[String] {
        self.followed_by.get(id).map_or(&[], Vec::as_slice)
    }

    /// The ids of the earlier commitments that `id` reports on.
    pub fn follows(&self, id: &str) -> &[String] {
        self.follows.get(id).map_or(&[], Vec::as_slice)
    }
}

/// Write `records` to `out` as `options` say.
pub fn write(
    out: &mut (dyn Write + Send),
    records: &[(Record, DocContext)],
    follow_ups: &FollowUps,
    options: Options,
) -> Result<(), Error> {
    match options.format {
        Format::Jsonl => {
            for (record, context) in records {
                serde_json::to_writer(&mut *out, &to_json(record, context, follow_ups))
                    .map_err(std::io::Error::from)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Json => {
            let all: Vec<_> = records.iter().map(|(r, c)| to_json(r, c, follow_ups)).collect();
            serde_json::to_writer_pretty(&mut *out, &all).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
        Format::Csv => write_csv(out, records, follow_ups, options)?,
        Format::Parquet => parquet::write(out, records, follow_ups)?,
    }
    Ok(())
}

/// A record as exported in JSON: its own fields, then its document's, its section's heading and its
/// follow-up links.
pub fn to_json(record: &Record, context: &DocContext, follow_ups: &FollowUps) -> serde_json::Value {
    let mut value = serde_json::to_value(record).unwrap_or(serde_json::Value::Null);
    if let Some(object) = value.as_object_mut() {
        // A document record has `year`, `doc_type` and `org` of its own: the same values.
        object.insert("year".into(), context.year.into());
        object.insert("doc_type".into(), context.doc_type.as_str().into());
        object.insert("doc_title".into(), context.title.clone().into());
        object.insert("org".into(), context.org.clone().into());
        if matches!(record, Record::Goal(_) | Record::Activity(_)) {
            object.insert("section_heading".into(), context.section_path.last().cloned().into());
        }
        object.insert("followed_by".into(), follow_ups.followed_by(record.id()).into());
        object.insert("follows".into(), follow_ups.follows(record.id()).into());
    }
    value
}

/// The JSON Schema of an exported JSON record: the record's own schema (`arkiv schema`) and the
/// fields [`to_json`] adds.
pub fn json_schema() -> String {
    let mut record: serde_json::Value =
        serde_json::from_str(&crate::records::json_schema()).unwrap_or(serde_json::Value::Null);
    let defs = record.as_object_mut().and_then(|o| o.remove("$defs")).unwrap_or_default();
    if let Some(object) = record.as_object_mut() {
        object.remove("$schema");
    }
    let mut added = serde_json::Map::new();
    for name in ["year", "doc_type", "doc_title", "org", "section_heading", "followed_by", "follows"] {
        let Some(column) = COLUMNS.iter().find(|c| c.name == name) else { continue };
        let mut property = match column.kind {
            columns::Type::Int => serde_json::json!({"type": ["integer", "null"]}),
            columns::Type::TextList => serde_json::json!({"type": "array", "items": {"type": "string"}}),
            _ => serde_json::json!({"type": ["string", "null"]}),
        };
        property["description"] = column.meaning.into();
        added.insert(name.into(), property);
    }
    let mut defs = defs;
    if let Some(object) = defs.as_object_mut() {
        object.insert("Record".into(), record);
    }
    let schema = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ExportedRecord",
        "description": "One record of `arkiv export --format json|jsonl`: the record as `arkiv parse --json` \
            prints it, plus its document's fields, its section's heading and its follow-up links.",
        "allOf": [
            {"$ref": "#/$defs/Record"},
            {"type": "object", "properties": added, "required": ["year", "doc_type", "doc_title", "org", "followed_by", "follows"]},
        ],
        "$defs": defs,
    });
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

fn write_csv(
    out: &mut (dyn Write + Send),
    records: &[(Record, DocContext)],
    follow_ups: &FollowUps,
    options: Options,
) -> Result<(), Error> {
    if options.bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let exploded = options.explode.and_then(|e| {
        columns::position(match e {
            Explode::Years => "years",
            Explode::Actors => "actors",
        })
    });
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(COLUMNS.iter().map(|c| c.name)).map_err(csv_error)?;
    for (record, context) in records {
        let id = record.id();
        let mut cells = columns::cells(record, context, follow_ups.followed_by(id), follow_ups.follows(id));
        match exploded {
            Some(at) if list_len(&cells[at]) > 1 => {
                let list = cells[at];
                for item in 0..list_len(&list) {
                    cells[at] = nth_item(list, item);
                    csv.write_record(cells.iter().map(csv_cell)).map_err(csv_error)?;
                }
            }
            _ => csv.write_record(cells.iter().map(csv_cell)).map_err(csv_error)?,
        }
    }
    csv.flush()?;
    Ok(())
}

fn list_len(cell: &Cell) -> usize {
    match cell {
        Cell::TextList(items) => items.len(),
        Cell::IntList(items) => items.len(),
        _ => 1,
    }
}

/// A list cell holding only its `n`th item.
fn nth_item(cell: Cell<'_>, n: usize) -> Cell<'_> {
    match cell {
        Cell::TextList(items) => Cell::TextList(items.get(n..=n).unwrap_or_default()),
        Cell::IntList(items) => Cell::IntList(items.get(n..=n).unwrap_or_default()),
        other => other,
    }
}

/// A cell as CSV text: empty for null, `true`/`false`, and a list's items joined by `"; "`, a `;`
/// inside an item written as `,` so that the separator is never ambiguous.
fn csv_cell(cell: &Cell) -> String {
    match cell {
        Cell::Text(v) | Cell::Date(v) => v.unwrap_or_default().to_string(),
        Cell::Int(v) => v.map(|n| n.to_string()).unwrap_or_default(),
        Cell::Bool(v) => v.map(|b| b.to_string()).unwrap_or_default(),
        Cell::TextList(items) => items.iter().map(|i| i.replace(';', ",")).collect::<Vec<_>>().join("; "),
        Cell::IntList(items) => items.iter().map(i32::to_string).collect::<Vec<_>>().join("; "),
    }
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::Io(io),
        other => Error::Io(std::io::Error::other(format!("{other:?}"))),
    }
}
