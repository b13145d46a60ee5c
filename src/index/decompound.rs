//! A token filter that finds the words inside Swedish compounds.
//!
//! Swedish writes compounds as one word (*jämställdhetsintegrering*, *kvinnofridsarbetet*), and the
//! Snowball stemmer never splits them, so a search for `integrering` would miss most of the archive.
//! [`SwedishDecompounder`] keeps every token and, after it, emits the words it is built of, at the same
//! position and with the offsets of the whole word (so a phrase still lines up and a snippet marks the
//! whole compound). A part is emitted in its free-standing form (*kvinno-* → `kvinna`, *skol-* →
//! `skola`) so that it stems like the word on its own.
//!
//! The words come from a general Swedish lexicon ([`lexicon`](super::lexicon): hunspell-sv's
//! dictionary and suffix rules) and the ways a word changes when it begins a compound ([`LINKS`]: the linking
//! morphemes -s-, -e-, -a-, -o-, -u- and a dropped final vowel). A compound is split into the fewest
//! lexicon words that cover it, the last of them perhaps inflected. A word that is itself a form of a
//! lexicon word (*kommunen*, *sjukvården*) is split only through its base form, and only into parts of
//! [`MIN_KNOWN_PART`] letters that are not function words, so *kom|munen*, *person|alen* and
//! *till|syn* stay whole while *sjuk|vård* splits.
//!
//! It must never drop or alter the original token, never split a word into something that is only an
//! inflection or a derivational ending (*våldet* is not *våld* + *et*, *säkerhet* not *säker* + *het*),
//! and never run on the query side: a query word that yields several tokens would turn into a phrase.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::analyzer::STOP_WORDS;
use super::lexicon::{Lexicon, SWEDISH};

/// Shortest part, in characters (not bytes: å/ä/ö take two); rests shorter than this are endings.
const MIN_PART: usize = 3;
/// When the whole word is itself a lexicon word, a part shorter than this (in characters) must sit
/// beside one of at least [`LONG_NEIGHBOUR`]: three-letter words make too many ordinary words look like
/// compounds (*kom|mun*, *mål|tid*, *fri|tid* are words in their own right), but not *hem|sjukvård*.
const MIN_KNOWN_PART: usize = 4;
const LONG_NEIGHBOUR: usize = 5;
/// Tokens shorter than this are never compounds worth splitting.
const MIN_WORD: usize = 6;
/// Longer tokens are not split (they are noise: URLs, chemical names); bounds the quadratic search.
const MAX_WORD: usize = 48;
/// How deep a part is split again (*barnomsorgs|arbete* → *barn|omsorg*).
const MAX_DEPTH: usize = 3;

/// How a word's free-standing form changes when it begins a compound, as (ending removed, ending
/// added): *arbete* → *arbets-* is ("e", "s"), *kvinna* → *kvinno-* ("a", "o"), *gymnasium* →
/// *gymnasie-* ("um", "e"), *förälder* → *föräldra-* ("er", "ra"). Source: the fogemorfem of
/// Svenska Akademiens grammatik (-s-, -e-, -a-, -o-, -u-, and the dropped final vowel).
const LINKS: &[(&str, &str)] = &[
    ("", ""),
    ("", "s"),
    ("", "e"),
    ("", "a"),
    ("a", ""),
    ("e", ""),
    ("a", "o"),
    ("a", "u"),
    ("a", "e"),
    ("e", "s"),
    ("um", "e"),
    ("um", "i"),
    ("er", "ra"),
    ("el", "la"),
];

/// Derivational suffixes that are also words (*het* 'hot', *dom* 'verdict'): never the last part, since
/// *säkerhet* is *säker* + -het, not a compound.
const SUFFIX_WORDS: &[&str] =
    &["het", "dom", "skap", "lig", "bar", "sam", "ning", "else", "ande", "ende", "ism", "ist", "isk", "ing"];

