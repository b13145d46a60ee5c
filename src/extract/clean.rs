//! Character-level clean-up shared by every reader: ligatures expanded, soft hyphens and zero-width
//! characters dropped, spacing accents recomposed, Unicode NFC; then, across a document's pages, running
//! headers, footers and page numbers removed and words hyphenated at line ends joined.
//!
//! Every pass is at most O(n log n) in the document's lines, whatever they hold. It never reorders or
//! invents text, and never fails.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

use super::layout::{LaidBlock, CELL_LINE_BREAK};
use super::{Block, Line, Page, Role};

/// Normalise a piece of extracted text.
pub(crate) fn normalize(s: &str) -> String {
    // Fast path: most lines hold nothing to change (no ligature, invisible or combining character).
    let special = |c: char| {
        matches!(c, '\u{ad}' | '\u{a0}' | '\u{200b}'..='\u{200d}' | '\u{feff}' | '\u{fb00}'..='\u{fb06}')
            || unicode_normalization::char::is_combining_mark(c)
    };
    if !s.chars().any(special) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        match c {
            // Ligatures: NFKC of U+FB00–FB06 only; NFKC elsewhere would change real characters.
            '\u{fb00}'..='\u{fb06}' => out.extend(c.nfkc()),
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' => {}
            // A soft hyphen is a break opportunity: it shows only at a line end, where dehyphenation
            // needs it; elsewhere it is dropped.
            '\u{ad}' => {
                if s[i + c.len_utf8()..].trim_end().is_empty() {
                    out.push('-');
                }
            }
            '\u{a0}' => out.push(' '),
            _ => out.push(c),
        }
    }
    if unicode_normalization::is_nfc_quick(out.chars()) == unicode_normalization::IsNormalized::Yes {
        return out;
    }
    out.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_and_soft_hyphens() {
        assert_eq!(normalize("\u{fb01}nns o\u{fb00}entlig jäm\u{ad}ställd"), "finns offentlig jämställd");
    }

    #[test]
    fn dot_leaders_stand_apart_from_the_entry_and_its_page_number() {
        assert_eq!(split_dot_leaders("inriktning……5"), "inriktning\t……\t5");
        assert_eq!(split_dot_leaders("Kapitel 1 ........ 12"), "Kapitel 1\t........\t12");
        assert_eq!(
            split_dot_leaders("1.2. Quels sont les changements . . . . . . . xiv"),
            "1.2. Quels sont les changements\t. . . . . . .\txiv"
        );
        assert_eq!(
            split_dot_leaders("Mise en contexte....4 1.1. Pourquoi....5"),
            "Mise en contexte\t....\t4 1.1. Pourquoi\t....\t5"
        );
        // Not leaders: an ellipsis in prose, a blank to fill in, a section number, a decimal.
        assert_eq!(split_dot_leaders("och så vidare... 3 gånger"), "och så vidare... 3 gånger");
        assert_eq!(split_dot_leaders("Namn ……………… och adress"), "Namn ……………… och adress");
        assert_eq!(split_dot_leaders("3.1.1 Portrait"), "3.1.1 Portrait");
        assert_eq!(split_dot_leaders("…… 5"), "…… 5");
    }

    #[test]
    fn composes_to_nfc() {
        assert_eq!(normalize("a\u{308}r"), "är");
    }
}

/// Page furniture (running headers, footers, page numbers) lies in the outer band of this share of the
/// page height.
const MARGIN_BAND: f32 = 0.1;

/// Turn laid-out pages into clean pages: furniture removed, line-end hyphens resolved, text normalised.
/// `pages` holds each page's blocks and its height in points.
pub(crate) fn clean_pages(pages: Vec<(Vec<LaidBlock>, f32)>) -> Vec<Page> {
    let mut pages = remove_furniture(pages);
    for blocks in &mut pages {
        for block in blocks.iter_mut() {
            for line in &mut block.lines {
                line.text = split_dot_leaders(&normalize(&line.text));
            }
        }
    }
    let vocabulary = vocabulary(&pages);
    join_cell_breaks(&mut pages, &vocabulary);
    dehyphenate(&mut pages, &vocabulary);
    pages
        .into_iter()
        .enumerate()
        .map(|(i, blocks)| Page {
            number: i as u32 + 1,
            blocks: blocks
                .into_iter()
                .map(|b| Block {
                    role: b.role,
                    lines: b
                        .lines
                        .into_iter()
                        .filter(|l| !l.text.is_empty())
                        .map(|l| Line { text: l.text, size: l.size, bold: l.bold })
                        .collect(),
                })
                .filter(|b| !b.lines.is_empty())
                .collect(),
        })
        .collect()
}

/// Characters a table of contents draws its leaders with, and how many dots each stands for.
fn leader_dots(c: char) -> Option<usize> {
    match c {
        '.' | '·' | '\u{2024}' => Some(1),
        '\u{2025}' => Some(2),
        '…' => Some(3),
        _ => None,
    }
}

