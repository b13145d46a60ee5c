//! A token filter that finds the known words inside Swedish compounds.
//!
//! Swedish writes compounds as one word (*jämställdhetsintegrering*, *kvinnofridsarbetet*), and the
//! Snowball stemmer never splits them, so a search for `integrering` would miss most of the corpus.
//! [`SwedishDecompounder`] keeps every token and, after it, emits the parts it recognises from a small
//! built-in list of domain words, at the same position and with the offsets of the whole word (so a
//! phrase still lines up and a snippet marks the whole compound). A part is emitted in its free-standing
//! form (*kvinno-* → `kvinna`) so that it stems like the word on its own.
//!
//! It must never drop or alter the original token, never split a word into something that is only an
//! inflection (*våldet* is not *våld* + *et*), and never run on the query side: a query word that
//! yields several tokens turns into a phrase in tantivy's query parser.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Shortest part, in characters (not bytes: å/ä/ö take two); every word in [`WORDS`] must be as
/// long, and rests shorter than this are endings, not words.
const MIN_PART: usize = 3;
/// A prefix is trusted on its own only from this many characters: shorter ones (*mål*, *man*) start
/// too many unrelated words (*målning*, *mandat*).
const MIN_LONE_PREFIX: usize = 5;
/// Tokens shorter than this are never compounds worth splitting.
const MIN_WORD: usize = 6;

/// Domain words, in their free-standing form, with the other forms they take as the first part of a
/// compound. A linking `s` needs no entry: it is allowed between any two parts.
const WORDS: &[(&str, &[&str])] = &[
    ("jämställdhet", &[]),
    ("jämställdhetsintegrering", &[]),
    ("jämställd", &[]),
    ("integrering", &[]),
    ("kvinnofrid", &[]),
    ("frid", &[]),
    ("kvinna", &["kvinno", "kvinnor"]),
    ("man", &["mans"]),
    ("flicka", &["flick"]),
    ("pojke", &["pojk"]),
    ("barn", &[]),
    ("våld", &[]),
    ("arbete", &["arbets"]),
    ("satsning", &[]),
    ("hälsa", &["hälso"]),
    ("vård", &[]),
    ("sjukvård", &[]),
    ("omsorg", &[]),
    ("kommun", &[]),
    ("region", &[]),
    ("landsting", &[]),
    ("politik", &[]),
    ("strategi", &[]),
    ("utveckling", &[]),
    ("mål", &[]),
    ("överenskommelse", &[]),
    ("projekt", &[]),
    ("styrning", &[]),
    ("ledning", &[]),
    ("utbildning", &[]),
    ("ekonomi", &[]),
    ("makt", &[]),
    ("stöd", &[]),
    ("samverkan", &[]),
    ("analys", &[]),
    ("statistik", &[]),
    ("kunskap", &[]),
    ("metod", &[]),
    ("plan", &[]),
    ("uppföljning", &[]),
    ("utvärdering", &[]),
    ("diskriminering", &[]),
    ("likabehandling", &[]),
    ("rättighet", &[]),
    ("trygghet", &[]),
    ("säkerhet", &[]),
    ("skola", &["skol"]),
    ("socialtjänst", &[]),
    ("verksamhet", &[]),
    ("organisation", &[]),
    ("budget", &[]),
    ("resurs", &[]),
    ("fördelning", &[]),
    ("lön", &["löne"]),
    ("medborgare", &[]),
    ("brukare", &[]),
    ("service", &[]),
    ("kultur", &[]),
    ("idrott", &[]),
    ("fritid", &[]),
    ("heder", &[]),
    ("förtryck", &[]),
    ("prostitution", &[]),
    ("människohandel", &[]),
    ("nätverk", &[]),
    ("kartläggning", &[]),
    ("handlingsplan", &[]),
    ("program", &[]),
    ("rapport", &[]),
    ("resultat", &[]),
    ("område", &["områdes"]),
    ("nivå", &[]),
    ("perspektiv", &[]),
    ("lika", &[]),
    ("villkor", &[]),
    ("beslut", &[]),
    ("inflytande", &[]),
    ("delaktighet", &[]),
];

