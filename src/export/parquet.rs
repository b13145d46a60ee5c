//! Parquet with explicit types, so that no reader has to guess them: text as `UTF8` strings (a
//! circular number `12:13` or a section number `3.10` stays text), counts and years as `INT32`,
//! `years` as a list of `INT32`, `actors`, `keywords` and the links as lists of strings, `date` as
//! `DATE`, written through the `arrow` and `parquet` crates (Snappy-compressed row groups).

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Date32Builder, Int32Builder, ListBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::columns::{self, Cell, Type, COLUMNS};
use super::FollowUps;
use crate::error::Error;
use crate::index::DocContext;
use crate::records::Record;

/// Rows per record batch (and so at most per row group).
const BATCH_ROWS: usize = 8192;

pub fn write(
    out: &mut (dyn Write + Send),
    records: &[(Record, DocContext)],
    follow_ups: &FollowUps,
) -> Result<(), Error> {
    let schema = schema();
    let properties = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut writer = ArrowWriter::try_new(out, schema.clone(), Some(properties)).map_err(parquet_error)?;
    for chunk in records.chunks(BATCH_ROWS) {
        let mut builders: Vec<Builder> = COLUMNS.iter().map(|c| Builder::new(c.kind, chunk.len())).collect();
        for (record, context) in chunk {
            let id = record.id();
            let cells = columns::cells(record, context, follow_ups.followed_by(id), follow_ups.follows(id));
            for (builder, cell) in builders.iter_mut().zip(cells) {
                builder.append(cell);
            }
        }
        let arrays: Vec<ArrayRef> = builders.into_iter().map(Builder::finish).collect();
        let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| parquet_error(e.into()))?;
        writer.write(&batch).map_err(parquet_error)?;
    }
    writer.close().map_err(parquet_error)?;
    Ok(())
}

/// The Arrow schema of [`COLUMNS`]: lists are never null (an empty list instead), scalars may be.
pub fn schema() -> SchemaRef {
    let fields: Vec<Field> = COLUMNS
        .iter()
        .map(|c| {
            let (data_type, nullable) = match c.kind {
                Type::Text => (DataType::Utf8, true),
                Type::Int => (DataType::Int32, true),
                Type::Bool => (DataType::Boolean, true),
                Type::Date => (DataType::Date32, true),
                Type::TextList => {
                    (DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))), false)
                }
                Type::IntList => {
                    (DataType::List(Arc::new(Field::new_list_field(DataType::Int32, true))), false)
                }
            };
            Field::new(c.name, data_type, nullable)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

enum Builder {
    Text(StringBuilder),
    Int(Int32Builder),
    Bool(BooleanBuilder),
    Date(Date32Builder),
    TextList(ListBuilder<StringBuilder>),
    IntList(ListBuilder<Int32Builder>),
}

impl Builder {
    fn new(kind: Type, rows: usize) -> Builder {
        match kind {
            Type::Text => Builder::Text(StringBuilder::with_capacity(rows, rows * 16)),
            Type::Int => Builder::Int(Int32Builder::with_capacity(rows)),
            Type::Bool => Builder::Bool(BooleanBuilder::with_capacity(rows)),
            Type::Date => Builder::Date(Date32Builder::with_capacity(rows)),
            Type::TextList => Builder::TextList(ListBuilder::new(StringBuilder::new())),
            Type::IntList => Builder::IntList(ListBuilder::new(Int32Builder::new())),
        }
    }

    /// Append `cell`; [`columns::cells`] gives each column cells of its own type (a unit test there
    /// checks it), so a mismatch cannot happen and is written as null if it did.
    fn append(&mut self, cell: Cell) {
        match (self, cell) {
            (Builder::Text(b), Cell::Text(v)) => b.append_option(v),
            (Builder::Int(b), Cell::Int(v)) => b.append_option(v.and_then(|n| i32::try_from(n).ok())),
            (Builder::Bool(b), Cell::Bool(v)) => b.append_option(v),
            (Builder::Date(b), Cell::Date(v)) => b.append_option(v.and_then(days_since_epoch)),
            (Builder::TextList(b), Cell::TextList(items)) => {
                for item in items {
                    b.values().append_value(item);
                }
                b.append(true);
            }
            (Builder::IntList(b), Cell::IntList(items)) => {
                b.values().append_slice(items);
                b.append(true);
            }
            (Builder::Text(b), _) => b.append_null(),
            (Builder::Int(b), _) => b.append_null(),
            (Builder::Bool(b), _) => b.append_null(),
            (Builder::Date(b), _) => b.append_null(),
            (Builder::TextList(b), _) => b.append(true),
            (Builder::IntList(b), _) => b.append(true),
        }
    }

    fn finish(self) -> ArrayRef {
        match self {
            Builder::Text(mut b) => Arc::new(b.finish()),
            Builder::Int(mut b) => Arc::new(b.finish()),
            Builder::Bool(mut b) => Arc::new(b.finish()),
            Builder::Date(mut b) => Arc::new(b.finish()),
            Builder::TextList(mut b) => ArrayBuilder::finish(&mut b),
            Builder::IntList(mut b) => ArrayBuilder::finish(&mut b),
        }
    }
}

/// Days from 1970-01-01 to a valid `YYYY-MM-DD` date (proleptic Gregorian), as Parquet's DATE holds.
fn days_since_epoch(date: &str) -> Option<i32> {
    let mut parts = date.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let days_in_month = *month_days.get(usize::try_from(month - 1).ok()?)?;
    if !(1..=days_in_month).contains(&day) {
        return None;
    }
    // Howard Hinnant's days_from_civil: years start in March, so February's leap day comes last.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    i32::try_from(era * 146_097 + day_of_era - 719_468).ok()
}

fn parquet_error(e: parquet::errors::ParquetError) -> Error {
    Error::Io(std::io::Error::other(format!("writing Parquet: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_from_the_epoch() {
        assert_eq!(days_since_epoch("1970-01-01"), Some(0));
        assert_eq!(days_since_epoch("1969-12-31"), Some(-1));
        assert_eq!(days_since_epoch("2000-03-01"), Some(11_017));
        assert_eq!(days_since_epoch("2012-05-03"), Some(15_463));
        assert_eq!(days_since_epoch("2020-02-29"), Some(18_321));
        assert_eq!(days_since_epoch("2019-02-29"), None);
        assert_eq!(days_since_epoch("2019-13-01"), None);
        assert_eq!(days_since_epoch("2019-00-10"), None);
        assert_eq!(days_since_epoch("den 3 maj"), None);
    }

    #[test]
    fn the_schema_types_every_column() {
        let schema = schema();
        let field = |name: &str| schema.field_with_name(name).map(|f| f.data_type().clone());
        assert_eq!(field("circular_number").ok(), Some(DataType::Utf8));
        assert_eq!(field("number").ok(), Some(DataType::Utf8));
        assert_eq!(field("date").ok(), Some(DataType::Date32));
        assert_eq!(field("year").ok(), Some(DataType::Int32));
        assert!(matches!(field("years"), Ok(DataType::List(f)) if f.data_type() == &DataType::Int32));
        assert!(matches!(field("actors"), Ok(DataType::List(f)) if f.data_type() == &DataType::Utf8));
        assert_eq!(schema.fields().len(), COLUMNS.len());
    }
}