/// A page reference after a leader: digits, or a roman numeral in lower or upper case.
fn is_page_reference(word: &str) -> bool {
    let word = word.trim_end_matches([',', ';', ')']);
    !word.is_empty()
        && word.len() <= 8
        && (word.bytes().all(|b| b.is_ascii_digit())
            || word.chars().all(|c| "ivxlcdm".contains(c))
            || word.chars().all(|c| "IVXLCDM".contains(c)))
}

/// Dot leaders between a table-of-contents entry and its page number ("inriktning……5", "Kapitel 1
/// ........ 12") become a cell of their own, between tabs, so that the entry's last word and the number
/// stand apart as cells, never glued to the leaders. The leaders themselves are kept: they are on the
/// page (and in what a reader copies from it), and a word-level reader skips a cell of dots.
/// A run of leaders counts when it is at least four dots long (an ellipsis is three; spaces between
/// them allowed), follows text and is followed by a page reference; any other dots (an ellipsis, a form's blank to fill in)
/// stay as they are. One pass over the line.
fn split_dot_leaders(text: &str) -> String {
    if !text.contains(['.', '…', '·', '\u{2024}', '\u{2025}']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| leader_dots(c).is_some()) {
        // The run from `start`: leader characters and the spaces between them.
        let mut dots = 0;
        let mut end = start;
        for (i, c) in rest[start..].char_indices() {
            match leader_dots(c) {
                Some(d) => {
                    dots += d;
                    end = start + i + c.len_utf8();
                }
                None if c == ' ' => {}
                None => break,
            }
        }
        let before = rest[..start].trim_end();
        let after = rest[end..].trim_start();
        let reference = after.split(' ').next().unwrap_or("");
        let entry_ends_in_text = before.chars().last().is_some_and(|c| !c.is_whitespace());
        if dots >= 4 && entry_ends_in_text && is_page_reference(reference) {
            out.push_str(before);
            out.push('\t');
            out.push_str(rest[start..end].trim());
            out.push('\t');
        } else {
            out.push_str(&rest[..end]);
        }
        rest = &rest[end..];
        if out.ends_with('\t') {
            rest = rest.trim_start();
        }
    }
    out.push_str(rest);
    out
}

/// The key under which a margin line repeats across pages: lower case, digit runs as `#`, spaces
/// collapsed (GROBID's idea, keeping å, ä and ö).
fn furniture_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut last_digit = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !last_digit {
                key.push('#');
            }
            last_digit = true;
            continue;
        }
        last_digit = false;
        if c.is_whitespace() {
            if !key.ends_with(' ') {
                key.push(' ');
            }
        } else {
            key.extend(c.to_lowercase());
        }
    }
    key.trim().to_string()
}

/// A page number on its own: "3", "Sida 2 av 5", "2 (5)", "- 4 -", "Page 3 of 9".
fn is_page_number(key: &str) -> bool {
    matches!(
        key,
        "#" | "sida #"
            | "sida # av #"
            | "# av #"
            | "# (#)"
            | "- # -"
            | "page #"
            | "page # of #"
            | "# / #"
            | "#/#"
    )
}

/// The number a page-number cell shows (the first digit run: "Sida 3 av 9" shows 3), when its key is a
/// page number's.
fn page_number_value(cell: &str) -> Option<i64> {
    if !is_page_number(&furniture_key(cell)) {
        return None;
    }
    let digits: String =
        cell.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    // More digits than any page count: a year, an amount, never a page number.
    if digits.len() > 6 {
        return None;
    }
    digits.parse().ok()
}

/// A page number that names the page count too ("Sida 2 av 5", "Page 1 of 1", "2 (5)") with a number
/// within it: a page number by its form alone, even on a one-page document.
fn names_page_count(cell: &str) -> bool {
    if !matches!(furniture_key(cell).as_str(), "sida # av #" | "# av #" | "page # of #" | "# (#)") {
        return false;
    }
    let mut numbers =
        cell.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).map(str::parse::<u64>);
    matches!((numbers.next(), numbers.next()), (Some(Ok(n)), Some(Ok(m))) if 1 <= n && n <= m)
}

