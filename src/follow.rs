//! Commitments followed across years: for every goal and every planned or ongoing activity, the
//! records of later documents that report on it.
//!
//! A *commitment* is a goal, or an activity whose status is planned or ongoing, in a document with a
//! year. A *follow-up* is a record of the same kind in a document of a later year. Each pair is scored
//! from four kinds of evidence, none of them a list of this corpus's projects:
//!
//! - **words**: cosine similarity of the records' Swedish terms (stems and compound parts, as search
//!   matches them), each weighted by its inverse document frequency among all goals and activities,
//!   so that a shared rare word counts and *jämställdhet* hardly does;
//! - **names**: the share of the commitment's named things (capitalised words inside a sentence,
//!   acronyms, numbers) that the later record names too, so that a paraphrase that keeps only the
//!   name of a publication or a programme still matches;
//! - **time**: a planned activity's years (or, with none, the year after its document's) agree with
//!   the later document's year or the years it names;
//! - **series**: the two documents' titles share terms (the same programme's reports come first).
//!
//! A status that goes backwards (ongoing → planned) weakens a link. Pairs under [`THRESHOLD`] are
//! dropped; then links are chosen best first, each later record reporting on at most one undertaking
//! unless a second fits almost as well, and each commitment keeping at most [`MAX_LINKS`] follow-ups
//! near its best. Done activities compete for later records too, without being emitted: a later
//! record that continues one (the next year of a recurring initiative) is explained by it.
//!
//! [`links`] compares the records it is given; [`pool`] reads them from an index through its
//! read-only side. Nothing here writes to an index or changes a record.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Error;
use crate::index::{DocContext, Filter, Index, SwedishTerms};
use crate::records::{Kind, Record};
use crate::segment::Status;

/// The lowest score a link is emitted with.
pub const THRESHOLD: f32 = 0.3;
/// The most follow-ups one commitment keeps.
pub const MAX_LINKS: usize = 3;
/// A follow-up is kept only if its score is at least this share of its commitment's best.
const NEAR_BEST: f32 = 0.75;
/// The most (term, later record) pairs one commitment looks at to find its candidates, its rarest
/// terms first: bounds the cost of a commitment whatever the archive holds.
const WORK: usize = 4096;
/// Candidates scored per commitment, the most similar in words first.
const CANDIDATES: usize = 32;

/// The weight of a word of the record's context (its heading and the sentence before it) against a
/// word of its own.
const CONTEXT: f32 = 0.7;

/// How much each kind of evidence weighs; they sum to 1, so a score is in 0..=1.
const WORDS: f32 = 0.75;
const NAMES: f32 = 0.1;
const TIME: f32 = 0.1;
const SERIES: f32 = 0.05;

/// One commitment and one later record that reports on it. The field names are a contract
/// (`arkiv follow --json`): add fields, never rename them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// The commitment's record id.
    pub from: String,
    /// The later record's id.
    pub to: String,
    pub from_doc: String,
    pub to_doc: String,
    pub from_year: i32,
    pub to_year: i32,
    /// `planned` or `ongoing` for an activity, `null` for a goal.
    pub from_status: Option<Status>,
    /// The later record's status (`null` for a goal).
    pub to_status: Option<Status>,
    /// 0..=1, at least [`THRESHOLD`].
    pub score: f32,
}

/// Whether `record` is a commitment: a goal, or a planned or ongoing activity.
pub fn is_commitment(record: &Record) -> bool {
    match record {
        Record::Goal(_) => true,
        Record::Activity(a) => a.status != Status::Done,
        _ => false,
    }
}

/// Every section, goal and activity in `index`, with its context: what [`links`] compares (the
/// sections for the text around each goal and activity).
pub fn pool(index: &Index) -> Result<Vec<(Record, DocContext)>, Error> {
    let mut records = Vec::new();
    for kind in [Kind::Section, Kind::Goal, Kind::Activity] {
        records.extend(index.export(&Filter { kind: Some(kind), ..Filter::default() })?);
    }
    Ok(records)
}

