//! The Swedish text analysers of the index, registered under arkiv's own names.
//!
//! tantivy's `default` analyser drops tokens over 40 bytes, which Swedish compounds with å/ä/ö reach, and
//! its `en_stem` stems English; so every text field names one of the analysers here, and [`register`]
//! must run every time an index is opened (tantivy does not persist analysers, only their names).
//!
//! Index side and query side differ in one filter: the index side adds compound parts
//! ([`SwedishDecompounder`]); the query side must not, or tantivy's query parser would turn one typed
//! word into a phrase of the word and its parts. Changing anything here changes which terms are indexed:
//! bump [`ANALYZER_VERSION`] so that existing indexes are rebuilt on open.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter,
    TextAnalyzer, TokenizerManager,
};

use super::decompound::SwedishDecompounder;
use super::memo::Memoized;

/// Bump whenever an analyser below changes what it emits.
pub const ANALYZER_VERSION: u32 = 2;

/// Stemmed Swedish: for titles and bodies (recall).
pub const SWEDISH: &str = "arkiv_sv";
/// Stemmed Swedish without diacritics: `jamstalldhet` finds *jämställdhet*.
pub const FOLDED: &str = "arkiv_sv_folded";
/// Lower-cased words only: quoted phrases and exact word forms.
pub const EXACT: &str = "arkiv_exact";

/// Longer tokens are noise (URLs, runs of digits); the limit is in bytes, and a 60-letter compound of
/// å/ä/ö takes about 70.
const MAX_TOKEN_BYTES: usize = 100;

/// The Snowball Swedish stop words (the list tantivy's `StopWordFilter::new(Language::Swedish)` holds),
/// kept here so the folded field can add their forms without diacritics.
pub(super) const STOP_WORDS: &[&str] = &[
    "och", "det", "att", "i", "en", "jag", "hon", "som", "han", "på", "den", "med", "var", "sig", "för",
    "så", "till", "är", "men", "ett", "om", "hade", "de", "av", "icke", "mig", "du", "henne", "då", "sin",
    "nu", "har", "inte", "hans", "honom", "skulle", "hennes", "där", "min", "man", "ej", "vid", "kunde",
    "något", "från", "ut", "när", "efter", "upp", "vi", "dem", "vara", "vad", "över", "än", "dig", "kan",
    "sina", "här", "ha", "mot", "alla", "under", "någon", "eller", "allt", "mycket", "sedan", "ju", "denna",
    "själv", "detta", "åt", "utan", "varit", "hur", "ingen", "mitt", "ni", "bli", "blev", "oss", "din",
    "dessa", "några", "deras", "blir", "mina", "samma", "vilken", "er", "sådan", "vår", "blivit", "dess",
    "inom", "mellan", "sådant", "varför", "varje", "vilka", "ditt", "vem", "vilket", "sitt", "sådana",
    "vart", "dina", "vars", "vårt", "våra", "ert", "era", "vilkas",
];

fn stop_filter() -> StopWordFilter {
    StopWordFilter::remove(STOP_WORDS.iter().map(|w| w.to_string()))
}

/// The stop words with and without diacritics: folding happens before the stop filter there.
fn folded_stop_filter() -> StopWordFilter {
    StopWordFilter::remove(STOP_WORDS.iter().flat_map(|w| [w.to_string(), fold(w)]))
}

fn fold(word: &str) -> String {
    let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default()).filter(AsciiFoldingFilter).build();
    let mut stream = analyzer.token_stream(word);
    let mut out = String::new();
    while let Some(t) = stream.next() {
        out.push_str(&t.text);
    }
    out
}

/// The terms the index holds for a Swedish text (stems and compound parts, no stop words), for
/// comparing texts the way search matches them.
pub struct SwedishTerms(TextAnalyzer);

impl SwedishTerms {
    pub fn new() -> SwedishTerms {
        SwedishTerms(TextAnalyzer::from(Memoized::new(stemmed(Side::Index, false))))
    }

    pub fn of(&mut self, text: &str) -> Vec<String> {
        let mut stream = self.0.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }
}

impl Default for SwedishTerms {
    fn default() -> SwedishTerms {
        SwedishTerms::new()
    }
}

/// Which side of the index an analyser serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Index,
    Query,
}