/// Endings that make a word an inflected form, not a compound: *våldet*, *kommunerna*, *målen*.
const INFLECTIONS: &[&str] = &[
    "a", "an", "ar", "arna", "arnas", "as", "e", "en", "ens", "er", "erna", "ernas", "ers", "et", "ets", "n",
    "na", "nas", "ns", "or", "orna", "ornas", "s", "t", "ts",
];

/// Derivational endings: *jämställd* + *het* is one word, not a compound of two.
const DERIVATIONS: &[&str] = &[
    "het", "heten", "hetens", "heter", "lig", "liga", "ligt", "ig", "iga", "igt", "ande", "ende", "ing",
    "ingen", "ning", "ningen", "isk", "iska", "iskt", "else", "elsen", "ala", "alt", "ell", "ella", "ellt",
];

/// Every surface form of a part, and the free-standing word each one stands for, found in a token in
/// one pass (an Aho–Corasick automaton reports every occurrence, overlapping ones included, in time
/// linear in the token: trying every substring against a map cost a third of all ingest CPU).
struct Forms {
    automaton: AhoCorasick,
    /// By pattern id: the free-standing word.
    words: Vec<&'static str>,
}

static FORMS: LazyLock<Forms> = LazyLock::new(|| {
    let (forms, words): (Vec<&str>, Vec<&str>) = WORDS
        .iter()
        .flat_map(|(word, forms)| std::iter::once((*word, *word)).chain(forms.iter().map(|f| (*f, *word))))
        .unzip();
    // Standard match semantics: the only kind that reports overlapping matches.
    let automaton = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(forms)
        .expect("the built-in word list is a valid set of patterns");
    Forms { automaton, words }
});

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
                text: text.to_string(),
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

/// A dictionary word found in a token, as char indices `start..end`.
#[derive(Debug, PartialEq, Eq)]
struct Match {
    start: usize,
    end: usize,
    word: &'static str,
}

/// Every occurrence of a form in `word` other than the whole word, ordered by start and then end,
/// with the byte offset of each of `word`'s char boundaries (its last entry is `word.len()`); `None`
/// when there is none or `word` is shorter than [`MIN_WORD`] chars.
fn matches(word: &str) -> Option<(Vec<usize>, Vec<Match>)> {
    // Fewer bytes than MIN_WORD means fewer chars too: most tokens stop here.
    if word.len() < MIN_WORD {
        return None;
    }
    let mut occurrences = FORMS.automaton.find_overlapping_iter(word).peekable();
    occurrences.peek()?;
    let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).chain([word.len()]).collect();
    let n = bounds.len() - 1;
    if n < MIN_WORD {
        return None;
    }
    // Matches of UTF-8 patterns in UTF-8 text start and end on char boundaries.
    let char_at = |byte: usize| bounds.binary_search(&byte).unwrap_or_else(|i| i);
    let mut found: Vec<Match> = occurrences
        .map(|m| Match {
            start: char_at(m.start()),
            end: char_at(m.end()),
            word: FORMS.words[m.pattern().as_usize()],
        })
        .filter(|m| !(m.start == 0 && m.end == n))
        .collect();
    found.sort_by_key(|m| (m.start, m.end));
    (!found.is_empty()).then_some((bounds, found))
}