/// The offsets (number shown minus the page's own number, counted from 1) that page numbers follow:
/// a number-shaped cell is a page number only when at least two pages, and a quarter of the
/// document's pages, show a number with the same offset, so that the numbers run n, n+1, … across
/// pages; or when the number is the page's own (offset 0: a one-page document's "1" at its foot). A
/// number that forms no such sequence (a chart's axis tick, a transcript's line number) stays.
///
/// A page with more than two number-shaped cells at its edges (line numbers down a transcript's margin,
/// a table's figures in the band) shows no page number that can be told apart, and is not counted.
fn page_number_offsets(candidates: &[(usize, i64)], pages: usize) -> HashSet<i64> {
    let mut per_page: HashMap<usize, usize> = HashMap::new();
    for &(p, _) in candidates {
        *per_page.entry(p).or_default() += 1;
    }
    let mut pages_by_offset: HashMap<i64, HashSet<usize>> = HashMap::new();
    for &(p, n) in candidates.iter().filter(|(p, _)| per_page.get(p).is_some_and(|&k| k <= 2)) {
        pages_by_offset.entry(n - page_ordinal(p)).or_default().insert(p);
    }
    let needed = 2.max(pages.div_ceil(4));
    pages_by_offset.into_iter().filter(|(d, on)| *d == 0 || on.len() >= needed).map(|(d, _)| d).collect()
}

/// The page's own number, counted from 1, for page index `p`.
fn page_ordinal(p: usize) -> i64 {
    i64::try_from(p).unwrap_or(i64::MAX - 1).saturating_add(1)
}

/// Where a line stands on its page, for furniture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Band {
    Top,
    Bottom,
    Body,
}

/// A document is a form or template, and its repeated margin text part of it, when at least this share
/// of its body's cells repeat, word for word, at the same height across pages (a payslip's labels, a
/// test sheet's rows): running headers stand above a body that changes from page to page. Word for
/// word, not as furniture keys: a table's dates and amounts in the same column are not a template.
const TEMPLATE_SHARE: f32 = 0.5;

/// The baselines at which `places` (a key's (page, baseline) pairs) stand within 3 pt of each other
/// on at least `threshold` pages. One sliding window over the places sorted by baseline, counting the
/// pages in the window, so that a key repeated on every line of thousands of pages costs O(n log n),
/// not a scan per cell.
fn repeated_baselines(places: &mut [(usize, f32)], threshold: usize) -> Vec<f32> {
    places.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let mut out = Vec::new();
    let mut in_window: HashMap<usize, usize> = HashMap::new();
    let (mut lo, mut hi) = (0, 0);
    for i in 0..places.len() {
        let y = places[i].1;
        while hi < places.len() && (places[hi].1 - y).abs() < 3.0 {
            *in_window.entry(places[hi].0).or_default() += 1;
            hi += 1;
        }
        while lo < i && (places[lo].1 - y).abs() >= 3.0 {
            if let Some(count) = in_window.get_mut(&places[lo].0) {
                *count -= 1;
                if *count == 0 {
                    in_window.remove(&places[lo].0);
                }
            }
            lo += 1;
        }
        if in_window.len() >= threshold {
            out.push(y);
        }
    }
    out
}

/// Lines in a margin band closer to the body than this many times their font size (baseline to
/// baseline) go on from it: a table's column headings above its rows, its last rows in the bottom band.
/// A running header or footer stands apart, with at least a blank line between it and the body.
const ATTACHED_GAP_EM: f32 = 1.5;

/// The baselines of the margin lines of a page that the body goes on into: from the body's outermost
/// line outwards, each band line within [`ATTACHED_GAP_EM`] of the line before it. `lines` holds each
/// line's baseline, size and band.
fn attached_to_body(lines: &mut [(f32, f32, Band)]) -> HashSet<u32> {
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut attached = HashSet::new();
    let (Some(lowest), Some(highest)) =
        (lines.iter().position(|l| l.2 == Band::Body), lines.iter().rposition(|l| l.2 == Band::Body))
    else {
        return attached;
    };
    // From the body's edge outwards, while each band line is close to the one before it.
    let mut attach = |edge: (f32, f32, Band), outwards: Vec<&(f32, f32, Band)>| {
        let mut previous = edge;
        for &line in outwards {
            let gap = (line.0 - previous.0).abs();
            if line.2 == Band::Body || gap > ATTACHED_GAP_EM * line.1.max(previous.1) {
                break;
            }
            attached.insert(line.0.to_bits());
            previous = line;
        }
    };
    attach(lines[lowest], lines[..lowest].iter().rev().collect());
    attach(lines[highest], lines[highest + 1..].iter().collect());
    attached
}

