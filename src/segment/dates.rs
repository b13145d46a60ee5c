//! Swedish dates and the times a sentence gives: "2012-04-04", "19 september 2019", "hösten 2018",
//! "2019–2020", "läsåret 2016/17", "sedan 2015", "den 21 maj".
//!
//! A sentence's times become a set of years and a span of days, which the activity rules compare with
//! the document's own date. This module never decides what a time belongs to in a sentence (that is
//! the caller's clause analysis) and never guesses a year it cannot read: a date without a year takes
//! the reference year the caller gives.

use std::sync::LazyLock;

use regex::Regex;

/// A calendar day. Ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Day {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Day> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Day { year, month, day })
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    fn first_of(year: i32, month: u32) -> Day {
        Day { year, month, day: 1 }
    }

    fn last_of(year: i32, month: u32) -> Day {
        Day { year, month, day: days_in_month(year, month) }
    }

    /// The last day of a year: the reference date of a document that states only its year.
    pub fn end_of_year(year: i32) -> Day {
        Day { year, month: 12, day: 31 }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// The number of a Swedish month name (1–12), any case.
pub(crate) fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    MONTHS.iter().position(|m| *m == lower).map(|i| i as u32 + 1)
}

/// The number of a month name or its usual abbreviation ("sep", "okt").
fn month_or_abbreviation(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    month_number(&lower).or_else(|| {
        let short = if lower == "sept" { "sep" } else { lower.as_str() };
        MONTHS.iter().position(|m| m.starts_with(short) && short.len() == 3).map(|i| i as u32 + 1)
    })
}

const MONTH_ALT: &str =
    "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december";
const YEAR: &str = r"(?:19|20)\d{2}";

fn re(pattern: &str) -> Regex {
    // The patterns are constants of this module; a bad one is a programming error caught by the tests.
    Regex::new(pattern).expect("valid built-in pattern")
}

static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| re(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b"));
/// A full date in words; in a date line the month may be abbreviated ("19 sep. 2019").
static TEXT_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(\d{{1,2}})\s+({MONTH_ALT}|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?\s+({YEAR})\b"
    ))
});

/// The first full date in `s`: ISO ("2012-04-04") or Swedish ("19 september 2019", "den 15 mars 2019").
pub(crate) fn parse_date(s: &str) -> Option<Day> {
    let iso = ISO_DATE.captures(s).and_then(|c| {
        let day = Day::new(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
        Some((c.get(0)?.start(), day))
    });
    let text = TEXT_DATE.captures(s).and_then(|c| {
        let day = Day::new(c[3].parse().ok()?, month_or_abbreviation(&c[2])?, c[1].parse().ok()?)?;
        Some((c.get(0)?.start(), day))
    });
    match (iso, text) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a.1 } else { b.1 }),
        (a, b) => a.or(b).map(|x| x.1),
    }
}

/// What a piece of text says about when something happens.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Times {
    /// Every year named or implied, ascending, without repeats.
    pub years: Vec<i32>,
    /// "sedan 2015": the action started then and goes on.
    pub since: Option<i32>,
    /// "sedan några år", "sedan länge": goes on, no year.
    pub since_unspecified: bool,
    /// From the earliest to the latest day the times cover.
    pub span: Option<(Day, Day)>,
}

impl Times {
    fn add(&mut self, from: Day, to: Day, years: impl IntoIterator<Item = i32>) {
        self.years.extend(years);
        self.span = Some(match self.span {
            Some((a, b)) => (a.min(from), b.max(to)),
            None => (from, to),
        });
    }

    fn add_year(&mut self, year: i32) {
        self.add(Day::first_of(year, 1), Day::last_of(year, 12), [year]);
    }

    fn finish(mut self) -> Times {
        self.years.sort_unstable();
        self.years.dedup();
        self
    }

    pub fn is_empty(&self) -> bool {
        self.years.is_empty() && self.since.is_none() && !self.since_unspecified
    }
}

/// How a time lies relative to a reference day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    Before,
    Includes,
    After,
}

