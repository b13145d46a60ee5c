//! Activities: concrete actions done, going on or planned, with their status, years and actors.
//!
//! A sentence is an activity when its main clause carries an action verb ("har bildat", "driver",
//! "kommer att genomföras", "lanseras ... 2019"); when the main clause only describes ("Filmen visar
//! ...", "... är titeln på en skrift som publicerades i augusti 2019"), a relative clause with its own
//! time, agent or named subject may carry it. A present tense needs a time, a named organisation or
//! a project as subject, so that general claims ("Strategen stödjer cheferna") stay out. Every cell
//! of a table of course dates is an activity too.
//!
//! Status is judged against the document's date (or the end of its year): the main clause decides.
//! Years are those of the activity's own clause; a list item without a year takes its introduction's.
//! With no doer named, a list item takes its introduction's actors, anything else the document's
//! organisation. This module never records aims (`goals`), questions, contact lines or notes about
//! the page itself as activities.

use std::sync::LazyLock;

use regex::Regex;

use super::actors::{self, Context as ActorContext};
use super::clauses::{Predicate, Sentence, Time};
use super::dates::{self, relation, Day, Relation, Times};
use super::goals::{self, intro_of};
use super::text::{sentences, TokenKind};
use super::units::{Kind, Unit};
use super::verbs::{self, Class};
use super::{DocType, Status};

/// What the activity rules need to know about the document.
pub(crate) struct Context<'a> {
    pub doc_type: DocType,
    /// The document's date, or the end of its year.
    pub reference: Option<Day>,
    pub year: Option<i32>,
    pub org: Option<&'a str>,
    pub actors: ActorContext<'a>,
}

/// An activity found in a unit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub unit: usize,
    pub text: String,
    pub status: Status,
    pub years: Vec<i32>,
    pub actors: Vec<String>,
}

static DATE_CELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:den\s+)?\d{1,2}(?:\s*[-–]\s*\d{1,2})?\s+(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)(?:\s+(?:19|20)\d{2})?$",
    )
    .expect("valid built-in pattern")
});

/// A date with a day that opens a list item and runs on into its text ("14 mars 2019 Luleå: …",
/// "6 september 2022 Digital introduktion …", "22 april 2021 digitalt: …"): a day, a month and
/// perhaps a year, then more words. Only list items are read so (a date that opens a list item
/// names the occasion).
static DATE_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^((?i:den\s+)?\d{1,2}(?:\s*[-–]\s*\d{1,2})?\s+(?i:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)(?:\s+(?:19|20)\d{2})?)\s+[\p{L}\p{N}]",
    )
    .expect("valid built-in pattern")
});

/// Nouns that name a piece of work: as a subject they make a present tense an activity
/// ("Satsningen fortsätter", "Arbetet sker").
const WORK_NOUNS: &[&str] = &[
    "satsning",
    "projekt",
    "arbet",
    "program",
    "insats",
    "utbildning",
    "kampanj",
    "studie",
    "utlysning",
    "pilot",
    "nätverk",
    "konferens",
    "uppdrag",
    "överenskommels",
    "kartläggning",
    "enkät",
    "undersökning",
    "utvärdering",
    "skrift",
    "rapport",
    "material",
    "omgång",
    "seminari",
    "workshop",
    "aktivitet",
    "initiativ",
    "kurs",
    "dagar",
    "tillfälle",
    "föreläsning",
    "handledning",
    "samverkan",
    "samarbet",
];

/// What an item's introduction contributes: its years and its named actors.
#[derive(Debug, Clone, Default)]
struct Intro {
    times: Times,
    actors: Vec<String>,
    /// The introduction ends in a future ("Under 2021 kommer SKR att:").
    future: bool,
    /// The introduction announces aims ("Målen är att:").
    aims: bool,
}