/// Remove running headers, footers and page numbers. A page number is a number-shaped cell in a
/// margin band, or alone on the page's highest or lowest line, whose value follows the page sequence
/// (see [`page_number_offsets`]). A running header or footer is a line (or table cell) in the top or
/// bottom margin band that repeats at the same height on at least max(2, 30 %) of the pages, and that
/// is furniture only:
/// - text as common in the body as in the margin (a table's dates and labels running into the band)
///   is content;
/// - in a form or template, where the body itself repeats (see [`TEMPLATE_SHARE`]), the margin's
///   repeated text is part of the form and stays;
/// - a line the body goes on into (see [`attached_to_body`]), such as a table's column headings,
///   stays.
///
/// Nothing outside the bands goes except page numbers: text repeated in the body of every page is
/// content.
fn remove_furniture(pages: Vec<(Vec<LaidBlock>, f32)>) -> Vec<Vec<LaidBlock>> {
    let n = pages.len();
    let threshold = 2.max((n as f32 * 0.3).ceil() as usize);
    let band_of = |y: f32, height: f32| {
        if y > height * (1.0 - MARGIN_BAND) {
            Band::Top
        } else if y < height * MARGIN_BAND {
            Band::Bottom
        } else {
            Band::Body
        }
    };
    // The page's highest and lowest baselines: a bare page number there is furniture even outside the
    // margin bands (footnotes can push the page's last line up).
    let outer: Vec<(f32, f32)> = pages
        .iter()
        .map(|(blocks, _)| {
            let ys = blocks.iter().flat_map(|b| &b.lines).map(|l| l.y);
            ys.fold((f32::MAX, f32::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)))
        })
        .collect();
    // Where each margin cell's key stands: (page, baseline) per (key, band); and the page-number
    // candidates, (page, number shown).
    let mut margin: HashMap<(String, Band), Vec<(usize, f32)>> = HashMap::new();
    let mut numbers: Vec<(usize, i64)> = Vec::new();
    for (p, (blocks, height)) in pages.iter().enumerate() {
        for line in blocks.iter().flat_map(|b| &b.lines) {
            let band = band_of(line.y, *height);
            if band == Band::Body {
                if line.y == outer[p].0 || line.y == outer[p].1 {
                    numbers.extend(page_number_value(&line.text).map(|v| (p, v)));
                }
                continue;
            }
            for cell in line.text.split('\t') {
                margin.entry((furniture_key(cell), band)).or_default().push((p, line.y));
                numbers.extend(page_number_value(cell).map(|v| (p, v)));
            }
        }
    }
    let offsets = page_number_offsets(&numbers, n);
    let page_number = |cell: &str, p: usize| {
        names_page_count(cell)
            || page_number_value(cell).is_some_and(|v| offsets.contains(&(v - page_ordinal(p))))
    };
    // The keys that repeat in the margins at a baseline.
    let mut repeated: HashSet<(String, Band, u32)> = HashSet::new();
    for ((key, band), places) in &mut margin {
        let baselines = repeated_baselines(places, threshold);
        repeated.extend(baselines.into_iter().map(|y| (key.clone(), *band, y.to_bits())));
    }
    // Only repeated margin text needs the body read to tell furniture from content.
    let content = (!repeated.is_empty()).then(|| {
        let keys: HashSet<&str> = repeated.iter().map(|(key, _, _)| key.as_str()).collect();
        MarginContent::of(&pages, &keys, threshold, band_of)
    });
    let running = |key: String, band: Band, p: usize, y: f32| {
        key.len() > 1
            && content.as_ref().is_none_or(|c| !c.keeps(&key, p, y, threshold))
            && repeated.contains(&(key, band, y.to_bits()))
    };
    pages
        .into_iter()
        .enumerate()
        .map(|(p, (blocks, height))| {
            let mut out = Vec::with_capacity(blocks.len());
            for mut block in blocks {
                for line in &mut block.lines {
                    let outermost = line.y == outer[p].0 || line.y == outer[p].1;
                    if outermost && page_number(&line.text, p) {
                        line.text.clear();
                        continue;
                    }
                    let band = band_of(line.y, height);
                    if band == Band::Body {
                        continue;
                    }
                    let kept: Vec<&str> = line
                        .text
                        .split('\t')
                        .filter(|cell| {
                            let key = furniture_key(cell);
                            if is_page_number(&key) {
                                return !page_number(cell, p);
                            }
                            !running(key, band, p, line.y)
                        })
                        .collect();
                    line.text = kept.join("\t");
                }
                block.lines.retain(|l| !l.text.is_empty());
                if !block.lines.is_empty() {
                    out.push(block);
                }
            }
            out
        })
        .collect()
}

/// What the body says about a document's repeated margin text (see [`remove_furniture`]).
struct MarginContent {
    /// The document is a form or template (see [`TEMPLATE_SHARE`]).
    template: bool,
    /// On how many pages each repeated margin key stands in the body.
    body_pages: HashMap<String, usize>,
    /// Per page, the baselines of the margin lines the body goes on into (see [`attached_to_body`]).
    attached: Vec<HashSet<u32>>,
}

