//! A small Swedish verb lexicon: which word forms are finite verbs, in which tense and voice, and
//! whether the verb reports an action ("genomför", "har tagit fram"), a start ("har inlett") or only
//! describes ("är", "visar", "innebär").
//!
//! The forms are generated from infinitives by the regular conjugations, with the irregular verbs
//! listed in full. Words outside the lexicon are read by a few safe endings only ("-erade", "-erats").
//! This module never looks at more than one word: clause structure is `clauses`' job.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Tense (or non-finite form) of a verb form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tense {
    Present,
    Past,
    Supine,
    Infinitive,
}

/// What a verb says about its clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// A concrete action: "genomför", "bildat", "lanseras".
    Action,
    /// An action whose perfect reports a start, not an end: "har inlett", "påbörjades".
    Beginning,
    /// Describes, judges or relates: "är", "visar", "bidrar", "innebär".
    Descriptive,
    Aux(Aux),
}

/// The auxiliaries that decide a clause's tense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Aux {
    /// har, hade
    Have,
    /// kommer (att)
    Will,
    /// ska, skall
    Shall,
    /// skulle
    Should,
    /// kan
    Can,
    /// kunde
    Could,
}

/// One word form of a verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Form {
    pub lemma: &'static str,
    pub tense: Tense,
    pub passive: bool,
    pub class: Class,
}

/// Verbs of the first conjugation (-ar, -ade, -at) that report actions.
const FIRST: &[&str] = &[
    "dela",
    "upprätta",
    "förvalta",
    "utarbeta",
    "sammankalla",
    "coacha",
    "pausa",
    "flytta",
    "utforma",
    "formge",
    "arbeta",
    "jobba",
    "starta",
    "planera",
    "lansera",
    "publicera",
    "utveckla",
    "vidareutveckla",
    "fördjupa",
    "bredda",
    "etablera",
    "bilda",
    "samverka",
    "samarbeta",
    "medverka",
    "komplettera",
    "fördela",
    "arrangera",
    "organisera",
    "analysera",
    "utvärdera",
    "inventera",
    "presentera",
    "rapportera",
    "redovisa",
    "samla",
    "testa",
    "pilottesta",
    "prova",
    "pröva",
    "anordna",
    "ordna",
    "utbilda",
    "informera",
    "avsluta",
    "tilldela",
    "bevilja",
    "besluta",
    "uppdatera",
    "teckna",
    "träffa",
    "upphandla",
    "implementera",
    "integrera",
    "jämställdhetsintegrera",
    "skapa",
    "engagera",
    "rekrytera",
    "leverera",
    "lämna",
    "förankra",
    "satsa",
    "investera",
    "öppna",
    "underteckna",
    "producera",
    "stötta",
    "studera",
    "granska",
    "träna",
    "inrätta",
    "dokumentera",
    "mobilisera",
    "uppmärksamma",
    "förbättra",
    "effektivisera",
    "utöka",
    "avveckla",
    "sammanfatta",
    "kommunicera",
    "formulera",
    "identifiera",
    "certifiera",
    "samordna",
    "koordinera",
    "finansiera",
    "medfinansiera",
    "intervjua",
    "kontakta",
    "besvara",
    "anpassa",
    "förnya",
    "revidera",
    "bearbeta",
    "strukturera",
    "konkretisera",
    "fatta",
    "prioritera",
    "arrangera",
    "verkställa",
    "markera",
    "uppmana",
    "initiera",
    "påbörja",
    "skicka",
    "modernisera",
    "digitalisera",
    "tillämpa",
];

/// Verbs of the second conjugation (-er, -de/-te, -t) that report actions.
const SECOND: &[&str] = &[
    "slutföra",
    "förlänga",
    "söka",
    "trycka",
    "stänga",
    "förstärka",
    "bygga",
    "anställa",
    "använda",
    "sända",
    "stärka",
    "hjälpa",
    "undersöka",
    "besöka",
    "följa",
    "höja",
    "lyfta",
    "släppa",
    "utlysa",
    "genomlysa",
    "ansöka",
    "anmäla",
    "sammanställa",
    "ställa",
    "fastställa",
    "genomföra",
    "utföra",
    "marknadsföra",
    "lära",
    "väcka",
    "köpa",
    "läsa",
    "sänka",
];

