//! Goals: explicit aims, one record per aim.
//!
//! A goal is marked by a goal word stating the aim ("Målet är att", "Målen med överenskommelsen är
//! att:", "Ett strategiskt mål lyder:", "målsättningen är"), a purpose ("Syftet är att", "som syftar
//! till"), an ambition ("Vår ambition är att") or a commitment ("åtar sig att", "ett åtagande att").
//! A list introduced by such a phrase gives one goal per item; aims joined by semicolons give one goal
//! each. Sentences that only mention goals ("Målet att stärka ... förverkligas genom", "delmålet ...
//! är prioriterat"), expected effects, mandates and work areas are not goals. This module never
//! looks at headings.

use std::sync::LazyLock;

use regex::Regex;

use super::text::{sentences, word_count};
use super::units::{Kind, Unit};

/// The phrases that state an aim, as one pattern so that a sentence is read once:
/// - "Målet är att", "Syftet med satsningen är att", "Vår ambition är att", "Målet var att";
/// - "Vi har som mål att", "... med syfte att";
/// - "Ett särskilt strategiskt mål lyder:", "Målet är:"; "målsättningen är";
/// - a list of aims a subject has: "Satsningen har tre gemensamma mål:";
/// - purposes ("syftar till") and commitments ("åtar sig", "ett åtagande att");
/// - "fyra målområden: Att ...; att ...".
///
/// The pattern has no `\b`: a Unicode word boundary makes the regex crate's fast engines (lazy DFA,
/// one-pass) give up at the first non-ASCII byte, so every "å" would send the sentence to the slow
/// ones. Each `\b` of the readable form (kept in the tests as `REFERENCE`, which this must match
/// exactly) is replaced by what it means at its place, for a yes/no answer:
/// - `\b\w*` before a goal word is dropped: a goal word found inside a word is found just as well
///   from that word's start;
/// - `\b` between a goal word and the whitespace that must follow always holds and is dropped;
/// - `\b` before a word is `(?:^|\W)`, and after one `(?:\W|$)`: the neighbouring character is
///   consumed, which changes where a match lies but not whether there is one.
///
/// The branches that end in a word share one `(?:\W|$)` and those that start with one share one
/// `(?:^|\W)`: each copy of a Unicode class is compiled anew, and compiling is most of the cost.
static TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    let gap = r"(?:\s+(?:[^\s.;:]|:\S)+)";
    let after_a_boundary = [
        r"(?:som|med|i)\s+(?:mål|syfte|målsättning|ambition|uppgift|målet|syftet|ambitionen)\s+att"
            .to_string(),
        r"målsättning(?:en)?\s+(?:är|var)".to_string(),
        r"(?:syftar|syftade|syftat)\s+till".to_string(),
        r"(?:åtar|åtog|åtagit)\s+sig".to_string(),
        r"åtagande(?:t|n)?\s+att".to_string(),
        format!(r"mål\w*{gap}{{0,4}}\s*:\s*att"),
    ];
    let ends_in_a_word = [
        format!(
            r"(?:mål(?:et|en)?|målsättning(?:en|arna)?|syfte(?:t)?|ambition(?:en)?|avsikt(?:en)?|vision(?:en)?){gap}{{0,10}}\s+(?:är|var|har\s+varit|blir)\s+att"
        ),
        format!(r"(?:^|\W)(?:{})", after_a_boundary.join("|")),
    ];
    let ends_in_a_colon = [
        format!(r"(?:mål(?:et|en)?|målsättning\w*|syfte(?:t)?){gap}{{0,10}}\s+(?:är|var|lyder)\s*:"),
        format!(r"(?:^|\W)har{gap}{{0,3}}\s+mål(?:en)?\s*:"),
    ];
    Regex::new(&format!(r"(?i)(?:{})(?:\W|$)|{}", ends_in_a_word.join("|"), ends_in_a_colon.join("|")))
        .expect("valid built-in pattern")
});

/// Whether a sentence states an aim.
pub(crate) fn is_goal(sentence: &str) -> bool {
    TRIGGER.is_match(sentence)
}

/// Whether a sentence introduces a list of aims ("Målen med överenskommelsen är att:").
pub(crate) fn introduces_goals(sentence: &str) -> bool {
    let t = sentence.trim_end();
    is_goal(t) && (t.ends_with(':') || t.to_lowercase().ends_with(" att"))
}

/// One goal per aim of a sentence: aims joined by semicolons are split, and the lead-in before a
/// colon is dropped from the first.
fn split_aims(sentence: &str) -> Vec<String> {
    if !sentence.contains(';') {
        return vec![sentence.trim().to_string()];
    }
    let mut parts: Vec<String> = Vec::new();
    for (i, part) in sentence.split(';').enumerate() {
        let mut p = part.trim();
        if i == 0 {
            if let Some(pos) = p.rfind(": ") {
                let after = p[pos + 2..].trim();
                if word_count(after) >= 3 {
                    p = after;
                }
            }
        }
        let p = p.trim_end_matches(['.', ' ']);
        if word_count(p) >= 2 {
            parts.push(p.to_string());
        }
    }
    parts
}