/// Every link among the goals and activities of `index`.
pub fn links_in(index: &Index) -> Result<Vec<Link>, Error> {
    Ok(links(&pool(index)?))
}

/// Every link among `records` (any order, any number of documents), ordered by commitment (in the
/// order given) and then by score.
pub fn links(records: &[(Record, DocContext)]) -> Vec<Link> {
    let items = Items::new(records);
    // Every earlier record competes for the later ones, a done activity too: a later record that
    // continues a done activity (the same recurring conference, the next year of a network) is
    // explained by it, and is no follow-up of a commitment it only resembles.
    let proposals: Vec<(usize, usize, f32)> = (0..items.list.len())
        .into_par_iter()
        .flat_map_iter(|i| items.candidates(i).into_iter().map(move |(j, score)| (i, j, score)))
        .collect();
    let chosen = choose(proposals, &items.undertakings());
    let mut links: Vec<Link> = chosen
        .into_iter()
        .filter(|&(i, _, _)| items.list[i].commitment)
        .map(|(i, j, score)| {
            let (from, to) = (&items.list[i], &items.list[j]);
            Link {
                from: from.id.to_string(),
                to: to.id.to_string(),
                from_doc: from.doc_id.to_string(),
                to_doc: to.doc_id.to_string(),
                from_year: from.year,
                to_year: to.year,
                from_status: from.status,
                to_status: to.status,
                score: (score * 1000.0).round() / 1000.0,
            }
        })
        .collect();
    let order: HashMap<&str, usize> = items.list.iter().enumerate().map(|(n, item)| (item.id, n)).collect();
    links.sort_by(|a, b| {
        let at = |id: &str| order.get(id).copied().unwrap_or(usize::MAX);
        at(&a.from).cmp(&at(&b.from)).then(b.score.total_cmp(&a.score)).then_with(|| a.to.cmp(&b.to))
    });
    links
}

/// Best first: a commitment keeps at most [`MAX_LINKS`] follow-ups, each at least [`NEAR_BEST`] of its
/// best; a later record reports on one undertaking, or two when the second scores nearly as well.
/// `undertaking[i]` names the undertaking record `i` tells of: records of one undertaking do not
/// compete for a later record.
fn choose(mut proposals: Vec<(usize, usize, f32)>, undertaking: &[usize]) -> Vec<(usize, usize, f32)> {
    proposals.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    let mut best_of_from: HashMap<usize, f32> = HashMap::new();
    let mut kept_of_from: HashMap<usize, usize> = HashMap::new();
    // A later record's claims so far: how many undertakings, the first one's score and undertaking.
    let mut claims_of_to: HashMap<usize, (usize, f32, usize)> = HashMap::new();
    let mut chosen = Vec::new();
    for (i, j, score) in proposals {
        let best = *best_of_from.entry(i).or_insert(score);
        if score < NEAR_BEST * best || kept_of_from.get(&i).copied().unwrap_or(0) >= MAX_LINKS {
            continue;
        }
        let own = undertaking.get(i).copied().unwrap_or(i);
        match claims_of_to.get(&j) {
            Some(&(_, _, first_own)) if first_own == own => None,
            Some(&(claims, first, _)) if claims >= 2 || score < 0.9 * first => continue,
            Some(&(claims, first, first_own)) => claims_of_to.insert(j, (claims + 1, first, first_own)),
            None => claims_of_to.insert(j, (1, score, own)),
        };
        *kept_of_from.entry(i).or_insert(0) += 1;
        chosen.push((i, j, score));
    }
    chosen
}

/// A goal or an activity, as the comparison sees it.
struct Item<'a> {
    id: &'a str,
    doc_id: &'a str,
    year: i32,
    goal: bool,
    commitment: bool,
    status: Option<Status>,
    /// The years the record names (an activity's), else none.
    years: &'a [i32],
    /// (term, weight), each term once, sorted by term: its own and its context's.
    terms: Vec<(u32, f32)>,
    /// The terms that find its candidates, rarest first, with their weights.
    finders: Vec<(u32, f32)>,
    norm: f32,
    /// The terms of its named things, sorted.
    names: Vec<u32>,
    /// Its document's index in [`Items::titles`].
    doc: usize,
    section: Option<&'a str>,
}

