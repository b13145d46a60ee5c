//! Counts of matching records per year and kind, and per value of a string field, read from fast
//! fields alone (no stored record is touched), so that a count over the whole archive costs a pass over
//! its doc ids, not its texts.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::schema;
use crate::records::Kind;

/// Counts matching records by (year, kind): a record counts once in each of its own years, and a
/// record without a year is not counted.
pub struct ByYear;

pub struct SegmentByYear {
    years: Column<i64>,
    kinds: StrColumn,
    /// (year, kind's term ordinal in this segment) → records.
    counts: BTreeMap<(i64, u64), u64>,
}

impl Collector for ByYear {
    type Fruit = BTreeMap<(i32, String), u64>;
    type Child = SegmentByYear;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentByYear> {
        let fast = reader.fast_fields();
        let years = fast.column_opt::<i64>(schema::YEARS)?.ok_or_else(|| missing(schema::YEARS))?;
        let kinds = fast.str(schema::KIND)?.ok_or_else(|| missing(schema::KIND))?;
        Ok(SegmentByYear { years, kinds, counts: BTreeMap::new() })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(add_up(fruits))
    }
}

impl SegmentCollector for SegmentByYear {
    type Fruit = BTreeMap<(i32, String), u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let Some(kind) = self.kinds.term_ords(doc).next() else { return };
        for year in self.years.values_for_doc(doc) {
            *self.counts.entry((year, kind)).or_insert(0) += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = BTreeMap::new();
        let mut name = String::new();
        for ((year, kind), n) in self.counts {
            name.clear();
            let (Ok(year), Ok(true)) = (i32::try_from(year), self.kinds.ord_to_str(kind, &mut name)) else {
                continue;
            };
            *out.entry((year, name.clone())).or_insert(0) += n;
        }
        out
    }
}

/// Counts matching records by the value of a string fast field (`doc_type`, `kind`); a record
/// without a value is not counted.
pub struct ByTerm(pub &'static str);

pub struct SegmentByTerm {
    column: StrColumn,
    /// By the value's term ordinal in this segment.
    counts: Vec<u64>,
}

impl Collector for ByTerm {
    type Fruit = BTreeMap<String, u64>;
    type Child = SegmentByTerm;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentByTerm> {
        let column = reader.fast_fields().str(self.0)?.ok_or_else(|| missing(self.0))?;
        let terms = column.num_terms();
        Ok(SegmentByTerm { column, counts: vec![0; terms] })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(add_up(fruits))
    }
}

impl SegmentCollector for SegmentByTerm {
    type Fruit = BTreeMap<String, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(n) = self.column.term_ords(doc).next().and_then(|ord| self.counts.get_mut(ord as usize)) {
            *n += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = BTreeMap::new();
        for (ord, &n) in self.counts.iter().enumerate() {
            let mut name = String::new();
            if n > 0 && self.column.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                out.insert(name, n);
            }
        }
        out
    }
}

/// One year's matches by kind, for a table or a JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearRow {
    pub year: i32,
    /// Records of each kind, in [`YearRow::KINDS`] order.
    pub counts: [u64; 4],
}

impl YearRow {
    pub const KINDS: [Kind; 4] = [Kind::Document, Kind::Section, Kind::Goal, Kind::Activity];

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// `{"year": 2018, "total": 12, "document": 1, "section": 2, "goal": 0, "activity": 9}`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut object = serde_json::json!({ "year": self.year, "total": self.total() });
        for (kind, n) in Self::KINDS.iter().zip(self.counts) {
            object[kind.as_str()] = serde_json::json!(n);
        }
        object
    }
}

/// Counts by (year, kind name) as one row per year, oldest first.
pub fn year_rows(counts: &BTreeMap<(i32, String), u64>) -> Vec<YearRow> {
    let mut rows: Vec<YearRow> = Vec::new();
    for ((year, kind), n) in counts {
        let Some(k) = YearRow::KINDS.iter().position(|k| k.as_str() == kind) else { continue };
        if rows.last().is_none_or(|r| r.year != *year) {
            rows.push(YearRow { year: *year, counts: [0; 4] });
        }
        if let Some(row) = rows.last_mut() {
            row.counts[k] += n;
        }
    }
    rows
}

/// The segments' counts added up by key.
fn add_up<K: Ord>(fruits: Vec<BTreeMap<K, u64>>) -> BTreeMap<K, u64> {
    let mut all = BTreeMap::new();
    for (key, n) in fruits.into_iter().flatten() {
        *all.entry(key).or_insert(0) += n;
    }
    all
}

fn missing(field: &str) -> tantivy::TantivyError {
    tantivy::TantivyError::SchemaError(format!("the index lacks the {field} fast field"))
}