impl MarginContent {
    fn of(
        pages: &[(Vec<LaidBlock>, f32)],
        keys: &HashSet<&str>,
        threshold: usize,
        band_of: impl Fn(f32, f32) -> Band,
    ) -> MarginContent {
        // Where each body cell stands, by its text; and the pages on which each margin key stands
        // in the body.
        let mut body_text: HashMap<&str, Vec<(usize, f32)>> = HashMap::new();
        let mut key_pages: HashMap<String, HashSet<usize>> = HashMap::new();
        let mut attached = Vec::with_capacity(pages.len());
        for (p, (blocks, height)) in pages.iter().enumerate() {
            let lines = || blocks.iter().flat_map(|b| &b.lines);
            let mut bands: Vec<(f32, f32, Band)> =
                lines().map(|l| (l.y, l.size, band_of(l.y, *height))).collect();
            attached.push(attached_to_body(&mut bands));
            for line in lines().filter(|l| band_of(l.y, *height) == Band::Body) {
                for cell in line.text.split('\t') {
                    body_text.entry(cell.trim()).or_default().push((p, line.y));
                    let key = furniture_key(cell);
                    if keys.contains(key.as_str()) {
                        key_pages.entry(key).or_default().insert(p);
                    }
                }
            }
        }
        let body_cells: usize = body_text.values().map(Vec::len).sum();
        let body_repeated: usize =
            body_text.values_mut().map(|places| repeated_baselines(places, threshold).len()).sum();
        MarginContent {
            template: body_cells > 0 && body_repeated as f32 >= TEMPLATE_SHARE * body_cells as f32,
            body_pages: key_pages.into_iter().map(|(key, on)| (key, on.len())).collect(),
            attached,
        }
    }

    /// Whether the margin cell of `key` at baseline `y` of page `p` is content, not furniture.
    fn keeps(&self, key: &str, p: usize, y: f32, threshold: usize) -> bool {
        self.template
            || self.attached.get(p).is_some_and(|a| a.contains(&y.to_bits()))
            || self.body_pages.get(key).copied().unwrap_or(0) >= threshold
    }
}

/// Words that occur inside lines (not split at a line end), lower-cased: the evidence for how a word
/// broken at a line end is spelt.
fn vocabulary(pages: &[Vec<LaidBlock>]) -> HashSet<String> {
    let mut words = HashSet::new();
    for line in pages.iter().flatten().flat_map(|b| &b.lines) {
        let tokens: Vec<&str> = line.text.split_whitespace().collect();
        for (i, t) in tokens.iter().enumerate() {
            if i + 1 < tokens.len() || !t.ends_with('-') {
                words.insert(trim_punct(t).to_lowercase());
            }
        }
    }
    words
}

fn is_url(word: &str) -> bool {
    word.contains("://") || word.starts_with("www.")
}

fn trim_punct(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
}

/// The longest word (or URL) a line-end join looks at, in bytes.
const MAX_WORD_BYTES: usize = 1024;

/// Words after which a line-end hyphen is a suspended compound ("hälso- och sjukvård"), not a break.
const CONJUNCTIONS: [&str; 8] = ["och", "eller", "samt", "respektive", "resp.", "som", "till", "and"];

/// The hyphens a word broken at a line end may end with: the ASCII hyphen-minus, U+2010 HYPHEN and
/// U+2011 NON-BREAKING HYPHEN (a soft hyphen is already a hyphen-minus there, see [`normalize`]).
const HYPHENS: [char; 3] = ['-', '\u{2010}', '\u{2011}'];

/// How a word broken at a line end after `left_word` (its hyphen removed) goes on with `right_word`:
/// `None` when it is no break (the next word is a conjunction, as in "hälso- och sjukvård", or starts
/// with no letter, or the left part ends in no letter); otherwise whether the hyphen stays (after an
/// acronym, or when the document spells the word with a hyphen and never without, or before a
/// capital). After a capitalised part, a capital goes on the word in running text ("Schwarz-Weiß",
/// "EU-Kommissionen") but starts an entry of its own in a table cell, so there it is no break unless
/// `capital_goes_on`.
fn broken_word(
    left_word: &str,
    right_word: &str,
    vocabulary: &HashSet<String>,
    capital_goes_on: bool,
) -> Option<bool> {
    if !left_word.chars().last().is_some_and(char::is_alphabetic) {
        return None;
    }
    let right_core = trim_punct(right_word);
    let first = right_core.chars().next();
    if first.is_some_and(char::is_uppercase) {
        // Only a capitalised left part makes such a compound; a lower-case one ("respec-") broken
        // before a capital is followed by some other line.
        let capitalised = trim_punct(left_word).chars().next().is_some_and(char::is_uppercase);
        return (capital_goes_on && capitalised).then_some(true);
    }
    if first.is_none_or(|c| !c.is_lowercase()) || CONJUNCTIONS.contains(&right_core) {
        return None;
    }
    let acronym = left_word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    let hyphenated = format!("{}-{}", trim_punct(left_word), right_core).to_lowercase();
    let joined = format!("{}{}", trim_punct(left_word), right_core).to_lowercase();
    Some(acronym || (vocabulary.contains(&hyphenated) && !vocabulary.contains(&joined)))
}

