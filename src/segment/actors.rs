//! The organisations a sentence names as doing its action: the subject ("SKL har ..."), the agent of
//! a passive ("drivs av SKL"), and partners ("i samarbete med", "tillsammans med", "med stöd av",
//! "samverkan ... mellan X, Y och Z"). Names are kept as written.
//!
//! An organisation is an acronym ("SKL", "RKA"), a proper name ("Jönköpings län", "Kunskapscentrum
//! för jämlik vård i Västra Götalandsregionen"), a noun that names a body ("länsstyrelserna",
//! "socialförvaltningen i stadsdelen X") or "vi". Those spoken to or supported ("inlett dialoger med
//! Skolverket", "stöd till kommuner") are never actors. This module never falls back to the
//! document's organisation when nothing is named; the caller decides that.

use std::collections::HashSet;

use super::clauses::{Predicate, Sentence};
use super::text::{Token, TokenKind};
use super::verbs;

/// What the actor rules need to know about the document.
pub(crate) struct Context<'a> {
    /// The document's own organisation, which "vi" and "förbundet" name.
    pub org: Option<&'a str>,
    /// Words the document writes in lower case somewhere: a capitalised first word of a sentence
    /// that is among them is a common noun ("Satsningen"), not a name ("Botkyrka").
    pub lowercase_words: &'a HashSet<String>,
}

/// Nouns that name a body on their own.
const BODY_NOUNS: &[&str] = &[
    "regeringen",
    "riksdagen",
    "kommunen",
    "kommunerna",
    "kommuner",
    "regionen",
    "regionerna",
    "regioner",
    "landstinget",
    "landstingen",
    "landsting",
    "myndigheten",
    "myndigheterna",
    "myndigheter",
    "styrelsen",
    "nämnden",
    "nämnderna",
    "förvaltningen",
    "civilsamhället",
    "socialtjänsten",
    "sjukvården",
    "primärvården",
    "elevhälsan",
    "polisen",
    "organisationen",
    "organisationerna",
    "föreningen",
    "föreningarna",
    "huvudmännen",
    "skolhuvudmännen",
    "länen",
    "kommunförbundet",
];

/// Endings of compound nouns that name a body ("länsstyrelserna", "socialförvaltningen",
/// "kulturskolan", "Folkhälsoenheten").
const BODY_SUFFIXES: &[&str] = &[
    "styrelsen",
    "styrelserna",
    "styrelsens",
    "styrelsernas",
    "myndigheten",
    "myndigheterna",
    "myndighetens",
    "regionen",
    "regionerna",
    "kommunen",
    "kommunerna",
    "förvaltningen",
    "förvaltningarna",
    "förvaltningens",
    "nämnden",
    "nämnderna",
    "förbundet",
    "förbunden",
    "institutet",
    "universitetet",
    "högskolan",
    "skolan",
    "enheten",
    "departementet",
    "kansliet",
    "inspektionen",
    "förmedlingen",
    "kassan",
    "centret",
    "centrum",
    "center",
    "kontoret",
    "organisationen",
    "organisationerna",
    "föreningen",
    "föreningarna",
    "stiftelsen",
    "bolaget",
];

/// Lower-case nouns that may follow a place name as part of an organisation's name
/// ("Örnsköldsviks kommun", "Jönköpings län", "Malmö stad").
const NAME_TAILS: &[&str] =
    &["kommun", "län", "region", "landsting", "stad", "stift", "kommuner", "regioner"];

/// Whether a capitalised word is never a name, whatever the document's vocabulary says.
fn not_a_name(lower: &str) -> bool {
    NOT_NAMES.contains(&lower) || super::dates::month_number(lower).is_some()
}