/// The activities among the body units (indices into `units`, in reading order).
pub(crate) fn activities(units: &[Unit], body: &[usize], ctx: &Context<'_>) -> Vec<Found> {
    let mut out = Vec::new();
    for (pos, &i) in body.iter().enumerate() {
        let u = &units[i];
        match u.kind {
            Kind::Row => out.extend(date_cells(units, body, pos, ctx)),
            Kind::Text if !u.lines.is_empty() && u.lines.iter().all(|l| DATE_CELL.is_match(l.trim())) => {
                out.extend(u.lines.iter().map(|l| date_activity(i, l.trim(), l.trim(), ctx)));
            }
            Kind::Text | Kind::Item => {
                let intro = if u.kind == Kind::Item {
                    intro_of(units, i)
                        .filter(|j| body.binary_search(j).is_ok())
                        .map(|j| intro(&units[j].text, ctx))
                } else {
                    None
                };
                // A list item led by a date ("14 mars: Att fråga om våld") is an occasion of what its
                // introduction announces, by its introduction's actors.
                if let Some(date) = leading_date(&u.text).filter(|_| u.kind == Kind::Item) {
                    let mut found = date_activity(i, u.text.trim_start_matches(['•', ' ']), date, ctx);
                    if let Some(actors) = intro.as_ref().map(|x| &x.actors).filter(|a| !a.is_empty()) {
                        found.actors = actors.clone();
                    }
                    out.push(found);
                    continue;
                }
                for s in sentences(&u.text) {
                    if let Some(a) = sentence_activity(i, s, u.kind == Kind::Item, intro.as_ref(), ctx) {
                        out.push(a);
                    }
                }
            }
            Kind::Heading(_) => {}
        }
    }
    out
}

fn intro(text: &str, ctx: &Context<'_>) -> Intro {
    let Some(last) = sentences(text).last().copied() else { return Intro::default() };
    let s = Sentence::new(last);
    let named = match s.main_predicate() {
        Some(p) => actors::actors(&s, &p, &ctx.actors).all(),
        // "Några exempel från RSS arbete i länen under 2018:": the organisations it names.
        None => (0..s.tokens.len())
            .filter(|&k| s.tokens[k].acronym())
            .map(|k| s.tokens[k].text.trim_end_matches(":s").to_string())
            .collect(),
    };
    let future = s.main_predicate().is_some_and(|p| p.time == Time::Future);
    Intro { times: dates::times(last, ctx.year), actors: named, future, aims: goals::introduces_goals(last) }
}

/// Verb phrases that state an expected effect, not an action ("ska skapa förutsättningar för").
/// Verbs with a word after them that state an effect or a basis, not an action ("har gett kommuner
/// bättre förutsättningar", "bygger på").
const NOT_ACTIONS: &[(&str, &[&str], usize)] = &[
    ("skapa", &["förutsättningar"], 6),
    ("ge", &["förutsättningar", "möjligheter", "effekt", "effekter", "resultat"], 6),
    ("bygga", &["på", "vidare"], 1),
    ("utgå", &["från"], 1),
    ("leda", &["till"], 1),
];

fn acting(s: &Sentence<'_>, p: &Predicate) -> bool {
    let effect = NOT_ACTIONS.iter().any(|(lemma, words, window)| {
        *lemma == p.lemma
            && s.tokens.iter().skip(p.head + 1).take(*window).any(|t| words.contains(&t.lower.as_ref()))
    });
    // "ingå" is an action only with an agreement ("ingick i december 2018 en överenskommelse");
    // otherwise it says what is part of what ("I projektet ingår tio kommuner").
    let part_of = p.lemma == "ingå"
        && !s.tokens.iter().skip(p.head + 1).take(8).any(|t| {
            [
                "avtal",
                "överenskommels",
                "samarbet",
                "partnerskap",
                "kontrakt",
                "avsiktsförklaring",
                "samverkansavtal",
            ]
            .iter()
            .any(|w| t.lower.contains(w))
        });
    matches!(p.class, Class::Action | Class::Beginning) && p.time != Time::Possible && !effect && !part_of
}

