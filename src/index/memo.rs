//! A tokenizer that runs each distinct word through an analyser chain once and remembers its terms.
//!
//! Every body is analysed three times (stemmed, folded, exact) and each record's text again in its
//! section and document records, so the same few thousand words pass through lower-casing, the
//! compound splitter and the Snowball stemmer hundreds of thousands of times in a batch: that chain was
//! a quarter of all ingest CPU. [`Memoized`] splits the text into words exactly as tantivy's
//! `SimpleTokenizer` does (maximal runs of alphanumeric characters), runs a word it has not seen
//! through its chain, and replays the remembered terms for every later occurrence.
//!
//! Invariant: for any text, the token stream is identical (text, position, offsets, position length)
//! to that of the chain run over the whole text, provided the chain starts with `SimpleTokenizer` and
//! its filters only ever see one word at a time (true of every lower-caser, folder, stop-word filter,
//! stemmer and of the compound splitter: none joins, moves or renumbers tokens). The memo must never
//! grow without bound: it holds at most [`MEMO_WORDS`] words and starts again when full.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// Words remembered per analyser instance (tantivy clones one per field and indexing thread). Swedish
/// text is Zipfian: the most frequent few thousand words are most of its tokens, and this many cost
/// about a megabyte.
pub const MEMO_WORDS: usize = 8_192;

/// The terms of one word, in the order the chain emits them (empty for a stop word).
type Terms = Arc<[Box<str>]>;

/// See the module documentation.
#[derive(Clone)]
pub struct Memoized {
    chain: TextAnalyzer,
    memo: FxHashMap<Box<str>, Terms>,
    capacity: usize,
    token: Token,
}

impl Memoized {
    /// `chain` must start with tantivy's `SimpleTokenizer` (see the module invariant).
    pub fn new(chain: TextAnalyzer) -> Memoized {
        Memoized::with_capacity(chain, MEMO_WORDS)
    }

    fn with_capacity(chain: TextAnalyzer, capacity: usize) -> Memoized {
        Memoized { chain, memo: FxHashMap::default(), capacity: capacity.max(1), token: Token::default() }
    }
}

impl Tokenizer for Memoized {
    type TokenStream<'a> = MemoizedStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MemoizedStream<'a> {
        self.token.reset();
        MemoizedStream {
            text,
            chars: text.char_indices(),
            chain: &mut self.chain,
            memo: &mut self.memo,
            capacity: self.capacity,
            token: &mut self.token,
            terms: None,
            next_term: 0,
        }
    }
}

pub struct MemoizedStream<'a> {
    text: &'a str,
    chars: std::str::CharIndices<'a>,
    chain: &'a mut TextAnalyzer,
    memo: &'a mut FxHashMap<Box<str>, Terms>,
    capacity: usize,
    token: &'a mut Token,
    /// The current word's terms, and the index of the next one to emit.
    terms: Option<Terms>,
    next_term: usize,
}

impl MemoizedStream<'_> {
    /// The next word as byte offsets, as `SimpleTokenizer` finds it.
    fn next_word(&mut self) -> Option<(usize, usize)> {
        let (from, _) = self.chars.by_ref().find(|(_, c)| c.is_alphanumeric())?;
        let to = self.chars.by_ref().find(|(_, c)| !c.is_alphanumeric()).map_or(self.text.len(), |(i, _)| i);
        Some((from, to))
    }

    fn terms_of(&mut self, word: &str) -> Terms {
        if let Some(terms) = self.memo.get(word) {
            return terms.clone();
        }
        let mut stream = self.chain.token_stream(word);
        let mut terms = Vec::new();
        while stream.advance() {
            terms.push(Box::from(stream.token().text.as_str()));
        }
        let terms: Terms = terms.into();
        if self.memo.len() >= self.capacity {
            self.memo.clear();
        }
        self.memo.insert(word.into(), terms.clone());
        terms
    }
}

impl TokenStream for MemoizedStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(term) = self.terms.as_ref().and_then(|terms| terms.get(self.next_term)) {
                self.token.text.clear();
                self.token.text.push_str(term);
                self.next_term += 1;
                return true;
            }
            let Some((from, to)) = self.next_word() else { return false };
            // Every word takes a position, also one that yields no term (a stop word, an overlong
            // token), as under `SimpleTokenizer` and the filters after it.
            self.token.position = self.token.position.wrapping_add(1);
            self.token.offset_from = from;
            self.token.offset_to = to;
            self.token.position_length = 1;
            let text = self.text;
            self.terms = Some(self.terms_of(&text[from..to]));
            self.next_term = 0;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Every token `analyzer` emits for `text`.
pub(crate) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, StopWordFilter};

    use super::*;

    fn chain() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(StopWordFilter::remove(["och".to_string()]))
            .build()
    }

    #[test]
    fn replays_terms_with_the_positions_and_offsets_of_each_occurrence() {
        let mut memo = TextAnalyzer::from(Memoized::new(chain()));
        let got = tokens(&mut memo, "Kvinnofrid och kvinnofrid, Kvinnofrid!");
        let texts: Vec<_> =
            got.iter().map(|t| (t.text.as_str(), t.position, t.offset_from, t.offset_to)).collect();
        // "och" is a stop word: no term, but its position is taken.
        assert_eq!(texts, [("kvinnofrid", 0, 0, 10), ("kvinnofrid", 2, 15, 25), ("kvinnofrid", 3, 27, 37)]);
        assert_eq!(got, tokens(&mut chain(), "Kvinnofrid och kvinnofrid, Kvinnofrid!"));
    }

    #[test]
    fn a_full_memo_starts_again_and_still_gives_the_same_tokens() {
        let mut small = Memoized::with_capacity(chain(), 2);
        let text = "ett två tre fyra ett två tre fyra fem";
        let mut stream = small.token_stream(text);
        let mut got = Vec::new();
        while stream.advance() {
            got.push(stream.token().clone());
        }
        drop(stream);
        assert!(small.memo.len() <= 2);
        assert_eq!(got, tokens(&mut chain(), text));
    }

    proptest! {
        /// The module invariant, against the chain itself, on text of words, digits, punctuation,
        /// Swedish and combining letters; a tiny memo makes it start again often.
        #[test]
        fn same_tokens_as_the_chain(text in "([A-Za-zåäöÅÄÖé0-9\u{301}]{1,8}[ ,.\\-–/\n]{0,2}|och ){0,40}", cap in 1usize..6) {
            let mut memo = TextAnalyzer::from(Memoized::with_capacity(chain(), cap));
            prop_assert_eq!(tokens(&mut memo, &text), tokens(&mut chain(), &text));
        }
    }
}