/// Capitalised words that are never names (month names aside: see [`not_a_name`]).
const NOT_NAMES: &[&str] = &[
    "det",
    "den",
    "de",
    "detta",
    "denna",
    "dessa",
    "en",
    "ett",
    "vi",
    "man",
    "under",
    "i",
    "inom",
    "genom",
    "med",
    "för",
    "efter",
    "sedan",
    "på",
    "vid",
    "från",
    "till",
    "om",
    "när",
    "där",
    "som",
    "att",
    "och",
    "men",
    "även",
    "också",
    "just",
    "nu",
    "vidare",
    "parallellt",
    "dessutom",
    "därför",
    "samtidigt",
    "hittills",
    "tidigare",
    "utöver",
    "enligt",
    "utifrån",
    "trots",
    "bland",
    "mellan",
    "inför",
    "här",
    "samtliga",
    "alla",
    "flera",
    "några",
    "många",
];

/// Words that introduce partners.
const PARTNER_CUES: &[&[&str]] = &[
    &["i", "samarbete", "med"],
    &["i", "samverkan", "med"],
    &["i", "nära", "samarbete", "med"],
    &["i", "nära", "samverkan", "med"],
    &["i", "bred", "samverkan", "med"],
    &["i", "dialog", "och", "samverkan", "med"],
    &["tillsammans", "med"],
    &["med", "stöd", "av"],
    &["med", "stöd", "från"],
    &["med", "hjälp", "av"],
    &["gemensamt", "med"],
    &["i", "partnerskap", "med"],
    &["samverkat", "med"],
    &["samarbetat", "med"],
    &["samverkar", "med"],
    &["samarbetar", "med"],
    &["samverkade", "med"],
    &["samarbetade", "med"],
];

/// Words that may stand before a body's noun without being part of the name ("den kommunala",
/// "samtliga 21").
fn is_modifier(t: &Token<'_>) -> bool {
    if t.kind == TokenKind::Number {
        return true;
    }
    let w = t.lower.as_ref();
    if QUANTIFIERS.contains(&w) {
        return true;
    }
    if t.kind != TokenKind::Word || t.capitalized() && !not_a_name(w) {
        return false;
    }
    w.len() > 3 && (w.ends_with('a') || w.ends_with("ade")) && verbs::lookup(w).is_none()
}

/// Determiners, quantifiers and number words that may stand before a body's noun.
const QUANTIFIERS: &[&str] = &[
    "den", "det", "de", "samtliga", "alla", "flera", "några", "många", "berörda", "övriga", "andra", "två",
    "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv", "tjugo", "trettio", "hundra",
];

fn is_body_noun(lower: &str) -> bool {
    BODY_NOUNS.contains(&lower)
        || BODY_SUFFIXES.iter().any(|s| lower.len() > s.len() + 2 && lower.ends_with(s))
}