/// The free-standing word that `form`, the first part of a compound, stands for: an entry in a
/// compound-initial form by [`LINKS`], or a piece that only occurs in compounds (*lärar-* → *lärare*,
/// or itself when no free form is found).
fn modifier(lexicon: &Lexicon, form: &str) -> Option<String> {
    let free = |form: &str| {
        let mut base = String::with_capacity(form.len() + 2);
        LINKS.iter().find_map(|(removed, added)| {
            let stem = form.strip_suffix(added).filter(|stem| !stem.is_empty())?;
            base.clear();
            base.push_str(stem);
            base.push_str(removed);
            lexicon.entry(&base).map(str::to_string)
        })
    };
    if let Some(word) = free(form) {
        return Some(word);
    }
    if lexicon.bound(form) {
        // The free form: an entry by preference to a form of one.
        let candidates = || {
            LINKS.iter().skip(1).filter_map(|(removed, added)| {
                let stem = form.strip_suffix(added).filter(|stem| !stem.is_empty())?;
                Some(format!("{stem}{removed}"))
            })
        };
        let word = candidates()
            .find(|word| lexicon.entry(word).is_some())
            .or_else(|| candidates().find(|word| lexicon.entry_of_form(word).is_some()));
        return Some(word.unwrap_or_else(|| form.to_string()));
    }
    None
}

/// The token filter; see the module documentation.
#[derive(Clone, Copy, Debug, Default)]
pub struct SwedishDecompounder;