/// Register arkiv's analysers in `manager` under their names, each analysing a distinct word once
/// ([`Memoized`]: the same terms as the chain, for a fraction of the work).
pub fn register(manager: &TokenizerManager, side: Side) {
    for (name, chain) in chains(side) {
        manager.register(name, TextAnalyzer::from(Memoized::new(chain)));
    }
}

/// Each analyser's filter chain, by name.
fn chains(side: Side) -> [(&'static str, TextAnalyzer); 3] {
    [(SWEDISH, stemmed(side, false)), (FOLDED, stemmed(side, true)), (EXACT, exact())]
}

/// A tokenizer manager for the query parser: tantivy's defaults plus the query side of ours.
pub fn query_manager() -> TokenizerManager {
    let manager = TokenizerManager::default();
    register(&manager, Side::Query);
    manager
}

/// Simple → RemoveLong → LowerCaser → [SwedishDecompounder] → [AsciiFolding] → StopWords → Stemmer.
fn stemmed(side: Side, folded: bool) -> TextAnalyzer {
    let mut chain = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .dynamic();
    if side == Side::Index {
        // Parts come before the stop filter and stemmer so that they are stemmed like free words.
        chain = chain.filter_dynamic(SwedishDecompounder);
    }
    chain = if folded {
        chain.filter_dynamic(AsciiFoldingFilter).filter_dynamic(folded_stop_filter())
    } else {
        chain.filter_dynamic(stop_filter())
    };
    chain.filter_dynamic(Stemmer::new(Language::Swedish)).build()
}

fn exact() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(manager: &TokenizerManager, name: &str, text: &str) -> Vec<String> {
        let mut analyzer = manager.get(name).unwrap_or_else(|| panic!("{name} not registered"));
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn stems_and_drops_stop_words() {
        let m = query_manager();
        assert_eq!(terms(&m, SWEDISH, "Kvinnofriden och kvinnofrid"), ["kvinnofrid", "kvinnofrid"]);
        assert_eq!(terms(&m, SWEDISH, "för är på"), Vec::<String>::new());
    }

    #[test]
    fn folded_matches_words_typed_without_diacritics() {
        let m = query_manager();
        assert_eq!(terms(&m, FOLDED, "jämställdhet"), terms(&m, FOLDED, "jamstalldhet"));
        assert_eq!(terms(&m, FOLDED, "for pa"), Vec::<String>::new());
    }

    #[test]
    fn keeps_long_compounds() {
        let m = query_manager();
        let word = "jämställdhetsintegreringsutbildningsöverenskommelseprojektet";
        assert!(word.len() > 60);
        assert_eq!(terms(&m, EXACT, word), [word]);
        assert_eq!(terms(&m, SWEDISH, word).len(), 1);
    }

    /// What a registered analyser emits is exactly what its chain emits, on text with compounds,
    /// stop words, diacritics with and without combining marks, digits and overlong tokens.
    #[test]
    fn registered_analysers_emit_what_their_chains_emit() {
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        let text = format!(
            "Jämställdhetsintegreringen och KVINNOFRIDSARBETET i kommunerna; jamstalldhet, våldet, \
             Målen 2019–2023 för flickor och pojkar. Ja\u{308}mställdhet {long} är mål för kvinnofrid, \
             kvinnofrid och kvinnofrid."
        );
        for side in [Side::Index, Side::Query] {
            let manager = TokenizerManager::default();
            register(&manager, side);
            for (name, mut chain) in chains(side) {
                let mut registered = manager.get(name).expect("registered");
                let tokens = |analyzer: &mut TextAnalyzer| crate::index::memo::tokens(analyzer, &text);
                let expected = tokens(&mut chain);
                assert!(expected.len() > 15, "{name}: {expected:?}");
                assert_eq!(tokens(&mut registered), expected, "{name} on the {side:?} side");
            }
        }
    }

    #[test]
    fn index_side_adds_parts_but_query_side_does_not() {
        let index = TokenizerManager::default();
        register(&index, Side::Index);
        let query = query_manager();
        let indexed = terms(&index, SWEDISH, "jämställdhetsintegrering");
        assert!(indexed.contains(&terms(&query, SWEDISH, "integrering")[0]), "{indexed:?}");
        assert_eq!(terms(&query, SWEDISH, "jämställdhetsintegrering").len(), 1);
    }
}
