//! A shallow reading of a Swedish sentence: its clauses (split at commas and subordinating words) and
//! the verb phrase that carries each one, with its time (present, past, perfect, future).
//!
//! This is not a parser: it finds the first finite verb of the main clause and resolves the
//! auxiliaries ("har ... samarbetat", "kommer att genomföras", "kunde ... genomföras"). It never
//! decides whether a sentence is an activity; `activities` does, from what is found here.

use std::ops::Range;

use super::text::{self, Token, TokenKind};
use super::verbs::{self, Aux, Class, Form, Tense};

/// When the verb phrase places its action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Time {
    Present,
    Past,
    Perfect,
    Future,
    /// "kan genomföras": a possibility, not an action.
    Possible,
}

/// The verb phrase of one clause.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Predicate {
    /// Token index of the finite verb (or of the bare supine of a subordinate clause).
    pub verb: usize,
    /// Token index of the verb that carries the meaning (the supine after "har", the infinitive
    /// after "ska").
    pub head: usize,
    pub time: Time,
    pub class: Class,
    pub lemma: &'static str,
    pub passive: bool,
    pub negated: bool,
    /// True for a main clause.
    pub main: bool,
    /// Token index where the predicate's clause begins (after "och" for a coordinated clause, at
    /// the subordinating word for a subordinate one).
    pub clause_start: usize,
    /// Token ranges of the clause(s) the predicate governs.
    pub scope: Vec<Range<usize>>,
}

/// A clause: a run of tokens between commas, or from a subordinating word to the next comma.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Segment {
    pub range: Range<usize>,
    pub subordinate: bool,
}

/// A tokenised sentence with its clauses.
#[derive(Debug, Clone)]
pub(crate) struct Sentence<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token<'a>>,
    pub segments: Vec<Segment>,
}

/// Words that open a subordinate clause.
const SUBORDINATORS: &[&str] = &[
    "som", "vilket", "vilka", "vilken", "där", "när", "eftersom", "medan", "hur", "innan", "tills", "varför",
    "huruvida", "varav", "vars",
];

/// Words before an adjectival "-ade" form that make it an adjective ("de planerade insatserna").
const DETERMINERS: &[&str] = &[
    "de", "den", "det", "dessa", "denna", "detta", "våra", "vår", "vårt", "sina", "sin", "sitt", "deras",
    "alla", "flera", "några", "många", "samtliga", "olika", "nya", "ett", "en", "två", "tre", "fyra", "fem",
    "andra", "övriga", "egna", "mer", "mest", "väl", "redan", "nyligen", "tidigare", "av", "med", "i", "på",
    "till", "om", "för", "från", "mellan", "inom", "hos", "och", "eller",
];

const NEGATIONS: &[&str] = &["inte", "ej", "aldrig", "inga", "ingen", "inget", "icke"];

impl<'a> Sentence<'a> {
    pub fn new(text: &'a str) -> Sentence<'a> {
        let tokens = text::tokens(text);
        let segments = segments(&tokens);
        let mut s = Sentence { text, tokens, segments };
        s.segments = s.close_relatives();
        s
    }

    /// "Politikerna som fattat beslutet måste efterfråga resultat": a relative clause without a
    /// closing comma ends before the second finite verb, which belongs to the main clause.
    fn close_relatives(&self) -> Vec<Segment> {
        let mut out = Vec::new();
        for seg in &self.segments {
            let opener = self.tokens.get(seg.range.start).map(|t| t.lower.as_ref());
            if !seg.subordinate || !matches!(opener, Some("som" | "vilka" | "vilken")) {
                out.push(seg.clone());
                continue;
            }
            let verb = |i: usize| self.form(i).filter(|f| verbs::is_finite(f) || f.tense == Tense::Supine);
            let Some(mut first) = (seg.range.start + 1..seg.range.end).find(|&i| verb(i).is_some()) else {
                out.push(seg.clone());
                continue;
            };
            // An auxiliary and the verb it governs are one group.
            if self.form(first).is_some_and(|f| matches!(f.class, Class::Aux(_))) {
                if let Some(j) = (first + 1..seg.range.end).find(|&j| {
                    self.form(j).is_some_and(|f| matches!(f.tense, Tense::Supine | Tense::Infinitive))
                }) {
                    first = j;
                }
            }
            let second = (first + 2..seg.range.end).find(|&j| {
                self.finite_at(j).is_some()
                    && !matches!(self.tokens[j - 1].lower.as_ref(), "och" | "eller" | "samt")
            });
            match second {
                Some(j) => {
                    out.push(Segment { range: seg.range.start..j, subordinate: true });
                    out.push(Segment { range: j..seg.range.end, subordinate: false });
                }
                None => out.push(seg.clone()),
            }
        }
        out
    }

    /// The text of a token range.
    pub fn slice(&self, range: &Range<usize>) -> &'a str {
        match (self.tokens.get(range.start), range.end.checked_sub(1).and_then(|e| self.tokens.get(e))) {
            (Some(a), Some(b)) if range.start < range.end => &self.text[a.start..b.end()],
            _ => "",
        }
    }