/// Irregular verbs reporting actions: infinitive, present, past, supine, present passive, past passive,
/// supine passive ("" where the form does not exist or is too ambiguous to use).
const IRREGULAR: &[[&str; 7]] = &[
    ["göra", "gör", "gjorde", "gjort", "görs", "gjordes", "gjorts"],
    ["möjliggöra", "möjliggör", "möjliggjorde", "möjliggjort", "möjliggörs", "möjliggjordes", "möjliggjorts"],
    ["synliggöra", "synliggör", "synliggjorde", "synliggjort", "synliggörs", "synliggjordes", "synliggjorts"],
    ["tydliggöra", "tydliggör", "tydliggjorde", "tydliggjort", "tydliggörs", "tydliggjordes", "tydliggjorts"],
    ["ge", "ger", "gav", "gett", "ges", "gavs", "getts"],
    ["ge", "", "", "givit", "", "", "givits"],
    ["ta", "tar", "tog", "tagit", "tas", "togs", "tagits"],
    ["vidta", "vidtar", "vidtog", "vidtagit", "vidtas", "vidtogs", "vidtagits"],
    ["anta", "antar", "antog", "antagit", "antas", "antogs", "antagits"],
    ["delta", "deltar", "deltog", "deltagit", "", "", ""],
    ["driva", "driver", "drev", "drivit", "drivs", "drevs", "drivits"],
    ["erbjuda", "erbjuder", "erbjöd", "erbjudit", "erbjuds", "erbjöds", "erbjudits"],
    ["bjuda", "bjuder", "bjöd", "bjudit", "bjuds", "bjöds", "bjudits"],
    ["hålla", "håller", "höll", "hållit", "hålls", "hölls", "hållits"],
    ["tillhandahålla", "tillhandahåller", "tillhandahöll", "tillhandahållit", "tillhandahålls", "", ""],
    ["sprida", "sprider", "spred", "spridit", "sprids", "spreds", "spridits"],
    ["ligga", "ligger", "", "legat", "", "", ""],
    ["pågå", "pågår", "pågick", "pågått", "", "", ""],
    ["gå", "går", "gick", "gått", "", "", ""],
    ["fortsätta", "fortsätter", "fortsatte", "fortsatt", "fortsätts", "fortsattes", ""],
    ["sätta", "sätter", "satte", "", "sätts", "sattes", "satts"],
    ["tillsätta", "tillsätter", "tillsatte", "tillsatt", "tillsätts", "tillsattes", "tillsatts"],
    ["ske", "sker", "skedde", "skett", "", "", ""],
    ["förbereda", "förbereder", "förberedde", "förberett", "förbereds", "förbereddes", "förberetts"],
    ["utreda", "utreder", "utredde", "utrett", "utreds", "utreddes", "utretts"],
    ["handleda", "handleder", "handledde", "handlett", "handleds", "handleddes", "handletts"],
    ["samråda", "samråder", "samrådde", "samrått", "", "", ""],
    ["stödja", "stöder", "stödde", "stött", "stöds", "stöddes", "stötts"],
    ["stödja", "stödjer", "", "", "", "", ""],
    ["knyta", "knyter", "knöt", "knutit", "knyts", "knöts", "knutits"],
    ["utse", "utser", "utsåg", "utsett", "utses", "utsågs", "utsetts"],
    ["kartlägga", "kartlägger", "kartlade", "kartlagt", "kartläggs", "kartlades", "kartlagts"],
    ["lägga", "lägger", "lade", "lagt", "läggs", "lades", "lagts"],
    ["skriva", "skriver", "skrev", "skrivit", "skrivs", "skrevs", "skrivits"],
    ["välja", "väljer", "valde", "valt", "väljs", "valdes", "valts"],
    ["dra", "drar", "", "dragit", "dras", "drogs", "dragits"],
    ["bistå", "bistår", "bistod", "bistått", "", "", ""],
    ["äga", "äger", "ägde", "ägt", "", "", ""],
    ["ingå", "ingår", "ingick", "ingått", "", "", ""],
    ["införa", "", "införde", "infört", "införs", "infördes", "införts"],
    ["föra", "", "förde", "fört", "förs", "fördes", "förts"],
    ["sprida", "", "", "", "", "", ""],
    ["besluta", "", "beslöt", "", "", "", ""],
    ["komma", "", "kom", "kommit", "", "", ""],
    ["leda", "leder", "ledde", "lett", "leds", "leddes", "letts"],
    ["avsätta", "avsätter", "avsatte", "avsatt", "avsätts", "avsattes", "avsatts"],
    ["ersätta", "ersätter", "ersatte", "ersatt", "ersätts", "ersattes", "ersatts"],
    ["skjuta", "skjuter", "sköt", "skjutit", "skjuts", "sköts", "skjutits"],
    ["inleda", "inleder", "inledde", "inlett", "inleds", "inleddes", "inletts"],
    ["påbörja", "", "", "", "", "", ""],
    ["mäta", "mäter", "mätte", "mätt", "mäts", "mättes", "mätts"],
    ["träda", "träder", "trädde", "trätt", "", "", ""],
    ["vinna", "vinner", "vann", "vunnit", "", "", ""],
    ["sitta", "sitter", "satt", "suttit", "", "", ""],
];

