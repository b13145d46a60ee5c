//! The document as the segmenter reads it: a flat list of units (paragraph, marked-up heading, list
//! item, table row), each with its printed lines, type size, weight and page.
//!
//! Flattening also repairs what a PDF reader may leave joined: a bold or larger first line glued to the
//! paragraph under it becomes a unit of its own, and bulleted lines inside a paragraph become list
//! items. Page numbers (numbers that follow the page sequence) and running headers that survived
//! extraction are dropped. This module never decides what a unit means (heading, goal, metadata).

use std::collections::{HashMap, HashSet};

use crate::extract::{Block, Document, Role};

use super::text::{has_bullet, norm, strip_bullet};

/// What a unit is, as far as the source says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    /// A heading from markup (HTML, Markdown), with its level (`<h2>` → 2).
    Heading(u8),
    Item,
    /// A table row, cells separated by a tab.
    Row,
}

/// One paragraph, heading, list item or table row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unit {
    pub kind: Kind,
    /// The printed lines (one for sources without layout).
    pub lines: Vec<String>,
    /// The lines joined by a space; list markers removed.
    pub text: String,
    /// The largest type size in the unit.
    pub size: f32,
    pub bold: bool,
    pub page: u32,
}

impl Unit {
    fn new(kind: Kind, lines: Vec<String>, size: f32, bold: bool, page: u32) -> Unit {
        let joined = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
        let text = if kind == Kind::Item { strip_bullet(&joined).to_string() } else { joined };
        Unit { kind, lines, text, size, bold, page }
    }

    /// The cells of a table row (a single cell for other units).
    pub fn cells(&self) -> Vec<&str> {
        self.text.split('\t').map(str::trim).filter(|c| !c.is_empty()).collect()
    }
}

/// What the document's typography can tell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Layout {
    /// The size most of the body text is set in.
    pub body_size: f32,
    /// The source marks its headings (HTML, Markdown).
    pub markup: bool,
    /// Sizes or weights vary, so a heading can be told from the body by its type.
    pub typography: bool,
}

impl Layout {
    pub fn of(units: &[Unit]) -> Layout {
        let mut by_size: HashMap<u32, usize> = HashMap::new();
        let mut bold_chars = 0;
        let mut chars = 0;
        for u in units.iter().filter(|u| matches!(u.kind, Kind::Text | Kind::Item)) {
            let n = u.text.chars().count();
            *by_size.entry((u.size * 10.0).round() as u32).or_default() += n;
            chars += n;
            if u.bold {
                bold_chars += n;
            }
        }
        let body_size =
            by_size.iter().max_by_key(|(size, n)| (**n, **size)).map_or(0.0, |(s, _)| *s as f32 / 10.0);
        let markup = units.iter().any(|u| matches!(u.kind, Kind::Heading(_)));
        let varied_size = units
            .iter()
            .filter(|u| matches!(u.kind, Kind::Text | Kind::Item))
            .any(|u| (u.size - body_size).abs() > 0.5);
        // Bold says something only when most text is not bold.
        let varied_weight = bold_chars > 0 && bold_chars * 2 < chars;
        Layout { body_size, markup, typography: !markup && (varied_size || varied_weight) }
    }
}

/// Flatten a document into units, in reading order.
pub(crate) fn flatten(doc: &Document) -> Vec<Unit> {
    let mut out = Vec::new();
    for page in &doc.pages {
        for block in &page.blocks {
            push_block(&mut out, block, page.number);
        }
    }
    drop_furniture(&mut out, doc.pages.len());
    out
}