    /// The text of several token ranges, joined by a space.
    pub fn scope_text(&self, scope: &[Range<usize>]) -> String {
        scope.iter().map(|r| self.slice(r)).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
    }

    fn form(&self, i: usize) -> Option<Form> {
        let t = self.tokens.get(i)?;
        if t.kind != TokenKind::Word {
            return None;
        }
        let form = verbs::lookup(&t.lower)?;
        // "de planerade insatserna": a past form after a determiner is an adjective.
        if form.tense == Tense::Past
            && form.class != Class::Descriptive
            && !matches!(form.class, Class::Aux(_))
        {
            let prev = i.checked_sub(1).and_then(|p| self.tokens.get(p));
            if prev.is_some_and(|p| DETERMINERS.contains(&p.lower.as_ref()) || p.text.ends_with(":s")) {
                return None;
            }
        }
        Some(form)
    }

    /// Whether a finite verb at `i` stands in a finite "att" clause of its run ("ansvarar för att
    /// vården uppmärksammar våldet"): such a verb is not the main clause's. An infinitive phrase
    /// ("För att inspirera myndigheterna deltog SKL") ends before the main verb.
    fn after_att(&self, i: usize) -> bool {
        let run_start = self.segments.iter().find(|s| s.range.contains(&i)).map_or(0, |s| s.range.start);
        (run_start..i).any(|j| {
            let infinitive = self.tokens.get(j + 1).is_some_and(|n| {
                n.kind == TokenKind::Word
                    && (n.lower.ends_with('a')
                        || verbs::lookup(&n.lower).is_some_and(|f| f.tense == Tense::Infinitive))
            });
            self.tokens[j].is("att") && !infinitive
        })
    }

    fn finite_at(&self, i: usize) -> Option<Form> {
        self.form(i).filter(verbs::is_finite)
    }

    /// The main clause's predicate: its first finite verb, auxiliaries resolved.
    pub fn main_predicate(&self) -> Option<Predicate> {
        self.main_predicates().into_iter().next()
    }

    /// The predicates of the main clause and of the main clauses coordinated with it after a comma
    /// ("Pandemin har påverkat arbetet, och flera aktiviteter har ställts om").
    pub fn main_predicates(&self) -> Vec<Predicate> {
        let mains: Vec<&Segment> = self.segments.iter().filter(|s| !s.subordinate).collect();
        let scope_from = |k: usize| mains[k..].iter().map(|s| s.range.clone()).collect::<Vec<_>>();
        let mut out: Vec<Predicate> = Vec::new();
        let first = mains
            .iter()
            .flat_map(|s| s.range.clone())
            .find(|&i| self.finite_at(i).is_some() && !self.after_att(i));
        let Some(first) = first else { return out };
        if let Some(mut p) = self.resolve(first) {
            p.main = true;
            p.scope = scope_from(0);
            out.push(p);
        }
        for (k, seg) in mains.iter().enumerate() {
            let opener = self.tokens.get(seg.range.start).map(|t| t.lower.as_ref());
            if seg.range.start <= first || !matches!(opener, Some("och" | "men" | "samt" | "utan")) {
                continue;
            }
            let verb = (seg.range.start + 1..seg.range.end).find(|&i| self.finite_at(i).is_some());
            if let Some(mut p) = verb.and_then(|v| self.resolve(v)) {
                p.main = true;
                p.clause_start = seg.range.start + 1;
                p.scope = scope_from(k);
                out.push(p);
            }
        }
        out
    }