/// Where `span` lies relative to `reference`.
pub(crate) fn relation(span: (Day, Day), reference: Day) -> Relation {
    if span.0 > reference {
        Relation::After
    } else if span.1 < reference {
        Relation::Before
    } else {
        Relation::Includes
    }
}

/// "sedan 2015", "från och med januari 2023": a start that goes on.
static SINCE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(r"(?i)\b(?:sedan|från\s+och\s+med)\s+(?:år\s+|(?:{MONTH_ALT})\s+)?({YEAR})\b"))
});
static SINCE_VAGUE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bsedan\s+(?:några|flera|många|ett\s+antal|länge|tidigare|starten|dess)\b"));
static SCHOOL_YEAR: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"\b({YEAR})\s*/\s*((?:19|20)?\d{{2}})\b")));
static RANGE: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"\b({YEAR})\s*[-–—]\s*((?:19|20)?\d{{2}})\b")));
static SEASON_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(våren|vårterminen|sommaren|hösten|höstterminen|vintern|början\s+av|mitten\s+av|slutet\s+av|första\s+halvåret|andra\s+halvåret)\s+({YEAR})\b"
    ))
});
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(r"(?i)\b(\d{{1,2}})(?:\s*[-–]\s*(\d{{1,2}}))?\s+({MONTH_ALT})\b(?:\s+({YEAR})\b)?"))
});
static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"(?i)\b({MONTH_ALT})\s+({YEAR})\b")));
static MONTH_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(r"(?i)\b(?:i|under|från|till|efter|före|inför|senast\s+i)\s+({MONTH_ALT})\b"))
});
static SEASON_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(hösten|höstens|i\s+höst|våren|vårens|sommaren|sommarens|i\s+sommar|vintern|vinterns|i\s+vinter)\b",
    )
});
/// "för perioden 2021–2023": the period of what the sentence is about, not a time of its action.
static PERIOD_OF: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\bför\s+(?:hela\s+)?(?:perioden|tidsperioden|programperioden|projektperioden|åren)\s+{YEAR}(?:\s*[-–—/]\s*(?:19|20)?\d{{2}})?\b"
    ))
});
/// Gates for [`times`]: a word-boundary pattern runs on the regex crate's slow engines (a Unicode `\b`
/// stops the lazy DFA at the first non-ASCII byte), so it runs only on text that can hold its match.
/// Each gate is implied by the pattern it guards: every [`YEAR`] is a run of four ASCII digits, "19" or
/// "20" first, with no ASCII digit on either side ([`has_year`]); and each pattern's match holds one of
/// its [`Gate`]'s words, looked for in `s` [`folded`] as `(?i)` folds these words.
struct Gate {
    /// One of these occurs, lower-case, in any match.
    words: &'static [&'static str],
}

impl Gate {
    fn open(&self, lower: &str) -> bool {
        self.words.iter().any(|w| lower.contains(w))
    }
}

const MONTH_WORDS: Gate = Gate { words: &MONTHS };
const SINCE_WORDS: Gate = Gate { words: &["sedan", "från"] };
const PERIOD_WORDS: Gate = Gate { words: &["period", "åren"] };
const SEASON_YEAR_WORDS: Gate = Gate {
    words: &[
        "våren",
        "vårtermin",
        "sommaren",
        "hösten",
        "hösttermin",
        "vintern",
        "början",
        "mitten",
        "slutet",
        "halvåret",
    ],
};
const SEASON_WORDS: Gate = Gate { words: &["höst", "våren", "vårens", "sommar", "vinter"] };
const RANGE_MARKS: Gate = Gate { words: &["-", "–", "—"] };
const SCHOOL_YEAR_MARKS: Gate = Gate { words: &["/"] };

