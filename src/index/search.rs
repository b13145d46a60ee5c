//! Queries and snippets: a user's query string and a [`Filter`] become one tantivy query, and a hit's
//! text becomes a short passage with the matched words marked.
//!
//! A query never fails here ([`query::parse`] reads any text). Building one only looks words up in
//! the term dictionaries (how common a word is, its near spellings, the words a prefix starts); this
//! module never reads stored records and never writes the index.

use std::ops::{Bound, Range};

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery,
    Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Searcher, Term};

use super::analyzer;
use super::document::normalize;
use super::memo;
use super::query::{self, Node};
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

/// A year range spanning at most this many years is looked up as that many terms.
const MAX_YEAR_TERMS: i64 = 64;

/// The filter as queries that only select (they add nothing to the score).
pub fn filter_clauses(
    fields: &Fields,
    tokenizers: &TokenizerManager,
    filter: &Filter,
) -> Vec<(Occur, Box<dyn Query>)> {
    let select = |q: Box<dyn Query>| -> (Occur, Box<dyn Query>) {
        (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
    };
    let mut clauses = Vec::new();
    let years = |field: Field, (from, to): (i32, i32)| -> Box<dyn Query> {
        let (from, to) = (i64::from(from), i64::from(to));
        if (0..=MAX_YEAR_TERMS).contains(&(to - from)) {
            // A few years as terms: their posting lists intersect with the words' by skipping, where
            // a range reads the fast field of every candidate (a year filter cost 20 ms at p99 on
            // 130,000 records, a term set 3).
            let terms = (from..=to).map(|year| Term::from_field_i64(field, year));
            return Box::new(TermSetQuery::new(terms));
        }
        Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_i64(field, from)),
            Bound::Included(Term::from_field_i64(field, to)),
        ))
    };
    if let Some(range) = filter.years {
        clauses.push(select(years(fields.years, range)));
    }
    if let Some(range) = filter.doc_years {
        clauses.push(select(years(fields.year, range)));
    }
    if let Some(status) = filter.status {
        let term = Term::from_field_text(fields.status, status.as_str());
        clauses.push(select(Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
    }
    if let Some(org) = &filter.org {
        let term = Term::from_field_text(fields.org, &org.trim().to_lowercase());
        clauses.push(select(Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
    }
    if let Some(actor) = &filter.actor {
        // Every word of the name, analysed as the actors were: *socialstyrelsen* finds
        // *Socialstyrelsen*, *lansstyrelserna* finds *länsstyrelserna*.
        let words: Vec<(Occur, Box<dyn Query>)> = analyse(tokenizers, analyzer::FOLDED, actor)
            .into_iter()
            .map(|(_, word)| (Occur::Must, term(fields.actors, &word)))
            .collect();
        let query: Box<dyn Query> =
            if words.is_empty() { Box::new(EmptyQuery) } else { Box::new(BooleanQuery::new(words)) };
        clauses.push(select(query));
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

/// `text` and `filter` as one query; an empty `text` matches every record the filter lets through,
/// and a text of nothing searchable (only exclusions) matches nothing.
pub fn build(
    searchers: &[Searcher],
    fields: &Fields,
    tokenizers: &TokenizerManager,
    text: &str,
    filter: &Filter,
) -> Box<dyn Query> {
    let text = normalize(text);
    let mut clauses = filter_clauses(fields, tokenizers, filter);
    if !text.trim().is_empty() {
        let terms = Terms { searchers, fields, tokenizers };
        let query =
            query::parse(&text).and_then(|tree| terms.top(&tree)).unwrap_or_else(|| Box::new(EmptyQuery));
        clauses.push((Occur::Must, query));
    } else if clauses.is_empty() {
        return Box::new(AllQuery);
    }
    Box::new(BooleanQuery::new(clauses))
}

/// A word typed differently from every indexed one is looked up with this many letters changed, when
/// it has at least [`TYPO_MIN_CHARS`] letters.
const TYPO_DISTANCE: u8 = 1;
const TYPO_MIN_CHARS: usize = 5;
/// A typo match counts this much of an exact one.
const TYPO_BOOST: f32 = 0.3;
/// The indexed spellings a typo expands to, the commonest first.
const MAX_TYPO_TERMS: usize = 8;
/// The longest ending an unknown word is read with: Swedish plural and definite endings (*-erna*,
/// *-arna*, *-ernas*) are at most this long.
const MAX_ENDING_CHARS: usize = 5;
/// A prefix shorter than this is searched as a word (`a*` would read every term).
const MIN_PREFIX_CHARS: usize = 3;
/// The indexed words a prefix expands to, the commonest first, per field.
const MAX_PREFIX_TERMS: usize = 64;
/// The most dictionary entries read to expand one prefix, per segment and field.
const MAX_PREFIX_SCAN: usize = 100_000;

/// Turns a parsed query into tantivy queries over the record fields.
struct Terms<'a> {
    /// Every shard's: a word is known when any shard holds it.
    searchers: &'a [Searcher],
    fields: &'a Fields,
    tokenizers: &'a TokenizerManager,
}

impl Terms<'_> {
    /// The whole query: its tree, plus a bonus for plain words that stand close together. A query of
    /// stop words only (*och*) searches them as exact words rather than finding nothing.
    fn top(&self, tree: &Node) -> Option<Box<dyn Query>> {
        let Some(query) = self.node(tree) else {
            let words: Vec<(Occur, Box<dyn Query>)> = leaf_words(tree)
                .into_iter()
                .map(|w| (Occur::Must, term(self.fields.body_exact, &w)))
                .collect();
            return (!words.is_empty()).then(|| Box::new(BooleanQuery::new(words)) as Box<dyn Query>);
        };
        let Node::All(parts) = tree else { return Some(query) };
        let plain: Vec<&str> = parts
            .iter()
            .filter(|p| !p.excluded)
            .filter_map(|p| match &p.node {
                Node::Word(w) => Some(w.as_str()),
                _ => None,
            })
            .collect();
        let stems: Vec<String> =
            plain.iter().filter_map(|w| self.analyse(analyzer::SWEDISH, w).pop().map(|(_, s)| s)).collect();
        if stems.len() < 2 {
            return Some(query);
        }
        let terms = stems.iter().map(|s| Term::from_field_text(self.fields.body_sv, s)).collect();
        let mut near = PhraseQuery::new(terms);
        near.set_slop(NEAR_SLOP);
        Some(Box::new(BooleanQuery::new(vec![(Occur::Must, query), (Occur::Should, Box::new(near))])))
    }

    fn node(&self, node: &Node) -> Option<Box<dyn Query>> {
        match node {
            Node::Word(w) => self.word(w),
            Node::Prefix(p) => self.prefix(p),
            Node::Phrase(words) => self.phrase(words),
            Node::Any(alternatives) => {
                let should: Vec<Box<dyn Query>> = alternatives.iter().filter_map(|n| self.node(n)).collect();
                (!should.is_empty()).then(|| any_of(should))
            }
            Node::All(parts) => {
                let mut clauses = Vec::new();
                for part in parts {
                    if let Some(q) = self.node(&part.node) {
                        clauses.push((if part.excluded { Occur::MustNot } else { Occur::Must }, q));
                    }
                }
                if !clauses.iter().any(|(occur, _)| *occur == Occur::Must) {
                    return None;
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
        }
    }

    /// One word: its stem in the title and body, its exact form, its form without diacritics when it
    /// was typed without them, and, when the index holds it in none of these, the indexed spellings
    /// one letter away. `None` for a stop word.
    fn word(&self, w: &str) -> Option<Box<dyn Query>> {
        let stem = self.analyse(analyzer::SWEDISH, w).pop()?.1;
        let plain = is_plain(w);
        let mut should = vec![
            boosted(term(self.fields.title_sv, &stem), TITLE_BOOST),
            term(self.fields.body_sv, &stem),
            boosted(term(self.fields.body_exact, w), EXACT_BOOST),
        ];
        let folded = if plain { self.analyse(analyzer::FOLDED, w).pop().map(|(_, f)| f) } else { None };
        if let Some(f) = &folded {
            should.push(boosted(term(self.fields.body_folded, f), FOLDED_BOOST));
        }
        if w.chars().count() >= TYPO_MIN_CHARS
            && self.doc_freq(self.fields.body_sv, &stem) == 0
            && folded.as_ref().is_none_or(|f| self.doc_freq(self.fields.body_folded, f) == 0)
        {
            // The stemmer leaves some inflections apart (*konferens*, *konferenser*): indexed words
            // that are the typed one plus an ending count as it too.
            let endings = prefixed_terms(self.searchers, self.fields.body_exact, w, MAX_TYPO_TERMS)
                .into_iter()
                .filter(|t| t.chars().count() <= w.chars().count() + MAX_ENDING_CHARS);
            let near = nearby_terms(self.searchers, self.fields.body_exact, w, TYPO_DISTANCE, MAX_TYPO_TERMS);
            for near in near.into_iter().chain(endings) {
                should.push(boosted(term(self.fields.body_exact, &near), TYPO_BOOST * EXACT_BOOST));
                if let Some((_, s)) = self.analyse(analyzer::SWEDISH, &near).pop() {
                    should.push(boosted(term(self.fields.body_sv, &s), TYPO_BOOST));
                }
            }
            if let Some(f) = &folded {
                for near in
                    nearby_terms(self.searchers, self.fields.body_folded, f, TYPO_DISTANCE, MAX_TYPO_TERMS)
                {
                    should.push(boosted(term(self.fields.body_folded, &near), TYPO_BOOST * FOLDED_BOOST));
                }
            }
        }
        Some(any_of(should))
    }

    /// Words that start with `p`, whole or as a compound's part: the [`MAX_PREFIX_TERMS`] commonest
    /// indexed ones, each searched as a term (so that it is scored and marked in the snippet like a
    /// typed word).
    fn prefix(&self, p: &str) -> Option<Box<dyn Query>> {
        if p.chars().count() < MIN_PREFIX_CHARS {
            return self.word(p);
        }
        let f = self.fields;
        let mut should = Vec::new();
        for t in prefixed_terms(self.searchers, f.body_sv, p, MAX_PREFIX_TERMS) {
            should.push(boosted(term(f.title_sv, &t), TITLE_BOOST));
            should.push(term(f.body_sv, &t));
        }
        for t in prefixed_terms(self.searchers, f.body_exact, p, MAX_PREFIX_TERMS) {
            should.push(boosted(term(f.body_exact, &t), EXACT_BOOST));
        }
        if is_plain(p) {
            for t in prefixed_terms(self.searchers, f.body_folded, p, MAX_PREFIX_TERMS) {
                should.push(boosted(term(f.body_folded, &t), FOLDED_BOOST));
            }
        }
        if should.is_empty() {
            return Some(Box::new(EmptyQuery));
        }
        Some(any_of(should))
    }

    /// Words in this order: exactly as typed (stop words included), or by their stems, or without
    /// diacritics when typed without them.
    fn phrase(&self, words: &[String]) -> Option<Box<dyn Query>> {
        let text = words.join(" ");
        let exact = self.analyse(analyzer::EXACT, &text);
        if exact.len() < 2 {
            let w = exact.into_iter().next()?.1;
            return self.word(&w).or_else(|| Some(term(self.fields.body_exact, &w)));
        }
        let mut should: Vec<Box<dyn Query>> = vec![phrase(self.fields.body_exact, &exact)];
        let stems = self.analyse(analyzer::SWEDISH, &text);
        if stems.len() >= 2 {
            should.push(boosted(phrase(self.fields.title_sv, &stems), TITLE_BOOST));
            should.push(boosted(phrase(self.fields.body_sv, &stems), EXACT_BOOST));
        }
        if is_plain(&text) {
            let folded = self.analyse(analyzer::FOLDED, &text);
            if folded.len() >= 2 {
                should.push(boosted(phrase(self.fields.body_folded, &folded), FOLDED_BOOST));
            }
        }
        Some(any_of(should))
    }

    fn analyse(&self, analyser: &str, text: &str) -> Vec<(usize, String)> {
        analyse(self.tokenizers, analyser, text)
    }

    fn doc_freq(&self, field: Field, text: &str) -> u64 {
        doc_freq(self.searchers, &Term::from_field_text(field, text))
    }
}

/// The terms `analyser` makes of `text`, with their positions.
fn analyse(tokenizers: &TokenizerManager, analyser: &str, text: &str) -> Vec<(usize, String)> {
    let Some(mut analyzer) = tokenizers.get(analyser) else { return Vec::new() };
    memo::tokens(&mut analyzer, text).into_iter().map(|t| (t.position, t.text)).collect()
}

/// A query that matches what any of `queries` matches, scored by those that do.
fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(queries.into_iter().map(|q| (Occur::Should, q)).collect()))
}

/// `text` with each word that `field` does not hold replaced by its nearest indexed spelling (see
/// [`super::Index::suggest`]); `None` when no word changes.
pub fn suggest(searchers: &[Searcher], field: Field, text: &str) -> Option<String> {
    let mut changed = false;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // Rewrite word by word, keeping the query's own punctuation and operators.
    while let Some(start) = rest.find(char::is_alphanumeric) {
        out.push_str(&rest[..start]);
        let len = rest[start..].find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len() - start);
        let word = &rest[start..start + len];
        let lower = word.to_lowercase();
        let known = doc_freq(searchers, &Term::from_field_text(field, &lower)) > 0;
        let replacement = if known || query::is_operator(word) || lower.chars().count() < 3 {
            None
        } else {
            let distance = if lower.chars().count() >= 6 { 2 } else { 1 };
            (1..=distance).find_map(|d| nearby_terms(searchers, field, &lower, d, 1).pop())
        };
        match replacement {
            Some(near) => {
                out.push_str(&near);
                changed = true;
            }
            None => out.push_str(word),
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The indexed terms of `field` at most `distance` edits (a transposition counting one) from `text`,
/// at most `limit`, the most common first, by the number of records holding them.
fn nearby_terms(searchers: &[Searcher], field: Field, text: &str, distance: u8, limit: usize) -> Vec<String> {
    let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, text), distance, true);
    let mut found: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for segment in searchers.iter().flat_map(Searcher::segment_readers) {
        let (Ok(index), Ok(automaton)) = (segment.inverted_index(field), fuzzy.automaton()) else { continue };
        let Ok(mut stream) = index.terms().search(automaton).into_stream() else { continue };
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                if term != text {
                    *found.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    commonest(found, limit)
}

/// The indexed terms of `field` that start with `prefix`, at most `limit`, the most common first.
fn prefixed_terms(searchers: &[Searcher], field: Field, prefix: &str, limit: usize) -> Vec<String> {
    let mut found: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for segment in searchers.iter().flat_map(Searcher::segment_readers) {
        let Ok(index) = segment.inverted_index(field) else { continue };
        let Ok(mut stream) = index.terms().range().ge(prefix.as_bytes()).into_stream() else { continue };
        let mut read = 0;
        while read < MAX_PREFIX_SCAN && stream.advance() {
            read += 1;
            if !stream.key().starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                *found.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    commonest(found, limit)
}

/// How many records of all shards hold `term`.
fn doc_freq(searchers: &[Searcher], term: &Term) -> u64 {
    searchers.iter().map(|s| s.doc_freq(term).unwrap_or(0)).sum()
}

/// The `limit` terms with the highest counts, ties in term order.
fn commonest(found: std::collections::HashMap<String, u64>, limit: usize) -> Vec<String> {
    let mut found: Vec<(String, u64)> = found.into_iter().collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    found.into_iter().take(limit).map(|(t, _)| t).collect()
}

/// The words of every leaf of `tree`, in order.
fn leaf_words(tree: &Node) -> Vec<String> {
    match tree {
        Node::Word(w) | Node::Prefix(w) => vec![w.clone()],
        Node::Phrase(words) => words.clone(),
        Node::Any(nodes) => nodes.iter().flat_map(leaf_words).collect(),
        Node::All(parts) => parts.iter().filter(|p| !p.excluded).flat_map(|p| leaf_words(&p.node)).collect(),
    }
}

/// Typed without diacritics (å, ä, ö, é…): then the form without them is what was meant.
fn is_plain(text: &str) -> bool {
    text.is_ascii()
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

fn phrase(field: Field, terms: &[(usize, String)]) -> Box<dyn Query> {
    let base = terms.first().map_or(0, |(p, _)| *p);
    Box::new(PhraseQuery::new_with_offset(
        terms.iter().map(|(p, t)| (p - base, Term::from_field_text(field, t))).collect(),
    ))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if boost == 1.0 {
        return query;
    }
    Box::new(BoostQuery::new(query, boost))
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
        let marks = self.marks(text);
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

    /// The byte ranges of `text` that the query matched, merged and in order.
    fn marks(&self, text: &str) -> Vec<Range<usize>> {
        // Every field marks what it matched: *sjukvården* by its stem, *och* in a phrase by its exact
        // form, *jamstalldhet* by its folded form.
        let mut marks = Vec::new();
        for generator in &self.generators {
            let snippet = generator.snippet(text);
            let shift = snippet.fragment_range().start;
            marks.extend(snippet.highlighted().iter().map(|r| r.start + shift..r.end + shift));
        }
        merge(&marks)
    }
}

/// Marks a query's words in whole texts; see [`super::Index::highlighter`].
pub struct Highlighter(pub(super) Snippets);

impl Highlighter {
    /// All of `text` as it is (line breaks kept), every matched word marked `«…»`.
    pub fn mark(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        push_marked(&mut out, text, &self.0.marks(text));
        out
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
    push_marked(&mut out, fragment, &merge(marks));
    if has_words(after) {
        out.push('…');
    } else {
        out.push_str(after);
    }
    one_line(&out)
}

/// `text` onto `out`, with `marks` (sorted, disjoint byte ranges of it) between `«` and `»`.
fn push_marked(out: &mut String, text: &str, marks: &[Range<usize>]) {
    let mut at = 0;
    for r in marks {
        let (Some(before), Some(word)) = (text.get(at..r.start), text.get(r.clone())) else { continue };
        out.push_str(before);
        out.push('«');
        out.push_str(word);
        out.push('»');
        at = r.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
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
