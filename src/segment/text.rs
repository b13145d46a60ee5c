//! Small text tools the segmenter's rules share: a comparison form of a string, Swedish sentence
//! splitting and word tokens with their positions.
//!
//! Nothing here knows about documents, sections or goals; it must never hold a rule about what a
//! sentence means.

use std::borrow::Cow;

/// The form two strings are compared in: lower case, dashes and quotes unified, whitespace collapsed.
///
/// One pass, with a fast path for ASCII: the segmenter's rules call this on every paragraph, and the
/// obvious lower-case, split and join took six per cent of all ingest CPU.
pub(crate) fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // A run of whitespace becomes one space, written only when a word follows it.
    let mut gap = false;
    for c in s.chars() {
        if c.is_whitespace() {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push(' ');
            gap = false;
        }
        match c {
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{ab}' | '\u{bb}' => out.push('"'),
            '\u{2018}' | '\u{2019}' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Abbreviations whose full stop does not end a sentence (compared in lower case, without the final
/// stop). Swedish prose is full of them: "t.ex.", "bl.a.", "s.k.".
const ABBREVIATIONS: &[&str] = &[
    "t.ex", "bl.a", "s.k", "m.fl", "m.m", "etc", "dvs", "d.v.s", "ca", "resp", "jfr", "osv", "o.s.v", "nr",
    "kap", "st", "tel", "fr.o.m", "t.o.m", "p.g.a", "pga", "enl", "ang", "exkl", "inkl", "prop", "bil", "s",
    "f.d", "o.d", "e.d", "t.ex", "mfl", "tex", "bla", "obs", "kl", "uppl", "vol", "red", "d", "ev", "dir",
];

/// Abbreviations that often close a sentence ("... miljö m.m. En särskild artikel ..."): a capital
/// after them starts a new sentence.
const CLOSING_ABBREVIATIONS: &[&str] = &["etc", "m.m", "m.fl", "osv", "o.s.v"];

/// Split a paragraph into sentences, as byte ranges trimmed of surrounding space.
///
/// A sentence ends at `.`, `!` or `?` followed by space and a capital, a digit or a quote. A
/// footnote mark set right after the stop ("omfattande.2 SKL har") stays with the sentence before.
pub(crate) fn sentences(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if matches!(c, b'.' | b'!' | b'?') {
            // Footnote marks: digits glued to the stop.
            let mut end = i + 1;
            let after_word = text[..i].chars().next_back().is_some_and(|p| p.is_alphabetic() || p == ')');
            if c == b'.' && after_word {
                while end < bytes.len() && bytes[end].is_ascii_digit() && end - i <= 2 {
                    end += 1;
                }
                if end < bytes.len() && bytes[end] != b' ' {
                    end = i + 1;
                }
            }
            let rest = &text[end..];
            let next = rest.trim_start();
            let spaced = rest.len() > next.len() || next.is_empty();
            let starts_new = next.chars().next().is_none_or(|n| {
                n.is_uppercase()
                    || n.is_ascii_digit()
                    || matches!(n, '"' | '\u{201d}' | '\u{201c}' | '•' | '(')
            });
            if spaced && starts_new && !(c == b'.' && end == i + 1 && is_abbreviation(&text[start..i], next))
            {
                push_trimmed(&mut out, &text[start..end]);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    push_trimmed(&mut out, &text[start..]);
    out
}

fn push_trimmed<'a>(out: &mut Vec<&'a str>, s: &'a str) {
    let t = s.trim();
    if !t.is_empty() {
        out.push(t);
    }
}

/// Whether the word before a full stop is an abbreviation that does not end the sentence here.
fn is_abbreviation(before: &str, next: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    let lower = word.to_lowercase();
    let lower = lower.as_str();
    if lower.is_empty() {
        return false;
    }
    // An initial ("A. Svensson").
    let mut chars = word.chars();
    if let (Some(first), None) = (chars.next(), chars.next()) {
        if first.is_uppercase() {
            return true;
        }
    }
    if !ABBREVIATIONS.contains(&lower) {
        return false;
    }
    let next_capital = next.chars().next().is_some_and(char::is_uppercase);
    !(next_capital && CLOSING_ABBREVIATIONS.contains(&lower))
}

/// A word or a punctuation mark of a sentence.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token<'a> {
    pub text: &'a str,
    /// Lower-case form of `text`: borrowed when `text` is lower-case already, as most words are (an
    /// allocation per token was a twentieth of all ingest work).
    pub lower: Cow<'a, str>,
    /// Byte offset in the sentence.
    pub start: usize,
    pub kind: TokenKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Word,
    Number,
    Punct,
}

impl Token<'_> {
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    /// Starts with a capital letter.
    pub fn capitalized(&self) -> bool {
        self.kind == TokenKind::Word && self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// An acronym: two or more capitals ("SKL", "RKA", "FoU" is not one), optionally with a genitive
    /// ":s" or digits.
    pub fn acronym(&self) -> bool {
        let core = self.text.strip_suffix(":s").unwrap_or(self.text);
        let core = core.split('-').next().unwrap_or(core);
        self.kind == TokenKind::Word
            && core.chars().filter(|c| c.is_uppercase()).count() >= 2
            && core.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
    }

    pub fn is(&self, s: &str) -> bool {
        self.lower == s
    }

    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// Split a sentence into words, numbers and punctuation marks. Hyphens and colons inside a word stay
/// ("SKL:s", "Enskede-Årsta-Vantör", "2019–2020" is one number token).
pub(crate) fn tokens(s: &str) -> Vec<Token<'_>> {
    // About one token per five bytes of Swedish prose.
    let mut out = Vec::with_capacity(s.len() / 5 + 1);
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = iter.peek() {
                let joins = n.is_alphanumeric()
                    || (matches!(n, '-' | '–' | ':' | '/' | '.' | '\'')
                        && s[j + n.len_utf8()..].chars().next().is_some_and(char::is_alphanumeric));
                if !joins {
                    break;
                }
                end = j + n.len_utf8();
                iter.next();
            }
            let text = &s[i..end];
            let kind = if text.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            out.push(Token { text, lower: lowercase(text), start: i, kind });
        } else {
            let text = &s[i..i + c.len_utf8()];
            out.push(Token { text, lower: lowercase(text), start: i, kind: TokenKind::Punct });
        }
    }
    out
}

/// `text` in lower case, borrowed where lower-casing changes nothing.
fn lowercase(text: &str) -> Cow<'_, str> {
    let unchanged = if text.is_ascii() {
        !text.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        text.chars().all(|c| c.to_lowercase().eq(std::iter::once(c)))
    };
    if unchanged {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// Number of words in a string.
pub(crate) fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// The first character is a lower-case letter.
pub(crate) fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

/// Remove a list marker ("• ", "- ", "* ", "– ") from the start of a line.
pub(crate) fn strip_bullet(s: &str) -> &str {
    let t = s.trim_start();
    for marker in ['•', '·', '▪', '◦', '‣', '-', '–', '*', '\u{7f}', '\u{f0b7}'] {
        if let Some(rest) = t.strip_prefix(marker) {
            if rest.starts_with(char::is_whitespace) {
                return rest.trim_start();
            }
        }
    }
    t
}

/// The line starts with a list marker.
pub(crate) fn has_bullet(s: &str) -> bool {
    strip_bullet(s).len() != s.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lower_case_word_is_borrowed_and_any_other_lowered() {
        assert!(matches!(lowercase("kommunerna"), Cow::Borrowed("kommunerna")));
        assert!(matches!(lowercase("å-möte"), Cow::Borrowed(_)));
        assert_eq!(lowercase("SKL:s"), "skl:s");
        assert_eq!(lowercase("Ärendet"), "ärendet");
        let tokens = tokens("Regionen och SKR");
        assert_eq!(tokens.iter().map(|t| t.lower.as_ref()).collect::<Vec<_>>(), ["regionen", "och", "skr"]);
    }

    #[test]
    fn norm_unifies_case_dashes_and_space() {
        assert_eq!(norm("  Jämställdhet  2018–2020\n”bra”"), "jämställdhet 2018-2020 \"bra\"");
    }

    /// The definition [`norm`] implements in one pass.
    fn norm_by_steps(s: &str) -> String {
        let unified: String = s
            .chars()
            .map(|c| match c {
                '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
                '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{ab}' | '\u{bb}' => '"',
                '\u{2018}' | '\u{2019}' => '\'',
                c => c,
            })
            .collect();
        let lower: String = unified.chars().flat_map(char::to_lowercase).collect();
        lower.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    proptest::proptest! {
        #[test]
        fn norm_is_lower_case_unified_and_collapsed(s in "[ \t\nA-Za-zÅÄÖåäöİΣ\u{212a}\u{a0}\u{2003}–—”“‘’«»−0-9.,:]{0,40}") {
            proptest::prop_assert_eq!(norm(&s), norm_by_steps(&s));
        }
    }

    #[test]
    fn sentences_keep_abbreviations_and_footnote_marks() {
        let s = sentences(
            "Det gäller t.ex. controllers och s.k. patientkontrakt. Våld verkar vara omfattande.2 SKL har \
             inlett dialoger. Klart!",
        );
        assert_eq!(
            s,
            vec![
                "Det gäller t.ex. controllers och s.k. patientkontrakt.",
                "Våld verkar vara omfattande.2",
                "SKL har inlett dialoger.",
                "Klart!"
            ]
        );
    }

    #[test]
    fn sentences_split_after_closing_abbreviation() {
        let s = sentences("Hållbarhet och miljö m.m. En särskild artikel reglerar upphandling.");
        assert_eq!(s.len(), 2);
        assert_eq!(s[1], "En särskild artikel reglerar upphandling.");
    }

    #[test]
    fn sentences_do_not_split_before_lowercase() {
        assert_eq!(sentences("Se bilaga 1. och mer text.").len(), 1);
    }

    #[test]
    fn tokens_keep_genitives_and_hyphenated_names() {
        let t = tokens("SKL:s arbete i Enskede-Årsta-Vantör 2019–2020, (RKA).");
        let texts: Vec<&str> = t.iter().map(|t| t.text).collect();
        assert_eq!(
            texts,
            vec!["SKL:s", "arbete", "i", "Enskede-Årsta-Vantör", "2019–2020", ",", "(", "RKA", ")", "."]
        );
        assert!(t[0].acronym());
        assert!(!t[1].capitalized());
        assert_eq!(t[4].kind, TokenKind::Number);
    }

    #[test]
    fn bullets_are_stripped() {
        assert_eq!(strip_bullet("• En punkt"), "En punkt");
        assert_eq!(strip_bullet("- en punkt"), "en punkt");
        assert_eq!(strip_bullet("2018-2020"), "2018-2020");
        assert!(has_bullet("  • x"));
        assert!(!has_bullet("x • y"));
    }
}