/// `s` lower-cased as far as the gates need: `(?i)` matches a letter of the gate words in any case, and
/// besides upper and lower case Unicode's simple case folding adds only the Kelvin sign for "k", the
/// Ångström sign for "å" (both lower-case to those) and the long s for "s". Plain code, not a
/// pattern, so that the gates cost nothing to compile.
fn folded(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{17F}' => out.push('s'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Four ASCII digits that can be a [`YEAR`]: "19" or "20" first.
fn year_digits(w: &[u8]) -> bool {
    (w.starts_with(b"19") || w.starts_with(b"20")) && w.iter().all(u8::is_ascii_digit)
}

/// True when `s` may hold a [`YEAR`] that a `\b` or `\s` can stand beside: four ASCII digits, "19"
/// or "20" first, with no ASCII digit just before or after.
fn has_year(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(4).enumerate().any(|(i, w)| {
        year_digits(w)
            && !(i > 0 && b[i - 1].is_ascii_digit())
            && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
    })
}

/// The years standing on their own in `s`, as byte ranges: what `\b({YEAR})\b` finds, in plain code
/// because it runs on nearly every sentence (only a year in other scripts' digits, which no year
/// parse accepts, is left out).
fn plain_years(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(3))
        .filter(move |&i| {
            year_digits(&b[i..i + 4])
                // Both are char boundaries: the four bytes are ASCII.
                && !s[..i].chars().next_back().is_some_and(regex_syntax::is_word_character)
                && !s[i + 4..].chars().next().is_some_and(regex_syntax::is_word_character)
        })
        .map(|i| (i, i + 4))
}
/// Words after a four-digit number that make it a quantity, not a year ("2000 deltagare").
static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:kr\b|kronor|tkr|mkr|miljoner|miljarder|procent|%|personer|deltagare|medarbetare|anställda|invånare|elever|timmar|st\b|exemplar|svar|ärenden)",
    )
});

/// The season or part of a year a phrase names, as (first month, last month).
fn season_months(name: &str) -> (u32, u32) {
    let name = name.to_lowercase();
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.as_str() {
        n if n.starts_with("vår") => (1, 6),
        n if n.starts_with("sommar") || n == "i sommar" => (6, 8),
        n if n.starts_with("höst") || n == "i höst" => (8, 12),
        n if n.starts_with("vinter") || n == "i vinter" => (1, 2),
        "början av" => (1, 4),
        "mitten av" => (5, 8),
        "slutet av" => (9, 12),
        "första halvåret" => (1, 6),
        "andra halvåret" => (7, 12),
        _ => (1, 12),
    }
}

/// The times `s` gives. `reference_year` is the document's year: it completes dates without a year
/// and ends a "sedan 2015" range.
pub(crate) fn times(s: &str, reference_year: Option<i32>) -> Times {
    times_with(s, reference_year, true)
}

