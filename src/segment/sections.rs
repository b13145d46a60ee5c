//! The section tree: which units are headings, their numbers, levels and parents, and the text each
//! section holds.
//!
//! A heading is a numbered line ("3.1 Jämställd hälsa") that continues the numbering, a marked-up
//! heading (HTML, Markdown), or a short line on its own set larger or bolder than the body (PDF). When
//! the source has no type information at all, a short line on its own without closing punctuation
//! is one, provided body text follows it. Not headings: link lines that repeat their section's
//! heading or name something its text mentions; a line with no text of its own before a heading of
//! the same or a higher rank (a label); runs of short lines with no text after them (navigation, a
//! signature); captions, dated closing lines and greetings. List items, table rows and anything
//! before the title (letterhead, header block, labels) never are.
//!
//! Levels: a number's depth; otherwise the level of the numbered headings set in the same type; on a
//! web page `<h2>` → 1, `<h3>` → 2. This module never looks at a heading's words to decide its level.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::metadata;
use super::text::{norm, starts_lowercase, word_count};
use super::units::{Kind, Layout, Unit};
use super::Section;

/// Table and figure captions, sources and dated closing lines: short lines that are never headings.
static NOT_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:tabell|figur|diagram|bild|karta|bilaga|källa|källor|not|foto)\s*\d*\s*[.:]|(?:[\p{Lu}][\p{L}-]+,?\s+)?(?:den\s+)?\d{1,2}\s+(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\s+\d{4}$|\d{4}-\d{2}-\d{2}$|(?:med\s+)?vänliga\s+hälsningar$|(?:senast\s+)?(?:uppdaterad|ändrad|granskad)\b)",
    )
    .expect("valid built-in pattern")
});

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\S.*)$").expect("valid built-in pattern")
});

/// How strongly the source marks a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    Markup(u8),
    /// Set larger than the body.
    Large,
    /// Bold at body size: also how some producers print link lines, so it needs the link checks.
    Bold,
    /// No type information: a short line on its own.
    Plain,
}

impl Strength {
    fn weak(self) -> bool {
        matches!(self, Strength::Bold | Strength::Plain)
    }
}

/// The type a heading is set in, to give unnumbered headings the level of numbered ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Style {
    Markup(u8),
    Font(u32, bool),
    Plain,
}

#[derive(Debug, Clone)]
struct Candidate {
    strength: Strength,
    style: Style,
    number: Option<Vec<u32>>,
    heading: String,
    size: f32,
    bold: bool,
}

impl Candidate {
    /// How high the heading's type ranks (larger is higher); `None` without type information.
    fn rank(&self) -> Option<u32> {
        match self.style {
            Style::Markup(level) => Some(1000 - u32::from(level)),
            Style::Font(size, bold) => Some(size * 2 + u32::from(bold)),
            Style::Plain => None,
        }
    }
}

/// The sections found and where every unit belongs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outline {
    pub sections: Vec<Section>,
    /// The unit holding each section's heading.
    pub heading_units: Vec<usize>,
    /// For each unit, the section whose text it is.
    pub section_of: Vec<Option<usize>>,
}

impl Outline {
    pub fn is_heading(&self, unit: usize) -> bool {
        self.heading_units.contains(&unit)
    }
}

/// A heading number and the heading without it: "3.1 Jämställd hälsa" → ([3, 1], "Jämställd hälsa").
pub(crate) fn split_number(text: &str) -> Option<(Vec<u32>, String)> {
    let c = NUMBERED.captures(text.trim())?;
    let rest = c.get(2)?.as_str().trim();
    if !rest.chars().next().is_some_and(|ch| ch.is_uppercase()) {
        return None;
    }
    let number: Option<Vec<u32>> = c[1].split('.').map(|p| p.parse().ok()).collect();
    Some((number?, rest.to_string()))
}

fn number_string(n: &[u32]) -> String {
    n.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
}

/// Whether `next` continues a numbering whose last heading was `path`.
fn continues_numbering(path: &[u32], next: &[u32]) -> bool {
    if path.is_empty() {
        return next.len() == 1 || next.last() == Some(&1);
    }
    if next.len() == path.len() + 1 && next[..path.len()] == *path && next[path.len()] == 1 {
        return true;
    }
    (0..path.len()).any(|k| next.len() == k + 1 && next[..k] == path[..k] && next[k] == path[k] + 1)
}