/// Resolve the [`CELL_LINE_BREAK`]s the layout left in table cells: a word broken there is joined (by
/// the rules of [`broken_word`]), any other becomes a space. One pass over each line.
fn join_cell_breaks(pages: &mut [Vec<LaidBlock>], vocabulary: &HashSet<String>) {
    for line in pages.iter_mut().flatten().flat_map(|b| b.lines.iter_mut()) {
        if !line.text.contains(CELL_LINE_BREAK) {
            continue;
        }
        let mut out = String::with_capacity(line.text.len());
        let mut parts = line.text.split(CELL_LINE_BREAK);
        out.push_str(parts.next().unwrap_or(""));
        for part in parts {
            let left_word = out.rsplit([' ', '\t']).next().unwrap_or("");
            let left_word = left_word.strip_suffix(HYPHENS).unwrap_or(left_word);
            let right_word = part.split([' ', '\t']).next().unwrap_or("");
            match broken_word(left_word, right_word, vocabulary, false) {
                Some(true) => {}
                Some(false) => {
                    out.pop();
                }
                None => out.push(' '),
            }
            out.push_str(part);
        }
        line.text = out;
    }
}

/// Join words hyphenated at a line end, within a block, from a block to the next on its page (the
/// hyphen is the evidence that the text goes on), and from the last block of a page to the first of
/// the next. A table row's last cell may end in a broken word that the next paragraph goes on with;
/// nothing is joined into a table row. A hyphen stays when it is a real one: before a conjunction,
/// after an acronym or digit, before a capital, or when the document spells the word with a hyphen
/// elsewhere.
fn dehyphenate(pages: &mut [Vec<LaidBlock>], vocabulary: &HashSet<String>) {
    // Visit consecutive line pairs in reading order: (page, block, line) addresses.
    let mut addresses = Vec::new();
    for (p, blocks) in pages.iter().enumerate() {
        for (b, block) in blocks.iter().enumerate() {
            for l in 0..block.lines.len() {
                addresses.push((p, b, l));
            }
        }
    }
    // The last line that still has text: a line emptied by a join passes its role on.
    let mut previous: Option<(usize, usize, usize)> = None;
    for &(p2, b2, l2) in &addresses {
        let Some((p1, b1, l1)) = previous.replace((p2, b2, l2)) else { continue };
        if pages[p2][b2].role == Role::TableRow {
            continue;
        }
        // Across blocks only to the next block, on the page or from a page's last block to the next
        // page's first.
        let next_block = p1 == p2 && b2 == b1 + 1;
        if (p1, b1) != (p2, b2) && !next_block && !(p2 == p1 + 1 && b1 + 1 == pages[p1].len() && b2 == 0) {
            continue;
        }
        let left_line = &pages[p1][b1].lines[l1].text;
        // A line's last word is looked for within its last MAX_WORD_BYTES only: a "word" longer than
        // that (hostile lines of "a-", each joined to the one before) is no word to join, and must not
        // be scanned again for every line it grows by.
        let mut tail_start = left_line.len().saturating_sub(MAX_WORD_BYTES);
        while !left_line.is_char_boundary(tail_start) {
            tail_start += 1;
        }
        let tail = &left_line[tail_start..];
        if tail_start > 0 && !tail.contains(' ') {
            continue;
        }
        let last_word = tail.rsplit(' ').next().unwrap_or(tail);
        let url_break = is_url(last_word) && (last_word.ends_with('/') || last_word.ends_with('-'));
        if url_break && next_block {
            continue;
        }
        let Some(stem) = left_line.strip_suffix(HYPHENS).or(url_break.then_some(left_line.as_str())) else {
            continue;
        };
        let left_word = if url_break { last_word } else { stem.rsplit([' ', '\t']).next().unwrap_or(stem) };
        if !url_break && !left_word.chars().last().is_some_and(char::is_alphabetic) {
            continue;
        }
        let right_text = pages[p2][b2].lines[l2].text.clone();
        if is_url(left_word) {
            // A URL broken at a line end continues on the next line, whatever it ends with.
            let right_word = right_text.split(' ').next().unwrap_or("").to_string();
            pages[p1][b1].lines[l1].text.push_str(&right_word);
            pages[p2][b2].lines[l2].text = right_text[right_word.len()..].trim_start().to_string();
            if pages[p2][b2].lines[l2].text.is_empty() {
                previous = Some((p1, b1, l1));
            }
            continue;
        }
        let right_word = right_text.split(' ').next().unwrap_or("");
        let Some(keep_hyphen) = broken_word(left_word, right_word, vocabulary, (p1, b1) == (p2, b2)) else {
            continue;
        };
        let rest = right_text[right_word.len()..].trim_start().to_string();
        let left = &mut pages[p1][b1].lines[l1].text;
        if !keep_hyphen {
            left.pop();
        }
        left.push_str(right_word);
        pages[p2][b2].lines[l2].text = rest;
        if pages[p2][b2].lines[l2].text.is_empty() {
            previous = Some((p1, b1, l1));
        }
    }
}

#[cfg(test)]
mod page_tests {
    use super::*;
    use crate::extract::layout::LaidLine;