fn push_block(out: &mut Vec<Unit>, block: &Block, page: u32) {
    let lines: Vec<&crate::extract::Line> =
        block.lines.iter().filter(|l| !l.text.trim().is_empty()).collect();
    if lines.is_empty() {
        return;
    }
    let unit = |kind: Kind, part: &[&crate::extract::Line]| {
        let size = part.iter().map(|l| l.size).fold(0.0, f32::max);
        let bold = part.iter().all(|l| l.bold);
        Unit::new(kind, part.iter().map(|l| l.text.clone()).collect(), size, bold, page)
    };
    match block.role {
        Role::Heading(level) => out.push(unit(Kind::Heading(level), &lines)),
        Role::TableRow => out.push(unit(Kind::Row, &lines)),
        Role::ListItem | Role::Paragraph => {
            let item = block.role == Role::ListItem;
            // A list that arrived as one block: every bulleted line starts an item.
            if lines.iter().skip(1).any(|l| has_bullet(&l.text)) || (!item && has_bullet(&lines[0].text)) {
                let mut start = 0;
                for i in 1..=lines.len() {
                    if i == lines.len() || has_bullet(&lines[i].text) {
                        let kind =
                            if item || has_bullet(&lines[start].text) { Kind::Item } else { Kind::Text };
                        out.push(unit(kind, &lines[start..i]));
                        start = i;
                    }
                }
                return;
            }
            if !item {
                if let Some(k) = glued_heading(&lines) {
                    out.push(unit(Kind::Text, &lines[..k]));
                    out.push(unit(Kind::Text, &lines[k..]));
                    return;
                }
            }
            out.push(unit(if item { Kind::Item } else { Kind::Text }, &lines));
        }
    }
}

/// Repair what a PDF reader splits or joins at block level, now that the body size is known:
/// headings stacked in one block are split ("Läs vidare" / "Informationsansvarig"), a heading
/// wrapped over two blocks is joined, and a paragraph or list item broken by a page break is
/// joined again.
pub(crate) fn repair(units: &mut Vec<Unit>, layout: &Layout) {
    if !layout.typography {
        return;
    }
    split_stacked_headings(units, layout);
    join_wrapped_headings(units, layout);
    join_page_breaks(units, layout);
}

fn heading_typed(u: &Unit, layout: &Layout) -> bool {
    u.kind == Kind::Text && (u.size >= layout.body_size + 0.9 || (u.bold && u.size >= layout.body_size - 0.5))
}

/// Ends a sentence or an introduction.
fn ends_terminal(s: &str) -> bool {
    s.trim_end().ends_with(['.', '!', '?', ':', ';'])
}

/// Ends with a word or mark that the next line must continue ("Modellkommuner och").
fn ends_open(s: &str) -> bool {
    const OPEN: &[&str] = &[
        "och", "eller", "samt", "i", "för", "av", "med", "på", "till", "om", "mot", "inom", "vid", "från",
        "som", "att",
    ];
    let t = s.trim_end();
    t.ends_with(['-', ',', '–']) || OPEN.contains(&t.rsplit(' ').next().unwrap_or("").to_lowercase().as_str())
}

fn joined(a: &Unit, b: &Unit) -> Unit {
    let mut lines = a.lines.clone();
    lines.extend(b.lines.iter().cloned());
    Unit::new(a.kind, lines, a.size.max(b.size), a.bold && b.bold, a.page)
}

fn split_stacked_headings(units: &mut Vec<Unit>, layout: &Layout) {
    let mut out = Vec::with_capacity(units.len());
    for u in units.drain(..) {
        if !heading_typed(&u, layout) || u.lines.len() < 2 {
            out.push(u);
            continue;
        }
        let mut start = 0;
        for k in 1..=u.lines.len() {
            let boundary = k == u.lines.len() || {
                let (prev, line) = (&u.lines[k - 1], &u.lines[k]);
                line.trim_start().starts_with(char::is_uppercase) && !ends_open(prev) && !ends_terminal(prev)
            };
            if boundary {
                out.push(Unit::new(u.kind, u.lines[start..k].to_vec(), u.size, u.bold, u.page));
                start = k;
            }
        }
    }
    *units = out;
}

fn join_wrapped_headings(units: &mut Vec<Unit>, layout: &Layout) {
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    for u in units.drain(..) {
        if let Some(prev) = out.last_mut() {
            let same_type = (prev.size - u.size).abs() < 0.1 && prev.bold == u.bold && prev.page == u.page;
            let continues = super::text::starts_lowercase(&u.text) || ends_open(&prev.text);
            if same_type
                && heading_typed(prev, layout)
                && heading_typed(&u, layout)
                && continues
                && !ends_terminal(&prev.text)
            {
                *prev = joined(prev, &u);
                continue;
            }
        }
        out.push(u);
    }
    *units = out;
}

