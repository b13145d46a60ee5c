//! Queries and snippets: a user's query string and a [`Filter`] become one tantivy query, and a hit's
//! text becomes a short passage with the matched words marked.
//!
//! A query never fails here: what tantivy's grammar rejects is parsed leniently instead. This module
//! never reads or writes the index itself.

use std::ops::{Bound, Range};

use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Schema};
use tantivy::snippet::SnippetGenerator;
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
/// How far apart plain query words may be and still count as close together.
const NEAR_SLOP: u32 = 3;

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
    let any = parser(schema, fields, tokenizers);
    let words = literal_words(text);
    let (main, strict) = match any.parse_query(text) {
        Ok(query) => (query, true),
        // Unbalanced quotes, a stray `(`, or a colon that is not a field (*SKL:s*, *12:13*): keep what
        // the lenient parser understands, and search every word of the text as typed as well, since the
        // lenient parser drops a whole `word:word`.
        Err(_) => {
            let (lenient, _errors) = any.parse_query_lenient(text);
            let literal = any.parse_query(&words.join(" ")).unwrap_or_else(|_| Box::new(EmptyQuery));
            let either: Box<dyn Query> =
                Box::new(BooleanQuery::new(vec![(Occur::Should, lenient), (Occur::Should, literal)]));
            (either, false)
        }
    };
    if words.len() < 2 || has_syntax(text, strict) {
        return main;
    }
    // Plain words: a record holding all of them, or holding them close together, comes first.
    let joined = words.join(" ");
    let mut every = parser(schema, fields, tokenizers);
    every.set_conjunction_by_default();
    let all = every.parse_query(&joined).unwrap_or_else(|_| Box::new(EmptyQuery));
    let near = any.parse_query(&format!("\"{joined}\"~{NEAR_SLOP}")).unwrap_or_else(|_| Box::new(EmptyQuery));
    Box::new(BooleanQuery::new(vec![(Occur::Must, main), (Occur::Should, all), (Occur::Should, near)]))
}

fn parser(schema: &Schema, fields: &Fields, tokenizers: &TokenizerManager) -> QueryParser {
    let mut parser = QueryParser::new(
        schema.clone(),
        vec![fields.title_sv, fields.body_sv, fields.body_exact, fields.body_folded],
        tokenizers.clone(),
    );
    parser.set_field_boost(fields.title_sv, TITLE_BOOST);
    parser.set_field_boost(fields.body_exact, EXACT_BOOST);
    parser.set_field_boost(fields.body_folded, FOLDED_BOOST);
    parser
}

/// The words of `text` with all query syntax gone, lower-cased so that none reads as an operator.
fn literal_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// True when `text` uses the query language (phrases, grouping, operators, exclusion, fields), so
/// that its words must not be re-read as plain words.
fn has_syntax(text: &str, parsed_strictly: bool) -> bool {
    text.contains(['"', '(', ')', '^', '~', '*', '[', ']', '{', '}', '+'])
        || (parsed_strictly && text.contains(':'))
        || text.split_whitespace().any(|w| matches!(w, "AND" | "OR" | "NOT") || w.starts_with('-'))
}

/// Makes the snippet of each hit of one query.
pub struct Snippets {
    /// For the stemmed, exact and folded fields.
    generators: Vec<SnippetGenerator>,
}

impl Snippets {
    pub fn new(searcher: &Searcher, query: &dyn Query, fields: &Fields) -> Result<Snippets, Error> {
        let mut generators = Vec::new();
        for field in [fields.body_sv, fields.body_exact, fields.body_folded] {
            let mut generator = SnippetGenerator::create(searcher, query, field)?;
            // One fragment over the whole text, so every match comes back: tantivy tiles the text
            // into fixed windows and would cut a phrase at a window's edge; the window is chosen here.
            generator.set_max_num_chars(usize::MAX);
            generators.push(generator);
        }
        Ok(Snippets { generators })
    }

    /// The best passage of `text` (a record's indexed body), matched words marked `«…»`; the start
    /// of the text when nothing in it matches.
    pub fn snippet(&self, text: &str) -> String {
        // Every field marks what it matched: *sjukvården* by its stem, *och* in a phrase by its exact
        // form, *jamstalldhet* by its folded form.
        let mut marks = Vec::new();
        for generator in &self.generators {
            let snippet = generator.snippet(text);
            let shift = snippet.fragment_range().start;
            marks.extend(snippet.highlighted().iter().map(|r| r.start + shift..r.end + shift));
        }
        let marks = merge(&marks);
        if marks.is_empty() {
            return leading(text, SNIPPET_CHARS);
        }
        let window = best_window(text, &marks, SNIPPET_CHARS);
        let inside: Vec<Range<usize>> = marks
            .iter()
            .filter(|m| m.start >= window.start && m.end <= window.end)
            .map(|m| m.start - window.start..m.end - window.start)
            .collect();
        mark(text, window, &inside)
    }
}

