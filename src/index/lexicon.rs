//! A general Swedish lexicon: which strings are Swedish words, and the dictionary entry each comes
//! from.
//!
//! The data is hunspell-sv's dictionary (`data/sv_SE.dic`, entries with their affix flags) and its
//! suffix rules (`data/sv_SE.aff`); see `data/README.md` for the source, the licence and how the files
//! were made. A form is checked the way hunspell checks one: it is an entry, or an entry with one of its
//! suffix rules applied (*kommun* + D → *kommunen*, *lära* + J → *lärare*). Nothing is expanded in
//! advance, so the lexicon costs its two files and a hash map.
//!
//! It must never be used for anything but recognising words: it knows no meanings, and its entries
//! include many compounds (*sjukvård*) as well as the words they are made of.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// hunspell-sv's flag for entries that only occur inside compounds (ONLYINCOMPOUND: *lärar-*).
const BOUND: char = 'Z';
/// hunspell-sv's flag for entries that are no word without a suffix (NEEDAFFIX).
const NEEDS_SUFFIX: char = '¤';
/// hunspell-sv's flag for entries that may end a compound (COMPOUNDEND): *vård*, *skola*, but not
/// *rar*, *mun* or *het*.
const COMPOUND_END: char = 'Y';

/// One suffix rule: remove `strip` from an entry ending in `condition`, add the rule's ending.
#[derive(Debug)]
struct Rule {
    flag: char,
    strip: &'static str,
    condition: Vec<Class>,
    /// The form made is itself only a part of compounds (its continuation flags include [`BOUND`]).
    bound: bool,
}

/// One position of a rule's condition.
#[derive(Debug)]
enum Class {
    Any,
    Is(char),
    In(Vec<char>),
    NotIn(Vec<char>),
}

impl Class {
    fn matches(&self, c: char) -> bool {
        match self {
            Class::Any => true,
            Class::Is(want) => c == *want,
            Class::In(set) => set.contains(&c),
            Class::NotIn(set) => !set.contains(&c),
        }
    }
}

/// A hunspell condition (`.`, `a`, `[^ae]`, `[^m]el`) as one class per character.
fn parse_condition(text: &str) -> Vec<Class> {
    let mut classes = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        classes.push(match c {
            '.' => Class::Any,
            '[' => {
                let mut set = Vec::new();
                let mut negated = false;
                for c in chars.by_ref() {
                    match c {
                        ']' => break,
                        '^' if set.is_empty() && !negated => negated = true,
                        c => set.push(c),
                    }
                }
                if negated {
                    Class::NotIn(set)
                } else {
                    Class::In(set)
                }
            }
            c => Class::Is(c),
        });
    }
    classes
}

/// See the module documentation.
pub struct Lexicon {
    /// Entry → its flags (an entry listed twice has both lines' flags).
    entries: FxHashMap<&'static str, Cow<'static, str>>,
    /// Suffix rules by the ending they add.
    rules: FxHashMap<&'static str, Vec<Rule>>,
    /// The longest ending a rule adds, in bytes.
    longest_ending: usize,
}

/// The lexicon built from the bundled hunspell-sv files, on first use (about 50 ms).
pub static SWEDISH: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::new(include_str!("data/sv_SE.dic"), include_str!("data/sv_SE.aff")));

impl Lexicon {
    /// A lexicon from a hunspell `.dic` (without its count line) and the `SFX` lines of an `.aff`.
    fn new(dic: &'static str, aff: &'static str) -> Lexicon {
        // Sized up front and borrowing the text: building the map is most of the lexicon's cost.
        let mut entries: FxHashMap<&'static str, Cow<'static, str>> =
            FxHashMap::with_capacity_and_hasher(dic.len() / 12, Default::default());
        for line in dic.lines() {
            let (word, flags) = line.split_once('/').unwrap_or((line, ""));
            match entries.entry(word) {
                Entry::Vacant(slot) => {
                    slot.insert(Cow::Borrowed(flags));
                }
                Entry::Occupied(mut slot) => slot.get_mut().to_mut().push_str(flags),
            }
        }
        let mut rules: FxHashMap<&'static str, Vec<Rule>> = FxHashMap::default();
        for line in aff.lines() {
            // SFX flag strip add[/flags] condition; a header line (SFX flag Y count) has four fields.
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [_, flag, strip, add, condition, ..] = fields[..] else { continue };
            let Some(flag) = flag.chars().next() else { continue };
            let (add, continuation) = add.split_once('/').unwrap_or((add, ""));
            let empty = |s: &'static str| if s == "0" { "" } else { s };
            rules.entry(empty(add)).or_default().push(Rule {
                flag,
                strip: empty(strip),
                condition: parse_condition(condition),
                bound: continuation.contains(BOUND),
            });
        }
        let longest_ending = rules.keys().map(|k| k.len()).max().unwrap_or(0);
        Lexicon { entries, rules, longest_ending }
    }