fn join_page_breaks(units: &mut Vec<Unit>, layout: &Layout) {
    let mut i = 1;
    while i < units.len() {
        let u = &units[i];
        let first_on_page = units[i - 1].page < u.page;
        if u.kind != Kind::Text || !first_on_page || heading_typed(u, layout) {
            i += 1;
            continue;
        }
        // The last body unit of the page before, past any footnotes set smaller.
        let mut j = i - 1;
        while j > 0 && units[j].size < u.size - 0.5 && units[j].kind == Kind::Text {
            j -= 1;
        }
        let prev = &units[j];
        let same_type = (prev.size - u.size).abs() < 0.3 && prev.bold == u.bold && prev.page < u.page;
        let lower = super::text::starts_lowercase(&u.text);
        let continues = match prev.kind {
            Kind::Item => lower,
            Kind::Text => lower || !ends_terminal(&prev.text),
            _ => false,
        };
        if same_type && continues && !heading_typed(prev, layout) {
            let merged = joined(prev, u);
            units[j] = merged;
            units.remove(i);
            continue;
        }
        i += 1;
    }
}

/// The number of leading lines set larger or bolder than the rest of their paragraph, when a PDF
/// reader has glued a heading to the text under it.
fn glued_heading(lines: &[&crate::extract::Line]) -> Option<usize> {
    let k = (1..lines.len().min(super::sections::MAX_HEADING_LINES + 1)).find(|&k| {
        let (head, rest) = lines.split_at(k);
        let rest_size = rest.iter().map(|l| l.size).fold(0.0, f32::max);
        let rest_bold = rest.iter().any(|l| l.bold);
        let uniform = head.iter().all(|l| (l.size - head[0].size).abs() < 0.3 && l.bold == head[0].bold);
        uniform
            && (head[0].size > rest_size + 0.9
                || (head[0].bold && !rest_bold && head[0].size >= rest_size - 0.3))
    })?;
    // Only when the rest is itself uniform: a paragraph of mixed runs is not a heading plus body.
    let rest = &lines[k..];
    rest.iter().all(|l| (l.size - rest[0].size).abs() < 0.3).then_some(k)
}