/// A list of the organisations named at `start`: mentions joined by ",", "och", "samt".
pub(crate) fn chain(s: &Sentence<'_>, start: usize, ctx: &Context<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = start;
    while let Some((name, next)) = mention(s, i, ctx) {
        out.push(name);
        i = next;
        match s.tokens.get(i) {
            Some(t) if matches!(t.lower.as_ref(), "," | "och" | "samt" | "&") => {
                i += 1;
                if s.tokens.get(i).is_some_and(|t| t.is("och") || t.is("samt")) {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    out
}

/// Whether tokens `j..j + 3` are a bracketed acronym: "(RKA)".
fn bracketed_acronym(s: &Sentence<'_>, j: usize) -> bool {
    let toks = &s.tokens;
    toks.get(j).is_some_and(|t| t.text == "(")
        && toks.get(j + 1).is_some_and(Token::acronym)
        && toks.get(j + 2).is_some_and(|t| t.text == ")")
}

/// One organisation named at `i`, and the index after it.
fn mention(s: &Sentence<'_>, i: usize, ctx: &Context<'_>) -> Option<(String, usize)> {
    let toks = &s.tokens;
    let mut k = i;
    while k < toks.len()
        && k < i + 3
        && is_modifier(&toks[k])
        && !is_head(s, k, ctx)
        && !bracketed_acronym(s, k + 1)
    {
        k += 1;
    }
    let head = toks.get(k)?;
    if head.is("vi") || head.is("förbundet") {
        return Some((ctx.org?.to_string(), k + 1));
    }
    // "de regionala stödstrukturerna (RSS)": a noun named by the acronym after it.
    if head.is_word()
        && !head.capitalized()
        && bracketed_acronym(s, k + 1)
        && verbs::lookup(&head.lower).is_none()
    {
        let start = (i..k)
            .find(|&m| !QUANTIFIERS.contains(&toks[m].lower.as_ref()) && toks[m].kind != TokenKind::Number)
            .unwrap_or(k);
        return Some((s.slice(&(start..k + 4)).to_string(), k + 4));
    }
    let mut end = if head.acronym() {
        k + 1
    } else if is_body_noun(&head.lower) {
        // "forskningsinstitutet RISE", then "i Eskilstuna", "i stadsdelen X i Stockholm".
        let named = toks.get(k + 1).is_some_and(|t| t.acronym() || is_name(s, k + 1, ctx));
        extend_place(s, if named { k + 2 } else { k + 1 }, ctx)
    } else if is_name(s, k, ctx) {
        let mut end = k + 1;
        // "Västra Götalandsregionen", "Örnsköldsviks kommun", "Malmö stad".
        while is_name(s, end, ctx)
            || toks.get(end).is_some_and(|t| t.acronym() || NAME_TAILS.contains(&t.lower.as_ref()))
        {
            end += 1;
        }
        extend_by_acronym(s, k, extend_descriptive(s, end), ctx)
    } else {
        return None;
    };
    // "länsstyrelsernas utvecklingsledare": a genitive takes the noun it qualifies.
    let genitive = !toks[end - 1].acronym() && toks[end - 1].lower.ends_with('s');
    if genitive && toks.get(end).is_some_and(|t| plain_word(t) && !not_a_name(&t.lower)) {
        end += 1;
    }
    if bracketed_acronym(s, end) {
        end += 3;
    }
    // "FOU välfärd, Länsstyrelsen och ...": one lower-case word that ends a listed name.
    let listed = toks.get(end + 1).is_some_and(|t| t.text == "," || t.is("och"));
    if head.acronym()
        && listed
        && toks.get(end).is_some_and(|t| plain_word(t) && !t.is("och") && !t.is("samt"))
    {
        end += 1;
    }
    let name = s.slice(&(k..end));
    let name = name.strip_suffix(":s").unwrap_or(name);
    Some((name.to_string(), end))
}

/// A lower-case word that is not a verb form.
fn plain_word(t: &Token<'_>) -> bool {
    t.is_word() && !t.capitalized() && verbs::lookup(&t.lower).is_none()
}

/// "Länsstyrelsen i Västra Götalands län", "socialförvaltningen i stadsdelen X i Stockholm": the
/// place that a body's noun is followed by, at most twice.
fn extend_place(s: &Sentence<'_>, mut end: usize, ctx: &Context<'_>) -> usize {
    let toks = &s.tokens;
    for _ in 0..2 {
        if !toks.get(end).is_some_and(|t| t.is("i")) {
            break;
        }
        let mut j = end + 1;
        if toks.get(j).is_some_and(|t| !t.capitalized() && t.is_word()) && is_name(s, j + 1, ctx) {
            j += 1;
        }
        if !is_name(s, j, ctx) {
            break;
        }
        while is_name(s, j, ctx) || toks.get(j).is_some_and(|t| NAME_TAILS.contains(&t.lower.as_ref())) {
            j += 1;
        }
        end = j;
    }
    end
}

/// "Sveriges Kommuner och Regioner (SKR)": a name that goes on over "och" when the acronym after it
/// spells the initials of the whole.
fn extend_by_acronym(s: &Sentence<'_>, k: usize, end: usize, ctx: &Context<'_>) -> usize {
    let toks = &s.tokens;
    if !toks.get(end).is_some_and(|t| t.is("och")) {
        return end;
    }
    let mut j = end + 1;
    while is_name(s, j, ctx) {
        j += 1;
    }
    let bracketed =
        toks.get(j).is_some_and(|t| t.text == "(") && toks.get(j + 2).is_some_and(|t| t.text == ")");
    let Some(acronym) = toks.get(j + 1).filter(|t| bracketed && t.acronym()) else { return end };
    let initials: String =
        toks[k..j].iter().filter(|t| t.capitalized()).filter_map(|t| t.text.chars().next()).collect();
    if j > end + 1 && initials == acronym.text {
        j
    } else {
        end
    }
}

/// Whether token `k` can start a mention without modifiers.
fn is_head(s: &Sentence<'_>, k: usize, ctx: &Context<'_>) -> bool {
    s.tokens.get(k).is_some_and(|t| t.acronym() || is_body_noun(&t.lower) || is_name(s, k, ctx))
}

/// "Rådet för främjande av kommunala analyser (RKA)", "Kunskapscentrum för jämlik vård i Västra
/// Götalandsregionen": a name that goes on in lower case after "för"/"av", taken only when it runs
/// into a bracketed acronym or to the end of the clause.
fn extend_descriptive(s: &Sentence<'_>, end: usize) -> usize {
    let toks = &s.tokens;
    if !toks.get(end).is_some_and(|t| t.is("för") || t.is("av")) {
        return end;
    }
    for j in end + 1..(end + 9).min(toks.len() + 1) {
        let Some(t) = toks.get(j) else { return j };
        if t.text == "(" {
            return j;
        }
        let finite = t.is_word() && verbs::lookup(&t.lower).is_some_and(|f| verbs::is_finite(&f));
        if finite || matches!(t.text, "," | "." | ";" | ":") {
            return j;
        }
        if t.is("och") || t.is("samt") || t.is("med") || t.is("till") || t.is("att") {
            return end;
        }
    }
    end
}

/// A capitalised word that is a name: not the first word of a sentence unless the document never
/// writes it in lower case, and not a verb ("Kontakta").
fn is_name(s: &Sentence<'_>, k: usize, ctx: &Context<'_>) -> bool {
    let Some(t) = s.tokens.get(k) else { return false };
    let lower = t.lower.as_ref();
    if !t.capitalized() || not_a_name(lower) || QUANTIFIERS.contains(&lower) || verbs::lookup(lower).is_some()
    {
        return false;
    }
    let first = s.tokens.iter().position(|t| t.is_word()) == Some(k);
    if !first {
        return true;
    }
    // "Konkret arbete": a capitalised first word followed by a lower-case word it qualifies.
    let qualifies = s.tokens.get(k + 1).is_some_and(|n| {
        n.is_word()
            && !n.capitalized()
            && verbs::lookup(&n.lower).is_none()
            && !NAME_TAILS.contains(&n.lower.as_ref())
            && !not_a_name(&n.lower)
    });
    !qualifies && !looks_common(&t.lower, ctx.lowercase_words)
}

/// Whether a word, or its stem without a definite or plural ending, is written in lower case
/// somewhere in the document ("Skriften" when the text has "skrift").
fn looks_common(lower: &str, words: &HashSet<String>) -> bool {
    if words.contains(lower) {
        return true;
    }
    // Definite forms of derived nouns are common nouns, not names ("Kunskapsspridningen").
    // Definite and derived nouns are common nouns, not names ("Kunskapsspridningen", "Vägen",
    // "Förankring"); town names in -köping are the exception.
    const COMMON_ENDINGS: &[&str] = &["en", "et", "na", "ing", "het", "tion", "ande", "ende", "skap"];
    if COMMON_ENDINGS.iter().any(|e| lower.ends_with(e)) && !lower.ends_with("köping") {
        return true;
    }
    ["erna", "arna", "orna", "na", "en", "et", "ar", "er", "or", "n", "t"].iter().any(|suffix| {
        lower.strip_suffix(suffix).is_some_and(|stem| stem.chars().count() >= 3 && words.contains(stem))
    })
}

/// The organisations a sentence names for an action.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Named {
    /// The subject, or the agent of a passive.
    pub doers: Vec<String>,
    /// Those it is done with ("i samarbete med", "med stöd av", "samverkan mellan").
    pub partners: Vec<String>,
}

impl Named {
    pub fn is_empty(&self) -> bool {
        self.doers.is_empty() && self.partners.is_empty()
    }

    /// Doers then partners, without repeats.
    pub fn all(&self) -> Vec<String> {
        let mut out = Vec::new();
        add_unique(&mut out, self.doers.iter().cloned());
        add_unique(&mut out, self.partners.iter().cloned());
        out
    }
}

/// Append names not yet in `out` (compared without case).
pub(crate) fn add_unique(out: &mut Vec<String>, names: impl IntoIterator<Item = String>) {
    for n in names {
        if !n.is_empty() && !out.iter().any(|o| o.to_lowercase() == n.to_lowercase()) {
            out.push(n);
        }
    }
}

/// The organisations a sentence names as doing the action of `p`.
pub(crate) fn actors(s: &Sentence<'_>, p: &Predicate, ctx: &Context<'_>) -> Named {
    let mut named = Named::default();
    // The subject of a passive is what is acted on ("Avtal har tecknats"), never an actor.
    if p.passive {
        let clause_end = p.scope.iter().find(|r| r.contains(&p.head)).map_or(s.tokens.len(), |r| r.end);
        // The agent's "av" follows the verb, past adverbs only: "drivs av SKL", not "genomförs med
        // stöd av regeringen" (a partner).
        let av = (p.head + 1..(p.head + 6).min(clause_end))
            .take_while(|&j| {
                !matches!(
                    s.tokens[j].lower.as_ref(),
                    "med" | "i" | "på" | "till" | "för" | "inom" | "genom" | "under"
                )
            })
            .find(|&j| s.tokens[j].is("av"));
        if let Some(av) = av {
            add_unique(&mut named.doers, chain(s, av + 1, ctx));
        }
    } else {
        add_unique(&mut named.doers, subject(s, p, ctx));
    }
    // "I Örebro kommun har kontaktcentret ...": a body named as the place of the action does it.
    if p.main && s.tokens.get(p.clause_start).is_some_and(|t| t.is("i")) {
        if let Some((name, _)) = mention(s, p.clause_start + 1, ctx) {
            let body = name
                .split_whitespace()
                .any(|w| NAME_TAILS.contains(&w.to_lowercase().as_str()) || w == "Region");
            if body && name.contains(' ') {
                add_unique(&mut named.doers, [name]);
            }
        }
    }
    for (i, _) in s.tokens.iter().enumerate() {
        for cue in PARTNER_CUES {
            let fits = cue.iter().enumerate().all(|(o, w)| s.tokens.get(i + o).is_some_and(|t| t.is(w)));
            if fits {
                add_unique(&mut named.partners, chain(s, i + cue.len(), ctx));
            }
        }
        // "Samverkan har etablerats mellan RSS, ... och Socialstyrelsen": the parties do it.
        if matches!(s.tokens[i].lower.as_ref(), "samverkan" | "samarbete" | "samarbetet") {
            if let Some(m) = (i + 1..(i + 5).min(s.tokens.len())).find(|&j| s.tokens[j].is("mellan")) {
                add_unique(&mut named.doers, chain(s, m + 1, ctx));
            }
        }
    }
    named
}

/// Words that open a sentence with an adverbial, so that the subject follows the verb.
fn opens_with_adverbial(t: &Token<'_>) -> bool {
    t.kind == TokenKind::Number
        || not_a_name(&t.lower)
            && !matches!(
                t.lower.as_ref(),
                "det"
                    | "den"
                    | "de"
                    | "detta"
                    | "denna"
                    | "dessa"
                    | "en"
                    | "ett"
                    | "vi"
                    | "man"
                    | "samtliga"
                    | "alla"
                    | "flera"
                    | "några"
                    | "många"
            )
}

/// Adverbs that may stand between the verb and an inverted subject.
const ADVERBS: &[&str] =
    &["också", "även", "nu", "redan", "dessutom", "därför", "fortfarande", "sedan", "just"];

/// The subject of `p`, if it names organisations.
fn subject(s: &Sentence<'_>, p: &Predicate, ctx: &Context<'_>) -> Vec<String> {
    if !p.main {
        // "hur den kommunala kulturskolan i Eskilstuna jobbar": the subject follows the subordinator;
        // a relative clause's subject is its antecedent, which is not read here.
        let start = p.scope.first().map_or(p.verb, |r| r.start);
        let opener = s.tokens.get(start).map(|t| t.lower.as_ref());
        if matches!(opener, Some("som" | "vilket" | "vilka" | "vilken")) {
            return Vec::new();
        }
        return if start + 1 < p.verb { chain(s, start + 1, ctx) } else { Vec::new() };
    }
    let from = p.clause_start;
    let Some(first) =
        (from..s.tokens.len()).find(|&k| s.tokens[k].is_word() || s.tokens[k].kind == TokenKind::Number)
    else {
        return Vec::new();
    };
    if first < p.verb && !opens_with_adverbial(&s.tokens[first]) {
        return chain(s, first, ctx);
    }
    let mut j = p.verb + 1;
    while s.tokens.get(j).is_some_and(|t| ADVERBS.contains(&t.lower.as_ref()) || t.kind == TokenKind::Number)
    {
        j += 1;
    }
    chain(s, j, ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(sentence: &str) -> Vec<String> {
        let words: HashSet<String> = ["satsningen", "regionerna", "arbetet", "filmen", "skrift"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let ctx = Context { org: Some("SKL"), lowercase_words: &words };
        let s = Sentence::new(sentence);
        let acting = |p: &Predicate| {
            matches!(p.class, super::super::verbs::Class::Action | super::super::verbs::Class::Beginning)
        };
        let p = s
            .main_predicate()
            .filter(acting)
            .or_else(|| s.subordinate_predicates().into_iter().find(acting))
            .unwrap();
        actors(&s, &p, &ctx).all()
    }

    #[test]
    fn subject_and_inverted_subject() {
        assert_eq!(run("SKL driver sedan några år ett arbete."), vec!["SKL"]);
        assert_eq!(
            run("Under 2018 har SKL och länsstyrelserna samarbetat kring konferenser."),
            vec!["SKL", "länsstyrelserna"]
        );
        assert_eq!(
            run("Jönköpings län har bildat ett nätverk för chefer i 13 kommuner."),
            vec!["Jönköpings län"]
        );
        assert_eq!(run("Samtliga 21 RSS har anställt en regional utvecklingsledare."), vec!["RSS"]);
        assert_eq!(run("Tolv kommuner har under året deltagit i nätverket."), vec!["kommuner"]);
        assert_eq!(run("Malmö stad har utvecklat en modell för budgetering."), vec!["Malmö stad"]);
        assert_eq!(run("Under hösten 2012 genomför vi de första utbildningarna."), vec!["SKL"]);
    }

    #[test]
    fn common_nouns_are_not_actors() {
        assert!(run("Skriften lanseras i samband med Skolriksdagen 2019.").is_empty());
        assert!(run("Satsningen på Modellkonceptet fortsätter inom ramen för satsningen.").is_empty());
        assert!(run("Just nu pågår utvecklingsarbeten i 54 kommuner.").is_empty());
        assert_eq!(run("Regionerna bygger med stöd av SKL upp ett system."), vec!["Regionerna", "SKL"]);
    }

    #[test]
    fn partners_and_agents() {
        assert_eq!(
            run("I samverkan med Rådet för främjande av kommunala analyser (RKA) har SKL inlett arbetet."),
            vec!["SKL", "Rådet för främjande av kommunala analyser (RKA)"]
        );
        assert_eq!(
            run("Ett projekt som drivs av SKL i samverkan med Arbetsförmedlingen och Försäkringskassan."),
            vec!["SKL", "Arbetsförmedlingen", "Försäkringskassan"]
        );
        assert_eq!(
            run("I Västerbotten har FOU välfärd, Länsstyrelsen och Folkhälsoenheten bildat ett nätverk."),
            vec!["FOU välfärd", "Länsstyrelsen", "Folkhälsoenheten"]
        );
        assert_eq!(
            run("Samverkan har etablerats mellan RSS, länsstyrelsernas utvecklingsledare och Socialstyrelsen."),
            vec!["RSS", "länsstyrelsernas utvecklingsledare", "Socialstyrelsen"]
        );
    }

    #[test]
    fn bodies_in_place_adverbials_and_bracketed_acronyms() {
        assert_eq!(
            run("I Örebro kommun har kontaktcentret sedan 2018 analyserat inkommande ärenden."),
            vec!["kontaktcentret", "Örebro kommun"]
        );
        assert_eq!(
            run("I Västerbotten har FOU välfärd och Länsstyrelsen bildat ett nätverk."),
            vec!["FOU välfärd", "Länsstyrelsen"]
        );
        assert_eq!(
            run("SKR arbetar tillsammans med de regionala stödstrukturerna (RSS) för att sprida kunskap."),
            vec!["SKR", "regionala stödstrukturerna (RSS)"]
        );
        assert_eq!(
            run("Länsstyrelsen i Västra Götalands län och Västra Götalandsregionen arbetar sedan 2017 efter en plan."),
            vec!["Länsstyrelsen i Västra Götalands län", "Västra Götalandsregionen"]
        );
    }

    #[test]
    fn a_full_name_with_och_before_its_acronym() {
        assert_eq!(
            run("Sveriges Kommuner och Regioner (SKR) och regeringen ingick i december 2018 en överenskommelse."),
            vec!["Sveriges Kommuner och Regioner (SKR)", "regeringen"]
        );
        assert_eq!(
            run("Botkyrka och Örnsköldsviks kommun driver projektet."),
            vec!["Botkyrka", "Örnsköldsviks kommun"]
        );
    }

    #[test]
    fn a_supporter_is_a_partner_not_an_agent() {
        let words = HashSet::new();
        let ctx = Context { org: Some("SKR"), lowercase_words: &words };
        let s = Sentence::new("Satsningen genomförs med stöd av regeringen och i nära samverkan med Länsstyrelsen Östergötland.");
        let p = s.main_predicate().unwrap();
        let named = actors(&s, &p, &ctx);
        assert!(named.doers.is_empty());
        assert_eq!(named.partners, vec!["regeringen", "Länsstyrelsen Östergötland"]);
    }

    #[test]
    fn those_spoken_to_are_not_actors() {
        assert_eq!(run("SKL har inlett dialoger med Skolverket och länsstyrelserna."), vec!["SKL"]);
        assert_eq!(run("SKL har lämnat synpunkter till Socialstyrelsen."), vec!["SKL"]);
    }

    #[test]
    fn subordinate_subject_and_agent() {
        assert_eq!(
            run("Filmen visar hur den kommunala kulturskolan i Eskilstuna jobbar för att ge eleverna möjlighet."),
            vec!["kulturskolan i Eskilstuna"]
        );
        assert_eq!(
            run("Filmen visar Globenmodellen, som utvecklats av socialförvaltningen i stadsdelen Enskede-Årsta-Vantör i Stockholm."),
            vec!["socialförvaltningen i stadsdelen Enskede-Årsta-Vantör i Stockholm"]
        );
    }
}