/// The known words inside the lower-cased `word`, in free-standing form and in order, without the
/// word itself.
pub fn parts(word: &str) -> Vec<&'static str> {
    let Some((bounds, found)) = matches(word) else { return Vec::new() };
    let n = bounds.len() - 1;
    let slice = |from: usize, to: usize| &word[bounds[from]..bounds[to]];

    // A part is trusted when it is the compound's head (the last part, perhaps inflected) after a
    // modifier of some length; or a first part before a linking `s` or, if long, before a real word
    // (not the longer word it begins, as *jämställd* begins *jämställdhet*); or when it touches a
    // trusted part. This keeps *kvinno|våld*, *våld|s|förebyggande* and *jämställdhets|integrering|en*
    // but rejects *mäns|klig* and *mål|ning*.
    let rest = |m: &Match| slice(m.end, n);
    let is_head = |m: &Match| m.start >= MIN_PART && (m.end == n || INFLECTIONS.contains(&rest(m)));
    let is_first = |m: &Match| {
        let rest = rest(m);
        let dominated = found.iter().any(|o| o.start == m.start && o.end > m.end);
        let linked = rest.strip_prefix('s').is_some_and(|r| r.chars().count() > MIN_PART);
        let free = m.end - m.start >= MIN_LONE_PREFIX
            && rest.chars().count() >= MIN_PART
            && !INFLECTIONS.contains(&rest)
            && !DERIVATIONS.contains(&rest);
        m.start == 0 && !dominated && (linked || free)
    };
    // Two parts meet when one ends where the other starts, or one linking `s` lies between.
    let meets =
        |a: &Match, b: &Match| b.start == a.end || (b.start == a.end + 1 && slice(a.end, b.start) == "s");
    let mut trusted: Vec<bool> = found.iter().map(|m| is_head(m) || is_first(m)).collect();
    loop {
        let mut changed = false;
        for i in 0..found.len() {
            if trusted[i] {
                continue;
            }
            let touches = found
                .iter()
                .zip(&trusted)
                .any(|(other, &t)| t && (meets(&found[i], other) || meets(other, &found[i])));
            if touches {
                trusted[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }

    let mut out: Vec<&'static str> = Vec::new();
    for (m, t) in found.iter().zip(trusted) {
        if t && m.word != word && !out.contains(&m.word) {
            out.push(m.word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    #[test]
    fn splits_domain_compounds() {
        assert_eq!(parts("jämställdhetsintegrering"), ["jämställdhet", "integrering"]);
        assert_eq!(parts("kvinnofridsarbetet"), ["kvinna", "kvinnofrid", "frid", "arbete"]);
        assert_eq!(parts("våldsförebyggande"), ["våld"]);
        assert_eq!(parts("kvinnovåld"), ["kvinna", "våld"]);
        assert_eq!(parts("mansvåld"), ["man", "våld"]);
        let long = parts("jämställdhetsintegreringsarbete");
        for part in ["jämställdhet", "jämställdhetsintegrering", "integrering", "arbete"] {
            assert!(long.contains(&part), "{part} missing from {long:?}");
        }
        assert_eq!(parts("delmålen"), ["mål"]);
    }

    #[test]
    fn every_word_fits_the_part_limits() {
        for (word, forms) in WORDS {
            for w in std::iter::once(word).chain(forms.iter()) {
                assert!(w.chars().count() >= MIN_PART, "{w}");
            }
        }
    }

    /// What [`matches`] must find: every substring of `word` that is a form, by brute force.
    fn matches_by_scan(word: &str) -> Vec<Match> {
        let chars: Vec<char> = word.chars().collect();
        let mut found = Vec::new();
        if chars.len() < MIN_WORD {
            return found;
        }
        for start in 0..chars.len() {
            for end in start + 1..=chars.len() {
                let text: String = chars[start..end].iter().collect();
                for (word, forms) in WORDS {
                    let is_form = *word == text || forms.contains(&text.as_str());
                    if is_form && !(start == 0 && end == chars.len()) {
                        found.push(Match { start, end, word });
                    }
                }
            }
        }
        found
    }

    proptest::proptest! {
        #[test]
        fn finds_every_form_a_scan_finds(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(WORDS.iter().map(|(w, _)| *w).collect::<Vec<_>>()),
                    proptest::sample::select(vec!["s", "en", "et", "å", "ä", "ning", "x", "kvinno", "mans"]),
                ],
                0..6,
            )
        ) {
            let word = pieces.concat();
            let found = matches(&word).map(|(_, found)| found).unwrap_or_default();
            proptest::prop_assert_eq!(found, matches_by_scan(&word));
        }
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