/// Verbs whose perfect or past reports a start ("har inlett", "påbörjades", "startade").
const BEGINNING: &[&str] = &["inleda", "påbörja", "starta", "initiera", "komma", "dra", "sätta"];

/// Forms that describe, judge or relate rather than act. They still count as finite verbs, so that a
/// clause's main verb is found, but never make a sentence an activity.
const DESCRIPTIVE: &[&str] = &[
    "ansvarar",
    "ansvarade",
    "ansvarat",
    "påverkat",
    "medfört",
    "medför",
    "medförde",
    "resulterat",
    "ökat",
    "minskat",
    "förändrats",
    "uppnått",
    "uppnås",
    "uppnåddes",
    "är",
    "var",
    "varit",
    "vara",
    "blir",
    "blev",
    "blivit",
    "bli",
    "finns",
    "fanns",
    "funnits",
    "haft",
    "handlar",
    "handlade",
    "innebär",
    "innebar",
    "inneburit",
    "beskriver",
    "beskrev",
    "beskrivit",
    "visar",
    "visade",
    "visat",
    "gäller",
    "gällde",
    "heter",
    "hette",
    "utgör",
    "utgjorde",
    "består",
    "bestod",
    "omfattar",
    "omfattade",
    "täcker",
    "täckte",
    "reglerar",
    "avser",
    "avsåg",
    "innehåller",
    "innehöll",
    "riktar",
    "riktade",
    "behöver",
    "behövde",
    "måste",
    "bör",
    "borde",
    "vill",
    "ville",
    "får",
    "fick",
    "fått",
    "tycker",
    "anser",
    "menar",
    "bedömer",
    "bedömde",
    "kräver",
    "krävde",
    "krävs",
    "bidrar",
    "bidrog",
    "bidragit",
    "resulterar",
    "resulterade",
    "påverkar",
    "påverkade",
    "uppstår",
    "uppstod",
    "verkar",
    "syftar",
    "syftade",
    "syftat",
    "lyder",
    "står",
    "stod",
    "ser",
    "såg",
    "tros",
    "ses",
    "skiljer",
    "presterar",
    "utgår",
    "gagnar",
    "tillvaratar",
    "saknas",
    "rör",
    "tillhör",
    "motsvarar",
    "präglas",
    "hör",
    "kallas",
    "definieras",
    "betyder",
    "handlar",
    "känner",
    "vet",
    "visste",
    "tror",
    "hoppas",
    "önskar",
    "upplever",
    "uppfattar",
    "förväntas",
    "beror",
    "berodde",
    "möter",
    "tycks",
    "brukar",
    "ökar",
    "minskar",
    "växer",
    "används",
    "riskerar",
];