fn sentence_activity(
    unit: usize,
    text: &str,
    item: bool,
    intro: Option<&Intro>,
    ctx: &Context<'_>,
) -> Option<Found> {
    let lower = text.to_lowercase();
    if text.trim_end().ends_with('?') || is_contact(&lower) || about_the_page(&lower) {
        // A question, a contact line or a note about the page reports nothing.
        return None;
    }
    // An item of a list of aims is an aim, not an activity.
    if item && intro.is_some_and(|i| i.aims) {
        return None;
    }
    let s = Sentence::new(text);
    // "genomfört en konferens" under "Under 2020 har SKR bland annat:": the item continues its
    // introduction's verb phrase.
    let mut mains = s.main_predicates();
    if mains.is_empty() && item {
        mains.extend(s.leading_verb(intro.is_some_and(|i| i.future)));
    }
    let chosen = match mains.into_iter().find(|p| acting(&s, p)) {
        Some(p) => Some(p),
        // The main clause only describes: a relative clause with its own time, agent or subject
        // (not inside an aim: "Vår ambition är att de nätverk som byggts upp ...").
        None if goals::is_goal(text) => None,
        None => s.subordinate_predicates().into_iter().find(|p| {
            acting(&s, p)
                && (!dates::times(&s.scope_text(&p.scope), ctx.year).years.is_empty()
                    || (p.passive && s.tokens.get(p.head + 1).is_some_and(|t| t.is("av")))
                    || !actors::actors(&s, p, &ctx.actors).is_empty())
        }),
    };
    let Some(p) = chosen else {
        return verbless_item(unit, text, &s, item, intro, ctx);
    };
    if p.negated {
        return None;
    }
    let mut times = own_times(&s.scope_text(&p.scope), ctx.year);
    let named = actors::actors(&s, &p, &ctx.actors);
    let intro_times = intro.map(|i| &i.times).filter(|t| !t.years.is_empty());
    if p.time == Time::Present
        && times.is_empty()
        && named.is_empty()
        && intro_times.is_none()
        && !work_subject(&s, &p)
    {
        // A present passive whose sentence dates it later ("Resultaten sammanställs i en rapport som
        // publiceras i början av 2021") is a plan; anything else is a general claim ("Strategen
        // stödjer cheferna"), not a reported action.
        let whole = dates::times(text, ctx.year);
        let later = matches!((whole.span, ctx.reference), (Some(span), Some(r)) if relation(span, r) == Relation::After);
        if !(p.passive && later) {
            return None;
        }
        times = whole;
    }
    let times = if times.years.is_empty() && item { intro_times.cloned().unwrap_or(times) } else { times };
    // With no doer named, the introduction's actors or the document's organisation do it, with
    // any partners named.
    let mut actors = if !named.doers.is_empty() {
        named.doers.clone()
    } else if let Some(a) = intro.map(|i| &i.actors).filter(|a| !a.is_empty()) {
        a.clone()
    } else {
        ctx.org.map(|o| vec![o.to_string()]).unwrap_or_default()
    };
    actors::add_unique(&mut actors, named.partners);
    Some(Found {
        unit,
        text: text.to_string(),
        status: status(&p, &times, ctx.reference),
        years: times.years.clone(),
        actors,
    })
}

/// "Kartläggningar av kompetens ...": in a result report, an item without a verb under an
/// introduction that dates it reports the period's work.
fn verbless_item(
    unit: usize,
    text: &str,
    s: &Sentence<'_>,
    item: bool,
    intro: Option<&Intro>,
    ctx: &Context<'_>,
) -> Option<Found> {
    let intro = intro?;
    let no_verb = s
        .tokens
        .iter()
        .all(|t| t.kind != TokenKind::Word || verbs::lookup(&t.lower).is_none_or(|f| !verbs::is_finite(&f)));
    if !(item && no_verb && ctx.doc_type == DocType::ResultReport && !intro.times.years.is_empty()) {
        return None;
    }
    let own = dates::times(text, ctx.year);
    let times = if own.years.is_empty() { intro.times.clone() } else { own };
    let status = match (times.span, ctx.reference) {
        (Some(span), Some(r)) if relation(span, r) == Relation::After => Status::Planned,
        _ => Status::Done,
    };
    let actors = if intro.actors.is_empty() {
        ctx.org.map(|o| vec![o.to_string()]).unwrap_or_default()
    } else {
        intro.actors.clone()
    };
    Some(Found { unit, text: text.to_string(), status, years: times.years, actors })
}

/// A sentence (in lower case) about the page itself ("På den här sidan har vi samlat ...", "Här
/// beskriver vi ...").
fn about_the_page(lower: &str) -> bool {
    [
        "den här sidan",
        "de här sidorna",
        "denna sida",
        "dessa sidor",
        "här beskriver",
        "här har vi",
        "här hittar",
        "här kan du",
    ]
    .iter()
    .any(|p| lower.contains(p))
}

/// A line (in lower case) that gives contact details ("besvaras av Anna Ek, anna.ek@skl.se, 08-452 70
/// 00").
fn is_contact(lower: &str) -> bool {
    lower.contains('@') || lower.contains("e-post") || lower.contains("tfn") || lower.contains("telefon")
}

