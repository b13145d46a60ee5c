//! Queries and snippets: a user's query string and a [`Filter`] become one tantivy query, and a hit's
//! text becomes a short passage with the matched words marked.
//!
//! A query never fails here: what tantivy's grammar rejects is parsed leniently instead. This module
//! never reads or writes the index itself.

use std::ops::{Bound, Range};

use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Schema};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Searcher, Term};

use super::document::normalize;
use super::schema::Fields;
use super::Filter;
use crate::error::Error;

/// Field weights: a word in a heading says more than one in the text; an exact word form slightly
/// more than a stem; a match only after folding (*far* for *får*) little.
const TITLE_BOOST: f32 = 2.0;
const EXACT_BOOST: f32 = 0.5;
const FOLDED_BOOST: f32 = 0.2;

/// Snippet length in bytes of text, about 200 characters of Swedish.
pub const SNIPPET_CHARS: usize = 200;

/// The filter as queries that only select (they add nothing to the score).
pub fn filter_clauses(fields: &Fields, filter: &Filter) -> Vec<(Occur, Box<dyn Query>)> {
    let select = |q: Box<dyn Query>| -> (Occur, Box<dyn Query>) {
        (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
    };
    let mut clauses = Vec::new();
    if let Some((from, to)) = filter.years {
        let range = RangeQuery::new(
            Bound::Included(Term::from_field_i64(fields.year, i64::from(from))),
            Bound::Included(Term::from_field_i64(fields.year, i64::from(to))),
        );
        clauses.push(select(Box::new(range)));
    }
    if let Some(doc_type) = filter.doc_type {
        let term = Term::from_field_text(fields.doc_type, doc_type.as_str());
        clauses.push(select(Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
    }
    if let Some(kind) = filter.kind {
        let term = Term::from_field_text(fields.kind, kind.as_str());
        clauses.push(select(Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
    }
    clauses
}

/// `text` and `filter` as one query; an empty `text` matches every record the filter lets through.
pub fn build(
    schema: &Schema,
    fields: &Fields,
    tokenizers: &TokenizerManager,
    text: &str,
    filter: &Filter,
) -> Box<dyn Query> {
    let text = normalize(text);
    let text = text.trim();
    let mut clauses = filter_clauses(fields, filter);
    if !text.is_empty() {
        clauses.push((Occur::Must, text_query(schema, fields, tokenizers, text)));
    } else if clauses.is_empty() {
        return Box::new(AllQuery);
    }
    Box::new(BooleanQuery::new(clauses))
}

fn text_query(schema: &Schema, fields: &Fields, tokenizers: &TokenizerManager, text: &str) -> Box<dyn Query> {
    let mut parser = QueryParser::new(
        schema.clone(),
        vec![fields.title_sv, fields.body_sv, fields.body_exact, fields.body_folded],
        tokenizers.clone(),
    );
    parser.set_field_boost(fields.title_sv, TITLE_BOOST);
    parser.set_field_boost(fields.body_exact, EXACT_BOOST);
    parser.set_field_boost(fields.body_folded, FOLDED_BOOST);
    match parser.parse_query(text) {
        Ok(query) => query,
        // Unbalanced quotes, a stray `:` or `(`: keep what can be understood.
        Err(_) => {
            let (query, _errors) = parser.parse_query_lenient(text);
            query
        }
    }
}

/// Makes the snippet of each hit of one query.
pub struct Snippets {
    /// Stemmed, exact and folded fields, tried in this order.
    generators: Vec<SnippetGenerator>,
}

impl Snippets {
    pub fn new(searcher: &Searcher, query: &dyn Query, fields: &Fields) -> Result<Snippets, Error> {
        let mut generators = Vec::new();
        for field in [fields.body_sv, fields.body_exact, fields.body_folded] {
            let mut generator = SnippetGenerator::create(searcher, query, field)?;
            generator.set_max_num_chars(SNIPPET_CHARS);
            generators.push(generator);
        }
        Ok(Snippets { generators })
    }

    /// The best passage of `text` (a record's indexed body), matched words marked `«…»`; the start
    /// of the text when nothing in it matches.
    pub fn snippet(&self, text: &str) -> String {
        let best = self
            .generators
            .iter()
            .map(|g| g.snippet(text))
            .filter(|s| !s.is_empty())
            // The first field with the most marked words: a stem match before a folded one.
            .fold(None::<Snippet>, |best, s| match best {
                Some(b) if b.highlighted().len() >= s.highlighted().len() => Some(b),
                _ => Some(s),
            });
        match best {
            Some(s) => mark(&s, text),
            None => leading(text, SNIPPET_CHARS),
        }
    }
}

/// The fragment of `snippet` (taken from `text`) with its highlighted ranges between `«` and `»`, `…`
/// where words of the text are left out, and all whitespace runs as one space (a snippet is one line).
fn mark(snippet: &Snippet, text: &str) -> String {
    let fragment = snippet.fragment();
    let range = snippet.fragment_range();
    // tantivy cuts fragments at tokens: give back the punctuation around them, mark cut words.
    let (before, after) =
        (text.get(..range.start).unwrap_or_default(), text.get(range.end..).unwrap_or_default());
    let has_words = |s: &str| s.chars().any(char::is_alphanumeric);
    let mut out = String::new();
    if has_words(before) {
        out.push('…');
    } else {
        out.push_str(before);
    }
    let mut at = 0;
    for r in merge(snippet.highlighted()) {
        let (Some(before), Some(word)) = (fragment.get(at..r.start), fragment.get(r.clone())) else {
            continue;
        };
        out.push_str(before);
        out.push('«');
        out.push_str(word);
        out.push('»');
        at = r.end;
    }
    out.push_str(fragment.get(at..).unwrap_or_default());
    if has_words(after) {
        out.push('…');
    } else {
        out.push_str(after);
    }
    one_line(&out)
}

/// Sorted ranges with overlapping ones joined.
fn merge(ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// The start of `text`, as the snippet of a record listed without a query.
pub fn opening(text: &str) -> String {
    leading(text, SNIPPET_CHARS)
}

/// About the first `max` bytes of `text`, cut at a word boundary.
fn leading(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.len() <= max {
        return one_line(text);
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &text[..cut];
    let head = head.rfind(char::is_whitespace).map_or(head, |i| &head[..i]);
    one_line(&format!("{}…", head.trim_end()))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_cuts_at_a_word() {
        assert_eq!(leading("ett två\ntre", 100), "ett två tre");
        assert_eq!(leading("åååå ääää öööö", 12), "åååå…");
    }

    #[test]
    fn merge_joins_overlaps_only() {
        assert_eq!(merge(&[4..6, 0..2, 1..3, 3..4]), [0..3, 3..4, 4..6]);
    }
}