const AUXILIARIES: &[(&str, Aux)] = &[
    ("har", Aux::Have),
    ("hade", Aux::Have),
    ("kommer", Aux::Will),
    ("ska", Aux::Shall),
    ("skall", Aux::Shall),
    ("skulle", Aux::Should),
    ("kan", Aux::Can),
    ("kunde", Aux::Could),
];

/// Forms left out because another word is spelt the same: "för" (preposition), "var" (where),
/// "lär", "satt" (sat/set), "drog" (drug).
const AMBIGUOUS: &[&str] = &["för", "inför", "lär", "drog", "satt", "låg", "delar", "delat", "söker"];

static LEXICON: LazyLock<HashMap<String, Form>> = LazyLock::new(build);

fn build() -> HashMap<String, Form> {
    let mut map: HashMap<String, Form> = HashMap::new();
    let mut add = |form: String, lemma: &'static str, tense: Tense, passive: bool| {
        if form.is_empty() || AMBIGUOUS.contains(&form.as_str()) {
            return;
        }
        let class = if BEGINNING.contains(&lemma) { Class::Beginning } else { Class::Action };
        // The first entry wins: an active reading beats a later passive one.
        map.entry(form).or_insert(Form { lemma, tense, passive, class });
    };
    for &inf in FIRST {
        add(format!("{inf}r"), inf, Tense::Present, false);
        add(format!("{inf}de"), inf, Tense::Past, false);
        add(format!("{inf}t"), inf, Tense::Supine, false);
        add(format!("{inf}s"), inf, Tense::Present, true);
        add(format!("{inf}des"), inf, Tense::Past, true);
        add(format!("{inf}ts"), inf, Tense::Supine, true);
        add(inf.to_string(), inf, Tense::Infinitive, false);
    }
    for &inf in SECOND {
        let stem = inf.strip_suffix('a').unwrap_or(inf);
        let present = if stem.ends_with('r') { stem.to_string() } else { format!("{stem}er") };
        let voiceless = stem.ends_with(['k', 'p', 's', 't', 'x']);
        let (past, supine) = if let Some(root) = stem.strip_suffix('d') {
            (format!("{stem}e"), format!("{root}t"))
        } else if stem.ends_with('t') && !stem.ends_with("tt") {
            let doubled = stem.chars().rev().nth(1).is_some_and(|c| "aeiouyåäö".contains(c));
            if doubled {
                (format!("{stem}te"), format!("{stem}t"))
            } else {
                (format!("{stem}e"), stem.to_string())
            }
        } else if voiceless {
            (format!("{stem}te"), format!("{stem}t"))
        } else {
            (format!("{stem}de"), format!("{stem}t"))
        };
        let passive = if stem.ends_with('s') { format!("{stem}es") } else { format!("{stem}s") };
        add(present, inf, Tense::Present, false);
        add(past.clone(), inf, Tense::Past, false);
        add(supine.clone(), inf, Tense::Supine, false);
        add(passive, inf, Tense::Present, true);
        add(format!("{past}s"), inf, Tense::Past, true);
        add(format!("{supine}s"), inf, Tense::Supine, true);
        add(inf.to_string(), inf, Tense::Infinitive, false);
        add(format!("{inf}s"), inf, Tense::Infinitive, true);
    }
    for row in IRREGULAR {
        let [inf, present, past, supine, present_passive, past_passive, supine_passive] = *row;
        add(present.to_string(), inf, Tense::Present, false);
        add(past.to_string(), inf, Tense::Past, false);
        add(supine.to_string(), inf, Tense::Supine, false);
        add(present_passive.to_string(), inf, Tense::Present, true);
        add(past_passive.to_string(), inf, Tense::Past, true);
        add(supine_passive.to_string(), inf, Tense::Supine, true);
        add(inf.to_string(), inf, Tense::Infinitive, false);
        if !present_passive.is_empty() {
            add(format!("{inf}s"), inf, Tense::Infinitive, true);
        }
    }
    for &(word, aux) in AUXILIARIES {
        let tense = if matches!(word, "hade" | "skulle" | "kunde") { Tense::Past } else { Tense::Present };
        map.insert(
            word.to_string(),
            Form { lemma: word_lemma(word), tense, passive: false, class: Class::Aux(aux) },
        );
    }
    for &word in DESCRIPTIVE {
        let tense = if ["it", "tt", "at", "ft", "its"].iter().any(|e| word.ends_with(e)) {
            Tense::Supine
        } else {
            Tense::Present
        };
        map.insert(word.to_string(), Form { lemma: "", tense, passive: false, class: Class::Descriptive });
    }
    map
}