/// Drop page numbers ("Sida 2 av 5", "2 (5)", "3") and running lines: short units repeated at the
/// top or bottom of several pages.
fn drop_furniture(units: &mut Vec<Unit>, pages: usize) {
    let page_number = |t: &str| {
        // At most five words (as `norm` keeps them): checked first, since this runs on every paragraph.
        if t.split_whitespace().nth(5).is_some() {
            return false;
        }
        let t = norm(t);
        let words: Vec<&str> = t.split(' ').collect();
        let num = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
        match words.as_slice() {
            [n] => num(n),
            ["sida", n] => num(n),
            ["sida", n, "av", m] | ["sida", n, "(", m, ")"] => num(n) && num(m),
            [n, m] => num(n) && m.starts_with('(') && m.ends_with(')') && num(&m[1..m.len() - 1]),
            [n, "av", m] | [n, "/", m] => num(n) && num(m),
            _ => false,
        }
    };
    // A page number shows the page's place in a sequence: its number minus the page's is the same on
    // at least two pages and a quarter of them, or it is the page's own number (as the extraction's
    // clean-up decides); one that names the page count ("Sida 1 av 1", "2 (5)") is one by its form. A bare number
    // that follows no sequence is content: a chart's axis tick, a transcript's line number. A page with
    // more than two such units shows no page number that can be told apart and is not counted.
    let value = |t: &str| -> Option<i64> {
        let digits: String =
            t.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
        (digits.len() <= 6).then(|| digits.parse().ok()).flatten()
    };
    let candidates: Vec<(u32, i64)> = units
        .iter()
        .filter(|u| u.kind != Kind::Row && page_number(&u.text))
        .filter_map(|u| Some((u.page, value(&u.text)?)))
        .collect();
    let mut per_page: HashMap<u32, usize> = HashMap::new();
    for &(page, _) in &candidates {
        *per_page.entry(page).or_default() += 1;
    }
    let mut pages_by_offset: HashMap<i64, HashSet<u32>> = HashMap::new();
    for &(page, n) in candidates.iter().filter(|(page, _)| per_page.get(page).is_some_and(|&k| k <= 2)) {
        pages_by_offset.entry(n - i64::from(page)).or_default().insert(page);
    }
    let needed = 2.max(pages.div_ceil(4));
    let offsets: HashSet<i64> =
        pages_by_offset.into_iter().filter(|(d, on)| *d == 0 || on.len() >= needed).map(|(d, _)| d).collect();
    let names_count = |t: &str| {
        let numbers: Vec<u64> =
            t.split(|c: char| !c.is_ascii_digit()).filter_map(|s| s.parse().ok()).collect();
        matches!(numbers.as_slice(), [n, m] if 1 <= *n && n <= m)
    };
    units.retain(|u| {
        let in_sequence = value(&u.text).is_some_and(|n| offsets.contains(&(n - i64::from(u.page))));
        u.kind == Kind::Row || !page_number(&u.text) || !(names_count(&u.text) || in_sequence)
    });
    if pages < 2 {
        return;
    }
    // Count, per text (digits masked, so "Rapport 2 (5)" and "Rapport 3 (5)" are one), the pages
    // where it is the first or last unit, and the smallest size it is set in there.
    let key = |t: &str| norm(t).chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect::<String>();
    let mut edge: HashMap<String, (Vec<u32>, f32)> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        let first = i == 0 || units[i - 1].page != u.page;
        let last = i + 1 == units.len() || units[i + 1].page != u.page;
        if (first || last) && u.text.chars().count() <= 160 && u.kind != Kind::Row {
            let entry = edge.entry(key(&u.text)).or_insert((Vec::new(), f32::MAX));
            if !entry.0.contains(&u.page) {
                entry.0.push(u.page);
            }
            entry.1 = entry.1.min(u.size);
        }
    }
    let threshold = 2.max(pages * 3 / 10);
    let running: HashMap<String, f32> =
        edge.into_iter().filter(|(_, (p, _))| p.len() >= threshold).map(|(t, (_, size))| (t, size)).collect();
    if running.is_empty() {
        return;
    }
    // The title itself, set larger than its running copies, stays. A text with more letters than the
    // longest running key cannot be one (`norm` keeps at least one char per non-space char), and is
    // not normalised at all: most paragraphs are long.
    let longest = running.keys().map(|k| k.chars().count()).max().unwrap_or(0);
    units.retain(|u| {
        u.text.chars().filter(|c| !c.is_whitespace()).nth(longest).is_some()
            || running.get(&key(&u.text)).is_none_or(|&size| u.size > size + 0.5)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Line, SourceFormat};

    fn line(text: &str, size: f32, bold: bool) -> Line {
        Line { text: text.to_string(), size, bold }
    }

    fn doc(pages: Vec<Vec<Block>>) -> Document {
        Document::from_pages(SourceFormat::Pdf, pages)
    }

    fn para(lines: Vec<Line>) -> Block {
        Block { role: Role::Paragraph, lines }
    }

    #[test]
    fn splits_a_heading_glued_to_its_paragraph() {
        let d = doc(vec![vec![para(vec![
            line("3.1 Jämställd hälsa", 13.0, true),
            line("SKL och regeringen är överens om att", 11.0, false),
            line("delmålet är prioriterat.", 11.0, false),
        ])]]);
        let u = flatten(&d);
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].text, "3.1 Jämställd hälsa");
        assert_eq!(u[1].text, "SKL och regeringen är överens om att delmålet är prioriterat.");
    }

    #[test]
    fn splits_bulleted_lines_into_items() {
        let d = doc(vec![vec![para(vec![
            line("• Analys och uppföljning", 11.0, false),
            line("• Modellkommuner och", 11.0, false),
            line("Modellregioner", 11.0, false),
        ])]]);
        let u = flatten(&d);
        assert_eq!(
            u.iter().map(|u| (u.kind, u.text.as_str())).collect::<Vec<_>>(),
            vec![(Kind::Item, "Analys och uppföljning"), (Kind::Item, "Modellkommuner och Modellregioner")]
        );
    }

    #[test]
    fn drops_page_numbers_and_running_headers() {
        let header = || para(vec![line("Resultatrapport 2018", 8.0, false)]);
        let body = |t: &str| para(vec![line(t, 11.0, false)]);
        let d = doc(vec![
            vec![header(), body("Första sidans text."), para(vec![line("Sida 1 av 3", 8.0, false)])],
            vec![header(), body("Andra sidans text."), para(vec![line("2 (3)", 8.0, false)])],
            vec![header(), body("Tredje sidans text."), para(vec![line("3", 8.0, false)])],
        ]);
        let texts: Vec<String> = flatten(&d).into_iter().map(|u| u.text).collect();
        assert_eq!(texts, vec!["Första sidans text.", "Andra sidans text.", "Tredje sidans text."]);
    }

    #[test]
    fn keeps_numbers_that_follow_no_page_sequence() {
        // Axis ticks and a year, the same on every page; and a number other than its own on a one-page document.
        let body = |t: &str| para(vec![line(t, 11.0, false)]);
        let page = |name: &str| {
            vec![
                body(&format!("{name} diagrammet.")),
                body("10"),
                body("20"),
                body("2020"),
                body(&format!("Slut på {name}.")),
            ]
        };
        let d = doc(vec![page("Första"), page("Andra"), page("Tredje")]);
        assert_eq!(flatten(&d).len(), 15);
        let single = doc(vec![vec![body("Text."), body("7")]]);
        assert_eq!(flatten(&single).len(), 2);
        let single = doc(vec![vec![body("Text."), body("1")]]);
        assert_eq!(flatten(&single).len(), 1);
        let single = doc(vec![vec![body("Text."), body("Sida 1 av 1")]]);
        assert_eq!(flatten(&single).len(), 1);
    }

    fn repaired(units: Vec<Block>, pages: usize) -> Vec<(u32, String)> {
        let mut blocks = vec![Vec::new(); pages];
        for (i, b) in units.into_iter().enumerate() {
            blocks[if i >= 2 && pages > 1 { 1 } else { 0 }].push(b);
        }
        let mut u = flatten(&doc(blocks));
        let layout = Layout { body_size: 11.0, markup: false, typography: true };
        repair(&mut u, &layout);
        u.into_iter().map(|u| (u.page, u.text)).collect()
    }

    #[test]
    fn joins_a_paragraph_broken_by_a_page() {
        let got = repaired(
            vec![
                para(vec![line("Text som slutar mitt i en mening och", 11.0, false)]),
                para(vec![line("1 En fotnot.", 8.0, false)]),
                para(vec![line("fortsätter här.", 11.0, false)]),
                para(vec![line("Nästa stycke.", 11.0, false)]),
            ],
            2,
        );
        assert_eq!(
            got,
            vec![
                (1, "Text som slutar mitt i en mening och fortsätter här.".to_string()),
                (1, "1 En fotnot.".to_string()),
                (2, "Nästa stycke.".to_string())
            ]
        );
    }

    #[test]
    fn joins_wrapped_headings_and_splits_stacked_ones() {
        let got = repaired(
            vec![
                para(vec![line("2. Stärka och utveckla samverkan på det", 13.5, true)]),
                para(vec![line("jämställdhetspolitiska området", 13.5, true)]),
                para(vec![line("Läs vidare", 12.0, true), line("Informationsansvarig", 12.0, true)]),
                para(vec![line("Modellkommuner och", 12.0, true), line("Modellregioner", 12.0, true)]),
            ],
            1,
        );
        let texts: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "2. Stärka och utveckla samverkan på det jämställdhetspolitiska området",
                "Läs vidare",
                "Informationsansvarig",
                "Modellkommuner och Modellregioner"
            ]
        );
    }

    #[test]
    fn layout_sees_type_sizes() {
        let d = doc(vec![vec![
            para(vec![line("Rubrik", 14.0, true)]),
            para(vec![line("Brödtext som är lång nog att väga tyngst.", 11.0, false)]),
        ]]);
        let layout = Layout::of(&flatten(&d));
        assert_eq!(layout.body_size, 11.0);
        assert!(layout.typography);
        assert!(!layout.markup);
    }
}