/// [`times`], with its gates or (to test that they never change the outcome) without.
fn times_with(s: &str, reference_year: Option<i32>, gates: bool) -> Times {
    let mut t = Times::default();
    // Byte ranges already read, so that "2019–2020" is not also read as two plain years.
    let mut used: Vec<(usize, usize)> = Vec::new();
    let free = |used: &[(usize, usize)], a: usize, b: usize| used.iter().all(|&(x, y)| b <= x || a >= y);
    let year_of = |s: &str| s.parse::<i32>().ok();
    let second_year = |first: i32, s: &str| -> Option<i32> {
        let n: i32 = s.parse().ok()?;
        let full = if s.len() == 2 { first / 100 * 100 + n } else { n };
        (full > first && full - first <= 30).then_some(full)
    };

    let lower = folded(s);
    let open = |gate: &Gate| !gates || gate.open(&lower);
    let may_year = !gates || has_year(s);
    let may_month = open(&MONTH_WORDS);
    // A closed gate is a pattern that matches nothing: the loops below then do no work.
    let year_gated =
        |r: &'static Regex, gate: Option<&Gate>| (may_year && gate.is_none_or(open)).then_some(r);
    let month_gated = |r: &'static Regex| may_month.then_some(r);
    let iter = |r: Option<&'static Regex>| r.into_iter().flat_map(move |r| r.captures_iter(s));

    for c in iter(year_gated(&ISO_DATE, Some(&RANGE_MARKS))) {
        let (Some(m), Some(y), Some(mo), Some(d)) =
            (c.get(0), year_of(&c[1]), c[2].parse().ok(), c[3].parse().ok())
        else {
            continue;
        };
        if let Some(day) = Day::new(y, mo, d) {
            t.add(day, day, [y]);
            used.push((m.start(), m.end()));
        }
    }
    used.extend(
        iter(year_gated(&PERIOD_OF, Some(&PERIOD_WORDS)))
            .filter_map(|c| c.get(0))
            .map(|m| (m.start(), m.end())),
    );
    for c in iter(year_gated(&SINCE, Some(&SINCE_WORDS))) {
        let (Some(m), Some(y)) = (c.get(0), year_of(&c[1])) else { continue };
        let last = reference_year.filter(|&r| r >= y).unwrap_or(y);
        t.since = Some(y);
        t.add(Day::first_of(y, 1), Day::last_of(last, 12), y..=last);
        used.push((m.start(), m.end()));
    }
    t.since_unspecified = open(&SINCE_WORDS) && SINCE_VAGUE.is_match(s);
    for (re, gate) in [(&*SCHOOL_YEAR, &SCHOOL_YEAR_MARKS), (&*RANGE, &RANGE_MARKS)] {
        for c in iter(year_gated(re, Some(gate))) {
            let Some(m) = c.get(0) else { continue };
            if !free(&used, m.start(), m.end()) {
                continue;
            }
            let Some(first) = year_of(&c[1]) else { continue };
            let Some(last) = second_year(first, &c[2]) else { continue };
            t.add(Day::first_of(first, 1), Day::last_of(last, 12), first..=last);
            used.push((m.start(), m.end()));
        }
    }
    for c in iter(year_gated(&SEASON_YEAR, Some(&SEASON_YEAR_WORDS))) {
        let (Some(m), Some(y)) = (c.get(0), year_of(&c[2])) else { continue };
        if !free(&used, m.start(), m.end()) {
            continue;
        }
        let (a, b) = season_months(&c[1]);
        t.add(Day::first_of(y, a), Day::last_of(y, b), [y]);
        used.push((m.start(), m.end()));
    }
    for c in iter(month_gated(&DAY_MONTH)) {
        let Some(m) = c.get(0) else { continue };
        if !free(&used, m.start(), m.end()) {
            continue;
        }
        let year = c.get(4).and_then(|y| year_of(y.as_str())).or(reference_year);
        let (Some(year), Some(month)) = (year, month_number(&c[3])) else { continue };
        let first: u32 = c[1].parse().unwrap_or(1);
        let last: u32 = c.get(2).and_then(|d| d.as_str().parse().ok()).unwrap_or(first);
        let (Some(from), Some(to)) = (Day::new(year, month, first), Day::new(year, month, last.max(first)))
        else {
            continue;
        };
        t.add(from, to, [year]);
        used.push((m.start(), m.end()));
    }
    for c in iter(month_gated(&MONTH_YEAR).filter(|_| may_year)) {
        let Some(m) = c.get(0) else { continue };
        if !free(&used, m.start(), m.end()) {
            continue;
        }
        let (Some(month), Some(year)) = (month_number(&c[1]), year_of(&c[2])) else { continue };
        t.add(Day::first_of(year, month), Day::last_of(year, month), [year]);
        used.push((m.start(), m.end()));
    }
    if let Some(year) = reference_year {
        for c in iter(month_gated(&MONTH_ALONE)) {
            let Some(m) = c.get(0) else { continue };
            if !free(&used, m.start(), m.end()) {
                continue;
            }
            let Some(month) = month_number(&c[1]) else { continue };
            t.add(Day::first_of(year, month), Day::last_of(year, month), [year]);
            used.push((m.start(), m.end()));
        }
    }
    for (start, end) in plain_years(s).filter(|_| may_year) {
        if !free(&used, start, end) {
            continue;
        }
        let after = &s[end..];
        // "SFS 2018:123", "2 000", "2000 deltagare" are not years.
        let reference = after.strip_prefix(':').is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        let glued = reference
            || after.starts_with(|c: char| c.is_ascii_digit())
            || s[..start].ends_with(|c: char| c.is_ascii_digit() || c == ':');
        if glued || QUANTITY.is_match(after) {
            continue;
        }
        if let Some(y) = year_of(&s[start..end]) {
            t.add_year(y);
            used.push((start, end));
        }
    }
    // "under hösten" without a year: the reference year, only when no year is given at all.
    if t.years.is_empty() {
        if let (Some(year), Some(c)) =
            (reference_year, open(&SEASON_WORDS).then(|| SEASON_ALONE.captures(s)).flatten())
        {
            let (a, b) = season_months(&c[1]);
            t.add(Day::first_of(year, a), Day::last_of(year, b), [year]);
        }
    }
    t.finish()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The gates never change what `times` finds, on text made of the words the patterns look
        /// for, in any case (the Kelvin sign, the Ångström sign and the long s included), years glued
        /// to digits or not, dashes and slashes.
        #[test]
        fn the_gates_never_change_the_times_found(
            words in prop::collection::vec(prop::sample::select(vec![
                "2019", "2020", "19", "20", "1999", "20215", "02019", "-", "–", "/", ":", " ", " ",
                "sedan", "SEDAN", "\u{17F}edan", "år", "ÅR", "\u{212B}r", "några", "för", "FÖR", "perioden",
                "åren", "våren", "VÅREN", "hösten", "HÖSTEN", "i höst", "början av", "slutet av",
                "första halvåret", "mars", "MARS", "O\u{212A}TOBER", "oktober", "3", "15", "under",
                "kronor", "deltagare", "och", "ä", "2019-05-01", "2019/20", "2019–2021",
            ]), 0..14),
            separator in prop::sample::select(vec![" ", " ", "", "\n"]),
            reference in prop::option::of(2000i32..2030),
        ) {
            let s = words.join(separator);
            prop_assert_eq!(times_with(&s, reference, true), times_with(&s, reference, false), "{:?}", s);
        }

        #[test]
        fn the_gates_fold_the_odd_case_letters(m in prop::sample::select(vec!["oktober", "sedan", "mars", "våren"])) {
            let odd = m.replace('k', "\u{212A}").replace('s', "\u{17F}").replace('å', "\u{212B}");
            let pattern = format!("(?i){m}");
            prop_assert!(Regex::new(&pattern).map(|r| r.is_match(&odd)).unwrap_or(false));
            prop_assert!(folded(&odd).contains(m));
        }
    }

    proptest! {
        /// `plain_years` finds what the pattern it replaces finds, wherever the year is in ASCII digits.
        #[test]
        fn plain_years_are_what_the_pattern_finds(s in "([0-9]{1,5}|[a-zåäö_]{1,3}|[- .:/–]|\u{301}|\u{660}){0,12}") {
            let pattern = Regex::new(&format!(r"\b({YEAR})\b")).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let expected: Vec<(usize, usize)> = pattern
                .find_iter(&s)
                .filter(|m| m.as_str().bytes().all(|b| b.is_ascii_digit()))
                .map(|m| (m.start(), m.end()))
                .collect();
            prop_assert_eq!(plain_years(&s).collect::<Vec<_>>(), expected, "{:?}", s);
        }
    }

    #[test]
    fn a_year_needs_four_digits_of_its_own() {
        assert!(has_year("under 2019."));
        assert!(has_year("2019–2020"));
        assert!(!has_year("SFS 120190"));
        assert!(!has_year("2 000 kronor och 19 st"));
    }

    fn years(s: &str, r: i32) -> Vec<i32> {
        times(s, Some(r)).years
    }

    #[test]
    fn parses_iso_and_swedish_dates() {
        assert_eq!(parse_date("Datum: 2012-04-04").map(Day::iso).as_deref(), Some("2012-04-04"));
        assert_eq!(parse_date("Publicerad: 19 september 2019").map(Day::iso).as_deref(), Some("2019-09-19"));
        assert_eq!(parse_date("Publicerad 26 Mars 2021").map(Day::iso).as_deref(), Some("2021-03-26"));
        assert_eq!(parse_date("Stockholm den 15 mars 2019").map(Day::iso).as_deref(), Some("2019-03-15"));
        assert_eq!(parse_date("den 31 februari 2019"), None);
        assert_eq!(parse_date("Publicerad 19 sep. 2019").map(Day::iso).as_deref(), Some("2019-09-19"));
        assert_eq!(parse_date("3 okt 2020").map(Day::iso).as_deref(), Some("2020-10-03"));
        assert_eq!(parse_date("under 2019"), None);
    }

    #[test]
    fn ranges_are_expanded() {
        assert_eq!(years("Stödinsatsen kommer att genomföras 2019–2020.", 2018), vec![2019, 2020]);
        assert_eq!(years("Jämställdhetssatsning 2018-2020", 2019), vec![2018, 2019, 2020]);
        assert_eq!(years("under läsåret 2016/17", 2018), vec![2016, 2017]);
        assert_eq!(years("Under 2012 och 2013 ligger fokus", 2012), vec![2012, 2013]);
    }

    #[test]
    fn since_runs_to_the_reference_year() {
        let t = times("Sedan 2008 har SKL fördelat medel", Some(2012));
        assert_eq!(t.years, vec![2008, 2009, 2010, 2011, 2012]);
        assert_eq!(t.since, Some(2008));
        let vague = times("SKL driver sedan några år ett arbete", Some(2018));
        assert!(vague.years.is_empty());
        assert!(vague.since_unspecified);
        let from = times("Från och med januari 2021 förvaltas stödet av NCK", Some(2022));
        assert_eq!((from.since, from.years), (Some(2021), vec![2021, 2022]));
        let later = times("från och med 2025 tar regionerna över", Some(2022));
        assert_eq!((later.since, later.years), (Some(2025), vec![2025]));
    }

    #[test]
    fn seasons_and_months_give_spans() {
        let t = times("Under hösten 2012 genomför vi de första utbildningarna", Some(2012));
        assert_eq!(t.years, vec![2012]);
        let reference = Day::new(2012, 4, 4).unwrap();
        assert_eq!(relation(t.span.unwrap(), reference), Relation::After);
        let may = times("genomförs den 21 maj, en andra omgång i september", Some(2012));
        assert_eq!(may.years, vec![2012]);
        assert_eq!(may.span.unwrap().0, Day::new(2012, 5, 21).unwrap());
        assert_eq!(years("som publicerades i augusti 2019", 2019), vec![2019]);
        assert_eq!(years("9-10 oktober", 2012), vec![2012]);
    }

    #[test]
    fn relation_of_a_year_to_its_end() {
        let t = times("Under 2018 har SKL planerat", Some(2018));
        assert_eq!(relation(t.span.unwrap(), Day::end_of_year(2018)), Relation::Includes);
        let later = times("2019 startar också en pilot", Some(2018));
        assert_eq!(relation(later.span.unwrap(), Day::end_of_year(2018)), Relation::After);
    }

    #[test]
    fn a_period_named_for_an_object_is_not_a_time() {
        assert!(years("SKR har ingått en ny överenskommelse för perioden 2021–2023.", 2020).is_empty());
        assert_eq!(
            years("Under perioden 2018–2020 genomförde SKL tio konferenser.", 2020),
            vec![2018, 2019, 2020]
        );
    }

    #[test]
    fn quantities_and_references_are_not_years() {
        assert!(years("drygt 2000 deltagare och SFS 2018:123", 2018).is_empty());
        assert!(years("i 54 kommuner och 250 000 medarbetare", 2018).is_empty());
        assert_eq!(years("Datum 2012-04-04", 2012), vec![2012]);
    }

    #[test]
    fn season_without_year_takes_the_reference_year() {
        assert_eq!(years("Höstens utbildningstillfällen genomförs", 2012), vec![2012]);
        assert_eq!(years("exempel från arbetet under 2018:", 2018), vec![2018]);
        assert_eq!(years("Utbildningarna genomförs under hösten", 2012), vec![2012]);
    }
}