impl TokenFilter for SwedishDecompounder {
    type Tokenizer<T: Tokenizer> = DecompounderWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> DecompounderWrapper<T> {
        DecompounderWrapper { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct DecompounderWrapper<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for DecompounderWrapper<T> {
    type TokenStream<'a> = DecompounderStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        DecompounderStream { tail: self.inner.token_stream(text), pending: Vec::new(), part: None }
    }
}

pub struct DecompounderStream<T> {
    tail: T,
    /// Parts still to emit for the current word, the next one last.
    pending: Vec<Token>,
    /// The part being emitted; `None` while the original word is.
    part: Option<Token>,
}

impl<T: TokenStream> TokenStream for DecompounderStream<T> {
    fn advance(&mut self) -> bool {
        if let Some(next) = self.pending.pop() {
            self.part = Some(next);
            return true;
        }
        self.part = None;
        if !self.tail.advance() {
            return false;
        }
        let word = self.tail.token();
        for text in parts(&word.text).into_iter().rev() {
            // Same position and offsets as the whole word: a phrase still lines up, a snippet marks
            // the compound, and tantivy forbids filters to move offsets anyway.
            self.pending.push(Token {
                offset_from: word.offset_from,
                offset_to: word.offset_to,
                position: word.position,
                text,
                position_length: 1,
            });
        }
        true
    }

    fn token(&self) -> &Token {
        self.part.as_ref().unwrap_or_else(|| self.tail.token())
    }

    fn token_mut(&mut self) -> &mut Token {
        match &mut self.part {
            Some(part) => part,
            None => self.tail.token_mut(),
        }
    }
}

/// How a word may be split.
#[derive(Clone, Copy)]
struct Rules {
    /// Whether the word is a lexicon word (see [`MIN_KNOWN_PART`]); then no function word (*till*,
    /// *över*) may be a modifier either.
    known: bool,
}

/// One step of the best split found so far of a word's first characters: how many parts it has, its
/// score (the sum of the parts' squared lengths), where its last part starts, and that part.
#[derive(Clone)]
struct Step {
    parts: usize,
    score: usize,
    start: usize,
    part: String,
}

impl Step {
    /// Fewer parts, then a higher score, then a later start (on a tie, *lands|ting* before *land|sting*:
    /// a linking -s- is likelier than a word that begins with one).
    fn beats(&self, other: &Option<Step>) -> bool {
        other.as_ref().is_none_or(|o| (o.parts, self.score, self.start) > (self.parts, o.score, o.start))
    }
}

/// The fewest lexicon words that make up `word` (lower-case letters), as free-standing words: modifiers
/// in compound-initial form, then a [`head`]. Ties go to the split with the longest parts (the greatest
/// sum of squared lengths), which prefers *val|sedel* to *vals|edel*. `None` for a word of one part.
fn split(word: &str, rules: Rules) -> Option<Vec<String>> {
    let (lengths, parts) = split_with_lengths(word, rules)?;
    // Each part's length and its longest neighbour's.
    let short = (0..lengths.len()).any(|i| {
        let neighbour =
            [i.checked_sub(1), Some(i + 1)].into_iter().flatten().filter_map(|j| lengths.get(j)).max();
        lengths[i] < MIN_KNOWN_PART && neighbour.is_none_or(|&n| n < LONG_NEIGHBOUR)
    });
    (!(rules.known && short)).then_some(parts)
}

/// [`split`] before its check of short parts, with each part's length in the word (in characters).
fn split_with_lengths(word: &str, rules: Rules) -> Option<(Vec<usize>, Vec<String>)> {
    let lexicon = &*SWEDISH;
    let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).chain([word.len()]).collect();
    let n = bounds.len() - 1;
    // best[i]: the best split of the first i characters into modifiers.
    let mut best: Vec<Option<Step>> = vec![None; n + 1];
    let mut done: Option<Step> = None;
    for start in 0..n.saturating_sub(MIN_PART) + 1 {
        let (parts, score) = match (start, &best[start]) {
            (0, _) => (0, 0),
            (_, Some(step)) => (step.parts, step.score),
            (_, None) => continue,
        };
        if start > 0 {
            if let Some(part) = head(&word[bounds[start]..]) {
                let step = Step { parts: parts + 1, score: score + (n - start).pow(2), start, part };
                if step.beats(&done) {
                    done = Some(step);
                }
            }
        }
        for end in start + MIN_PART..=n.saturating_sub(MIN_PART) {
            let form = &word[bounds[start]..bounds[end]];
            let Some(part) = modifier(lexicon, form) else { continue };
            if rules.known && (STOP_WORDS.contains(&part.as_str()) || STOP_WORDS.contains(&form)) {
                continue;
            }
            let step = Step { parts: parts + 1, score: score + (end - start).pow(2), start, part };
            if step.beats(&best[end]) {
                best[end] = Some(step);
            }
        }
    }
    let mut step = done?;
    let (mut lengths, mut parts) = (Vec::with_capacity(step.parts), Vec::with_capacity(step.parts));
    let mut end = n;
    loop {
        let start = step.start;
        lengths.push(end - start);
        parts.push(step.part);
        if start == 0 {
            break;
        }
        end = start;
        step = best[start].clone()?;
    }
    lengths.reverse();
    parts.reverse();
    Some((lengths, parts))
}

/// The words inside the lower-cased `word`, in free-standing form and in order, without the word
/// itself; a part that is a compound itself is followed by its own parts.
pub fn parts(word: &str) -> Vec<String> {
    let chars = word.chars().count();
    if !(MIN_WORD..=MAX_WORD).contains(&chars) || !word.chars().all(char::is_alphabetic) {
        return Vec::new();
    }
    // Snippets analyse the hits' texts again for every query, with a fresh analyser each time: the
    // thread's own memo of splits keeps that from splitting the same words over and over.
    SPLITS.with_borrow_mut(|memo| {
        if let Some(found) = memo.get(word) {
            return found.clone();
        }
        let mut out = Vec::new();
        add_parts(word, 0, &mut out);
        out.retain(|part| part != word);
        if memo.len() >= MEMO_SPLITS {
            memo.clear();
        }
        memo.insert(word.into(), out.clone());
        out
    })
}

/// Words whose splits a thread remembers; it starts again when full (a few megabytes).
const MEMO_SPLITS: usize = 32_768;

thread_local! {
    static SPLITS: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Vec<String>>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// The last part of a compound: a form of an entry that may end one, and no derivational suffix.
fn head(form: &str) -> Option<String> {
    let lexicon = &*SWEDISH;
    let entry = lexicon.entry_of_form(form)?;
    let suffix = SUFFIX_WORDS.contains(&entry) || SUFFIX_WORDS.contains(&form);
    (lexicon.may_end_compound(entry) && !suffix).then(|| form.to_string())
}

fn add_parts(word: &str, depth: usize, out: &mut Vec<String>) {
    let found = match SWEDISH.entry_of_form(word) {
        // A form of a lexicon entry: split the entry, and give its head the word's ending
        // (*hedersrelaterat* → *heders|relaterad* → *relaterat*).
        Some(entry) => split(entry, Rules { known: true }).map(|mut parts| {
            if let Some(last) = parts.last_mut() {
                // The head is the end of the entry as written (see `head`).
                let modifiers = entry.len().checked_sub(last.len()).and_then(|at| entry.get(..at));
                if let Some(modifiers) = modifiers.filter(|m| word.starts_with(m)) {
                    *last = word[modifiers.len()..].to_string();
                }
            }
            parts
        }),
        None => split(word, Rules { known: false }),
    };
    for part in found.into_iter().flatten() {
        if !out.contains(&part) {
            let again = depth + 1 < MAX_DEPTH && part.chars().count() >= MIN_WORD;
            out.push(part.clone());
            if again {
                add_parts(&part, depth + 1, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    #[test]
    fn splits_domain_compounds() {
        assert_eq!(parts("jämställdhetsintegrering"), ["jämställdhet", "integrering"]);
        assert_eq!(parts("jämställdhetsintegreringsarbete"), ["jämställdhet", "integrering", "arbete"]);
        // The head as written: the stemmer makes *arbetet* and *arbete* one term.
        assert_eq!(parts("kvinnofridsarbetet"), ["kvinnofrid", "arbetet"]);
        assert_eq!(parts("våldsförebyggande"), ["våld", "förebyggande"]);
        assert_eq!(parts("kvinnovåld"), ["kvinna", "våld"]);
        assert_eq!(parts("hedersrelaterat"), ["heder", "relaterat"]);
        // A compound inside a compound is split again.
        assert_eq!(parts("barnomsorgsarbetet"), ["barnomsorg", "barn", "omsorg", "arbetet"]);
    }

    #[test]
    fn uses_the_linking_morphemes() {
        assert_eq!(parts("arbetsmiljön"), ["arbete", "miljön"]); // -e → -s
        assert_eq!(parts("skolsköterskan"), ["skola", "sköterskan"]); // dropped -a
        assert_eq!(parts("hälsoundersökning"), ["hälsa", "undersökning"]); // -a → -o
        assert_eq!(parts("gatubelysning"), ["gata", "belysning"]); // -a → -u
        assert_eq!(parts("gymnasieskolan"), ["gymnasium", "skolan"]); // a bound piece
    }

    #[test]
    fn leaves_inflections_and_lookalikes_alone() {
        assert!(parts("våldet").is_empty());
        assert!(parts("kommunerna").is_empty());
        assert!(parts("mänsklig").is_empty());
        assert!(parts("målning").is_empty());
        assert!(parts("regionala").is_empty());
        assert!(parts("jämställdhet").is_empty());
        assert!(parts("kvinnor").is_empty());
    }

    #[test]
    fn emits_parts_after_the_word_at_its_position() {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(SwedishDecompounder)
            .build();
        let mut stream = analyzer.token_stream("Mäns kvinnovåld upphör");
        let mut tokens = Vec::new();
        while let Some(t) = stream.next() {
            tokens.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        assert_eq!(
            tokens,
            [
                ("mäns".to_string(), 0, 0, 5),
                ("kvinnovåld".to_string(), 1, 6, 17),
                ("kvinna".to_string(), 1, 6, 17),
                ("våld".to_string(), 1, 6, 17),
                ("upphör".to_string(), 2, 18, 25),
            ]
        );
    }
}

#[cfg(test)]
mod quality {
    use tantivy::tokenizer::{Language, SimpleTokenizer, Stemmer, TextAnalyzer};

    /// A part as the index holds it: Snowball-stemmed, so *sköterskan* and *sköterska* are one part.
    fn stem(word: &str) -> String {
        let mut analyzer =
            TextAnalyzer::builder(SimpleTokenizer::default()).filter(Stemmer::new(Language::Swedish)).build();
        let mut stream = analyzer.token_stream(word);
        stream.next().map(|t| t.text.clone()).unwrap_or_default()
    }

    /// Micro-averaged precision and recall of `split` over `tests/data/compounds.tsv`, parts compared
    /// as stems, and the words that were expected whole but split.
    pub fn score(split: impl Fn(&str) -> Vec<String>) -> (f64, f64, Vec<String>) {
        let (mut predicted, mut expected, mut correct) = (0usize, 0usize, 0usize);
        let mut false_splits = Vec::new();
        for line in include_str!("../../tests/data/compounds.tsv").lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (word, parts) = line.split_once('\t').unwrap_or((line, ""));
            let want: Vec<String> = parts.split_whitespace().map(stem).collect();
            let got: Vec<String> = split(word).iter().map(|part| stem(part)).collect();
            if want.is_empty() && !got.is_empty() {
                false_splits.push(format!("{word}: {got:?}"));
            }
            predicted += got.len();
            expected += want.len();
            correct += got.iter().filter(|g| want.contains(g)).count();
            if got.iter().any(|g| !want.contains(g)) || want.iter().any(|w| !got.contains(w)) {
                eprintln!("{word}: got {got:?}, want {want:?}");
            }
        }
        (correct as f64 / predicted.max(1) as f64, correct as f64 / expected.max(1) as f64, false_splits)
    }

    #[test]
    fn splits_compounds_from_outside_the_corpus() {
        let (precision, recall, false_splits) = score(super::parts);
        eprintln!("precision {precision:.3} recall {recall:.3}");
        assert!(false_splits.is_empty(), "{false_splits:?}");
        assert!(precision >= 0.9 && recall >= 0.9, "precision {precision:.3} recall {recall:.3}");
    }
}
