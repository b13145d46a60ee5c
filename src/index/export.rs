//! Writing records for analysts: JSON Lines, one JSON array, or CSV with one row per record.
//!
//! JSON keeps each record exactly as `parse --json` prints it. CSV flattens every kind into one set of
//! columns (lists joined with "; ") and adds the document's title, type and year to every row, so a
//! spreadsheet needs no join.

use std::io::Write;

use crate::error::Error;
use crate::index::DocContext;
use crate::records::Record;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Json,
    Csv,
}

const CSV_COLUMNS: [&str; 18] = [
    "id",
    "kind",
    "doc_id",
    "doc_type",
    "year",
    "doc_title",
    "section_id",
    "number",
    "heading",
    "level",
    "text",
    "status",
    "years",
    "actors",
    "date",
    "page",
    "path",
    "sha256",
];

/// Write `records` to `out` in `format`.
pub fn write(out: &mut dyn Write, records: &[(Record, DocContext)], format: Format) -> Result<(), Error> {
    match format {
        Format::Jsonl => {
            for (r, _) in records {
                serde_json::to_writer(&mut *out, r).map_err(std::io::Error::from)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Json => {
            let all: Vec<&Record> = records.iter().map(|(r, _)| r).collect();
            serde_json::to_writer_pretty(&mut *out, &all).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
        Format::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(CSV_COLUMNS).map_err(csv_error)?;
            for (r, ctx) in records {
                csv.write_record(csv_row(r, ctx)).map_err(csv_error)?;
            }
            csv.flush()?;
        }
    }
    Ok(())
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::Io(io),
        other => Error::Io(std::io::Error::other(format!("{other:?}"))),
    }
}

fn csv_row(r: &Record, ctx: &DocContext) -> [String; 18] {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let years = |ys: &[i32]| ys.iter().map(i32::to_string).collect::<Vec<_>>().join("; ");
    let mut row: [String; 18] = Default::default();
    row[0] = r.id().to_string();
    row[1] = r.kind().as_str().to_string();
    row[2] = r.doc_id().to_string();
    row[3] = ctx.doc_type.as_str().to_string();
    row[4] = ctx.year.map(|y| y.to_string()).unwrap_or_default();
    row[5] = ctx.title.clone();
    match r {
        Record::Document(d) => {
            row[10] = d.title.clone();
            row[14] = opt(&d.date);
            row[16] = d.source.path.clone();
            row[17] = d.source.sha256.clone();
        }
        Record::Section(s) => {
            row[6] = opt(&s.parent_id);
            row[7] = opt(&s.number);
            row[8] = s.heading.clone();
            row[9] = s.level.to_string();
            row[10] = s.text.clone();
            row[15] = num(s.page);
            row[16] = s.source.path.clone();
            row[17] = s.source.sha256.clone();
        }
        Record::Goal(g) => {
            row[6] = opt(&g.section_id);
            row[10] = g.text.clone();
            row[15] = num(g.source.page);
            row[16] = g.source.path.clone();
            row[17] = g.source.sha256.clone();
        }
        Record::Activity(a) => {
            row[6] = opt(&a.section_id);
            row[10] = a.text.clone();
            row[11] = serde_json::to_value(a.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            row[12] = years(&a.years);
            row[13] = a.actors.join("; ");
            row[15] = num(a.source.page);
            row[16] = a.source.path.clone();
            row[17] = a.source.sha256.clone();
        }
    }
    row
}