    /// A list item that starts with a non-finite verb continuing its introduction ("har ...:" +
    /// "genomfört en konferens", "kommer att:" + "ta fram en vägledning"): a perfect for a supine, a
    /// future for an infinitive when the introduction is in the future.
    pub fn leading_verb(&self, future: bool) -> Option<Predicate> {
        let first = self.tokens.iter().position(|t| t.is_word())?;
        let form = self.form(first)?;
        let time = match form.tense {
            Tense::Supine => Time::Perfect,
            Tense::Infinitive if future => Time::Future,
            _ => return None,
        };
        let scope = self.segments.iter().filter(|s| !s.subordinate).map(|s| s.range.clone()).collect();
        Some(Predicate {
            verb: first,
            head: first,
            time,
            class: form.class,
            lemma: form.lemma,
            passive: form.passive,
            negated: self.negated_after(first),
            main: true,
            clause_start: first,
            scope,
        })
    }

    /// The predicates of the subordinate clauses, in order. A relative clause may drop its "har"
    /// ("som utvecklats av"): its bare supine counts as a perfect.
    pub fn subordinate_predicates(&self) -> Vec<Predicate> {
        let mut out = Vec::new();
        for seg in self.segments.iter().filter(|s| s.subordinate) {
            for i in seg.range.clone() {
                if let Some(form) = self.form(i) {
                    if verbs::is_finite(&form) {
                        if let Some(mut p) = self.resolve(i) {
                            p.scope = vec![seg.range.clone()];
                            p.clause_start = seg.range.start;
                            out.push(p);
                        }
                        break;
                    }
                    if form.tense == Tense::Supine {
                        out.push(Predicate {
                            verb: i,
                            head: i,
                            time: Time::Perfect,
                            class: form.class,
                            lemma: form.lemma,
                            passive: form.passive,
                            negated: self.negated_after(i),
                            main: false,
                            clause_start: seg.range.start,
                            scope: vec![seg.range.clone()],
                        });
                        break;
                    }
                }
            }
        }
        out
    }

    /// Resolve the verb phrase that starts with the finite verb at `i`.
    fn resolve(&self, i: usize) -> Option<Predicate> {
        let form = self.form(i)?;
        let base = |time: Time, head: usize, f: Form| Predicate {
            verb: i,
            head,
            time,
            class: f.class,
            lemma: f.lemma,
            passive: f.passive,
            negated: self.negated_after(i),
            main: false,
            clause_start: 0,
            scope: Vec::new(),
        };
        let simple = |f: Form| if f.tense == Tense::Past { Time::Past } else { Time::Present };
        Some(match form.class {
            Class::Aux(Aux::Have) => match self.supine_after(i) {
                Some((j, f)) => base(Time::Perfect, j, f),
                // "SKL har flera satsningar": possession.
                None => Predicate { class: Class::Descriptive, ..base(simple(form), i, form) },
            },
            Class::Aux(Aux::Will) => {
                // "kommer att", and inverted "kommer SKR att".
                let att = (i + 1..(i + 5).min(self.tokens.len())).find(|&j| self.tokens[j].is("att"));
                if let Some(att) = att {
                    match self.infinitive_after(att, 6) {
                        Some((j, f)) => base(Time::Future, j, f),
                        // "kommer SKR att:" before a list: the verbs are in the items.
                        None => Predicate { class: Class::Descriptive, ..base(Time::Future, i, form) },
                    }
                } else {
                    // "kommer igång": a verb of its own.
                    base(Time::Present, i, Form { class: Class::Beginning, ..form })
                }
            }
            Class::Aux(Aux::Shall | Aux::Should) => match self.infinitive_after(i, 8) {
                Some((j, f)) => base(Time::Future, j, f),
                // The verb is not one the lexicon knows: no action can be read.
                None => Predicate { class: Class::Descriptive, ..base(Time::Future, i, form) },
            },
            Class::Aux(Aux::Can) => {
                let (j, f) = self.infinitive_after(i, 8).unwrap_or((i, form));
                Predicate { class: Class::Descriptive, ..base(Time::Possible, j, f) }
            }
            Class::Aux(Aux::Could) => match self.infinitive_after(i, 8) {
                Some((j, f)) => base(Time::Past, j, f),
                None => Predicate { class: Class::Descriptive, ..base(Time::Past, i, form) },
            },
            // "SKR avser att", "planerar att": an intention is a plan.
            _ if self.tokens.get(i + 1).is_some_and(|t| t.is("att"))
                && matches!(self.tokens[i].lower.as_ref(), "avser" | "planerar" | "ämnar") =>
            {
                let (j, f) = self.infinitive_after(i + 1, 6).unwrap_or((i, action(form)));
                base(Time::Future, j, f)
            }
            _ => base(simple(form), i, form),
        })
    }