fn word_lemma(aux: &str) -> &'static str {
    match aux {
        "har" | "hade" => "ha",
        "kommer" => "komma",
        "ska" | "skall" | "skulle" => "skola",
        _ => "kunna",
    }
}

/// Nouns that end like a supine ("resultat", "mandat") and must not be read as one.
const NOT_SUPINE: &[&str] = &[
    "annat",
    "nytt",
    "helt",
    "gott",
    "platt",
    "kraftigt",
    "betydligt",
    "stort",
    "brett",
    "tätt",
    "litet",
    "resultat",
    "mandat",
    "kandidat",
    "privat",
    "format",
    "demokrat",
    "byråkrat",
    "certifikat",
    "stat",
    "citat",
    "sekretariat",
    "preparat",
    "apparat",
    "separat",
    "konsulat",
    "akademikat",
    "innehåll",
    "arbete",
    "ansvar",
    "sätt",
    "rätt",
    "samarbete",
    "nätverk",
    "konkret",
    "lokalt",
    "regionalt",
    "nationellt",
    "kommunalt",
    "totalt",
    "särskilt",
    "tydligt",
    "viktigt",
    "mycket",
    "ett",
    "blott",
    "fortsatt",
    "ökat",
    "förbättrat",
    "politiskt",
    "långsiktigt",
    "hållbart",
    "tidigt",
    "bland",
];

/// The verb form a lower-case word is, if any.
pub(crate) fn lookup(word: &str) -> Option<Form> {
    if let Some(form) = LEXICON.get(word) {
        return Some(*form);
    }
    // Verbs in -era (the large open class of loan verbs) are regular and safe to read by their ending.
    let rules: [(&str, Tense, bool); 6] = [
        ("erades", Tense::Past, true),
        ("erade", Tense::Past, false),
        ("erats", Tense::Supine, true),
        ("erat", Tense::Supine, false),
        ("eras", Tense::Present, true),
        ("erar", Tense::Present, false),
    ];
    for (ending, tense, passive) in rules {
        if word.len() > ending.len() + 3 && word.ends_with(ending) {
            return Some(Form { lemma: "", tense, passive, class: Class::Action });
        }
    }
    compound_form(word)
}

/// The shortest head a compound verb is read with, in characters ("om|arbetade").
const MIN_VERB_HEAD: usize = 2;
/// The shortest known form a compound verb may end in, in characters: a shorter tail ("tar",
/// "leder") ends too many nouns.
const MIN_VERB_TAIL: usize = 6;

/// A compound verb, read by its last part: Swedish makes verbs by putting an adjective, adverb or noun
/// before a verb ("färdig|ställdes", "tydlig|gjorde", "om|arbetades"), and the compound conjugates
/// like its last verb. Only forms that nouns do not end in are read this way: past, supine and passive
/// (a present active "-er"/"-ar" is also a noun's plural); a descriptive tail stays descriptive.
fn compound_form(word: &str) -> Option<Form> {
    word.char_indices().skip(MIN_VERB_HEAD).find_map(|(at, _)| {
        let tail = &word[at..];
        if tail.chars().count() < MIN_VERB_TAIL {
            return None;
        }
        let form = LEXICON.get(tail)?;
        let noun_like = form.tense == Tense::Present && !form.passive;
        (!noun_like && form.tense != Tense::Infinitive && !matches!(form.class, Class::Aux(_)))
            .then_some(*form)
    })
}