/// Whether a unit could be a heading, and how strongly it is marked.
fn candidate(u: &Unit, layout: &Layout) -> Option<Candidate> {
    let text = u.text.trim();
    if text.is_empty() || matches!(u.kind, Kind::Item | Kind::Row) || text.contains('\t') {
        return None;
    }
    if metadata::published(text).is_some()
        || metadata::circular_line(text).is_some()
        || NOT_HEADING.is_match(text)
    {
        return None;
    }
    let numbered = split_number(text);
    let (number, heading) = match numbered {
        Some((n, h)) => (Some(n), h),
        None => (None, text.to_string()),
    };
    let style_font = Style::Font((u.size * 10.0).round() as u32, u.bold);
    let make = |strength, style| Candidate {
        strength,
        style,
        number: number.clone(),
        heading: heading.clone(),
        size: u.size,
        bold: u.bold,
    };
    if let Kind::Heading(level) = u.kind {
        return Some(make(Strength::Markup(level), Style::Markup(level)));
    }
    let short = word_count(text) <= 20
        && text.chars().count() <= 160
        && !text.ends_with(['.', ',', ';', ':'])
        && !starts_lowercase(text)
        && !text.starts_with("http")
        && !ends_with_footnote_mark(text)
        && !heading.contains(". ");
    if !short {
        return None;
    }
    if layout.markup {
        // The markup marks the headings; an unmarked line is one only by its number.
        return number.is_some().then(|| make(Strength::Plain, Style::Plain));
    }
    if layout.typography {
        let not_small = u.size >= layout.body_size - 0.5;
        if u.lines.len() <= MAX_HEADING_LINES && u.size >= layout.body_size + 0.9 {
            return Some(make(Strength::Large, style_font));
        }
        if u.lines.len() <= MAX_HEADING_LINES && u.bold && not_small {
            return Some(make(Strength::Bold, style_font));
        }
        return (number.is_some() && not_small && u.lines.len() <= 2)
            .then(|| make(Strength::Plain, style_font));
    }
    (u.lines.len() == 1).then(|| make(Strength::Plain, Style::Plain))
}

/// The most lines a heading set large or bold wraps over: a long heading in a narrow column takes four
/// (the two-column set's "3 Regionala stöd- och samverkansstrukturer för socialtjänstens arbete mot
/// våld i nära relationer"); the word and length limits above still keep paragraphs out.
pub(crate) const MAX_HEADING_LINES: usize = 4;

/// "Text med en not.2": a sentence ending in a footnote mark.
fn ends_with_footnote_mark(text: &str) -> bool {
    let digits = text.chars().rev().take_while(char::is_ascii_digit).count();
    digits > 0 && digits <= 2 && text[..text.len() - digits].ends_with('.')
}