    /// The supine that completes "har"/"hade" at `i`: the first one before a subordinate clause starts.
    fn supine_after(&self, i: usize) -> Option<(usize, Form)> {
        for j in i + 1..(i + 26).min(self.tokens.len()) {
            let t = &self.tokens[j];
            // "har fokus på att bekämpa ...": an infinitive phrase ends the search.
            if SUBORDINATORS.contains(&t.lower.as_ref()) || t.is("att") || matches!(t.text, ";" | ":" | ".") {
                return None;
            }
            if t.kind != TokenKind::Word || t.capitalized() {
                continue;
            }
            if let Some(form) = verbs::lookup(&t.lower) {
                if form.tense == Tense::Supine {
                    return Some((j, form));
                }
                continue;
            }
            if let Some(form) = verbs::supine_after_have(&t.lower) {
                return Some((j, form));
            }
        }
        None
    }

    /// The infinitive that completes a modal at `i` ("ska ... fattas", "kunde ... genomföras").
    fn infinitive_after(&self, i: usize, window: usize) -> Option<(usize, Form)> {
        for j in i + 1..(i + 1 + window).min(self.tokens.len()) {
            let t = &self.tokens[j];
            if SUBORDINATORS.contains(&t.lower.as_ref()) || matches!(t.text, ";" | ":" | "." | ",") {
                return None;
            }
            if let Some(form) = verbs::lookup(&t.lower) {
                // A passive infinitive of the first conjugation looks like its present ("planeras").
                if form.tense == Tense::Infinitive || (form.tense == Tense::Present && form.passive) {
                    return Some((j, form));
                }
                if form.class == Class::Descriptive && form.tense != Tense::Supine {
                    return Some((j, form));
                }
            } else if ["vara", "bli", "ha", "finnas", "kunna", "behöva", "få", "vilja"]
                .contains(&t.lower.as_ref())
            {
                return Some((
                    j,
                    Form { lemma: "", tense: Tense::Infinitive, passive: false, class: Class::Descriptive },
                ));
            }
        }
        None
    }

    fn negated_after(&self, i: usize) -> bool {
        self.tokens.iter().skip(i + 1).take(3).any(|t| NEGATIONS.contains(&t.lower.as_ref()))
    }
}

/// An auxiliary standing alone is read as an action verb.
fn action(form: Form) -> Form {
    Form { class: Class::Action, ..form }
}