/// A supine after "har"/"hade": from the lexicon, else by its ending ("-at", "-it", "-tt", passive
/// "-ats", "-its", "-tts"), never a known noun.
pub(crate) fn supine_after_have(word: &str) -> Option<Form> {
    if let Some(form) = lookup(word) {
        return (form.tense == Tense::Supine && form.class != Class::Descriptive).then_some(form);
    }
    if word.chars().count() < 5 || NOT_SUPINE.contains(&word) {
        return None;
    }
    let passive = word.ends_with("ats") || word.ends_with("its") || word.ends_with("tts");
    let active = word.ends_with("at") || word.ends_with("it") || word.ends_with("tt");
    (passive || active).then_some(Form { lemma: "", tense: Tense::Supine, passive, class: Class::Action })
}

/// Whether a form is finite (can be a clause's verb).
pub(crate) fn is_finite(form: &Form) -> bool {
    matches!(form.tense, Tense::Present | Tense::Past) || matches!(form.class, Class::Aux(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tense(word: &str) -> Option<(Tense, bool)> {
        lookup(word).map(|f| (f.tense, f.passive))
    }

    #[test]
    fn regular_conjugations() {
        assert_eq!(tense("arbetar"), Some((Tense::Present, false)));
        assert_eq!(tense("publicerades"), Some((Tense::Past, true)));
        assert_eq!(tense("samarbetat"), Some((Tense::Supine, false)));
        assert_eq!(tense("bygger"), Some((Tense::Present, false)));
        assert_eq!(tense("genomför"), Some((Tense::Present, false)));
        assert_eq!(tense("genomförs"), Some((Tense::Present, true)));
        assert_eq!(tense("genomföras"), Some((Tense::Infinitive, true)));
        assert_eq!(tense("anställt"), Some((Tense::Supine, false)));
        assert_eq!(tense("använt"), Some((Tense::Supine, false)));
        assert_eq!(tense("lyfte"), Some((Tense::Past, false)));
        assert_eq!(tense("stärkte"), Some((Tense::Past, false)));
        assert_eq!(tense("utlyses"), Some((Tense::Present, true)));
    }

    #[test]
    fn irregular_and_beginning_verbs() {
        assert_eq!(tense("deltog"), Some((Tense::Past, false)));
        assert_eq!(tense("gjordes"), Some((Tense::Past, true)));
        assert_eq!(lookup("inlett").map(|f| f.class), Some(Class::Beginning));
        assert_eq!(lookup("påbörjades").map(|f| f.class), Some(Class::Beginning));
        assert_eq!(lookup("genomfört").map(|f| f.class), Some(Class::Action));
    }

    #[test]
    fn descriptive_and_ambiguous_words() {
        assert_eq!(lookup("visar").map(|f| f.class), Some(Class::Descriptive));
        assert_eq!(lookup("för"), None);
        assert_eq!(lookup("kommuner"), None);
        assert_eq!(lookup("har").map(|f| f.class), Some(Class::Aux(Aux::Have)));
    }

    #[test]
    fn era_verbs_by_their_ending() {
        assert_eq!(tense("koordinerade"), Some((Tense::Past, false)));
        assert_eq!(tense("kvalitetssäkras"), None);
    }

    #[test]
    fn compound_verbs_by_their_last_verb() {
        assert_eq!(tense("färdigställdes"), Some((Tense::Past, true)));
        assert_eq!(tense("tydliggjorde"), Some((Tense::Past, false)));
        assert_eq!(tense("omarbetats"), Some((Tense::Supine, true)));
        // A present active form is also a plural noun's ending, and a short tail ends too many words.
        assert_eq!(tense("färdigställer"), None);
        assert_eq!(lookup("arbetsdelar"), None);
        assert_eq!(lookup("utbildningsinsatser"), None);
        assert_eq!(lookup("kommunerna"), None);
    }

    #[test]
    fn supines_after_have() {
        assert!(supine_after_have("tecknats").is_some_and(|f| f.passive));
        assert!(supine_after_have("kartlagt").is_some());
        assert!(supine_after_have("resultat").is_none());
        assert!(supine_after_have("flera").is_none());
        assert!(supine_after_have("visat").is_none());
    }
}