struct Items<'a> {
    list: Vec<Item<'a>>,
    /// Term → the items holding it, by year.
    postings: HashMap<u32, Vec<usize>>,
    idf: Vec<f32>,
    /// Each document's title terms (its years left out), sorted.
    titles: Vec<Vec<u32>>,
}

impl<'a> Items<'a> {
    fn new(records: &'a [(Record, DocContext)]) -> Items<'a> {
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let mut intern = |terms: Vec<String>| -> Vec<u32> {
            let mut ids: Vec<u32> = terms
                .into_iter()
                .map(|t| {
                    let next = u32::try_from(vocabulary.len()).unwrap_or(u32::MAX);
                    *vocabulary.entry(t).or_insert(next)
                })
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let mut analyzer = SwedishTerms::new();
        let section_texts: HashMap<&str, String> = records
            .iter()
            .filter_map(|(r, _)| match r {
                Record::Section(s) => Some((s.id.as_str(), one_spaced(&s.text))),
                _ => None,
            })
            .collect();
        let mut docs: HashMap<&str, usize> = HashMap::new();
        let mut titles = Vec::new();
        let mut list = Vec::new();
        let mut raw_terms = Vec::new();
        for (record, context) in records {
            let (text, goal, status, years, section) = match record {
                Record::Goal(g) => (&g.text, true, None, &[][..], g.section_id.as_deref()),
                Record::Activity(a) => {
                    (&a.text, false, Some(a.status), &a.years[..], a.section_id.as_deref())
                }
                _ => continue,
            };
            let Some(year) = context.year else { continue };
            let doc = *docs.entry(record.doc_id()).or_insert_with(|| {
                titles.push(intern(analyzer.of(&without_digits(&context.title))));
                titles.len() - 1
            });
            let before = section.and_then(|id| section_texts.get(id)).map_or("", |s| preceding(s, text));
            let heading = context.section_path.last().map_or("", String::as_str);
            raw_terms.push((intern(analyzer.of(text)), intern(analyzer.of(&format!("{heading}\n{before}")))));
            let mut names_of: Vec<&str> = names(text);
            names_of.extend(names(before));
            list.push(Item {
                id: record.id(),
                doc_id: record.doc_id(),
                year,
                goal,
                commitment: is_commitment(record),
                status,
                years,
                terms: Vec::new(),
                finders: Vec::new(),
                norm: 0.0,
                names: intern(analyzer.of(&names_of.join(" "))),
                doc,
                section,
            });
        }
        let mut df = vec![0u32; vocabulary.len()];
        for (terms, _) in &raw_terms {
            for &t in terms {
                df[t as usize] += 1;
            }
        }
        let n = list.len().max(1) as f32;
        let idf: Vec<f32> = df.iter().map(|&d| (1.0 + n / d.max(1) as f32).ln()).collect();
        // A term on more than this many records (the organisation's name, the genre's words) tells
        // little about which record is which: it finds no candidates and is no name.
        let common = 64usize.max(list.len() / 50);
        let mut postings: HashMap<u32, Vec<usize>> = HashMap::new();
        for (at, (item, (terms, around))) in list.iter_mut().zip(raw_terms).enumerate() {
            // A name on many records (the organisation's own) tells nothing about which one this is.
            item.names.retain(|&t| df[t as usize] as usize <= common);
            // A named thing is worth more than a common word with the same rarity; a word of the
            // sentence before or of the heading (what "skriften" or "den" refers to) counts half.
            let weight = |t: u32, share: f32| {
                let boost = if item.names.binary_search(&t).is_ok() { 2.0 } else { 1.0 };
                idf[t as usize] * boost * share
            };
            let mut merged: Vec<(u32, f32)> = terms.iter().map(|&t| (t, weight(t, 1.0))).collect();
            merged.extend(
                around
                    .into_iter()
                    .filter(|t| terms.binary_search(t).is_err())
                    .map(|t| (t, weight(t, CONTEXT))),
            );
            merged.sort_unstable_by_key(|&(t, _)| t);
            item.terms = merged;
            item.norm = item.terms.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            // Its terms find its candidates, the rarest first; the genre's common words none.
            let mut finders: Vec<(u32, f32)> =
                item.terms.iter().filter(|(t, _)| df[*t as usize] as usize <= common).copied().collect();
            finders.sort_by_key(|&(t, _)| (df[t as usize], t));
            item.finders = finders;
            for &(t, _) in &item.terms {
                postings.entry(t).or_default().push(at);
            }
        }
        // By year, so that a commitment's scan starts at the year after its own.
        for holders in postings.values_mut() {
            holders.sort_by_key(|&j| list[j].year);
        }
        Items { list, postings, idf, titles }
    }

    /// The undertaking each item tells of, as an item's index: its own, except that a done record
    /// told just before a commitment of its kind in the same section is taken as the same
    /// undertaking ("SKL har planerat ett pilotprojekt … Projektet genomförs 2019–2020"), so that the
    /// report of its preparation does not take the commitment's follow-up from it.
    fn undertakings(&self) -> Vec<usize> {
        let mut undertaking: Vec<usize> = (0..self.list.len()).collect();
        for (at, pair) in self.list.windows(2).enumerate() {
            let (done, next) = (&pair[0], &pair[1]);
            let same_place =
                done.doc_id == next.doc_id && done.section.is_some() && done.section == next.section;
            if !done.commitment && next.commitment && done.goal == next.goal && same_place {
                undertaking[at] = at + 1;
            }
        }
        undertaking
    }

    /// The follow-ups of record `i` scoring at least [`THRESHOLD`], best first.
    fn candidates(&self, i: usize) -> Vec<(usize, f32)> {
        let from = &self.list[i];
        // Candidates share a rare-enough term of the commitment's own text, are of the same kind, and
        // come from a later year.
        let mut shared: rustc_hash::FxHashMap<usize, f32> = rustc_hash::FxHashMap::default();
        let mut budget = WORK;
        for &(t, weight) in &from.finders {
            let holders = self.postings.get(&t).map_or(&[][..], Vec::as_slice);
            let later = holders.partition_point(|&j| self.list[j].year <= from.year);
            // The nearest later years first: the same series' next reports come first.
            let scan = &holders[later..holders.len().min(later + budget)];
            budget -= scan.len();
            for &j in scan {
                let to = &self.list[j];
                if to.goal == from.goal {
                    let other =
                        to.terms.binary_search_by_key(&t, |&(t, _)| t).map_or(0.0, |at| to.terms[at].1);
                    *shared.entry(j).or_insert(0.0) += weight * other;
                }
            }
            if budget == 0 {
                break;
            }
        }
        // The rare terms find the candidates; the full cosine, common terms included, scores them.
        let mut found: Vec<(usize, f32)> = shared.into_iter().collect();
        found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        found.truncate(CANDIDATES);
        let mut scored: Vec<(usize, f32)> = found
            .into_iter()
            .map(|(j, _)| (j, self.score(from, &self.list[j], cosine(from, &self.list[j]))))
            .filter(|&(_, score)| score >= THRESHOLD)
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored
    }

    /// The score of `to` as a follow-up of `from`, given their similarity in words.
    fn score(&self, from: &Item, to: &Item, words: f32) -> f32 {
        let names = if from.names.is_empty() {
            // Nothing named: the words must carry it alone.
            words
        } else {
            let weight = |terms: &[u32]| terms.iter().map(|&t| self.idf[t as usize]).sum::<f32>();
            let shared: Vec<u32> = from.names.iter().copied().filter(|t| to.terms_contain(*t)).collect();
            weight(&shared) / weight(&from.names).max(f32::MIN_POSITIVE)
        };
        let time = if from.goal {
            0.5
        } else {
            let targets: Vec<i32> =
                if from.years.is_empty() { vec![from.year + 1] } else { from.years.to_vec() };
            let reported = std::iter::once(to.year).chain(to.years.iter().copied());
            let agrees = reported.into_iter().any(|y| targets.contains(&y));
            if agrees {
                1.0
            } else {
                0.0
            }
        };
        let series = jaccard(&self.titles[from.doc], &self.titles[to.doc]);
        let progression = match (from.status, to.status) {
            (Some(Status::Ongoing), Some(Status::Planned)) => 0.8,
            _ => 1.0,
        };
        progression * (WORDS * words + NAMES * names + TIME * time + SERIES * series)
    }
}

impl Item<'_> {
    fn terms_contain(&self, term: u32) -> bool {
        self.terms.binary_search_by_key(&term, |&(t, _)| t).is_ok()
    }
}

/// The cosine of two items' weighted terms (both sorted by term).
fn cosine(a: &Item, b: &Item) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while let (Some(&(ta, wa)), Some(&(tb, wb))) = (a.terms.get(i), b.terms.get(j)) {
        match ta.cmp(&tb) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += wa * wb;
                i += 1;
                j += 1;
            }
        }
    }
    dot / (a.norm * b.norm).max(f32::MIN_POSITIVE)
}