/// The times of an action's clause. When the clause dates its action before a complement ("ingick
/// i december 2018 en överenskommelse om att utveckla ... under 2019–2020"), the complement's times
/// are the object's, not the action's.
fn own_times(clause: &str, year: Option<i32>) -> Times {
    static COMPLEMENT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:om|för|med|till|på|kring)\s+att\b").expect("valid built-in pattern")
    });
    if let Some(m) = COMPLEMENT.find(clause) {
        let before = dates::times(&clause[..m.start()], year);
        if !before.is_empty() {
            return before;
        }
    }
    dates::times(clause, year)
}

/// Whether the subject of `p` names a piece of work ("Satsningen", "utvecklingsarbeten").
fn work_subject(s: &Sentence<'_>, p: &Predicate) -> bool {
    let first = s.tokens.iter().position(|t| t.is_word());
    let candidates = [first, Some(p.verb + 1)];
    candidates
        .into_iter()
        .flatten()
        .filter_map(|k| s.tokens.get(k))
        .any(|t| t.is_word() && WORK_NOUNS.iter().any(|w| t.lower.contains(w)))
}

/// Status of an action against the document's reference day.
fn status(p: &Predicate, times: &Times, reference: Option<Day>) -> Status {
    // A start after the document's date ("från och med 2025") is a plan; any other start goes on.
    if let (Some(start), Some(r)) = (times.since, reference) {
        if start > r.year {
            return Status::Planned;
        }
    }
    if times.since.is_some() || times.since_unspecified {
        return Status::Ongoing;
    }
    match p.time {
        Time::Future | Time::Possible => Status::Planned,
        Time::Perfect | Time::Past if p.class == Class::Beginning => Status::Ongoing,
        Time::Perfect | Time::Past => Status::Done,
        Time::Present if p.lemma == "planera" && p.passive => Status::Planned,
        Time::Present => match (times.span, reference) {
            (Some(span), Some(r)) => match relation(span, r) {
                Relation::After => Status::Planned,
                Relation::Before => Status::Done,
                Relation::Includes => Status::Ongoing,
            },
            _ => Status::Ongoing,
        },
    }
}

fn date_activity(unit: usize, text: &str, date: &str, ctx: &Context<'_>) -> Found {
    let times = dates::times(date, ctx.year);
    let status = match (times.span, ctx.reference) {
        (Some(span), Some(r)) => match relation(span, r) {
            Relation::After => Status::Planned,
            Relation::Before => Status::Done,
            Relation::Includes => Status::Ongoing,
        },
        _ => Status::Planned,
    };
    Found {
        unit,
        text: text.to_string(),
        status,
        years: times.years,
        actors: ctx.org.map(|o| vec![o.to_string()]).unwrap_or_default(),
    }
}

/// The date that opens a list item: before a colon or a dash ("14 mars: …", "Den 25 april – …"), or
/// running on into the item's text ("6 september 2022 Digital introduktion").
fn leading_date(text: &str) -> Option<&str> {
    let text = text.trim_start_matches(['•', ' ']);
    let before_mark = text.find([':', '–', '-']).filter(|&e| e > 0).map(|end| text[..end].trim());
    if let Some(date) = before_mark.filter(|d| DATE_CELL.is_match(d)) {
        return Some(date);
    }
    DATE_LEAD.captures(text).and_then(|c| c.get(1)).map(|m| m.as_str())
}