/// Split tokens into clauses at commas, semicolons, colons and brackets, and again where a
/// subordinating word starts a clause inside a run.
fn segments(tokens: &[Token<'_>]) -> Vec<Segment> {
    let mut runs = Vec::new();
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.kind == TokenKind::Punct && matches!(t.text, "," | ";" | ":" | "(" | ")" | "[" | "]") {
            runs.push(start..i);
            start = i + 1;
        }
    }
    runs.push(start..tokens.len());
    let mut out = Vec::new();
    for run in runs.into_iter().filter(|r| !r.is_empty()) {
        // "För att ..., genom att ...": a fronted purpose or means, not the main clause.
        let purpose = tokens.get(run.start + 1).is_some_and(|t| t.is("att"))
            && matches!(
                tokens[run.start].lower.as_ref(),
                "för" | "genom" | "utan" | "efter" | "innan" | "istället"
            );
        if purpose && run.end < tokens.len() {
            out.push(Segment { range: run, subordinate: true });
            continue;
        }
        match run.clone().find(|&i| SUBORDINATORS.contains(&tokens[i].lower.as_ref())) {
            Some(k) if k > run.start => {
                out.push(Segment { range: run.start..k, subordinate: false });
                out.push(Segment { range: k..run.end, subordinate: true });
            }
            Some(_) => out.push(Segment { range: run, subordinate: true }),
            None => out.push(Segment { range: run, subordinate: false }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn main(s: &str) -> Option<(Time, Class, bool)> {
        Sentence::new(s).main_predicate().map(|p| (p.time, p.class, p.negated))
    }

    #[test]
    fn perfect_with_subject_between() {
        assert_eq!(
            main("Under 2018 har SKL och länsstyrelserna samarbetat kring fem konferenser."),
            Some((Time::Perfect, Class::Action, false))
        );
        assert_eq!(
            main("SKL har tillsammans med Rådet för främjande av kommunala analyser (RKA), intresserade kommuner och privata utförare utvecklat nationella brukarundersökningar."),
            Some((Time::Perfect, Class::Action, false))
        );
        assert_eq!(
            main("I samverkan med RKA har SKL inlett arbetet."),
            Some((Time::Perfect, Class::Beginning, false))
        );
    }

    #[test]
    fn possession_is_not_a_perfect() {
        assert_eq!(
            main("SKL har flera satsningar som syftar till att erbjuda god vård."),
            Some((Time::Present, Class::Descriptive, false))
        );
    }

    #[test]
    fn modals_and_future() {
        assert_eq!(
            main("Stödinsatsen kommer att genomföras 2019–2020."),
            Some((Time::Future, Class::Action, false))
        );
        assert_eq!(
            main("Under projekttiden ska beslut fattas om en ny jämförelse."),
            Some((Time::Future, Class::Action, false))
        );
        assert_eq!(
            main("Genom överenskommelsen kunde en ny utlysning av Modellkommuner genomföras 2018, vilket resulterade i att fem kommuner kommer att delta."),
            Some((Time::Past, Class::Action, false))
        );
        assert_eq!(main("Resultaten kan analyseras."), Some((Time::Possible, Class::Descriptive, false)));
    }

    #[test]
    fn main_clause_decides_over_relative_clause() {
        let s = Sentence::new(
            "Regionerna bygger med stöd av SKL upp ett system, som ska bidra till en bättre vård.",
        );
        let p = s.main_predicate().unwrap();
        assert_eq!((p.time, p.lemma), (Time::Present, "bygga"));
        let ska = s.tokens.iter().position(|t| t.is("ska")).unwrap();
        assert!(s.segments.iter().any(|seg| seg.subordinate && seg.range.contains(&ska)));
    }

    #[test]
    fn relative_clause_without_have() {
        let s = Sentence::new("Filmen visar Globenmodellen, en processkarta, som utvecklats av socialförvaltningen i Stockholm.");
        assert_eq!(s.main_predicate().map(|p| p.class), Some(Class::Descriptive));
        let subs = s.subordinate_predicates();
        assert_eq!(subs.len(), 1);
        assert_eq!((subs[0].time, subs[0].passive), (Time::Perfect, true));
    }

    #[test]
    fn adjectival_past_is_not_a_verb() {
        assert_eq!(
            main("De planerade insatserna genomförs 2019."),
            Some((Time::Present, Class::Action, false))
        );
    }

    #[test]
    fn relative_clause_without_closing_comma() {
        let s = Sentence::new(
            "Politikerna som fattat beslutet om jämställdhetsintegrering måste efterfråga resultat.",
        );
        assert_eq!(s.main_predicate().map(|p| s.tokens[p.verb].text), Some("måste"));
        let t = Sentence::new("Arbetet stärker andra utvecklingsarbeten som SKL driver eller stöder.");
        assert_eq!(t.segments.len(), 2);
    }

    #[test]
    fn intentions_are_plans() {
        assert_eq!(
            main("SKR avser att genomföra en ny utlysning."),
            Some((Time::Future, Class::Action, false))
        );
        assert_eq!(
            main("Regionen planerar att starta ett nätverk."),
            Some((Time::Future, Class::Beginning, false))
        );
    }

    #[test]
    fn coordinated_main_clauses() {
        let s = Sentence::new(
            "Pandemin har påverkat genomförandet, och flera aktiviteter har ställts om till digitala format.",
        );
        let ps = s.main_predicates();
        assert_eq!(ps.len(), 2);
        assert_eq!((ps[0].class, ps[1].class, ps[1].passive), (Class::Descriptive, Class::Action, true));
        assert_eq!(s.tokens[ps[1].clause_start].text, "flera");
    }

    #[test]
    fn a_finite_verb_after_att_is_not_the_main_one() {
        let s = Sentence::new(
            "För att inspirera myndigheter till att använda konceptet deltog SKL i en konferens.",
        );
        assert_eq!(s.main_predicate().map(|p| (p.time, p.lemma)), Some((Time::Past, "delta")));
        assert_eq!(
            Sentence::new("Landstingen ansvarar för att vården uppmärksammar våldet.")
                .main_predicate()
                .map(|p| p.lemma),
            Some("")
        );
    }

    #[test]
    fn negation() {
        assert_eq!(
            main("Under 2012 tar SKL inte betalt för utbildningen."),
            Some((Time::Present, Class::Action, true))
        );
    }
}