/// The unit that introduces the list item at `i`: the paragraph right before the run of items.
pub(crate) fn intro_of(units: &[Unit], i: usize) -> Option<usize> {
    let mut j = i.checked_sub(1)?;
    while units[j].kind == Kind::Item {
        j = j.checked_sub(1)?;
    }
    (units[j].kind == Kind::Text).then_some(j)
}

/// The goals among the body units (indices into `units`, in reading order), as (unit, text).
pub(crate) fn goals(units: &[Unit], body: &[usize]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for &i in body {
        let u = &units[i];
        if u.kind == Kind::Item {
            let intro = intro_of(units, i).filter(|j| body.binary_search(j).is_ok());
            let listed = intro.and_then(|j| sentences(&units[j].text).last().map(|s| introduces_goals(s)));
            if listed == Some(true) {
                out.push((i, u.text.trim().to_string()));
                continue;
            }
        }
        if !matches!(u.kind, Kind::Text | Kind::Item) {
            continue;
        }
        let next_is_item = units.get(i + 1).is_some_and(|n| n.kind == Kind::Item);
        for s in sentences(&u.text) {
            if !is_goal(s) || (next_is_item && introduces_goals(s)) {
                continue;
            }
            out.extend(split_aims(s).into_iter().map(|g| (i, g)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The readable form of [`TRIGGER`], one pattern per phrase, with Unicode word boundaries: the
    /// specification the fast pattern must agree with on every sentence.
    static REFERENCE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            r"(?i)\b\w*(?:mål(?:et|en)?|målsättning(?:en|arna)?|syfte(?:t)?|ambition(?:en)?|avsikt(?:en)?|vision(?:en)?)\b(?:\s+(?:[^\s.;:]|:\S)+){0,10}?\s+(?:är|var|har\s+varit|blir)\s+att\b",
            r"(?i)\b(?:som|med|i)\s+(?:mål|syfte|målsättning|ambition|uppgift|målet|syftet|ambitionen)\s+att\b",
            r"(?i)\b\w*(?:mål(?:et|en)?|målsättning\w*|syfte(?:t)?)\b(?:\s+(?:[^\s.;:]|:\S)+){0,10}?\s+(?:är|var|lyder)\s*:",
            r"(?i)\bmålsättning(?:en)?\s+(?:är|var)\b",
            r"(?i)\b(?:syftar|syftade|syftat)\s+till\b",
            r"(?i)\b(?:åtar|åtog|åtagit)\s+sig\b",
            r"(?i)\båtagande(?:t|n)?\s+att\b",
            r"(?i)\bmål\w*(?:\s+(?:[^\s.;:]|:\S)+){0,4}\s*:\s*att\b",
            r"(?i)\bhar(?:\s+(?:[^\s.;:]|:\S)+){0,3}\s+mål(?:en)?\s*:",
        ]
        .iter()
        .map(|p| Regex::new(p).expect("valid reference pattern"))
        .collect()
    });

    fn reference(sentence: &str) -> bool {
        REFERENCE.iter().any(|r| r.is_match(sentence))
    }

    #[test]
    fn the_fast_pattern_agrees_with_the_reference_on_the_source_texts() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
        let mut checked = 0;
        for set in ["heldout", "heldout3", "heldout4"] {
            let Ok(entries) = std::fs::read_dir(root.join(set).join("source")) else { continue };
            for entry in entries.flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                for line in text.lines() {
                    for s in sentences(line) {
                        assert_eq!(is_goal(s), reference(s), "{s:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100, "only {checked} sentences found");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Goal words next to letters, digits, punctuation and other scripts' word characters, where a
        /// word boundary decides.
        #[test]
        fn the_fast_pattern_agrees_with_the_reference(words in prop::collection::vec(prop::sample::select(vec![
            "mål", "Målet", "MÅLEN", "målsättning", "målsättningen", "syfte", "Syftet", "ambition",
            "avsikten", "vision", "uppgift", "delmål", "målområden", "är", "ÄR", "var", "har", "varit",
            "blir", "att", "ATT", "attityd", "som", "med", "i", "lyder", "syftar", "syftade", "till",
            "tillsammans", "åtar", "åtog", "åtagit", "sig", "sigill", "åtagande", "åtagandet", "och",
            "SKL:s", "2019", "x", "å", "é", "_", "ß", "ſ", "K", ":", ";", ".", ",", "-", "–", " ", "\t",
            ": ", "\u{a0}", "ω", "_att", "att_",
        ]), 0..14), joiners in prop::collection::vec(prop::sample::select(vec![" ", "", " ", "  "]), 14)) {
            let mut s = String::new();
            for (i, w) in words.iter().enumerate() {
                s.push_str(w);
                s.push_str(joiners[i]);
            }
            prop_assert_eq!(is_goal(&s), reference(&s), "{:?}", s);
        }
    }

    #[test]
    fn a_list_of_aims_a_subject_has_is_a_goal_list() {
        assert!(introduces_goals("Satsningen har tre gemensamma mål:"));
        assert!(introduces_goals("Nätverket har två mål:"));
        assert!(!is_goal("Satsningen har en bred målgrupp: chefer och politiker."));
        assert!(!is_goal("Kommunen har nått sina mål."));
    }

    #[test]
    fn a_genitive_with_a_colon_does_not_hide_a_goal_list() {
        assert!(introduces_goals("Målen med SKR:s arbete är att:"));
        assert!(is_goal("Målet med SKL:s satsning är att stärka kvinnofridsarbetet."));
    }

    #[test]
    fn goal_phrases() {
        assert!(is_goal("Syftet är att främja utvecklingen i riktning mot målen."));
        assert!(is_goal("Målet är att verktyget ska innehålla nyckeltal för jämställdhet."));
        assert!(is_goal("Syftet med satsningen är att öka genomslaget."));
        assert!(is_goal("SKL har flera satsningar som syftar till att erbjuda god vård."));
        assert!(is_goal(
            "Ett särskilt strategiskt mål lyder: Jämställdhetsperspektivet är en självklar del."
        ));
        assert!(is_goal("Vår ambition är att utbildningarna ska genomföras lokalt."));
        assert!(is_goal("åtar sig att driva ett långsiktigt arbete med jämställdhetsintegrering,"));
        assert!(is_goal("Deklarationen innebär ett politiskt åtagande att verka för jämställdhet."));
        assert!(is_goal("Målet var att halvera väntetiderna."));
        assert!(is_goal("Projektets mål är att fler kommuner ska delta."));
        assert!(is_goal("Vi har som mål att alla nämnder ska ha jämställdhetsmål."));
        assert!(is_goal("Nätverket bildades i syfte att sprida kunskap."));
        assert!(is_goal("Projektet startade med målet att halvera sjukfrånvaron."));
    }

    #[test]
    fn sentences_that_only_mention_goals() {
        assert!(!is_goal("Målet att stärka samverkan förverkligas genom överenskommelsens strategi."));
        assert!(!is_goal("SKL och regeringen är överens om att delmålet om jämställd hälsa är prioriterat."));
        assert!(!is_goal("En övergripande projektplan beskriver hela satsningens inriktning och mål."));
        assert!(!is_goal("Det förväntade resultatet av samarbeten är att effektivisera stödet."));
        assert!(!is_goal("Ett av SKR:s uppdrag är att främja jämställdhetsintegrering."));
        assert!(!is_goal("Arbetet ska ske inom fyra insatsområden:"));
        assert!(!is_goal("Indikatorer för att följa upp de jämställdhetspolitiska målen tas fram."));
        assert!(!is_goal("Risken är annars att resurserna sprids över för många mål- och insatsområden."));
        assert!(!is_goal("Fler mål har satts upp för att följa arbetet."));
    }

    #[test]
    fn semicolon_aims_are_split() {
        let s = "Arbete har kommit igång utifrån fyra målområden: Att utveckla kunskap inom RSS; att stödja \
                 spridning i kommuner; att stärka samverkan.";
        assert!(is_goal(s));
        assert_eq!(
            split_aims(s),
            vec!["Att utveckla kunskap inom RSS", "att stödja spridning i kommuner", "att stärka samverkan"]
        );
    }

    fn unit(kind: Kind, text: &str) -> Unit {
        Unit { kind, lines: vec![text.into()], text: text.into(), size: 11.0, bold: false, page: 1 }
    }

    #[test]
    fn list_of_aims_gives_one_goal_per_item() {
        let units = vec![
            unit(Kind::Text, "Syftet är att främja utvecklingen. Målen med överenskommelsen är att:"),
            unit(Kind::Item, "Stärka samverkan mellan staten och kommunerna"),
            unit(Kind::Item, "Stärka kvinnofridsarbetet"),
            unit(Kind::Text, "Satsningen består av tre delar:"),
            unit(Kind::Item, "En kort föreläsning för politiker."),
        ];
        let g: Vec<String> = goals(&units, &[0, 1, 2, 3, 4]).into_iter().map(|(_, t)| t).collect();
        assert_eq!(
            g,
            vec![
                "Syftet är att främja utvecklingen.",
                "Stärka samverkan mellan staten och kommunerna",
                "Stärka kvinnofridsarbetet"
            ]
        );
    }
}