/// One activity per date cell of a table row, named by its column's header when the table has one.
fn date_cells(units: &[Unit], body: &[usize], pos: usize, ctx: &Context<'_>) -> Vec<Found> {
    let i = body[pos];
    let cells = units[i].cells();
    if !cells.iter().any(|c| DATE_CELL.is_match(c)) {
        return Vec::new();
    }
    // The header: the nearest row above, in the same table, without dates.
    let mut header: Option<Vec<&str>> = None;
    for &j in body[..pos].iter().rev() {
        if units[j].kind != Kind::Row {
            break;
        }
        let c = units[j].cells();
        if !c.iter().any(|c| DATE_CELL.is_match(c)) {
            header = Some(c);
            break;
        }
    }
    let dated: Vec<(usize, &str)> =
        cells.iter().enumerate().filter(|(_, c)| DATE_CELL.is_match(c)).map(|(k, c)| (k, *c)).collect();
    if let [(_, date)] = dated.as_slice() {
        // One date in the row: the row is the occasion ("Första träffen, 9 februari 2016, Stockholm").
        return vec![date_activity(i, &cells.join(", "), date, ctx)];
    }
    // Several dates: each cell is an occasion of its column's course.
    dated
        .into_iter()
        .map(|(col, c)| {
            let text = match header.as_ref().and_then(|h| h.get(col)) {
                Some(h) => format!("{h}: {c}"),
                None => c.to_string(),
            };
            date_activity(i, &text, c, ctx)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn run_with(texts: &[(Kind, &str)], doc_type: DocType, reference: Day) -> Vec<Found> {
        let words: HashSet<String> = ["satsningen", "arbetet", "skrift", "projektet", "filmen", "strategen"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let ctx = Context {
            doc_type,
            reference: Some(reference),
            year: Some(reference.year),
            org: Some("SKL"),
            actors: ActorContext { org: Some("SKL"), lowercase_words: &words },
        };
        let units: Vec<Unit> = texts
            .iter()
            .map(|(k, t)| Unit {
                kind: *k,
                lines: vec![t.to_string()],
                text: t.to_string(),
                size: 11.0,
                bold: false,
                page: 1,
            })
            .collect();
        let body: Vec<usize> = (0..units.len()).collect();
        activities(&units, &body, &ctx)
    }

    fn one(text: &str, reference: Day) -> Option<(Status, Vec<i32>, Vec<String>)> {
        run_with(&[(Kind::Text, text)], DocType::ResultReport, reference)
            .into_iter()
            .next()
            .map(|f| (f.status, f.years, f.actors))
    }

    fn end2018() -> Day {
        Day::end_of_year(2018)
    }

    #[test]
    fn a_start_goes_on_unless_it_is_after_the_document() {
        let found = one("Från och med januari 2018 förvaltas stödet av Länsstyrelsen.", end2018());
        assert_eq!(found.map(|(status, years, _)| (status, years)), Some((Status::Ongoing, vec![2018])));
        let found = one("Från och med 2020 förvaltas stödet av Länsstyrelsen.", end2018());
        assert_eq!(found.map(|(status, _, _)| status), Some(Status::Planned));
    }

    #[test]
    fn a_present_passive_dated_later_in_its_sentence_is_a_plan() {
        let found = one("Resultaten sammanställs i en rapport som publiceras i början av 2019.", end2018());
        assert_eq!(found.map(|(status, years, _)| (status, years)), Some((Status::Planned, vec![2019])));
        // Dated earlier, or not at all, it stays a description.
        assert_eq!(one("Resultaten sammanställs i en rapport som publicerades 2017.", end2018()), None);
        assert_eq!(one("Resultaten sammanställs i en rapport.", end2018()), None);
    }

    #[test]
    fn report_on_2018() {
        assert_eq!(
            one("Skriften lanseras i samband med Skolriksdagen 2019.", end2018()).map(|a| (a.0, a.1)),
            Some((Status::Planned, vec![2019]))
        );
        assert_eq!(
            one("Under 2018 har SKL och länsstyrelserna samarbetat kring fem konferenser.", end2018()),
            Some((Status::Done, vec![2018], vec!["SKL".into(), "länsstyrelserna".into()]))
        );
        assert_eq!(
            one("Stödinsatsen kommer att genomföras 2019–2020.", end2018()).map(|a| (a.0, a.1)),
            Some((Status::Planned, vec![2019, 2020]))
        );
        assert_eq!(
            one("SKL har inlett dialoger med Skolverket.", end2018()).map(|a| a.0),
            Some(Status::Ongoing)
        );
        assert_eq!(
            one("SKL driver sedan några år ett arbete för att stärka villkoren.", end2018())
                .map(|a| (a.0, a.1)),
            Some((Status::Ongoing, vec![]))
        );
        assert_eq!(
            one("2019 startar också en pilot med sex Modellregioner.", end2018()).map(|a| a.0),
            Some(Status::Planned)
        );
        assert_eq!(
            one("Avtal har tecknats om utvärdering och implementeringsstöd.", end2018()).map(|a| (a.0, a.2)),
            Some((Status::Done, vec!["SKL".into()]))
        );
    }

    #[test]
    fn main_clause_decides_when_times_mix() {
        let a = one("Genom överenskommelsen kunde en ny utlysning genomföras 2018, vilket sannolikt leder till att fem kommuner kommer att delta.", end2018());
        assert_eq!(a.map(|a| (a.0, a.1)), Some((Status::Done, vec![2018])));
        // A past activity mentioned inside a planned one: the plan decides, and its years are its own.
        let b = one("Pilotprojektet ska utvärdera den metod som Skolverket prövade 2015–2017.", end2018());
        assert_eq!(b.map(|a| (a.0, a.1)), Some((Status::Planned, vec![])));
    }

    #[test]
    fn circular_of_april_2012() {
        let april = Day::new(2012, 4, 4).unwrap();
        assert_eq!(
            one("Under hösten 2012 genomför vi de första utbildningarna kostnadsfritt.", april)
                .map(|a| (a.0, a.1)),
            Some((Status::Planned, vec![2012]))
        );
        assert_eq!(
            one("Under 2012 och 2013 ligger fokus på att sprida kunskap.", april).map(|a| (a.0, a.1)),
            Some((Status::Ongoing, vec![2012, 2013]))
        );
        assert_eq!(
            one("Sedan 2008 har SKL fördelat statliga medel.", april).map(|a| (a.0, a.1)),
            Some((Status::Ongoing, vec![2008, 2009, 2010, 2011, 2012]))
        );
        assert_eq!(
            one("Den första handledarutbildningen genomförs den 21 maj.", april).map(|a| (a.0, a.1)),
            Some((Status::Planned, vec![2012]))
        );
        assert_eq!(one("Under 2012 tar SKL inte betalt för själva utbildningen.", april), None);
    }

    #[test]
    fn web_page_of_september_2019() {
        let sep = Day::new(2019, 9, 19).unwrap();
        assert_eq!(
            one("2019 startar en ny omgång med elva kommuner.", sep).map(|a| a.0),
            Some(Status::Ongoing)
        );
        let title = one(
            "Se, förstå och förändra, är titeln på en inspirationsskrift som publicerades i augusti 2019.",
            sep,
        );
        assert_eq!(title.map(|a| (a.0, a.1)), Some((Status::Done, vec![2019])));
        assert_eq!(
            one("Ett projekt som drivs av SKL i samverkan med Arbetsförmedlingen.", sep).map(|a| (a.0, a.2)),
            Some((Status::Ongoing, vec!["SKL".into(), "Arbetsförmedlingen".into()]))
        );
    }

    #[test]
    fn general_claims_and_aims_are_not_activities() {
        assert_eq!(one("Strategen stödjer cheferna i arbetet med uppföljning.", end2018()), None);
        assert_eq!(one("Jämställdhet är en fråga om rättvisa.", end2018()), None);
        assert_eq!(one("Syftet med satsningen är att öka genomslaget för målen.", end2018()), None);
        assert_eq!(
            one("En aktivitet är en punktinsats som genomförs under en avgränsad tid.", end2018()),
            None
        );
        assert!(
            one("Satsningen på Modellkonceptet fortsätter inom ramen för satsningen.", end2018()).is_some()
        );
        assert_eq!(
            one("Utvecklingen av patientkontrakt ska skapa förutsättningar för samskapande.", end2018()),
            None
        );
        assert_eq!(
            one("Satsningen har ett särskilt fokus på att bekämpa hedersrelaterat våld.", end2018()),
            None
        );
        assert_eq!(one("Vad har förändrats i det dagliga arbetet?", end2018()), None);
        assert_eq!(one("I projektet ingår tio kommuner och två regioner.", end2018()), None);
        assert_eq!(
            one(
                "Sammantaget har överenskommelsen gett kommuner bättre förutsättningar att arbeta.",
                end2018()
            ),
            None
        );
        assert_eq!(
            one("Vår ambition är att de nätverk som byggts upp under 2019–2020 ska leva vidare.", end2018()),
            None
        );
        assert_eq!(one("Frågor besvaras av Karin Ek, karin.ek@skl.se, 08-452 77 41.", end2018()), None);
        assert_eq!(
            one("På den här sidan har vi samlat information om hur SKL stöder arbetet.", end2018()),
            None
        );
        assert_eq!(
            one("Satsningen har lett till att fler kommuner analyserar sin statistik.", end2018()),
            None
        );
        assert_eq!(
            one("SKL leder arbetet med den nationella strategin.", end2018()).map(|a| a.0),
            Some(Status::Ongoing)
        );
        assert_eq!(
            one("SKR och regeringen ingick i december 2018 en överenskommelse om att utveckla arbetet under 2019–2020.", end2018())
                .map(|a| (a.0, a.1)),
            Some((Status::Done, vec![2018]))
        );
    }

    #[test]
    fn list_items_inherit_years_and_actors() {
        let found = run_with(
            &[
                (Kind::Text, "Några exempel från RSS arbete i länen under 2018:"),
                (Kind::Item, "Kartläggningar av kompetens och styrdokument."),
                (Kind::Item, "Jönköpings län har bildat ett nätverk för chefer."),
                (Kind::Item, "Värmland kommer att prova en länsgemensam struktur 2019."),
            ],
            DocType::ResultReport,
            end2018(),
        );
        let got: Vec<(Status, Vec<i32>, Vec<String>)> =
            found.into_iter().map(|f| (f.status, f.years, f.actors)).collect();
        assert_eq!(
            got,
            vec![
                (Status::Done, vec![2018], vec!["RSS".into()]),
                (Status::Done, vec![2018], vec!["Jönköpings län".into()]),
                (Status::Planned, vec![2019], vec!["Värmland".into()]),
            ]
        );
    }

    #[test]
    fn items_continue_their_introductions_verb() {
        let found = run_with(
            &[
                (Kind::Text, "Under 2020 har SKR bland annat:"),
                (Kind::Item, "genomfört en nationell konferens om våld i nära relationer"),
                (Kind::Text, "Under 2021 kommer SKR att:"),
                (Kind::Item, "ta fram en vägledning för socialtjänsten"),
            ],
            DocType::ResultReport,
            Day::end_of_year(2020),
        );
        let got: Vec<(Status, Vec<i32>)> = found.into_iter().map(|f| (f.status, f.years)).collect();
        assert_eq!(got, vec![(Status::Done, vec![2020]), (Status::Planned, vec![2021])]);
    }

    #[test]
    fn list_items_led_by_a_date_are_occasions() {
        assert_eq!(leading_date("14 mars: Att fråga om våld"), Some("14 mars"));
        assert_eq!(leading_date("• Den 25 april – Våld i ungas parrelationer"), Some("Den 25 april"));
        assert_eq!(leading_date("14 mars 2019 Luleå: normer och våld"), Some("14 mars 2019"));
        assert_eq!(
            leading_date("6 september 2022 Digital introduktion för chefer"),
            Some("6 september 2022")
        );
        assert_eq!(leading_date("12 kommuner deltar"), None);
        assert_eq!(leading_date("22 april 2021 digitalt: trakasserier på nätet"), Some("22 april 2021"));
        assert_eq!(leading_date("3 marsipaner"), None);
        assert_eq!(leading_date("Mars: en månad"), None);
        assert_eq!(leading_date("9-10 oktober"), None);
    }

    #[test]
    fn a_row_with_one_date_is_one_occasion() {
        let found = run_with(
            &[(Kind::Row, "Träff\tDatum\tOrt"), (Kind::Row, "Första träffen\t9 februari 2016\tStockholm")],
            DocType::Circular,
            Day::new(2015, 10, 12).unwrap(),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].text.as_str(), found[0].status),
            ("Första träffen, 9 februari 2016, Stockholm", Status::Planned)
        );
    }

    #[test]
    fn course_date_table_gives_one_activity_per_cell() {
        let found = run_with(
            &[
                (Kind::Row, "Samhällsplanering\tSocial omsorg"),
                (Kind::Row, "9-10 oktober\t11-12 oktober"),
                (Kind::Row, "25-26 mars\t6-7 november"),
            ],
            DocType::Circular,
            Day::new(2012, 4, 4).unwrap(),
        );
        let got: Vec<(&str, Status)> = found.iter().map(|f| (f.text.as_str(), f.status)).collect();
        assert_eq!(
            got,
            vec![
                ("Samhällsplanering: 9-10 oktober", Status::Planned),
                ("Social omsorg: 11-12 oktober", Status::Planned),
                ("Samhällsplanering: 25-26 mars", Status::Done),
                ("Social omsorg: 6-7 november", Status::Planned),
            ]
        );
        assert!(found.iter().all(|f| f.years == vec![2012]));
    }
}