/// Context kept before the first marked word of a window, in bytes.
const LEAD_BYTES: usize = 40;

/// The passage of about `width` bytes, cut between words, that holds the most different marked words
/// (then the most marks; then the earliest).
fn best_window(text: &str, marks: &[Range<usize>], width: usize) -> Range<usize> {
    if text.len() <= width {
        return 0..text.len();
    }
    let mut best: Option<((usize, usize), Range<usize>)> = None;
    for m in marks {
        let mut start = word_start(text, m.start.saturating_sub(LEAD_BYTES));
        if start + width > text.len() {
            // Near the end: fill the window with what comes before instead.
            start = word_start(text, text.len() - width).min(start);
        }
        let end = word_end(text, start + width).max(m.end);
        let inside: Vec<&str> = marks
            .iter()
            .filter(|r| r.start >= start && r.end <= end)
            .filter_map(|r| text.get(r.clone()))
            .collect();
        let mut distinct: Vec<String> = inside.iter().map(|w| w.to_lowercase()).collect();
        distinct.sort();
        distinct.dedup();
        let key = (distinct.len(), inside.len());
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((key, start..end));
        }
    }
    best.map_or(0..word_end(text, width), |(_, range)| range)
}

/// The start of the word at or after byte `at` (0 stays 0).
fn word_start(text: &str, at: usize) -> usize {
    let at = floor_char_boundary(text, at);
    if at == 0 {
        return 0;
    }
    match text[..at].rfind(char::is_whitespace) {
        Some(ws) => ws + text[ws..].chars().next().map_or(1, char::len_utf8),
        None => 0,
    }
}

/// The end of the last whole word before byte `at` (the text's end stays its end).
fn word_end(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let at = floor_char_boundary(text, at);
    match text[..at].rfind(char::is_whitespace) {
        Some(ws) if ws > 0 => ws,
        // One word longer than the window: cut it.
        _ => at,
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The `range` of `text` with `marks` (ranges within it) between `«` and `»`, `…` where words of the
/// text are left out, and all whitespace runs as one space (a snippet is one line).
fn mark(text: &str, range: Range<usize>, marks: &[Range<usize>]) -> String {
    let fragment = text.get(range.clone()).unwrap_or_default();
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
    for r in merge(marks) {
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
    let cut = floor_char_boundary(text, max);
    let head = &text[..word_end(text, cut)];
    one_line(&format!("{}…", head.trim_end()))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_words_drop_all_syntax() {
        assert_eq!(
            literal_words("SKL:s \"arbete\" AND (12:13) hälso-"),
            ["skl", "s", "arbete", "and", "12", "13", "hälso"]
        );
    }

    #[test]
    fn syntax_is_recognised() {
        assert!(!has_syntax("mäns våld mot kvinnor", true));
        assert!(!has_syntax("SKL:s arbete", false));
        assert!(has_syntax("kind:goal våld", true));
        assert!(has_syntax("våld -hot", true));
        assert!(has_syntax("våld OR hot", true));
        assert!(has_syntax("\"jämställd hälsa\"", true));
    }

    #[test]
    fn mark_keeps_punctuation_and_elides_words() {
        let text = "Ett. Två tre fyra.";
        assert_eq!(mark(text, 5..13, &[5..8, 0..4]), "…«Två» «tre»…");
        assert_eq!(mark(text, 5..19, std::slice::from_ref(&(0..4))), "…«Två» tre fyra.");
        assert_eq!(mark(text, 0..3, std::slice::from_ref(&(0..3))), "«Ett»…");
    }

    #[test]
    fn the_window_holds_the_most_different_words() {
        let text = format!(
            "{} våld och hot {} våld våld våld {}",
            "x ".repeat(100),
            "y ".repeat(100),
            "z ".repeat(100)
        );
        let find = |w: &str, from: usize| {
            let at = text[from..].find(w).map(|i| i + from).unwrap_or_default();
            at..at + w.len()
        };
        let first = find("våld", 0);
        let hot = find("hot", 0);
        let later = find("våld", hot.end);
        let window = best_window(&text, &[first.clone(), hot.clone(), later], 60);
        assert!(window.start <= first.start && window.end >= hot.end, "{window:?}");
        assert!(window.end - window.start <= 60);
        assert_eq!(&text[window.start..window.start + 1], "x");
    }

    #[test]
    fn word_bounds_never_split_a_letter() {
        let text = "åäö åäö åäö";
        assert_eq!(word_start(text, 8), 7);
        assert_eq!(word_end(text, 9), 6);
        assert_eq!(word_end(text, 100), text.len());
    }

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