/// The Jaccard similarity of two sorted sets of terms.
fn jaccard(a: &[u32], b: &[u32]) -> f32 {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f32 / union as f32
    }
}

fn one_spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The sentence before `record` in `section` (both with single spaces): up to [`BEFORE`] bytes,
/// starting at a sentence boundary where there is one; empty when `record` is not found.
fn preceding<'s>(section: &'s str, record: &str) -> &'s str {
    let record = one_spaced(record);
    let probe: String = record.chars().take(40).collect();
    let Some(at) = section.find(probe.as_str()) else { return "" };
    let mut start = at.saturating_sub(BEFORE);
    while !section.is_char_boundary(start) {
        start += 1;
    }
    let window = &section[start..at];
    // From the start of the last whole sentence before the record.
    let trimmed = window.trim_end();
    // The window's own last mark ends the sentence before: look for the one before it.
    let last = trimmed.char_indices().last().map_or(0, |(i, _)| i);
    let cut = trimmed[..last].rfind(['.', '!', '?', ':']).map_or(0, |i| i + 1);
    window[cut..].trim()
}

/// The most context taken before a record, in bytes.
const BEFORE: usize = 300;

fn without_digits(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_digit() { ' ' } else { c }).collect()
}

/// The named things in a sentence: words written with a capital letter that do not start the
/// sentence, acronyms, and numbers (a count, a year: the same year named on both sides is evidence
/// beside [`TIME`]'s, which only looks at a plan's target years).
fn names(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut sentence_start = true;
    for word in text.split(|c: char| c.is_whitespace() || c == '/') {
        let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = trimmed.chars().next() else { continue };
        let acronym = trimmed.chars().count() >= 2
            && trimmed.chars().any(char::is_uppercase)
            && trimmed.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
        let capitalised = first.is_uppercase() && !sentence_start;
        let number = trimmed.chars().all(|c| c.is_ascii_digit());
        if acronym || capitalised || number {
            out.push(trimmed);
        }
        sentence_start = word.ends_with(['.', ':', '!', '?', '•', '–']) || word == "-";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{ActivityRecord, GoalRecord, Provenance};
    use crate::segment::DocType;

    fn context(title: &str, year: i32) -> DocContext {
        DocContext {
            title: title.into(),
            doc_type: DocType::ResultReport,
            year: Some(year),
            org: Some("SKL".into()),
            section_path: vec!["Jämställd hälsa".into()],
        }
    }

    fn activity(id: &str, doc: &str, text: &str, status: Status, years: &[i32]) -> Record {
        Record::Activity(ActivityRecord {
            id: id.into(),
            doc_id: doc.into(),
            schema_version: 1,
            section_id: None,
            text: text.into(),
            status,
            years: years.to_vec(),
            actors: vec!["SKL".into()],
            source: Provenance::new(format!("{doc}.pdf"), doc, None),
        })
    }

    fn goal(id: &str, doc: &str, text: &str) -> Record {
        Record::Goal(GoalRecord {
            id: id.into(),
            doc_id: doc.into(),
            schema_version: 1,
            section_id: None,
            text: text.into(),
            source: Provenance::new(format!("{doc}.pdf"), doc, None),
        })
    }

    fn pairs(links: &[Link]) -> Vec<(&str, &str)> {
        links.iter().map(|l| (l.from.as_str(), l.to.as_str())).collect()
    }

    #[test]
    fn a_planned_activity_is_followed_by_the_later_report_of_it_only() {
        let (early, late) = (context("Resultatrapport 2018", 2018), context("Resultatrapport 2019", 2019));
        let records = vec![
            (
                activity(
                    "a1",
                    "d18",
                    "Kunskapsöversikten om jämställd vård lanseras på Bokmässan 2019.",
                    Status::Planned,
                    &[2019],
                ),
                early.clone(),
            ),
            (
                activity(
                    "a2",
                    "d18",
                    "SKL startar ett nätverk för chefer i Jönköpings län.",
                    Status::Planned,
                    &[2019],
                ),
                early.clone(),
            ),
            (goal("g1", "d18", "Målet är att stärka kvinnofridsarbetet i kommunerna."), early.clone()),
            (
                activity(
                    "b1",
                    "d19",
                    "Kunskapsöversikten om jämställd vård lanserades på Bokmässan i september 2019.",
                    Status::Done,
                    &[2019],
                ),
                late.clone(),
            ),
            (
                activity(
                    "b2",
                    "d19",
                    "Skolriksdagen hölls i maj med många deltagare från skolorna.",
                    Status::Done,
                    &[2019],
                ),
                late.clone(),
            ),
            (
                goal("h1", "d19", "Målet är att stärka kvinnofridsarbetet i kommuner och regioner."),
                late.clone(),
            ),
            // Of the same year as a1: never its follow-up.
            (
                activity(
                    "c1",
                    "d18b",
                    "Kunskapsöversikten om jämställd vård lanseras på Bokmässan 2019.",
                    Status::Planned,
                    &[2019],
                ),
                early.clone(),
            ),
        ];
        let links = links(&records);
        let found = pairs(&links);
        assert!(found.contains(&("a1", "b1")), "{found:?}");
        assert!(found.contains(&("g1", "h1")), "goals follow goals: {found:?}");
        assert!(!found.iter().any(|(from, _)| *from == "a2"), "nothing reports on a2: {found:?}");
        assert!(!found
            .iter()
            .any(|(from, to)| from.starts_with('b') || from.starts_with('h') || *to == "a1"));
        assert!(!found.contains(&("a1", "c1")) && !found.contains(&("c1", "a1")), "same year: {found:?}");
        assert!(!found.contains(&("g1", "b1")) && !found.contains(&("a1", "h1")), "kinds stay apart");
        for link in &links {
            assert!(link.to_year > link.from_year && link.score >= THRESHOLD && link.score <= 1.0);
        }
        let a1 = links.iter().find(|l| l.from == "a1").expect("a1's link");
        assert_eq!((a1.from_status, a1.to_status), (Some(Status::Planned), Some(Status::Done)));
    }

    #[test]
    fn a_later_record_continuing_a_done_activity_is_no_follow_up_of_a_commitment() {
        let (early, late) = (context("Rapport 2018", 2018), context("Rapport 2019", 2019));
        let records = vec![
            (
                activity(
                    "a1",
                    "d18",
                    "SKL för dialoger med länsstyrelserna om våldsförebyggande arbete och våld i skolan.",
                    Status::Ongoing,
                    &[],
                ),
                early.clone(),
            ),
            (
                activity(
                    "a2",
                    "d18",
                    "SKL deltog i initiativet En vecka fri från våld med länsstyrelserna om våldsförebyggande arbete.",
                    Status::Done,
                    &[],
                ),
                early.clone(),
            ),
            (
                activity(
                    "b1",
                    "d19",
                    "SKR deltog även 2019 i initiativet En vecka fri från våld med länsstyrelserna om \
                     våldsförebyggande arbete.",
                    Status::Done,
                    &[2019],
                ),
                late,
            ),
        ];
        // b1 resembles the commitment a1, but it is the next year of the done a2.
        assert!(!pairs(&links(&records)).contains(&("a1", "b1")), "{:?}", links(&records));
        let without_a2 = [records[0].clone(), records[2].clone()];
        assert!(pairs(&links(&without_a2)).contains(&("a1", "b1")), "{:?}", links(&without_a2));
    }

    #[test]
    fn the_report_of_a_commitments_preparation_does_not_take_its_follow_up() {
        let (early, late) = (context("Rapport 2018", 2018), context("Rapport 2019", 2019));
        let in_section = |mut record: Record| {
            if let Record::Activity(a) = &mut record {
                a.section_id = Some("d18-s1".into());
            }
            record
        };
        let records = vec![
            (
                in_section(activity(
                    "a1",
                    "d18",
                    "SKL har planerat ett pilotprojekt om systematisk uppföljning med Socialstyrelsen.",
                    Status::Done,
                    &[],
                )),
                early.clone(),
            ),
            (
                in_section(activity(
                    "a2",
                    "d18",
                    "Projektet genomförs 2019–2020 i kommunerna.",
                    Status::Planned,
                    &[2019, 2020],
                )),
                early,
            ),
            (
                activity(
                    "b1",
                    "d19",
                    "SKR och Socialstyrelsen genomför sedan 2019 pilotprojektet om systematisk uppföljning.",
                    Status::Ongoing,
                    &[2019],
                ),
                late,
            ),
        ];
        let items = Items::new(&records);
        assert_eq!(items.undertakings(), vec![1, 1, 2]);
        assert!(pairs(&links(&records)).contains(&("a2", "b1")), "{:?}", links(&records));
    }

    #[test]
    fn a_done_activity_is_no_commitment() {
        let (early, late) = (context("Rapport", 2018), context("Rapport", 2019));
        let text = "Kunskapsöversikten om jämställd vård lanserades på Bokmässan.";
        let records = vec![
            (activity("a1", "d18", text, Status::Done, &[]), early),
            (activity("b1", "d19", text, Status::Done, &[]), late),
        ];
        assert!(links(&records).is_empty());
    }

    #[test]
    fn names_are_capitalised_words_inside_a_sentence_acronyms_and_counts() {
        let found = names(
            "Skriften lanseras på Bokmässan i Göteborg 2019 med RKA och 21 regioner. Nästa år kommer mer.",
        );
        assert_eq!(found, ["Bokmässan", "Göteborg", "2019", "RKA", "21"]);
    }

    #[test]
    fn the_sentence_before_a_record_is_its_context() {
        let section =
            "Inledning. Checklistan för jämställd vård blev klar i juni. Tre vårdcentraler använder den nu.";
        assert_eq!(
            preceding(section, "Tre vårdcentraler använder den nu."),
            "Checklistan för jämställd vård blev klar i juni."
        );
        assert_eq!(preceding(section, "Inledning."), "");
        assert_eq!(preceding(section, "Finns inte."), "");
        // Multi-byte letters at the window's edges are cut on character boundaries.
        let long = format!("{} Åtgärden följs upp.", "Större ärenden å å å. ".repeat(40));
        assert!(!preceding(&long, "Åtgärden följs upp.").is_empty());
    }
}