    fn line(text: &str, y: f32) -> LaidLine {
        LaidLine { text: text.into(), x0: 50.0, x1: 300.0, y, size: 10.0, bold: false }
    }

    fn para(lines: &[(&str, f32)]) -> LaidBlock {
        LaidBlock { role: Role::Paragraph, lines: lines.iter().map(|(t, y)| line(t, *y)).collect() }
    }

    fn text(pages: &[Page]) -> Vec<String> {
        pages.iter().flat_map(|p| &p.blocks).map(|b| b.text()).collect()
    }

    #[test]
    fn hyphens_join_unless_real() {
        let pages = vec![(
            vec![para(&[
                ("arbetet med jämställdhets-", 700.0),
                ("integrering i hälso-", 688.0),
                ("och sjukvården och SKL-", 676.0),
                ("satsningar.", 664.0),
            ])],
            842.0,
        )];
        assert_eq!(
            text(&clean_pages(pages)),
            ["arbetet med jämställdhetsintegrering i hälso- och sjukvården och SKL-satsningar."]
        );
        // Before a capital the hyphen is the word's own, and the word goes on without a space.
        let pages =
            vec![(vec![para(&[("gerne in A5 (Schwarz-", 700.0), ("Weiß, Ringbindung)", 688.0)])], 842.0)];
        assert_eq!(text(&clean_pages(pages)), ["gerne in A5 (Schwarz-Weiß, Ringbindung)"]);
    }

    #[test]
    fn running_headers_and_page_numbers_go() {
        let body = ["Inledning.", "Mål och uppdrag.", "Uppföljning."];
        let page = |n: usize| {
            (
                vec![
                    para(&[("Resultatrapport 2018", 810.0)]),
                    para(&[(body[n - 1], 700.0)]),
                    para(&[(&format!("Sida {n} av 3"), 30.0)]),
                ],
                842.0,
            )
        };
        let pages = clean_pages(vec![page(1), page(2), page(3)]);
        assert_eq!(text(&pages), body);
    }

    #[test]
    fn urls_broken_at_a_line_end_join_without_space() {
        let pages = vec![(
            vec![para(&[
                ("se https://www.bra.se/statistik/", 700.0),
                ("brott-och-", 688.0),
                ("straff.html nu", 676.0),
            ])],
            842.0,
        )];
        assert_eq!(text(&clean_pages(pages)), ["se https://www.bra.se/statistik/brott-och-straff.html nu"]);
    }

    #[test]
    fn a_page_number_below_footnotes_goes() {
        let page = |n: u32| {
            (
                vec![
                    para(&[("Brödtext.", 700.0)]),
                    para(&[("1 En fotnot.", 200.0)]),
                    para(&[(&format!("{}", n + 4), 180.0)]),
                ],
                842.0,
            )
        };
        assert_eq!(text(&clean_pages(vec![page(1), page(2)])), ["Brödtext.", "1 En fotnot."].repeat(2));
    }

    #[test]
    fn numbers_that_form_no_page_sequence_stay() {
        // A chart's axis ticks in the bottom band, the same on every page, and a one-page document's
        // number other than its own: neither runs n, n+1, … across pages.
        let page = || {
            (vec![para(&[("Diagram", 700.0)]), para(&[("0\t50\t100", 60.0)]), para(&[("2020", 40.0)])], 842.0)
        };
        assert_eq!(
            text(&clean_pages(vec![page(), page(), page()])),
            ["Diagram", "0\t50\t100", "2020"].repeat(3)
        );
        let single = vec![(vec![para(&[("Brödtext.", 700.0)]), para(&[("7", 30.0)])], 842.0)];
        assert_eq!(text(&clean_pages(single)), ["Brödtext.", "7"]);
        // A page number that names the page count is one by its form.
        let single = vec![(vec![para(&[("Brödtext.", 700.0)]), para(&[("Sida 1 av 1", 30.0)])], 842.0)];
        assert_eq!(text(&clean_pages(single)), ["Brödtext."]);
        let single = vec![(vec![para(&[("Brödtext.", 700.0)]), para(&[("1", 30.0)])], 842.0)];
        assert_eq!(text(&clean_pages(single)), ["Brödtext."]);
    }

    #[test]
    fn transcript_line_numbers_stay() {
        // Line numbers 1–25 down every page, the first and last few in the margin bands.
        let page = || {
            let lines: Vec<(String, f32)> =
                (1..=25).map(|k| (format!("{k}"), 830.0 - 32.0 * (k - 1) as f32)).collect();
            let lines: Vec<(&str, f32)> = lines.iter().map(|(t, y)| (t.as_str(), *y)).collect();
            (vec![para(&lines)], 842.0)
        };
        let pages = clean_pages(vec![page(), page(), page(), page()]);
        let words: usize = text(&pages).iter().map(|t| t.split_whitespace().count()).sum();
        assert_eq!(words, 100);
    }