/// Whether `needle` occurs in `hay` as whole words.
fn contains_words(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = hay[i + needle.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

/// Find the sections of units `start..`, the title (if any) first.
pub(crate) fn outline(units: &[Unit], start: usize, title: Option<usize>, layout: &Layout) -> Outline {
    let scan_from = title.map_or(start, |t| t + 1);
    let mut cands: Vec<Option<Candidate>> = units
        .iter()
        .enumerate()
        .map(|(i, u)| if i >= scan_from { candidate(u, layout) } else { None })
        .collect();

    // Numbers must continue the numbering; a strongly marked heading may restart it.
    let mut path: Vec<u32> = Vec::new();
    for c in cands.iter_mut().flatten() {
        let Some(n) = c.number.clone() else { continue };
        if continues_numbering(&path, &n) {
            path = n;
        } else if c.strength.weak() {
            c.number = None;
            c.strength = Strength::Plain;
            // A footnote or a numbered list line, not a heading.
            c.heading.clear();
        } else {
            path = n;
        }
    }
    for c in cands.iter_mut() {
        if c.as_ref().is_some_and(|c| c.heading.is_empty()) {
            *c = None;
        }
    }

    let is_body = |cands: &[Option<Candidate>], i: usize| {
        cands[i].is_none() && !matches!(units[i].kind, Kind::Heading(_))
    };
    let mut body_after = vec![false; units.len() + 1];
    for i in (0..units.len()).rev() {
        body_after[i] = body_after[i + 1] || is_body(&cands, i);
    }

    let mut accepted: Vec<usize> = Vec::new();
    let mut current = title.map(|t| norm(&units[t].text)).unwrap_or_default();
    let mut weak_run: Vec<usize> = Vec::new();
    for i in scan_from..units.len() {
        let Some(c) = &cands[i] else {
            weak_run.clear();
            continue;
        };
        // A heading with no text of its own must head the smaller heading after it; a line set like
        // a heading before one of the same or a higher rank is a link or a label.
        let next_rank = cands.get(i + 1).and_then(|n| n.as_ref()).and_then(Candidate::rank);
        if let (Some(own), Some(next)) = (c.rank(), next_rank) {
            if c.number.is_none() && own <= next {
                continue;
            }
        }
        if c.strength.weak() && c.number.is_none() {
            let next_is_body = i + 1 < units.len() && is_body(&cands, i + 1);
            if !body_after[i + 1] {
                // Nothing follows but more short lines: navigation or a closing block.
                continue;
            }
            if !next_is_body {
                let h = norm(&c.heading);
                // The text of the current section so far: a link names something it mentions.
                let since = accepted.last().map_or(scan_from, |&a| a + 1);
                let mentioned = (since..i)
                    .filter(|&p| is_body(&cands, p))
                    .any(|p| contains_words(&norm(&units[p].text), &h));
                let repeats = h == current || contains_words(&h, &current) || mentioned;
                if repeats {
                    // A link line under the section it belongs to.
                    continue;
                }
            }
            weak_run.push(i);
            if weak_run.len() >= 3 {
                // Three short lines in a row are a menu; only the last may head the text after it.
                let earlier = &weak_run[..weak_run.len() - 1];
                accepted.retain(|a| !earlier.contains(a));
                if !next_is_body {
                    continue;
                }
            }
        } else {
            weak_run.clear();
        }
        current = norm(&c.heading);
        accepted.push(i);
    }

    build(units, title, &accepted, &cands)
}

fn build(units: &[Unit], title: Option<usize>, accepted: &[usize], cands: &[Option<Candidate>]) -> Outline {
    let mut out = Outline { section_of: vec![None; units.len()], ..Outline::default() };
    // Levels: numbered headings by depth; other styles by the numbered headings set in them.
    let mut depths: HashMap<Style, Vec<u32>> = HashMap::new();
    let mut min_markup = u8::MAX;
    for c in accepted.iter().filter_map(|&i| cands[i].as_ref()) {
        if let Some(n) = &c.number {
            depths.entry(c.style).or_default().push(n.len() as u32);
        }
        if let Strength::Markup(l) = c.strength {
            min_markup = min_markup.min(l);
        }
    }
    let style_level: HashMap<Style, u32> = depths
        .into_iter()
        .filter_map(|(s, mut d)| {
            d.sort_unstable();
            d.get(d.len() / 2).map(|&l| (s, l))
        })
        .collect();
    let mut fonts: Vec<(f32, bool)> = accepted
        .iter()
        .filter_map(|&i| cands[i].as_ref())
        .filter(|c| matches!(c.style, Style::Font(..)))
        .map(|c| (c.size, c.bold))
        .collect();
    fonts.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
    fonts.dedup();
    let has_numbers = !style_level.is_empty();

    if let Some(t) = title {
        let (number, heading) = match split_number(&units[t].text) {
            Some((n, h)) => (Some(number_string(&n)), h),
            None => (None, units[t].text.trim().to_string()),
        };
        out.sections.push(Section {
            number,
            heading,
            level: 1,
            parent: None,
            text: String::new(),
            page: Some(units[t].page),
        });
        out.heading_units.push(t);
    }
    let mut last_depth = 1;
    for &i in accepted {
        let Some(c) = &cands[i] else { continue };
        let level = if let Some(n) = &c.number {
            last_depth = n.len() as u32;
            last_depth
        } else if let Some(&l) = style_level.get(&c.style) {
            l
        } else {
            match c.strength {
                Strength::Markup(l) => u32::from(l.saturating_sub(min_markup)) + 1,
                Strength::Large | Strength::Bold if !has_numbers || !matches!(c.style, Style::Font(..)) => {
                    fonts.iter().position(|&f| f == (c.size, c.bold)).map_or(1, |p| p as u32 + 1)
                }
                Strength::Large | Strength::Bold => {
                    // Below the deepest numbered style set larger than it.
                    let larger = style_level
                        .iter()
                        .filter_map(|(s, l)| match s {
                            Style::Font(size, _) if *size as f32 / 10.0 > c.size + 0.05 => Some(*l),
                            _ => None,
                        })
                        .max();
                    larger.map_or(1, |l| l + 1)
                }
                Strength::Plain => {
                    if has_numbers {
                        last_depth
                    } else {
                        1
                    }
                }
            }
        };
        let parent = out.sections.iter().rposition(|s| s.level < level);
        let number = c.number.as_deref().map(number_string);
        out.sections.push(Section {
            number,
            heading: c.heading.clone(),
            level,
            parent,
            text: String::new(),
            page: Some(units[i].page),
        });
        out.heading_units.push(i);
    }
    // Each section's own text: the units up to the next heading.
    let mut texts: Vec<Vec<&str>> = vec![Vec::new(); out.sections.len()];
    for (s, &h) in out.heading_units.iter().enumerate() {
        let end = out.heading_units.get(s + 1).copied().unwrap_or(units.len());
        for (u, unit) in units.iter().enumerate().take(end).skip(h + 1) {
            out.section_of[u] = Some(s);
            texts[s].push(&unit.text);
        }
    }
    for (s, t) in texts.into_iter().enumerate() {
        out.sections[s].text = t.join("\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(kind: Kind, text: &str, size: f32, bold: bool) -> Unit {
        Unit { kind, lines: vec![text.to_string()], text: text.to_string(), size, bold, page: 1 }
    }

    fn plain(texts: &[&str]) -> Vec<Unit> {
        texts
            .iter()
            .map(|t| match t.strip_prefix("• ") {
                Some(item) => unit(Kind::Item, item, 11.0, false),
                None => unit(Kind::Text, t, 11.0, false),
            })
            .collect()
    }

    fn headings(o: &Outline) -> Vec<(Option<&str>, &str, u32)> {
        o.sections.iter().map(|s| (s.number.as_deref(), s.heading.as_str(), s.level)).collect()
    }

    const LAYOUT_PLAIN: Layout = Layout { body_size: 11.0, markup: false, typography: false };

    #[test]
    fn numbered_headings_and_footnotes() {
        let units = plain(&[
            "Rapport 2018",
            "1. Inledning",
            "Text om inledningen.",
            "3.1 Fel nummer",
            "2 Nästa avsnitt",
            "Text med en not.2",
            "2 Brå: Skolundersökningen om brott 2017 (2018)",
            "2.1 Underavsnitt",
            "Mer text.",
        ]);
        let o = outline(&units, 0, Some(0), &LAYOUT_PLAIN);
        assert_eq!(
            headings(&o),
            vec![
                (None, "Rapport 2018", 1),
                (Some("1"), "Inledning", 1),
                (Some("2"), "Nästa avsnitt", 1),
                (Some("2.1"), "Underavsnitt", 2)
            ]
        );
        assert_eq!(o.sections[3].parent, Some(2));
        assert_eq!(o.sections[2].text, "Text med en not.2\n2 Brå: Skolundersökningen om brott 2017 (2018)");
    }

    #[test]
    fn plain_headings_need_text_after_them_and_links_are_not_headings() {
        let units = plain(&[
            "Titel",
            "Ingress.",
            "Nära vård",
            "En mer tillgänglig vård kan användas bättre.",
            "Omställning till en nära vård",
            "Patientkontrakt",
            "En viktig del av omställningen är projektet Arbetsmiljö i fokus.",
            "Det förväntade resultatet är en bättre vård.",
            "Arbetsmiljö i fokus",
            "Tidigare insatser",
            "Om skolresultat",
            "Text om skolresultat.",
            "Läs vidare",
            "Informationsansvarig",
            "• Love Nordenmark",
            "Handläggare",
        ]);
        let o = outline(&units, 0, Some(0), &LAYOUT_PLAIN);
        let names: Vec<&str> = o.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "Titel",
                "Nära vård",
                "Patientkontrakt",
                "Tidigare insatser",
                "Om skolresultat",
                "Läs vidare",
                "Informationsansvarig"
            ]
        );
    }

    #[test]
    fn menus_are_not_headings() {
        let units =
            plain(&["Titel", "Text.", "Aktuellt", "Publikationer", "Lärande exempel", "Sista stycket här."]);
        let o = outline(&units, 0, Some(0), &LAYOUT_PLAIN);
        assert_eq!(o.sections.len(), 2);
        assert_eq!(o.sections[1].heading, "Lärande exempel");
    }

    #[test]
    fn typography_gives_levels() {
        let layout = Layout { body_size: 9.5, markup: false, typography: true };
        let units = vec![
            unit(Kind::Text, "Jämställdhetssatsning 2018-2020", 19.0, true),
            unit(Kind::Text, "Inledande text som är brödtext.", 9.5, false),
            unit(Kind::Text, "Jämställdhetsintegrering på SKL", 13.5, true),
            unit(Kind::Text, "Brödtext.", 9.5, false),
            unit(Kind::Text, "Nära vård", 11.0, true),
            unit(Kind::Text, "Brödtext om nära vård.", 9.5, false),
            unit(Kind::Text, "Omställning till en nära vård", 9.5, true),
            unit(Kind::Text, "Patientkontrakt", 11.0, true),
            unit(Kind::Text, "Brödtext.", 9.5, false),
            unit(Kind::Text, "Kort rad i brödtext", 9.5, false),
            unit(Kind::Text, "Brödtext.", 9.5, false),
        ];
        let o = outline(&units, 0, Some(0), &layout);
        assert_eq!(
            headings(&o),
            vec![
                (None, "Jämställdhetssatsning 2018-2020", 1),
                (None, "Jämställdhetsintegrering på SKL", 1),
                (None, "Nära vård", 2),
                (None, "Patientkontrakt", 2)
            ]
        );
        assert_eq!(o.sections[3].parent, Some(1));
    }

    #[test]
    fn a_label_before_a_higher_heading_is_not_one() {
        let layout = Layout { body_size: 9.5, markup: false, typography: true };
        let units = vec![
            unit(Kind::Text, "Titel", 19.0, true),
            unit(Kind::Text, "Utbildning", 13.5, true),
            unit(Kind::Text, "Under hösten genomförs en utbildning.", 9.5, false),
            unit(Kind::Text, "Anmälan till utbildningen", 9.5, true),
            unit(Kind::Text, "Tidigare insatser", 13.5, true),
            unit(Kind::Text, "Skolresultat", 11.0, true),
            unit(Kind::Text, "Text om skolresultat.", 9.5, false),
        ];
        let o = outline(&units, 0, Some(0), &layout);
        let names: Vec<&str> = o.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(names, vec!["Titel", "Utbildning", "Tidigare insatser", "Skolresultat"]);
    }

    #[test]
    fn unnumbered_heading_takes_the_level_of_its_style() {
        let layout = Layout { body_size: 11.0, markup: false, typography: true };
        let units = vec![
            unit(Kind::Text, "Rapport", 17.0, true),
            unit(Kind::Text, "3. Delmålen", 14.0, true),
            unit(Kind::Text, "3.1 Jämställd hälsa", 12.0, true),
            unit(Kind::Text, "Text.", 11.0, false),
            unit(Kind::Text, "Samordnat stöd", 12.0, true),
            unit(Kind::Text, "Text.", 11.0, false),
        ];
        let o = outline(&units, 0, Some(0), &layout);
        assert_eq!(headings(&o)[3], (None, "Samordnat stöd", 2));
        assert_eq!(o.sections[3].parent, Some(1));
    }

    #[test]
    fn markup_levels_are_relative_to_the_first_used() {
        let layout = Layout { body_size: 11.0, markup: true, typography: false };
        let units = vec![
            unit(Kind::Heading(1), "Jämställdhet", 20.0, true),
            unit(Kind::Text, "Text.", 11.0, false),
            unit(Kind::Heading(2), "CEMR-deklarationen", 17.0, true),
            unit(Kind::Text, "Text.", 11.0, false),
            unit(Kind::Heading(3), "Jämställd musikskola", 15.0, true),
            unit(Kind::Text, "Text.", 11.0, false),
            unit(Kind::Text, "Ett kort stycke", 11.0, false),
        ];
        let o = outline(&units, 0, Some(0), &layout);
        assert_eq!(
            headings(&o),
            vec![
                (None, "Jämställdhet", 1),
                (None, "CEMR-deklarationen", 1),
                (None, "Jämställd musikskola", 2)
            ]
        );
        assert_eq!(o.section_of[6], Some(2));
        assert_eq!(o.section_of[1], Some(0));
    }

    #[test]
    fn captions_and_closing_lines_are_not_headings() {
        let units = plain(&[
            "Titel",
            "Text.",
            "Tabell 1. Utfall per år",
            "Text om tabellen.",
            "Stockholm den 15 mars 2019",
            "Anna Andersson",
        ]);
        let o = outline(&units, 0, Some(0), &LAYOUT_PLAIN);
        assert_eq!(o.sections.len(), 1);
    }

    #[test]
    fn numbering_rules() {
        assert!(continues_numbering(&[], &[1]));
        assert!(continues_numbering(&[3, 3], &[4]));
        assert!(continues_numbering(&[3], &[3, 1]));
        assert!(!continues_numbering(&[4, 3], &[4]));
        assert!(!continues_numbering(&[4, 3], &[2]));
        assert_eq!(split_number("3.1 Jämställd hälsa"), Some((vec![3, 1], "Jämställd hälsa".to_string())));
        assert_eq!(split_number("2019 startar en pilot"), None);
        assert_eq!(split_number("1 barn och utbildning"), None);
    }
}