    /// `word` as an entry that is a word on its own (not a compound piece, not a bare stem).
    pub fn entry(&self, word: &str) -> Option<&'static str> {
        let (entry, flags) = self.entries.get_key_value(word)?;
        (!flags.contains(BOUND) && !flags.contains(NEEDS_SUFFIX)).then_some(*entry)
    }

    /// Whether the entry may be the last part of a compound.
    pub fn may_end_compound(&self, entry: &str) -> bool {
        self.entries.get(entry).is_some_and(|flags| flags.contains(COMPOUND_END))
    }

    /// `piece` as an entry that only occurs inside compounds (*lärar*, *gymnasie*, *säkerhets*), or
    /// as a compound-initial form a suffix rule makes.
    pub fn bound(&self, piece: &str) -> bool {
        if self.entries.get(piece).is_some_and(|flags| flags.contains(BOUND)) {
            return true;
        }
        self.entry_of(piece, true).is_some()
    }

    /// The entry that the free-standing word `form` is a form of: itself, or an entry with one of its
    /// suffix rules applied.
    pub fn entry_of_form(&self, form: &str) -> Option<&'static str> {
        self.entry(form).or_else(|| self.entry_of(form, false))
    }

    /// The entry that a suffix rule turns into `form`, counting only rules that make compound pieces
    /// (`bound`) or only rules that make words.
    fn entry_of(&self, form: &str, bound: bool) -> Option<&'static str> {
        let mut base = String::with_capacity(form.len() + 4);
        for (cut, _) in form.char_indices().chain([(form.len(), ' ')]) {
            let ending = &form[cut..];
            if ending.len() > self.longest_ending {
                continue;
            }
            let Some(rules) = self.rules.get(ending) else { continue };
            for rule in rules.iter().filter(|rule| rule.bound == bound) {
                base.clear();
                base.push_str(&form[..cut]);
                base.push_str(rule.strip);
                let Some((entry, flags)) = self.entries.get_key_value(base.as_str()) else { continue };
                if flags.contains(rule.flag) && ends_with(&base, &rule.condition) {
                    return Some(*entry);
                }
            }
        }
        None
    }
}

/// Whether the last characters of `word` match `condition`, one class each.
fn ends_with(word: &str, condition: &[Class]) -> bool {
    let mut chars = word.chars().rev();
    condition.iter().rev().all(|class| chars.next().is_some_and(|c| class.matches(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_inflected_and_derived_forms() {
        let lexicon = &*SWEDISH;
        assert_eq!(lexicon.entry_of_form("kommunerna"), Some("kommun"));
        assert_eq!(lexicon.entry_of_form("flickorna"), Some("flicka"));
        assert_eq!(lexicon.entry_of_form("våldet"), Some("våld"));
        assert_eq!(lexicon.entry_of_form("lärare"), Some("lära"));
        assert_eq!(lexicon.entry_of_form("sjukvården"), Some("sjukvård"));
        assert_eq!(lexicon.entry_of_form("xyzzy"), None);
    }

    #[test]
    fn knows_compound_pieces_from_words() {
        let lexicon = &*SWEDISH;
        assert!(lexicon.bound("lärar"));
        assert!(lexicon.bound("gymnasie"));
        assert_eq!(lexicon.entry("lärar"), None);
        assert!(!lexicon.bound("kommun"));
    }

    #[test]
    fn an_entry_listed_twice_has_both_flags() {
        let lexicon = Lexicon::new("skola/AjmNP\nskola/AEGPY\nbarn\n", "SFX G a or a\n");
        assert_eq!(lexicon.entry_of_form("skolor"), Some("skola"));
        assert!(lexicon.may_end_compound("skola"));
        assert_eq!(lexicon.entry("barn"), Some("barn"));
    }

    #[test]
    fn conditions_match_the_end_of_a_word() {
        assert!(ends_with("stol", &parse_condition("[^ae]")));
        assert!(!ends_with("flicka", &parse_condition("[^ae]")));
        assert!(ends_with("cykel", &parse_condition("[^m]el")));
        assert!(!ends_with("himmel", &parse_condition("[^m]el")));
        assert!(ends_with("a", &parse_condition(".")));
        assert!(!ends_with("", &parse_condition(".")));
    }
}