    #[test]
    fn a_table_running_into_the_margin_band_stays_and_the_header_above_it_goes() {
        // A report's table fills each page to its foot: its rows in the bottom band repeat at the same
        // heights (dates, "Layoff"), but as often in the body above; the running header does not.
        let companies = ["Acme", "Bolaget", "Cirkus", "Dala", "Ekdal", "Fjäll"];
        let page = |n: usize| {
            let mut blocks = vec![para(&[("WARN Report", 810.0)])];
            for (i, y) in [700.0, 500.0, 300.0, 60.0, 40.0].into_iter().enumerate() {
                let name = companies[(n + i) % companies.len()];
                blocks.push(LaidBlock {
                    role: Role::TableRow,
                    lines: vec![line(&format!("0{n}/1{i}/2020\t{name} {n}{i}\tLayoff"), y)],
                });
            }
            (blocks, 842.0)
        };
        let pages = clean_pages((1..=4).map(page).collect());
        let lines = text(&pages);
        assert_eq!(lines.len(), 20, "{lines:?}");
        assert!(lines.iter().all(|l| l.ends_with("\tLayoff") && !l.contains("WARN")), "{lines:?}");
    }

    #[test]
    fn column_headings_in_the_top_band_stay_and_the_running_header_above_them_goes() {
        // A rate table on every page: its headings (in the top band, the same on every page) sit a
        // line above its rows; the running header stands apart.
        let page = |n: u32| {
            let row = |text: String, y: f32| LaidBlock { role: Role::TableRow, lines: vec![line(&text, y)] };
            let mut blocks = vec![para(&[("Bank AB, räntor", 820.0)])];
            blocks.push(row("Lån\tRänta\tEffektiv ränta".into(), 772.0));
            for (i, y) in [760.0, 748.0, 736.0].into_iter().enumerate() {
                blocks.push(row(format!("Lån {n}{i}\t{n}.{i}0 %\t{n}.{i}5 %"), y));
            }
            (blocks, 842.0)
        };
        let lines = text(&clean_pages((1..=3).map(page).collect()));
        assert_eq!(lines.len(), 12, "{lines:?}");
        assert_eq!(lines[..2], ["Lån\tRänta\tEffektiv ränta", "Lån 10\t1.00 %\t1.05 %"]);
        assert!(!lines.iter().any(|l| l.contains("Bank AB")), "{lines:?}");
    }

    #[test]
    fn a_form_template_repeated_in_the_body_stays() {
        let page = |n: u32| {
            (
                vec![
                    para(&[("Lönespecifikation", 810.0)]),
                    para(&[("Bruttolön\tSkatt\tNettolön", 600.0)]),
                    para(&[(&format!("{n}00\t{n}0\t{n}"), 588.0)]),
                    para(&[(&format!("{n}"), 30.0)]),
                ],
                842.0,
            )
        };
        // The form's title repeats in the top band, but so does the body: it is the form's, and stays.
        // The page numbers go.
        let pages = clean_pages(vec![page(1), page(2), page(3)]);
        assert_eq!(text(&pages)[..3], ["Lönespecifikation", "Bruttolön\tSkatt\tNettolön", "100\t10\t1"]);
        assert_eq!(text(&pages).len(), 9);
    }

    #[test]
    fn words_broken_in_table_cells_and_between_blocks_join() {
        let row = |t: &str, y: f32| LaidBlock { role: Role::TableRow, lines: vec![line(t, y)] };
        let pages = vec![(
            vec![
                // A cell's wrapped lines, as the layout joins them; a cell break before a conjunction.
                row("förekomst\tobservationer har dokumen-\u{2028}terats i samebyn", 700.0),
                row("Hälso-\u{2028}och sjukvård\tgrund-\u{2028}Utbildning", 680.0),
                // A margin label beside a paragraph's first line, which goes on below it.
                row("NFS 2007:10\tgrundutbildning och vida-", 640.0),
                para(&[("reutbildning för länsstyrelsen och tele\u{2010}", 628.0)]),
                para(&[("fonräkningar.", 600.0)]),
            ],
            842.0,
        )];
        assert_eq!(
            text(&clean_pages(pages)),
            [
                "förekomst\tobservationer har dokumenterats i samebyn",
                "Hälso- och sjukvård\tgrund- Utbildning",
                "NFS 2007:10\tgrundutbildning och vidareutbildning",
                "för länsstyrelsen och telefonräkningar.",
            ]
        );
    }

    #[test]
    fn a_word_spelt_with_a_hyphen_elsewhere_keeps_it() {
        let pages = vec![(vec![para(&[("om gap-analyser och gap-", 700.0), ("analyser", 688.0)])], 842.0)];
        assert_eq!(text(&clean_pages(pages)), ["om gap-analyser och gap-analyser"]);
    }
}
