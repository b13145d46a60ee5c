//! Page layout: placed glyphs → words → lines → blocks, in reading order.
//!
//! Pure geometry, with no PDF types, so it is tested on synthetic glyphs. Every threshold is a multiple
//! of the font size (DESIGN-NOTES §1.5): a forward gap above [`WORD_GAP`] em is a space, a gap above
//! [`CELL_GAP`] em splits a line into cells (table columns), baselines within [`SAME_LINE`] em share a
//! line. Coordinates are PDF user space after the page's own transform: y grows upwards, units are
//! points.
//!
//! Invariant: a [`LaidLine`]'s text never starts or ends with a space, and cells of a table row are
//! separated by exactly one tab. Inside a cell, [`CELL_LINE_BREAK`] marks a wrapped line ending in a
//! hyphen.
//!
//! Every step is at most O(n log n) in the page's glyphs and lines, whatever the input: sorting and
//! binary search, never a scan per pair of lines or cells; the few searches that could grow with a
//! product (columns across runs of lines, cells against columns) are capped at sizes no real page
//! reaches ([`MAX_COLUMN_RUN`], [`MAX_COLUMN_WORDS`], [`MAX_CELL_PAIRS`]). It never fails and never
//! panics on any glyphs.
//!
//! Set `ARKIV_DEBUG_LAYOUT=1` to print each page's lines (baseline, size, cells with their left edges)
//! to standard error: the quickest way to see why a page reads as it does. `ARKIV_DEBUG_GLYPHS=1` prints
//! the glyphs the layout receives (origin, advance, size, quarter turns, text), in stream order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::LazyLock;

use compact_str::CompactString;

use crate::extract::{layers, Role};

/// A forward gap wider than this many em between two glyphs is a word space.
const WORD_GAP: f32 = 0.12;
/// A forward gap wider than this many em splits a line into separate cells.
const CELL_GAP: f32 = 1.9;
/// Baselines closer than this many em are one line.
const SAME_LINE: f32 = 0.3;
/// The em [`SAME_LINE`] counts in is at most this many times the smaller of the two sizes.
const MAX_SIZE_RATIO: f32 = 2.0;

/// Whether baselines `dy` apart, of text in sizes `a` and `b`, are one line: within [`SAME_LINE`] of
/// the larger size, but at most twice the smaller, so that a letter of 99 pt (a drop cap, a figure's
/// label) does not gather the lines of 10-pt text beside it.
pub(crate) fn one_line(dy: f32, a: f32, b: f32) -> bool {
    dy.abs() <= SAME_LINE * a.max(b).min(MAX_SIZE_RATIO * a.min(b))
}

/// One shown glyph, as the interpreter places it.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub text: CompactString,
    /// Origin on the baseline, in points.
    pub x: f32,
    pub y: f32,
    /// Advance along the baseline, in points.
    pub width: f32,
    /// Font size on the page, in points.
    pub size: f32,
    pub bold: bool,
    /// Baseline direction in quarter turns counter-clockwise (0 = normal).
    pub rotation: u8,
    /// What the baseline turns beyond `rotation`, in radians (a scan set slightly askew).
    pub skew: f32,
    /// Place in the page's drawing order. [`layout_page`] numbers the glyphs it is given, so whoever
    /// makes a glyph leaves this 0.
    pub(crate) order: u32,
}

#[cfg(test)]
impl Glyph {
    /// An upright, regular glyph of `size` at `(x, y)`, half an em wide: what tests build pages of.
    pub(crate) fn plain(text: &str, x: f32, y: f32, size: f32) -> Glyph {
        Glyph {
            text: text.into(),
            x,
            y,
            width: 0.5 * size,
            size,
            bold: false,
            rotation: 0,
            skew: 0.0,
            order: 0,
        }
    }
}

/// An affine map `[a b c d e f]`, taking `(x, y)` to `(a·x + c·y + e, b·x + d·y + f)`, as PDF writes
/// matrices: how the PDF interpreter places glyphs and images, and how OCR places recognised words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affine(pub [f32; 6]);

impl Affine {
    pub const IDENTITY: Affine = Affine([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    pub fn new(m: [f32; 6]) -> Affine {
        Affine(m)
    }

    pub fn translate(tx: f32, ty: f32) -> Affine {
        Affine([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    /// `self × other`: apply `self` first, then `other`.
    pub fn then(&self, other: &Affine) -> Affine {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Affine([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    /// The point `(x, y)` mapped.
    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    pub fn coefficients(&self) -> [f32; 6] {
        self.0
    }
}

/// A printed line (or, in a table, a row) with its geometry.
#[derive(Debug, Clone, PartialEq)]
pub struct LaidLine {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Baseline.
    pub y: f32,
    pub size: f32,
    pub bold: bool,
}

/// Lines that belong together: a paragraph, a list item or a table row.
#[derive(Debug, Clone, PartialEq)]
pub struct LaidBlock {
    pub role: Role,
    pub lines: Vec<LaidLine>,
}

/// A line's pieces separated by wide gaps.
#[derive(Debug, Clone)]
struct Cell {
    text: String,
    x0: f32,
    x1: f32,
    /// Where each word after the first starts: (x, byte offset in `text`, gap before it).
    word_starts: Vec<(f32, usize, f32)>,
    /// The producer drew one space character right before this word: the gap before it is a word space,
    /// however wide (justified text), never a gap between table cells.
    spaced: bool,
    /// Glyphs drawn into this word (a lone glyph may be a letter of a letter-spaced word); only
    /// meaningful before words are grouped into cells.
    glyphs: usize,
    /// The first and last of its glyphs in drawing order ([`Glyph::order`]).
    drawn: Drawn,
    /// Its type, so that the part of a line on each side of a column gutter has its own size and
    /// weight (a heading beside a body line on the same baseline).
    style: Style,
}

/// How much of some text is set in which size and weight: a cell's, or a line part's.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Style {
    /// The size of the cell's first glyph (a word is set in one size).
    size: f32,
    chars: u32,
    bold_chars: u32,
}

impl Style {
    const NONE: Style = Style { size: 0.0, chars: 0, bold_chars: 0 };

    fn of(g: &Glyph) -> Style {
        let chars = u32::try_from(g.text.chars().count()).unwrap_or(u32::MAX);
        Style { size: g.size, chars, bold_chars: if g.bold { chars } else { 0 } }
    }

    fn add(&mut self, more: Style) {
        if self.chars == 0 {
            self.size = more.size;
        }
        self.chars = self.chars.saturating_add(more.chars);
        self.bold_chars = self.bold_chars.saturating_add(more.bold_chars);
    }
}

/// The span of drawing order that some glyphs take up.
#[derive(Debug, Clone, Copy)]
struct Drawn {
    first: u32,
    last: u32,
}

impl Drawn {
    const NONE: Drawn = Drawn { first: u32::MAX, last: 0 };

    fn of(g: &Glyph) -> Drawn {
        Drawn { first: g.order, last: g.order }
    }

    fn add(&mut self, other: Drawn) {
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
    }

    /// Whether all of one span was drawn before all of the other.
    fn apart(self, other: Drawn) -> bool {
        self.last < other.first || other.last < self.first
    }
}

impl Cell {
    fn new(text: &str, x0: f32, x1: f32, drawn: Drawn) -> Cell {
        Cell {
            text: text.to_string(),
            x0,
            x1,
            word_starts: Vec::new(),
            spaced: false,
            glyphs: 1,
            drawn,
            style: Style::NONE,
        }
    }

    /// Split before the `k`th word after the first; the right part is returned.
    fn split_before(&mut self, k: usize) -> Option<Cell> {
        let (wx, offset, _) = *self.word_starts.get(k)?;
        let right_text = self.text.get(offset..)?.trim().to_string();
        let left_text = self.text.get(..offset)?.trim().to_string();
        let shift = offset;
        let right_starts = self.word_starts[k + 1..].iter().map(|&(x, o, g)| (x, o - shift, g)).collect();
        let right = Cell {
            text: right_text,
            x0: wx,
            x1: self.x1,
            word_starts: right_starts,
            spaced: false,
            glyphs: 0,
            drawn: self.drawn,
            style: self.style,
        };
        self.word_starts.truncate(k);
        self.text = left_text;
        Some(right)
    }
}

#[derive(Debug, Clone)]
struct RawLine {
    cells: Vec<Cell>,
    y: f32,
    size: f32,
    /// The em of the line's gaps between glyphs: its size, narrowed for type set far narrower than its
    /// size (see [`advance_scale`]).
    gap_em: f32,
    bold: bool,
}

/// Stands between a table cell's wrapped lines where the first ends in a hyphen, so that the clean-up
/// can join a word broken there (and make it a space otherwise). No other text of a [`LaidLine`] holds
/// it: the clean-up removes every one.
pub(crate) const CELL_LINE_BREAK: char = '\u{2028}';

/// The debugging dumps of the module documentation, asked for once per process rather than on every page
/// (reading the environment takes a lock).
static DEBUG_GLYPHS: LazyLock<bool> = LazyLock::new(|| std::env::var_os("ARKIV_DEBUG_GLYPHS").is_some());
static DEBUG_LAYOUT: LazyLock<bool> = LazyLock::new(|| std::env::var_os("ARKIV_DEBUG_LAYOUT").is_some());

/// A glyph text that makes [`layout_page`] panic, in unit tests only.
#[cfg(test)]
pub(crate) const PANIC_TRIGGER: &str = "arkiv-test-panic-in-layout";

/// Lay out one page's glyphs into blocks in reading order.
pub fn layout_page(mut glyphs: Vec<Glyph>) -> Vec<LaidBlock> {
    // Unit tests inject a bug here to prove that a panic in arkiv's own code is not caught and
    // misreported as a damaged file.
    #[cfg(test)]
    if glyphs.iter().any(|g| g.text == PANIC_TRIGGER) {
        panic!("injected panic in layout_page");
    }
    for (k, g) in glyphs.iter_mut().enumerate() {
        g.order = u32::try_from(k).unwrap_or(u32::MAX);
    }
    if *DEBUG_GLYPHS {
        for g in &glyphs {
            eprintln!(
                "{:8.2} {:8.2} w{:6.2} s{:5.1} r{} {:?}",
                g.x,
                g.y,
                g.width,
                g.size,
                g.rotation,
                g.text.as_str()
            );
        }
    }
    let askew = |glyphs: &[Glyph]| {
        let skew = median_skew(glyphs);
        glyphs.iter().any(|g| (g.skew - skew).abs() > ASKEW)
    };
    if glyphs.iter().all(|g| g.rotation == 0) && !askew(&glyphs) {
        return blocks_from_lines(lines(deskew(glyphs)));
    }
    // Rotated text is laid out in its own frame, after the upright text.
    let mut groups: [Vec<Glyph>; 4] = Default::default();
    for mut g in glyphs {
        let rotation = g.rotation % 4;
        (g.x, g.y) = unrotate(g.x, g.y, rotation);
        groups[rotation as usize].push(g);
    }
    groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .flat_map(by_direction)
        .flat_map(|g| blocks_from_lines(lines(deskew(g))))
        .collect()
}

/// A glyph whose baseline turns more than this (in radians, 10°) from the rest of its quarter turn's
/// is set in a direction of its own (a diagonal label, a stamp).
const ASKEW: f32 = 0.17;

/// Split one quarter turn's glyphs by baseline direction: those near the group's usual direction (a
/// scan's slight skew included) first, then those set at other angles, in 10° steps, each laid out in
/// its own frame so that they form lines of their own, never letters spread over the upright lines.
fn by_direction(glyphs: Vec<Glyph>) -> Vec<Vec<Glyph>> {
    let skew = median_skew(&glyphs);
    if glyphs.iter().all(|g| (g.skew - skew).abs() <= ASKEW) {
        return vec![glyphs];
    }
    let mut usual = Vec::new();
    let mut others: std::collections::BTreeMap<i32, Vec<Glyph>> = std::collections::BTreeMap::new();
    for g in glyphs {
        if (g.skew - skew).abs() <= ASKEW || !g.skew.is_finite() {
            usual.push(g);
        } else {
            others.entry((g.skew / ASKEW).round() as i32).or_default().push(g);
        }
    }
    std::iter::once(usual).chain(others.into_values()).filter(|g| !g.is_empty()).collect()
}

fn median_skew(glyphs: &[Glyph]) -> f32 {
    median(&mut glyphs.iter().map(|g| g.skew).filter(|s| s.is_finite()).collect::<Vec<_>>())
}

/// Turn glyphs whose baselines share a small skew (the text layer of a scan set slightly askew) back to
/// level, so that a line's baseline does not drift across the tolerance of [`SAME_LINE`].
fn deskew(mut glyphs: Vec<Glyph>) -> Vec<Glyph> {
    let skew = median_skew(&glyphs);
    if skew.abs() < 0.001 {
        return glyphs;
    }
    let (sin, cos) = (-skew).sin_cos();
    for g in &mut glyphs {
        (g.x, g.y) = (g.x * cos - g.y * sin, g.x * sin + g.y * cos);
    }
    glyphs
}

fn unrotate(x: f32, y: f32, quarter_turns: u8) -> (f32, f32) {
    match quarter_turns {
        1 => (y, -x),
        2 => (-x, -y),
        3 => (-y, x),
        _ => (x, y),
    }
}

/// Group glyphs into lines by baseline, attach super- and subscripts, and split each line into words and
/// cells.
fn lines(mut glyphs: Vec<Glyph>) -> Vec<RawLine> {
    glyphs.retain(|g| g.x.is_finite() && g.y.is_finite() && g.size.is_finite() && g.size > 0.0);
    // Text drawn over other text forms lines of its own, and text drawn twice counts once (in stream
    // order, before the sort below forgets it).
    let layers = layers::layers(&glyphs);
    let mut glyphs: Vec<(u8, Glyph)> =
        layers.into_iter().zip(glyphs).filter_map(|(layer, g)| Some((layer?, g))).collect();
    glyphs.sort_by(|(_, a), (_, b)| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut groups: Vec<Vec<Glyph>> = Vec::new();
    // Per layer, the open group, the largest size in it and its baseline, kept as glyphs join it: a
    // glyph joins by its distance from the line's body, not from a smaller raised letter that happened
    // to come first (the small raised "A" of the LaTeX logo would part the lowered "E" from its line).
    let mut open: [Option<(usize, f32, f32)>; layers::MAX_LAYERS] = [None; layers::MAX_LAYERS];
    for (layer, g) in glyphs {
        let slot = &mut open[(layer as usize).min(layers::MAX_LAYERS - 1)];
        if let Some((index, group_size, baseline)) = slot {
            if let Some(group) =
                groups.get_mut(*index).filter(|_| one_line(*baseline - g.y, *group_size, g.size))
            {
                // Only clearly larger type after a raised letter or two is the body they were raised
                // above: glyphs of about one size must not walk the baseline down line by line, and
                // a label of a few letters over a larger one stays its own line.
                if group.len() <= 2 && g.size > BODY_OVER_SCRIPT * *group_size {
                    *baseline = g.y;
                }
                *group_size = group_size.max(g.size);
                group.push(g);
                continue;
            }
        }
        *slot = Some((groups.len(), g.size, g.y));
        groups.push(vec![g]);
    }
    attach_scripts(&mut groups);
    let mut word_lines: Vec<RawLine> = groups.into_iter().filter_map(build_line).collect();
    join_letter_spaced(&mut word_lines);
    read_columns(word_lines).into_iter().map(join_cells).collect()
}

/// Type this many times larger than a line's first glyph or two is the line's body, and its baseline
/// the line's (see [`lines`]).
const BODY_OVER_SCRIPT: f32 = 1.2;

/// A run of at least this many lone letters, each further from the next than a word gap, may be
/// letter-spaced text (a heading set with wide tracking): fewer are single-letter words.
const MIN_SPACED_RUN: usize = 4;
/// A glyph whose start, centre or end lies within this many em of one on the line above or below is
/// aligned with it (a grid computes the same positions; type set by eye does not).
const ALIGNED: f32 = 0.03;

/// Join letter-spaced words: the letters of a heading set with wide tracking stand further apart than
/// a word gap, so that [`build_line`] makes each a word of its own. A run of such lone letters is one
/// word or several when
/// - its letter gaps are narrower than the letters themselves (tracking is a fraction of the letters'
///   advance; glyphs further apart than their own width are separate, as in a comb field or a table of
///   characters),
/// - they are narrower than the line's word spaces next to ordinary words (else the letters are
///   single-letter words), and
/// - its letters do not line up with the glyphs on the line above or below (a grid of glyphs, one a
///   table cell, is laid out by computed positions; tracked text is not).
///
/// Inside a run, a gap wider than the typical letter gap plus 0.15 em, or one where the producer drew a
/// space, separates words. Only letters and digits form runs, lone or (where kerning closed a gap) in
/// twos and threes, at least two in three lone, so punctuation (leader dots, operators between the
/// terms of a formula) never does, nor a row of short words; the line's ordinary words, against whose
/// spaces the letter gaps are held, are its words of several glyphs outside the runs.
fn join_letter_spaced(lines: &mut [RawLine]) {
    // Lines by baseline from the top, for the neighbours above and below.
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| lines[b].y.total_cmp(&lines[a].y));
    let mut joins: Vec<(usize, Vec<SpacedRun>)> = Vec::new();
    for (p, &i) in order.iter().enumerate() {
        let line = &lines[i];
        let runs = spaced_runs(line);
        if runs.is_empty() {
            continue;
        }
        let neighbour = |steps: &mut dyn Iterator<Item = usize>| {
            steps
                .take(NEIGHBOUR_SEARCH)
                .filter_map(|q| order.get(q).map(|&j| &lines[j]))
                .find(|o| !one_line(o.y - line.y, line.size, o.size))
                .filter(|o| (o.y - line.y).abs() <= GRID_PITCH * line.size)
        };
        let above = neighbour(&mut (0..p).rev());
        let below = neighbour(&mut (p + 1..order.len()));
        let anchors: Vec<Anchors> = [above, below].into_iter().flatten().map(Anchors::of).collect();
        let tolerance = ALIGNED * line.size;
        let runs: Vec<SpacedRun> =
            runs.into_iter().filter(|r| !on_grid(&line.cells[r.start..r.end], &anchors, tolerance)).collect();
        if !runs.is_empty() {
            joins.push((i, runs));
        }
    }
    for (i, runs) in joins {
        let Some(line) = lines.get_mut(i) else { continue };
        let em = line.gap_em;
        let old = std::mem::take(&mut line.cells);
        let mut runs = runs.into_iter().peekable();
        for (k, cell) in old.into_iter().enumerate() {
            while runs.peek().is_some_and(|r| r.end <= k) {
                runs.next();
            }
            let inside = runs.peek().is_some_and(|r| r.start < k && k < r.end);
            let tracking = runs.peek().map_or(0.0, |r| r.tracking);
            match line.cells.last_mut() {
                Some(word) if inside && !cell.spaced && cell.x0 - word.x1 <= tracking + 0.15 * em => {
                    word.text.push_str(&cell.text);
                    word.x1 = word.x1.max(cell.x1);
                    word.glyphs += cell.glyphs;
                    word.drawn.add(cell.drawn);
                    word.style.add(cell.style);
                }
                _ => line.cells.push(cell),
            }
        }
    }
}

/// How many lines either way are looked at for the nearest line above or below (past lines drawn over
/// this one, at its own baseline).
const NEIGHBOUR_SEARCH: usize = 4;
/// Lines further apart than this many em are never rows of one grid.
const GRID_PITCH: f32 = 4.0;

/// Lone letters of a line that may be letter-spaced: cells `start..end`, with their typical gap.
#[derive(Debug, Clone, Copy)]
struct SpacedRun {
    start: usize,
    end: usize,
    tracking: f32,
}

/// A cell that may be part of a letter-spaced word: one letter or digit, or up to three that kerning
/// set closer than a word gap ("Ko" in "K o m m u n e r").
fn is_spaced_letter(cell: &Cell) -> bool {
    (1..=3).contains(&cell.glyphs)
        && cell.text.chars().next().is_some_and(char::is_alphanumeric)
        && cell.text.chars().all(|c| c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c))
}

/// The runs of `line` that pass the tests of [`join_letter_spaced`] that need no other line.
fn spaced_runs(line: &RawLine) -> Vec<SpacedRun> {
    let cells = &line.cells;
    let em = line.gap_em;
    let gap = |k: usize| cells[k + 1].x0 - cells[k].x1;
    let mut runs = Vec::new();
    let mut start = 0;
    while start < cells.len() {
        let mut end = start + 1;
        if is_spaced_letter(&cells[start]) {
            while end < cells.len() && is_spaced_letter(&cells[end]) && gap(end - 1) < CELL_GAP * em {
                end += 1;
            }
        }
        // Mostly lone letters: a run of two-letter words ("om en av de") is ordinary text.
        let lone = cells[start..end].iter().filter(|c| c.glyphs == 1).count();
        if lone >= MIN_SPACED_RUN && 3 * lone >= 2 * (end - start) {
            runs.push((start, end));
        }
        start = end;
    }
    if runs.is_empty() {
        return Vec::new();
    }
    // The line's word spaces: gaps next to an ordinary word (of several glyphs, outside the runs).
    let mut in_run = vec![false; cells.len()];
    for &(start, end) in &runs {
        in_run[start..end].iter_mut().for_each(|r| *r = true);
    }
    let ordinary = |k: usize| cells[k].glyphs > 1 && !in_run[k];
    let mut spaces: Vec<f32> = (0..cells.len().saturating_sub(1))
        .filter(|&k| (ordinary(k) || ordinary(k + 1)) && gap(k) < CELL_GAP * em)
        .map(gap)
        .collect();
    let space = (!spaces.is_empty()).then(|| median(&mut spaces));
    runs.into_iter()
        .filter_map(|(start, end)| {
            let mut gaps: Vec<f32> = (start..end - 1).filter(|&k| !cells[k + 1].spaced).map(gap).collect();
            if gaps.is_empty() {
                return None;
            }
            let tracking = median(&mut gaps);
            let mut advances: Vec<f32> =
                cells[start..end].iter().map(|c| (c.x1 - c.x0) / c.glyphs.max(1) as f32).collect();
            let advance = median(&mut advances);
            let narrower_than_spaces = space.is_none_or(|s| tracking < 0.8 * s);
            (tracking <= advance && narrower_than_spaces).then_some(SpacedRun { start, end, tracking })
        })
        .collect()
}

/// The middle of `xs` (the upper one of an even count); 0 for none.
fn median(xs: &mut [f32]) -> f32 {
    if xs.is_empty() {
        return 0.0;
    }
    let mid = xs.len() / 2;
    *xs.select_nth_unstable_by(mid, f32::total_cmp).1
}

/// The starts, centres and ends of a line's words, each sorted.
struct Anchors([Vec<f32>; 3]);

impl Anchors {
    fn of(line: &RawLine) -> Anchors {
        let mut sets = [
            line.cells.iter().map(|c| c.x0).collect::<Vec<_>>(),
            line.cells.iter().map(|c| (c.x0 + c.x1) / 2.0).collect(),
            line.cells.iter().map(|c| c.x1).collect(),
        ];
        for set in &mut sets {
            set.sort_by(f32::total_cmp);
        }
        Anchors(sets)
    }
}

/// Three in four of the letters line up, all by start, all by centre or all by end, with words of the
/// neighbouring lines: the run is a row of a grid of glyphs.
fn on_grid(letters: &[Cell], neighbours: &[Anchors], tolerance: f32) -> bool {
    let near = |set: &[f32], x: f32| {
        let k = set.partition_point(|&a| a < x - tolerance);
        set.get(k).is_some_and(|&a| a <= x + tolerance)
    };
    (0..3).any(|kind| {
        let aligned = letters
            .iter()
            .filter(|c| {
                let x = [c.x0, (c.x0 + c.x1) / 2.0, c.x1][kind];
                neighbours.iter().any(|n| near(&n.0[kind], x))
            })
            .count();
        aligned * 4 >= letters.len() * 3
    })
}

/// Group a line's words into cells: words closer than [`CELL_GAP`] em (or after a lone list bullet)
/// share a cell.
fn join_cells(line: RawLine) -> RawLine {
    let em = line.size;
    let mut cells: Vec<Cell> = Vec::new();
    for word in line.cells {
        match cells.last_mut() {
            Some(cell) if word.spaced || word.x0 - cell.x1 <= CELL_GAP * em || is_bullet(&cell.text) => {
                cell.text.push(' ');
                cell.word_starts.push((word.x0, cell.text.len(), word.x0 - cell.x1));
                cell.text.push_str(&word.text);
                cell.x1 = cell.x1.max(word.x1);
                cell.drawn.add(word.drawn);
                cell.style.add(word.style);
            }
            _ => cells.push(word),
        }
    }
    RawLine { cells, ..line }
}

/// The smallest gutter between text columns, in em.
const MIN_GUTTER: f32 = 0.8;
/// Columns told apart by drawing order alone are at least this fraction of each other's width.
const BALANCED_COLUMNS: f32 = 0.7;
/// Lines starting within this many em of each other start at one left edge.
const FLUSH: f32 = 0.5;

/// Reading order across columns: find runs of consecutive lines that all leave the same vertical strip
/// free, with paragraph text on both sides (tables have short cells and are left alone), and read such a
/// run column by column. Lines are word-level here.
fn read_columns(lines: Vec<RawLine>) -> Vec<RawLine> {
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    // The run starting at line i, found once: a run that does not continue the one before is the
    // next one read.
    let mut run = column_run(&lines);
    while i < lines.len() {
        let Some((mut len, (mut lo, mut hi))) = run else {
            out.push(lines[i].clone());
            i += 1;
            run = column_run(&lines[i..]);
            continue;
        };
        // A run that follows directly, its gutter overlapping this one, continues these columns: the
        // test of a run can fail and pass again down one pair of columns (an index whose two sides
        // share baselines at the top and drift apart below), and a reader reads on down the column.
        run = column_run(&lines[i + len..]);
        while let Some((more, (next_lo, next_hi))) = run {
            if next_lo.max(lo) >= next_hi.min(hi) {
                break;
            }
            (lo, hi) = (lo.max(next_lo), hi.min(next_hi));
            len += more;
            run = column_run(&lines[i + len..]);
        }
        let gutter = (lo + hi) / 2.0;
        let (mut left, mut right) = (Vec::new(), Vec::new());
        for line in &lines[i..i + len] {
            let (l, r): (Vec<Cell>, Vec<Cell>) = line.cells.iter().cloned().partition(|w| w.x1 <= gutter);
            if !l.is_empty() {
                left.push(restyled(RawLine { cells: l, ..line.clone() }));
            }
            if !r.is_empty() {
                right.push(restyled(RawLine { cells: r, ..line.clone() }));
            }
        }
        // Each column may itself hold columns.
        out.extend(read_columns(left));
        out.extend(read_columns(right));
        i += len;
    }
    out
}

/// A part of a line (one column's side of it) with the size and weight of its own cells: the size that
/// most of its letters are set in, bold when most of them are. Glyphs on one baseline across the page
/// are one line until the columns are known, and a heading in one column must not take the body size
/// of the line beside it in the other.
fn restyled(mut line: RawLine) -> RawLine {
    let styles: Vec<Style> = line.cells.iter().map(|c| c.style).filter(|s| s.chars > 0).collect();
    let chars: u32 = styles.iter().map(|s| s.chars).sum();
    if chars == 0 {
        return line;
    }
    let bold: u32 = styles.iter().map(|s| s.bold_chars).sum();
    let mut by_size: Vec<(f32, u32)> = Vec::new();
    for style in &styles {
        match by_size.iter_mut().find(|(size, _)| (size - style.size).abs() < 0.01) {
            Some((_, n)) => *n += style.chars,
            None => by_size.push((style.size, style.chars)),
        }
    }
    if let Some(&(size, _)) = by_size.iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0))) {
        line.gap_em *= size / line.size;
        line.size = size;
    }
    line.bold = bold * 2 > chars;
    line
}

/// Lines longer than this many words are never part of a text column (a column's line holds a few
/// dozen): they end a run. This bounds the strips a run can follow and the depth of nested columns.
const MAX_COLUMN_WORDS: usize = 512;
/// The most lines one run of columns may span: more than any page's column holds (842 pt of 4-point
/// type). It keeps the search from each line linear, so a page of thousands of table rows, which
/// never forms columns, is not searched quadratically.
const MAX_COLUMN_RUN: usize = 256;

/// What one side of a gutter holds over the lines of a run so far (see [`SideTotals::is_text`]).
#[derive(Debug, Clone, Copy)]
struct SideTotals {
    /// Lines with at least one word on this side.
    lines: usize,
    words: usize,
    /// Lines with a cell gap between two of their words on this side.
    split: usize,
    /// The span of drawing order its words take up.
    drawn: Drawn,
    /// The leftmost and rightmost x its words reach.
    x0: f32,
    x1: f32,
    /// Lines that start within [`FLUSH`] of `x0`, the side's left edge.
    flush: usize,
}

impl Default for SideTotals {
    fn default() -> SideTotals {
        SideTotals { lines: 0, words: 0, split: 0, drawn: Drawn::NONE, x0: f32::MAX, x1: f32::MIN, flush: 0 }
    }
}

impl SideTotals {
    fn add(&mut self, words: &[Cell], size: f32) {
        let Some(first) = words.first() else { return };
        // A line starting further left than the edge so far is the new edge, and the lines counted at
        // the old one are not at it.
        if first.x0 < self.x0 - FLUSH * size {
            self.flush = 1;
        } else if first.x0 <= self.x0 + FLUSH * size {
            self.flush += 1;
        }
        self.lines += 1;
        self.words += words.len();
        if words.windows(2).any(|w| w[1].x0 - w[0].x1 > CELL_GAP * size) {
            self.split += 1;
        }
        self.x0 = self.x0.min(first.x0);
        for w in words {
            self.drawn.add(w.drawn);
            self.x1 = self.x1.max(w.x1);
        }
    }

    /// Whether at least half its lines start at its left edge, as a column's lines do, where a chart's
    /// labels set flush right or its values at the ends of their bars do not.
    fn is_flush_left(&self) -> bool {
        2 * self.flush >= self.lines
    }

    fn width(&self) -> f32 {
        (self.x1 - self.x0).max(0.0)
    }

    /// Running text: at least three lines, four or more words a line on average, and hardly a line
    /// with a cell gap inside it. A table's cells (labels, dates, several columns a side) fail one of
    /// these.
    fn is_text(&self) -> bool {
        self.lines >= 3 && self.words as f32 >= 4.0 * self.lines as f32 && self.split * 5 <= self.lines
    }
}

/// A vertical strip left free by every line of a run so far, with what lies on either side of it.
#[derive(Debug, Clone, Copy)]
struct Strip {
    lo: f32,
    hi: f32,
    left: SideTotals,
    right: SideTotals,
    /// Lines with words on both sides.
    both: usize,
}

impl Strip {
    fn new(lo: f32, hi: f32) -> Strip {
        Strip { lo, hi, left: SideTotals::default(), right: SideTotals::default(), both: 0 }
    }

    /// Count `line`'s words on either side. Every word lies outside the strip, and words are in
    /// increasing x0, so the words right of it are those from the first that starts at or beyond `hi`.
    fn add(&mut self, line: &RawLine) {
        let k = line.cells.partition_point(|w| w.x0 < self.hi);
        self.left.add(&line.cells[..k], line.size);
        self.right.add(&line.cells[k..], line.size);
        if k > 0 && k < line.cells.len() {
            self.both += 1;
        }
    }

    /// Columns whose lines stand on baselines of their own, so that nearly every line has words on
    /// one side only (an index in two columns of short entries): at least three lines a side, neither
    /// side under half the other, and at most a fifth of the smaller side's lines with words on both
    /// sides. A table's cells share their row's baseline and fail this.
    fn interleaved(&self) -> bool {
        let (fewer, more) = (self.left.lines.min(self.right.lines), self.left.lines.max(self.right.lines));
        fewer >= 3 && 2 * fewer >= more && self.both * 5 <= fewer
    }

    /// Columns of short lines on mostly shared baselines (an index, a list of names), which neither
    /// side's words nor the baselines alone tell from a table:
    /// - the producer drew one side entirely before the other, as every typesetter draws a page's
    ///   columns and few draw a table;
    /// - each side has a line with nothing beside it on the other (columns run on independently; a
    ///   chart's labels drawn before their values have a value beside every label);
    /// - the sides are of about the same width (columns of one page are, where a form's labels and
    ///   their values are not), with at least three lines each, and both set flush left;
    /// - the gutter is at least a cell gap wide (a list's bullets stand closer to their text).
    fn drawn_as_columns(&self, em: f32) -> bool {
        let (narrower, wider) =
            (self.left.width().min(self.right.width()), self.left.width().max(self.right.width()));
        self.hi - self.lo >= CELL_GAP * em
            && self.left.lines >= 3
            && self.right.lines >= 3
            && self.both < self.left.lines.min(self.right.lines)
            && self.left.is_flush_left()
            && self.right.is_flush_left()
            && self.left.drawn.apart(self.right.drawn)
            && narrower >= BALANCED_COLUMNS * wider
    }

    /// Whether the lines so far, in type of `em`, read as columns either side of the strip.
    fn is_columns(&self, em: f32) -> bool {
        (self.left.is_text() && self.right.is_text()) || self.interleaved() || self.drawn_as_columns(em)
    }
}

/// The free strips of at least [`MIN_GUTTER`] em between `cells` (in any order, possibly overlapping).
fn gaps(cells: &mut [&Cell], em: f32) -> Vec<Strip> {
    cells.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut reach = f32::MIN;
    let mut out = Vec::new();
    for w in cells.iter() {
        if reach > f32::MIN && w.x0 - reach >= MIN_GUTTER * em {
            out.push(Strip::new(reach, w.x0));
        }
        reach = reach.max(w.x1);
    }
    out
}

/// The longest run of lines from the first that share a free vertical strip with text columns on both
/// sides: (number of lines, the strip's left and right edges).
///
/// Each strip keeps running totals of its two sides, so a run is judged in constant time per line, and
/// a line is cut against the strips in one pass over its words (see [`narrow`]).
fn column_run(lines: &[RawLine]) -> Option<(usize, (f32, f32))> {
    let first = lines.first()?;
    if first.cells.len() > MAX_COLUMN_WORDS {
        return None;
    }
    let em = first.size;
    // The strips the first two lines leave free together: a run needs both, and a strip between the
    // first line's words that the second line cuts only narrows to one of these. Columns whose lines
    // alternate (the first line in one column, the next in the other) have no gap inside a line.
    let second = lines.get(1).filter(|l| l.cells.len() <= MAX_COLUMN_WORDS)?;
    let mut free = gaps(&mut first.cells.iter().chain(&second.cells).collect::<Vec<_>>(), em);
    for strip in &mut free {
        strip.add(first);
    }
    let mut best: Option<(usize, (f32, f32))> = None;
    let mut len = 1;
    let mut reach = Vec::new();
    while !free.is_empty() && len < lines.len().min(MAX_COLUMN_RUN) {
        let line = &lines[len];
        if line.cells.len() > MAX_COLUMN_WORDS {
            break;
        }
        // The furthest right any of the line's first k words reaches, for skipping the words that end
        // before a strip.
        reach.clear();
        reach.extend(line.cells.iter().scan(f32::MIN, |r, w| {
            *r = r.max(w.x1);
            Some(*r)
        }));
        // Keep the part of each strip that this line leaves free too.
        free.retain_mut(|strip| {
            narrow(strip, &line.cells, &reach);
            if strip.hi - strip.lo < MIN_GUTTER * em {
                return false;
            }
            strip.add(line);
            true
        });
        if free.is_empty() {
            break;
        }
        len += 1;
        if let Some(s) = free.iter().max_by(|x, y| (x.hi - x.lo).total_cmp(&(y.hi - y.lo))) {
            if s.is_columns(em) {
                best = Some((len, (s.lo, s.hi)));
            }
        }
    }
    best
}

/// Cut `strip` by the words inside it, each keeping the wider side, in word order. `reach[k]` is the
/// largest x1 of words 0..=k: words before the first whose reach passes `lo` end left of the strip and
/// cannot cut it. The strip only narrows, so the cutting stops at the first word starting right of it,
/// or as soon as it is too narrow to be a gutter (the caller drops it then).
fn narrow(strip: &mut Strip, words: &[Cell], reach: &[f32]) {
    let start = reach.partition_point(|&r| r <= strip.lo);
    for w in &words[start..] {
        if w.x0 >= strip.hi || strip.hi <= strip.lo {
            break;
        }
        if w.x1 <= strip.lo {
            continue;
        }
        // A word inside the strip cuts it; keep the wider side.
        if w.x0 - strip.lo >= strip.hi - w.x1 {
            strip.hi = w.x0;
        } else {
            strip.lo = w.x1;
        }
    }
}

/// Superscript footnote marks sit above the baseline in a smaller size: merge such a group (a few
/// glyphs, such as "[5][6]", or a row of marks spread over the line) into the line it belongs to (the
/// nearest line whose body size is clearly larger and whose baseline is within 0.6 em). A group of more
/// than four glyphs goes whole only where it is clear of the line's glyphs, as marks are. Else, or when
/// it is longer and no row of marks (the exponents of a formula on the raised baseline of a margin note
/// beside it), it gives the line only its marks ([`marks_of_line`]) and stays a line with the rest.
///
/// Groups form a linked list (a merged group is unlinked, not removed from the vector) and each keeps
/// its median size in two heaps, so that a page of thousands of small groups merging into one line
/// costs O(n log n), not a shift and a sort per merge.
fn attach_scripts(groups: &mut Vec<Vec<Glyph>>) {
    let n = groups.len();
    // Built when first needed: most lines are long, and never attached nor a target.
    let mut medians: Vec<Option<Median>> = (0..n).map(|_| None).collect();
    let median = |medians: &mut [Option<Median>], groups: &[Vec<Glyph>], j: usize| {
        medians[j].get_or_insert_with(|| Median::of(&groups[j])).get()
    };
    let mut extents: Vec<(f32, f32)> = groups.iter().map(|g| extent(g)).collect();
    // Neighbours in the list; `n` stands for none.
    let mut prev: Vec<usize> = (0..n).map(|i| if i == 0 { n } else { i - 1 }).collect();
    let mut next: Vec<usize> = (1..=n).collect();
    let mut alive = vec![true; n];
    let marks: Vec<bool> = groups.iter().map(|g| is_row_of_marks(g)).collect();
    let mut i = 0;
    while i < n {
        let len = groups[i].len();
        let whole = len <= MAX_MARK_GLYPHS || marks[i];
        let small = median(&mut medians, groups, i);
        let y = groups[i][0].y;
        let (x0, x1) = extents[i];
        // The line this group goes to, with which of its glyphs go when not all of them do.
        let target = [prev[i], next[i]].into_iter().filter(|&j| j < n).find_map(|j| {
            let big = median(&mut medians, groups, j);
            let (ox0, ox1) = extents[j];
            let near = small < 0.85 * big
                && (groups[j][0].y - y).abs() < 0.6 * big
                && x0 <= ox1 + big
                && x1 >= ox0 - big;
            if !near {
                None
            } else if whole && (len <= 4 || clear_of(&groups[i], &groups[j])) {
                Some((j, None))
            } else {
                marks_of_line(&groups[i], &groups[j], extents[j]).map(|moving| (j, Some(moving)))
            }
        });
        let Some((j, moving)) = target else {
            i = next[i];
            continue;
        };
        let (moved, kept): (Vec<Glyph>, Vec<Glyph>) = match moving {
            None => (std::mem::take(&mut groups[i]), Vec::new()),
            Some(moving) => {
                let (moved, kept): (Vec<_>, Vec<_>) =
                    std::mem::take(&mut groups[i]).into_iter().zip(moving).partition(|(_, m)| *m);
                (moved.into_iter().map(|(g, _)| g).collect(), kept.into_iter().map(|(g, _)| g).collect())
            }
        };
        let target_median = medians[j].get_or_insert_with(|| Median::of(&groups[j]));
        for g in &moved {
            target_median.push(g.size);
        }
        let (mx0, mx1) = extent(&moved);
        extents[j] = (extents[j].0.min(mx0), extents[j].1.max(mx1));
        groups[j].extend(moved);
        if !kept.is_empty() {
            // Only the marks went; the rest stays this group, whose median and extent are its own.
            groups[i] = kept;
            extents[i] = extent(&groups[i]);
            medians[i] = None;
            i = next[i];
            continue;
        }
        // Unlink i; go on from the group before it (its new neighbour may now take it), or from the
        // one after it at the head of the list.
        let (p, q) = (prev[i], next[i]);
        if p < n {
            next[p] = q;
        }
        if q < n {
            prev[q] = p;
        }
        alive[i] = false;
        i = if p < n { p } else { q };
    }
    let mut k = 0;
    groups.retain(|_| {
        k += 1;
        alive[k - 1]
    });
}

/// Most glyphs in one cluster of a mark row: "[16][17]", "1,2,3".
const MAX_MARK_GLYPHS: usize = 8;

/// A group that is a row of footnote marks rather than a line of small text: its glyphs, sorted by x,
/// fall into at least two clusters more than an em apart, each of at most [`MAX_MARK_GLYPHS`] glyphs
/// ("Android,[15] Pale Moon[16][17] and SeaMonkey.[17][18]" set on one raised baseline).
fn is_row_of_marks(group: &[Glyph]) -> bool {
    let clusters = clusters_by_x(group);
    clusters.len() >= 2 && clusters.iter().all(|c| c.len() <= MAX_MARK_GLYPHS)
}

/// The indices of `group`'s glyphs by x, in clusters: a cluster ends where the next glyph starts more
/// than its own size after the furthest right the glyphs before it reach.
fn clusters_by_x(group: &[Glyph]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..group.len()).collect();
    order.sort_by(|&a, &b| group[a].x.total_cmp(&group[b].x));
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    let mut reach = f32::MIN;
    for gi in order {
        let g = &group[gi];
        match clusters.last_mut() {
            Some(cluster) if g.x - reach <= g.size => cluster.push(gi),
            _ => clusters.push(vec![gi]),
        }
        reach = reach.max(g.x + g.width.max(0.0));
    }
    clusters
}

/// A line longer than this many glyphs takes no row of marks (the check below sorts the line).
const MAX_MARKED_LINE: usize = 4096;

/// Which glyphs of `group` (smaller text on a baseline near `line`'s, not all of it marks) are marks
/// of `line`, or `None` when none are: the clusters of at most [`MAX_MARK_GLYPHS`] glyphs, more than
/// an em of their size from the rest of the group, that start before `line` ends (`line_extent`) and
/// are clear of its glyphs. A cluster past the line's end (a margin note) or of many glyphs (small
/// prose) is not.
fn marks_of_line(group: &[Glyph], line: &[Glyph], line_extent: (f32, f32)) -> Option<Vec<bool>> {
    let covered = Covered::of(line)?;
    let mut moving = vec![false; group.len()];
    let mut any = false;
    let (line_start, line_end) = line_extent;
    for cluster in clusters_by_x(group) {
        let glyphs = || cluster.iter().map(|&gi| &group[gi]);
        let c0 = glyphs().map(|g| g.x).fold(f32::MAX, f32::min);
        let c1 = glyphs().map(|g| g.x + g.width).fold(f32::MIN, f32::max);
        let size = glyphs().map(|g| g.size).fold(0.0, f32::max);
        if cluster.len() <= MAX_MARK_GLYPHS
            && c0 <= line_end + 0.25 * size
            && c1 >= line_start
            && glyphs().all(|g| covered.clear(g))
        {
            for gi in cluster {
                moving[gi] = true;
            }
            any = true;
        }
    }
    // All of the group moving would make it a row of marks, which it was found not to be.
    (any && moving.iter().any(|m| !m)).then_some(moving)
}

/// No glyph of `marks` is drawn over a glyph of `line`: marks stand in the gaps between words and at
/// their ends, a line of small text set close to another overlaps it.
fn clear_of(marks: &[Glyph], line: &[Glyph]) -> bool {
    Covered::of(line).is_some_and(|covered| marks.iter().all(|m| covered.clear(m)))
}

/// The stretches of x a line's glyphs cover, sorted once so that each mark is tested against them in
/// O(log n).
struct Covered {
    /// (x0, x1) of each glyph, by x0.
    spans: Vec<(f32, f32)>,
    /// reach[k]: the furthest right any of spans[..=k] ends.
    reach: Vec<f32>,
}

impl Covered {
    /// `None` for a line longer than [`MAX_MARKED_LINE`], which takes no marks.
    fn of(line: &[Glyph]) -> Option<Covered> {
        if line.len() > MAX_MARKED_LINE {
            return None;
        }
        let mut spans: Vec<(f32, f32)> = line.iter().map(|g| (g.x, g.x + g.width.max(0.0))).collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        let reach = spans
            .iter()
            .scan(f32::MIN, |r, s| {
                *r = r.max(s.1);
                Some(*r)
            })
            .collect();
        Some(Covered { spans, reach })
    }

    /// Whether `mark` stands clear of every glyph (a tenth of its size of overlap allowed).
    fn clear(&self, mark: &Glyph) -> bool {
        let slack = 0.1 * mark.size;
        let (a, b) = (mark.x + slack, mark.x + mark.width.max(0.0) - slack);
        let k = self.spans.partition_point(|s| s.0 < b);
        k == 0 || self.reach[k - 1] <= a
    }
}

/// The median of a growing list of sizes, as `sizes[len / 2]` of the sorted list: the lower half in a
/// max-heap, the upper half (one more when the count is odd) in a min-heap.
struct Median {
    lower: BinaryHeap<TotalF32>,
    upper: BinaryHeap<Reverse<TotalF32>>,
}

impl Median {
    fn of(glyphs: &[Glyph]) -> Median {
        let mut m = Median { lower: BinaryHeap::new(), upper: BinaryHeap::new() };
        for g in glyphs {
            m.push(g.size);
        }
        m
    }

    fn push(&mut self, size: f32) {
        // Into the upper half, its smallest into the lower half, then rebalance so that the upper half
        // holds ceil(len / 2): its smallest is then element len / 2.
        self.upper.push(Reverse(TotalF32(size)));
        if let Some(Reverse(s)) = self.upper.pop() {
            self.lower.push(s);
        }
        if self.lower.len() > self.upper.len() {
            if let Some(s) = self.lower.pop() {
                self.upper.push(Reverse(s));
            }
        }
    }

    fn get(&self) -> f32 {
        self.upper.peek().map_or(0.0, |r| r.0 .0)
    }
}

/// An f32 ordered by `total_cmp`, as the sizes are sorted elsewhere.
#[derive(Debug, Clone, Copy, PartialEq)]
struct TotalF32(f32);

impl Eq for TotalF32 {}

impl PartialOrd for TotalF32 {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TotalF32 {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

fn extent(glyphs: &[Glyph]) -> (f32, f32) {
    glyphs.iter().fold((f32::MAX, f32::MIN), |(a, b), g| (a.min(g.x), b.max(g.x + g.width)))
}

/// Spacing accents that some producers draw as separate glyphs over a base letter.
fn combining_for(accent: &str) -> Option<char> {
    Some(match accent {
        "¨" => '\u{308}',
        "˚" => '\u{30a}',
        "´" => '\u{301}',
        "`" => '\u{300}',
        "ˆ" | "^" => '\u{302}',
        "˜" => '\u{303}',
        "¸" => '\u{327}',
        "ˇ" => '\u{30c}',
        "¯" => '\u{304}',
        "˙" => '\u{307}',
        _ => return None,
    })
}

fn build_line(mut glyphs: Vec<Glyph>) -> Option<RawLine> {
    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    if glyphs.iter().all(|g| g.text == " ") {
        return None;
    }
    // The body size of the line: the most common size, so a superscript does not shrink the thresholds.
    let size = {
        let mut sizes: Vec<f32> = glyphs.iter().map(|g| g.size).collect();
        sizes.sort_by(f32::total_cmp);
        sizes[sizes.len() / 2]
    };
    let y = glyphs.iter().find(|g| (g.size - size).abs() < 0.01).map_or(glyphs[0].y, |g| g.y);
    let scale = advance_scale(&glyphs, size);
    // A raised, smaller glyph: a footnote mark. One that starts the line is a footnote's number, and a
    // space separates it from the text, however tight the typesetter set them.
    let raised = |g: &Glyph| g.y > y + 0.2 * size && g.size < 0.9 * size;
    let mut only_marks_so_far = true;
    let mut cells: Vec<Cell> = Vec::new();
    let mut prev: Option<&Glyph> = None;
    let mut pending_accent: Option<char> = None;
    let mut bold_chars = 0usize;
    let mut all_chars = 0usize;
    // Space glyphs seen since the last letter: one means a word space; several are padding.
    let mut spaces = 0usize;
    // A smaller glyph off the baseline drawn within a letter of the line (a mark set into a word, the
    // line below attached as its script) is no part of the word: it becomes a word of its own after
    // the word it is drawn over. One that only reaches into a letter (the A of the LaTeX logo) stays.
    let script = |g: &Glyph| g.size < 0.85 * size && (g.y - y).abs() > 0.2 * size;
    let over_letter = |g: &Glyph, b: &Glyph| {
        let slack = 0.05 * b.size;
        !script(b) && b.text != " " && g.x >= b.x - slack && g.x + g.width <= b.x + b.width + slack
    };
    let mut drawn_over: Vec<&Glyph> = Vec::new();
    let flush = |cells: &mut Vec<Cell>, drawn_over: &mut Vec<&Glyph>| {
        for s in drawn_over.drain(..) {
            let x0 = cells.last().map_or(s.x, |c| c.x1);
            cells.push(Cell {
                style: Style::of(s),
                ..Cell::new(&s.text, x0, x0 + s.width.max(0.0), Drawn::of(s))
            });
        }
    };
    for (k, g) in glyphs.iter().enumerate() {
        if g.text == " " {
            spaces += 1;
            continue;
        }
        if script(g)
            && (prev.is_some_and(|b| over_letter(g, b))
                || glyphs.get(k + 1).is_some_and(|b| over_letter(g, b)))
        {
            drawn_over.push(g);
            continue;
        }
        if let Some(mark) = combining_for(&g.text) {
            // An accent over a base letter: attach it to whichever neighbour it overlaps.
            let centre = g.x + g.width / 2.0;
            let over = |o: &Glyph| centre >= o.x - 0.05 * o.size && centre <= o.x + o.width + 0.05 * o.size;
            if prev.is_some_and(over) {
                if let Some(cell) = cells.last_mut() {
                    cell.text.push(mark);
                }
                continue;
            }
            if glyphs.get(k + 1).is_some_and(over) {
                pending_accent = Some(mark);
                continue;
            }
        }
        if let Some(p) = prev {
            let gap = g.x - (p.x + p.width);
            let em = p.size.max(g.size) * scale;
            // The same glyph drawn twice at almost the same place is fake bold, not text.
            if g.text == p.text && (g.x - p.x).abs() < 0.1 * em && (g.y - p.y).abs() < 0.1 * em {
                continue;
            }
            let after_leading_mark = only_marks_so_far && !raised(g);
            // A space drawn between the two glyphs parts them, however tight tracking set them (type
            // tightened with a negative Tc), unless the second glyph is drawn over it.
            let space_between = spaces > 0 && gap > 0.01 * em;
            // Words here; `join_cells` groups them into cells once columns are known.
            match cells.last_mut() {
                Some(word) if gap <= WORD_GAP * em && !after_leading_mark && !space_between => {
                    word.text.push_str(&g.text);
                    word.x1 = word.x1.max(g.x + g.width);
                    word.glyphs += 1;
                    word.drawn.add(Drawn::of(g));
                    word.style.add(Style::of(g));
                }
                _ => {
                    flush(&mut cells, &mut drawn_over);
                    cells.push(Cell {
                        spaced: spaces == 1,
                        style: Style::of(g),
                        ..Cell::new(&g.text, g.x, g.x + g.width, Drawn::of(g))
                    });
                }
            }
        } else {
            flush(&mut cells, &mut drawn_over);
            cells.push(Cell { style: Style::of(g), ..Cell::new(&g.text, g.x, g.x + g.width, Drawn::of(g)) });
        }
        if let Some(mark) = pending_accent.take() {
            if let Some(cell) = cells.last_mut() {
                cell.text.push(mark);
            }
        }
        spaces = 0;
        only_marks_so_far &= raised(g) && g.text.chars().all(|c| c.is_ascii_digit() || c == '*');
        let n = g.text.chars().count();
        all_chars += n;
        if g.bold {
            bold_chars += n;
        }
        prev = Some(g);
    }
    flush(&mut cells, &mut drawn_over);
    cells.retain(|c| !c.text.trim().is_empty());
    if cells.is_empty() {
        return None;
    }
    Some(RawLine { cells, y, size, gap_em: size * scale, bold: bold_chars * 2 > all_chars })
}

/// How much narrower than its size the line's type is set, as a factor for its gap thresholds (1 for
/// ordinary type). A glyph's advance is about half an em in every ordinary font; text whose glyphs
/// advance far less than that (a text matrix that stretches the type vertically, so that the size is
/// the height, not the width) would have its word spaces read as letter gaps ("Page3of3"). The
/// thresholds then follow the glyphs' real advances: 2.5 median advances stand for an em. Condensed
/// fonts (advances of 0.4 em) are not touched.
fn advance_scale(glyphs: &[Glyph], size: f32) -> f32 {
    let mut advances: Vec<f32> = glyphs
        .iter()
        .filter(|g| g.text != " " && g.width > 0.0 && g.width.is_finite())
        .map(|g| g.width)
        .collect();
    if advances.len() < 3 || size <= 0.0 {
        return 1.0;
    }
    (2.5 * median(&mut advances) / size).clamp(0.05, 1.0)
}

fn is_bullet(text: &str) -> bool {
    matches!(text.trim(), "•" | "◦" | "▪" | "·" | "–" | "-" | "*" | "\u{f0b7}" | "")
}

/// A list marker at the start of a line.
fn starts_list_item(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some('•' | '◦' | '▪' | '·' | '\u{f0b7}'))
        && chars.next().is_none_or(char::is_whitespace)
}

/// A table row being built: the index of its block, its cells' extents, its cells' texts.
type OpenRow = (usize, Vec<(f32, f32)>, Vec<String>);

/// Group lines into blocks: table rows (lines with several cells, with their wrapped continuation lines)
/// and paragraphs (lines of one cell, broken at wider gaps, size or weight changes and list markers).
fn blocks_from_lines(mut lines: Vec<RawLine>) -> Vec<LaidBlock> {
    // False rows first, so that a paragraph line with one wide gap never serves as a table's columns.
    let pitch = body_pitch(&lines);
    join_false_rows(&mut lines, pitch);
    split_at_columns(&mut lines);
    split_at_shared_gaps(&mut lines);
    if *DEBUG_LAYOUT {
        for l in &lines {
            eprintln!(
                "{:7.1} {:5.1} {:?}",
                l.y,
                l.size,
                l.cells.iter().map(|c| (c.x0 as i32, c.text.as_str())).collect::<Vec<_>>()
            );
        }
    }
    let mut blocks: Vec<LaidBlock> = Vec::new();
    let row_pitch = table_row_pitch(&lines);
    // Wrapped cell lines sit closer together than rows do.
    let tight = |gap: f32, size: f32| match row_pitch {
        Some(p) => gap < 0.8 * p,
        None => gap < 1.3 * size,
    };
    // The open table row (its block), its cells' extents and its cells' texts so far, while lines
    // continue it. The texts are written back to the block when the row closes, not per continuation
    // line, so a row continued by many lines costs no more than their length.
    let mut row: Option<OpenRow> = None;
    let close = |row: Option<OpenRow>, blocks: &mut Vec<LaidBlock>| {
        if let Some((index, _, parts)) = row {
            if let Some(line) = blocks.get_mut(index).and_then(|b| b.lines.last_mut()) {
                line.text = parts.join("\t");
            }
        }
    };
    let mut prev: Option<&RawLine> = None;
    // Text of cells that start above their row (header cells set bottom-aligned), by column.
    let mut above: Vec<(usize, String)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let gap = prev.map_or(f32::MAX, |p| p.y - line.y);
        let to_line = |cells: &[Cell]| LaidLine {
            text: cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join("\t"),
            x0: cells.first().map_or(0.0, |c| c.x0),
            x1: cells.last().map_or(0.0, |c| c.x1),
            y: line.y,
            size: line.size,
            bold: line.bold,
        };
        // A line under an open row whose cells all fall in its columns continues its cells: a single cell
        // in a later column at any normal line distance, anything when closer than rows are apart.
        if let Some((_, extents, parts)) = &mut row {
            let columns = columns_of(&line.cells, extents, line.size);
            let continues = columns.as_ref().is_some_and(|cols| {
                gap > 0.0
                    && (tight(gap, line.size)
                        || (line.cells.len() == 1 && cols[0] > 0 && gap < 1.6 * line.size))
            });
            if let (true, Some(cols)) = (continues, columns) {
                for (cell, col) in line.cells.iter().zip(cols) {
                    if let Some(part) = parts.get_mut(col) {
                        // A cell's line that ends in a hyphen may break a word: the clean-up decides,
                        // as it does for the lines of a paragraph.
                        let hyphen =
                            part.ends_with('-') && part.chars().rev().nth(1).is_some_and(char::is_alphabetic);
                        part.push(if hyphen { CELL_LINE_BREAK } else { ' ' });
                        part.push_str(&cell.text);
                    }
                }
                prev = Some(line);
                continue;
            }
        }
        // Cells just above the next row, in its later columns: the first lines of its header cells.
        if let Some(next) = lines.get(i + 1).filter(|n| n.cells.len() > line.cells.len()) {
            if let Some(cols) = columns_of(&line.cells, &extents(&next.cells), line.size) {
                if cols.iter().all(|&c| c > 0) && line.y - next.y > 0.0 && tight(line.y - next.y, line.size) {
                    above.extend(cols.into_iter().zip(line.cells.iter().map(|c| c.text.clone())));
                    continue;
                }
            }
        }
        if line.cells.len() > 1 {
            let mut cells = line.cells.clone();
            for (col, text) in above.drain(..) {
                if let Some(cell) = cells.get_mut(col) {
                    cell.text = format!("{text} {}", cell.text);
                }
            }
            let laid = to_line(&cells);
            let parts = laid.text.split('\t').map(str::to_string).collect();
            blocks.push(LaidBlock { role: Role::TableRow, lines: vec![laid] });
            close(row.replace((blocks.len() - 1, extents(&line.cells), parts)), &mut blocks);
            prev = Some(line);
            continue;
        }
        close(row.take(), &mut blocks);
        let text = &line.cells[0].text;
        let continues = prev.is_some_and(|p| {
            p.cells.len() == 1
                && gap > 0.0
                && gap <= pitch.max(1.0 * line.size) * 1.3
                && (p.size - line.size).abs() <= 0.1 * line.size
                && p.bold == line.bold
        }) && !starts_list_item(text);
        match blocks.last_mut() {
            Some(block) if continues && block.role != Role::TableRow => {
                block.lines.push(to_line(&line.cells))
            }
            _ => {
                let role = if starts_list_item(text) { Role::ListItem } else { Role::Paragraph };
                blocks.push(LaidBlock { role, lines: vec![to_line(&line.cells)] });
            }
        }
        prev = Some(line);
    }
    close(row, &mut blocks);
    blocks
}

/// Table rows whose cells are too close for [`CELL_GAP`] (a header "Social omsorg" next to "Barn och
/// utbildning"): split them where a word starts at a column of a neighbouring row with more cells.
fn split_at_columns(lines: &mut [RawLine]) {
    for i in 0..lines.len() {
        let neighbours = [i.wrapping_sub(1), i + 1, i + 2];
        let near = neighbours
            .iter()
            .filter_map(|&j| lines.get(j))
            .filter(|n| {
                n.cells.len() >= 2
                    && n.cells.len() > lines[i].cells.len()
                    && (n.y - lines[i].y).abs() < 4.0 * n.size
                    // A bold line beside plain rows is a heading under the table, not a row of it
                    // (a bold header row above plain rows still gives them its columns).
                    && (!lines[i].bold || n.bold)
            })
            .map(|n| n.cells.iter().map(|c| c.x0).collect::<Vec<f32>>())
            .next();
        let Some(columns) = near.or_else(|| row_above(lines, i)) else {
            continue;
        };
        let tolerance = 0.5 * lines[i].size;
        let line = &mut lines[i];
        if line.cells.len() < 2 && !columns.iter().any(|&x| (x - line.cells[0].x0).abs() < tolerance) {
            continue;
        }
        let before = line.cells.clone();
        split_cells_at(&mut line.cells, &sorted(columns.clone()), tolerance);
        // Beside a two-column table a word may start at the second column by chance: split only when
        // the line then has exactly the neighbour's columns.
        if columns.len() == 2 && line.cells.len() != 2 {
            line.cells = before;
        }
    }
}

/// Whether two lines are set in one size and weight, as the rows of one table are: a bold heading
/// right under a table is no row of it, whatever column its words start at.
fn same_type(a: &RawLine, b: &RawLine) -> bool {
    a.bold == b.bold && (a.size - b.size).abs() < 0.1 * a.size.max(b.size)
}

/// The most lines a row's wrapped cells take between two rows of a table.
const WRAPPED_ROW_LINES: usize = 4;

/// The columns of the nearest row above line `i` with more cells, when every line between them is a
/// wrapped cell of that table (it starts at one of the row's columns after the first) and they are
/// close: a table in a
/// narrow column whose cells wrap over several lines, where a later row's cells are too close to part.
fn row_above(lines: &[RawLine], i: usize) -> Option<Vec<f32>> {
    let line = &lines[i];
    let tolerance = 0.5 * line.size;
    for back in 2..=WRAPPED_ROW_LINES + 1 {
        let row = lines.get(i.checked_sub(back)?)?;
        if (row.y - line.y).abs() > (back as f32 + 1.0) * 1.6 * line.size {
            return None;
        }
        if row.cells.len() >= 2 && row.cells.len() > line.cells.len() && same_type(row, line) {
            let columns: Vec<f32> = row.cells.iter().map(|c| c.x0).collect();
            // A wrapped cell of a later column, not a paragraph's next line at the left edge.
            let wrapped = lines[i + 1 - back..i].iter().all(|between| {
                between.cells.len() == 1
                    && columns[1..].iter().any(|&x| (x - between.cells[0].x0).abs() < tolerance)
            });
            return wrapped.then_some(columns);
        }
    }
    None
}

/// Table rows whose columns are too close for [`CELL_GAP`] in every row (a narrow three-column table
/// read as two cells a row): split consecutive rows where each of them has a gap of an em or more
/// starting at the same place.
fn split_at_shared_gaps(lines: &mut [RawLine]) {
    let mut start = 0;
    while start < lines.len() {
        // A run of consecutive, close table rows of one size.
        let mut end = start;
        while end < lines.len()
            && lines[end].cells.len() > 1
            && (end == start
                || (lines[end - 1].y - lines[end].y < 2.5 * lines[end].size
                    && (lines[end - 1].size - lines[end].size).abs() < 0.1 * lines[end].size))
        {
            end += 1;
        }
        if end - start >= 2 {
            let size = lines[start].size;
            // Where words start in each row: its cells, and its words after a gap of an em or more;
            // sorted, so that "a row starts a word at x" is a binary search.
            let starts: Vec<Vec<f32>> = lines[start..end]
                .iter()
                .map(|line| {
                    let wide = line.cells.iter().flat_map(|c| c.word_starts.iter().filter(|w| w.2 >= size));
                    sorted(line.cells.iter().map(|c| c.x0).chain(wide.map(|w| w.0)).collect())
                })
                .collect();
            let starts_at = |row: &[f32], x: f32| {
                let p = row.partition_point(|&s| s < x);
                [p.wrapping_sub(1), p]
                    .into_iter()
                    .any(|k| row.get(k).is_some_and(|&s| (s - x).abs() < 0.5 * size))
            };
            let shared: Vec<f32> =
                starts[0].iter().copied().filter(|&x| starts.iter().all(|row| starts_at(row, x))).collect();
            for line in &mut lines[start..end] {
                split_cells_at(&mut line.cells, &shared, 0.5 * size);
            }
        }
        start = end.max(start + 1);
    }
}

/// Split each cell before every word that starts at one of `columns` (sorted, within `tolerance`).
///
/// Splitting before the first such word and going on with the part to its right gives the cells that
/// splitting at each column in turn gives (a part never again starts a word at a column it was
/// checked against), in one pass over the words with a binary search each.
fn split_cells_at(cells: &mut Vec<Cell>, columns: &[f32], tolerance: f32) {
    let at_column = |x: f32| {
        let p = columns.partition_point(|&c| c < x);
        [p.wrapping_sub(1), p].into_iter().any(|k| columns.get(k).is_some_and(|&c| (x - c).abs() < tolerance))
    };
    let mut out = Vec::with_capacity(cells.len());
    for mut cell in cells.drain(..) {
        while let Some(k) = cell.word_starts.iter().position(|&(x, _, _)| at_column(x)) {
            match cell.split_before(k) {
                Some(right) => out.push(std::mem::replace(&mut cell, right)),
                None => break,
            }
        }
        out.push(cell);
    }
    *cells = out;
}

/// `xs` sorted by `total_cmp`.
fn sorted(mut xs: Vec<f32>) -> Vec<f32> {
    xs.sort_by(f32::total_cmp);
    xs
}

/// Lines that split into cells without being table rows, joined back into one cell: a numbered heading
/// set with a wide gap after its number ("2    Utgångspunkter"), and a line that goes on with the
/// paragraph above it (same left edge, at the paragraph's line pitch) but has one wide gap.
fn join_false_rows(lines: &mut [RawLine], pitch: f32) {
    for i in 0..lines.len() {
        if lines[i].cells.len() < 2 {
            continue;
        }
        let line = &lines[i];
        let size = line.size;
        let first = line.cells[0].text.as_str();
        let is_section_number = !first.is_empty()
            && first
                .trim_end_matches('.')
                .split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        let neighbour_row =
            |j: usize| lines.get(j).is_some_and(|n| n.cells.len() > 1 && (n.size - size).abs() < 0.1 * size);
        let numbered_heading = line.cells.len() == 2
            && is_section_number
            && line.cells[1].text.chars().next().is_some_and(char::is_uppercase)
            && !neighbour_row(i.wrapping_sub(1))
            && !neighbour_row(i + 1);
        let continues_paragraph = i > 0 && {
            let above = &lines[i - 1];
            above.cells.len() == 1
                && !above.cells[0].text.ends_with(':')
                && (above.size - size).abs() < 0.1 * size
                && (above.cells[0].x0 - line.cells[0].x0).abs() < 0.5 * size
                && above.y - line.y > 0.0
                && above.y - line.y <= 1.25 * pitch.max(size)
        };
        if numbered_heading || continues_paragraph {
            let cells = std::mem::take(&mut lines[i].cells);
            let mut joined = cells[0].clone();
            for cell in &cells[1..] {
                joined.text.push(' ');
                joined.word_starts.push((cell.x0, joined.text.len(), cell.x0 - joined.x1));
                joined.text.push_str(&cell.text);
                joined.x1 = cell.x1;
            }
            lines[i].cells = vec![joined];
        }
    }
}

/// The cells' horizontal extents.
fn extents(cells: &[Cell]) -> Vec<(f32, f32)> {
    cells.iter().map(|c| (c.x0, c.x1)).collect()
}

/// The column of each cell among a row's cell `extents`: the one it overlaps most, or whose left edge it
/// shares (within half an em). `None` when a cell falls in no column.
fn columns_of(cells: &[Cell], extents: &[(f32, f32)], size: f32) -> Option<Vec<usize>> {
    // Every cell is matched against every column: beyond a table's few dozen columns a line is no
    // table row (and a hostile page of long rows must not cost a product per line).
    if cells.len().saturating_mul(extents.len()) > MAX_CELL_PAIRS {
        return None;
    }
    cells
        .iter()
        .map(|c| {
            let overlap = |&(a, b): &(f32, f32)| c.x1.min(b) - c.x0.max(a);
            let best =
                (0..extents.len()).max_by(|&i, &j| overlap(&extents[i]).total_cmp(&overlap(&extents[j])))?;
            if overlap(&extents[best]) > 0.0 {
                return Some(best);
            }
            extents.iter().position(|&(a, _)| (a - c.x0).abs() < 0.5 * size)
        })
        .collect()
}

/// The most (cell, column) pairs [`columns_of`] weighs for one line: 128 columns by 128 cells.
const MAX_CELL_PAIRS: usize = 128 * 128;

/// The usual distance between the baselines of consecutive table rows on the page (lines of two or more
/// cells), when there are at least two such pairs.
fn table_row_pitch(lines: &[RawLine]) -> Option<f32> {
    let largest = lines.iter().map(|l| l.size).fold(0.0, f32::max);
    let mut pitches: Vec<f32> = lines
        .windows(2)
        .filter(|w| w[0].cells.len() > 1 && w[1].cells.len() > 1)
        .map(|w| w[0].y - w[1].y)
        .filter(|&p| p > 0.0 && p < 4.0 * largest)
        .collect();
    if pitches.len() < 2 {
        return None;
    }
    pitches.sort_by(f32::total_cmp);
    Some(pitches[pitches.len() / 2])
}

/// The most common distance between consecutive baselines of body lines: the page's line pitch.
fn body_pitch(lines: &[RawLine]) -> f32 {
    let mut pitches: Vec<f32> = lines
        .windows(2)
        .filter(|w| (w[0].size - w[1].size).abs() < 0.1)
        .map(|w| w[0].y - w[1].y)
        .filter(|&p| p > 0.0)
        .collect();
    if pitches.is_empty() {
        return 0.0;
    }
    pitches.sort_by(f32::total_cmp);
    pitches[pitches.len() / 3]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs for `text` starting at (x, y), each 0.5 em wide, spaces as gaps.
    fn word_glyphs(text: &str, x: f32, y: f32, size: f32) -> Vec<Glyph> {
        let mut out = Vec::new();
        let mut pen = x;
        for c in text.chars() {
            if c != ' ' {
                out.push(glyph(&c.to_string(), pen, y, size));
            }
            pen += if c == ' ' { 0.3 * size } else { 0.5 * size };
        }
        out
    }

    fn texts(blocks: &[LaidBlock]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| b.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" / "))
            .collect()
    }

    #[test]
    fn words_from_gaps() {
        let blocks = layout_page(word_glyphs("Jämställd hälsa", 50.0, 700.0, 10.0));
        assert_eq!(texts(&blocks), ["Jämställd hälsa"]);
    }

    #[test]
    fn lines_from_baselines_in_any_stream_order() {
        let mut glyphs = word_glyphs("andra raden", 50.0, 686.0, 10.0);
        glyphs.extend(word_glyphs("första raden", 50.0, 700.0, 10.0));
        let blocks = layout_page(glyphs);
        assert_eq!(texts(&blocks), ["första raden / andra raden"]);
    }

    #[test]
    fn wide_gaps_make_table_cells_and_wrapped_cells_join() {
        let mut glyphs = word_glyphs("Datum:", 50.0, 700.0, 10.0);
        glyphs.extend(word_glyphs("2012-04-04", 200.0, 700.0, 10.0));
        glyphs.extend(word_glyphs("Mottagare:", 50.0, 686.0, 10.0));
        glyphs.extend(word_glyphs("Kommunstyrelsen,", 200.0, 686.0, 10.0));
        glyphs.extend(word_glyphs("landstingsstyrelsen", 200.0, 674.0, 10.0));
        let blocks = layout_page(glyphs);
        assert_eq!(
            texts(&blocks),
            ["Datum:\t2012-04-04", "Mottagare:\tKommunstyrelsen, landstingsstyrelsen"]
        );
        assert!(blocks.iter().all(|b| b.role == Role::TableRow));
    }

    #[test]
    fn a_cell_line_ending_in_a_hyphen_is_marked_for_the_clean_up() {
        let mut glyphs = word_glyphs("Tillfällig", 50.0, 700.0, 10.0);
        glyphs.extend(word_glyphs("har dokumen-", 200.0, 700.0, 10.0));
        glyphs.extend(word_glyphs("förekomst", 50.0, 688.0, 10.0));
        glyphs.extend(word_glyphs("terats", 200.0, 688.0, 10.0));
        assert_eq!(texts(&layout_page(glyphs)), ["Tillfällig förekomst\thar dokumen-\u{2028}terats"]);
    }

    #[test]
    fn header_cell_set_above_its_row_joins_it() {
        let mut glyphs = word_glyphs("Hälso- och", 300.0, 712.0, 10.0);
        glyphs.extend(word_glyphs("Samhällsplanering", 50.0, 700.0, 10.0));
        glyphs.extend(word_glyphs("Social omsorg", 150.0, 700.0, 10.0));
        glyphs.extend(word_glyphs("sjukvård", 300.0, 700.0, 10.0));
        glyphs.extend(word_glyphs("9-10 okt", 50.0, 686.0, 10.0));
        glyphs.extend(word_glyphs("11-12 okt", 150.0, 686.0, 10.0));
        glyphs.extend(word_glyphs("17-18 okt", 300.0, 686.0, 10.0));
        assert_eq!(
            texts(&layout_page(glyphs)),
            ["Samhällsplanering\tSocial omsorg\tHälso- och sjukvård", "9-10 okt\t11-12 okt\t17-18 okt"]
        );
    }

    #[test]
    fn two_columns_read_column_by_column() {
        let mut glyphs = Vec::new();
        for i in 0..5 {
            let y = 700.0 - 12.0 * i as f32;
            glyphs.extend(word_glyphs(&format!("vänster rad nummer {i} här"), 50.0, y, 10.0));
            glyphs.extend(word_glyphs(&format!("höger rad nummer {i} där"), 200.0, y, 10.0));
        }
        assert_read_before(glyphs, "vänster rad nummer 4", "höger rad nummer 0");
    }

    #[test]
    fn a_row_under_wrapped_cells_takes_the_columns_of_the_row_above() {
        // A narrow table: the first row's cells stand apart, its second cell wraps onto a line of its
        // own, and the next row's cells are closer than a cell gap (a long date beside the topic). Rows
        // stand further apart than a cell's lines.
        let page = |between: (&str, f32)| {
            let words = [
                ("Datum", 50.0, 712.0),
                ("Tema", 114.0, 712.0),
                ("12 mars", 50.0, 696.0),
                ("Träff i Umeå om", 114.0, 696.0),
                (between.0, between.1, 684.0),
                ("2 april 2020", 50.0, 668.0),
                ("Träff i Göteborg", 114.0, 668.0),
            ];
            let glyphs = words.iter().flat_map(|&(text, x, y)| word_glyphs(text, x, y, 10.0)).collect();
            texts(&layout_page(glyphs)).join(" / ")
        };
        let text = page(("samverkan kring", 114.0));
        assert!(text.contains("2 april 2020\tTräff i Göteborg"), "{text}");
        // A paragraph's next line at the left edge is no wrapped cell: the row under it stays as drawn.
        let text = page(("Sedan dess har vi", 50.0));
        assert!(!text.contains("2020\tTräff i Göteborg"), "{text}");
    }

    #[test]
    fn each_column_keeps_its_own_size_and_weight_on_a_shared_baseline() {
        // A bold 14 pt heading in the left column on the baseline of a 10 pt body line on the right.
        let mut glyphs = Vec::new();
        for i in 0..6 {
            let y = 700.0 - 12.0 * i as f32;
            let (size, bold) = if i == 2 { (14.0, true) } else { (10.0, false) };
            let left = word_glyphs(&format!("vänster rad nummer {i} här"), 50.0, y, size);
            glyphs.extend(left.into_iter().map(|g| Glyph { bold, ..g }));
            glyphs.extend(word_glyphs(&format!("höger rad nummer {i} där och mer text"), 300.0, y, 10.0));
        }
        let blocks = layout_page(glyphs);
        let line = |text: &str| {
            blocks
                .iter()
                .flat_map(|b| &b.lines)
                .find(|l| l.text.contains(text))
                .unwrap_or_else(|| panic!("no {text}"))
        };
        let heading = line("vänster rad nummer 2");
        assert_eq!((heading.size, heading.bold), (14.0, true), "{heading:?}");
        let beside = line("höger rad nummer 2");
        assert_eq!((beside.size, beside.bold), (10.0, false), "{beside:?}");
    }

    /// The page of `glyphs` reads `earlier` before `later`.
    fn assert_read_before(glyphs: Vec<Glyph>, earlier: &str, later: &str) {
        let text = texts(&layout_page(glyphs)).join(" / ");
        let (Some(a), Some(b)) = (text.find(earlier), text.find(later)) else { panic!("{text}") };
        assert!(a < b, "{text}");
    }

    #[test]
    fn columns_of_short_entries_on_baselines_of_their_own_read_column_by_column() {
        // An index in two columns: entries of two or three words, the right column's baselines 3.6 pt
        // below the left's, so that the lines alternate between the columns.
        let mut glyphs = Vec::new();
        for i in 0..8 {
            let y = 700.0 - 13.5 * i as f32;
            glyphs.extend(word_glyphs(&format!("Kartenwechsel{i}, 28"), 90.0, y, 10.9));
            glyphs.extend(word_glyphs(&format!("Nebenwinkel{i}, 86"), 332.0, y - 3.6, 10.9));
        }
        assert_read_before(glyphs, "Kartenwechsel7", "Nebenwinkel0");
    }

    /// Two columns of short entries on shared baselines, the left one's 9th line and the right one's
    /// 5th left empty, each side's entries set at `left_x(i)` and `right_x(i)`. `by_column` draws the
    /// whole left side before the right one; otherwise row by row.
    fn short_entries(by_column: bool, left_x: fn(usize) -> f32, right_x: fn(usize) -> f32) -> Vec<Glyph> {
        let (mut left, mut right) = (Vec::new(), Vec::new());
        for i in 0..10 {
            let y = 700.0 - 13.5 * i as f32;
            let (l, r) = (format!("Eintrag{i}, 28"), format!("Stichwort{i}, 86"));
            let l = if i == 8 { Vec::new() } else { word_glyphs(&l, left_x(i), y, 10.9) };
            let r = if i == 4 { Vec::new() } else { word_glyphs(&r, right_x(i), y, 10.9) };
            if by_column {
                left.extend(l);
                right.extend(r);
            } else {
                left.extend(l.into_iter().chain(r));
            }
        }
        left.extend(right);
        left
    }

    #[test]
    fn columns_of_short_entries_drawn_one_after_the_other_read_column_by_column() {
        let glyphs = short_entries(true, |_| 90.0, |_| 332.0);
        assert_read_before(glyphs, "Eintrag9", "Stichwort0");
    }

    #[test]
    fn short_entries_drawn_row_by_row_or_set_flush_right_stay_rows() {
        // Drawn row by row, as a table is.
        assert_read_before(short_entries(false, |_| 90.0, |_| 332.0), "Stichwort0", "Eintrag9");
        // Labels that start at no common edge (set flush right against their values, as a chart's are), even
        // when drawn first.
        let ragged: fn(usize) -> f32 = |i| 90.0 + 3.0 * i as f32;
        assert_read_before(short_entries(true, ragged, |_| 332.0), "Stichwort0", "Eintrag9");
    }

    #[test]
    fn letter_spaced_headings_keep_their_words() {
        // Each letter 0.5 em wide with 0.25 em tracking; words apart by a further 0.4 em.
        let mut glyphs = Vec::new();
        let mut x = 50.0;
        for word in ["ÅRS", "RAPPORT", "2021"] {
            for c in word.chars() {
                glyphs.push(Glyph {
                    text: c.to_string().into(),
                    x,
                    y: 700.0,
                    width: 5.0,
                    size: 10.0,
                    bold: true,
                    rotation: 0,
                    skew: 0.0,
                    order: 0,
                });
                x += 7.5;
            }
            x += 4.0;
        }
        assert_eq!(texts(&layout_page(glyphs)), ["ÅRS RAPPORT 2021"]);
    }

    /// Glyphs of `text` from x, each `advance(c)` wide, `tracking` apart, words a further `space` apart.
    fn tracked(
        text: &str,
        x: f32,
        y: f32,
        tracking: f32,
        space: f32,
        advance: impl Fn(char) -> f32,
    ) -> Vec<Glyph> {
        let mut out = Vec::new();
        let mut pen = x;
        for c in text.chars() {
            if c == ' ' {
                pen += space;
                continue;
            }
            let width = advance(c);
            out.push(Glyph { width, ..glyph(&c.to_string(), pen, y, 10.0) });
            pen += width + tracking;
        }
        out
    }

    /// A rough proportional font: narrow, ordinary and wide capitals.
    fn proportional(c: char) -> f32 {
        match c {
            'I' | 'J' | '1' => 2.8,
            'M' | 'W' | 'Å' | 'Ä' => 8.3,
            _ => 6.7,
        }
    }

    #[test]
    fn two_letter_spaced_lines_are_no_grid() {
        let mut glyphs = tracked("JÄMSTÄLLDHET I PRAKTIKEN", 50.0, 700.0, 2.5, 4.0, proportional);
        glyphs.extend(tracked("MÅL OCH MEDEL 2021", 50.0, 686.0, 2.5, 4.0, proportional));
        assert_eq!(texts(&layout_page(glyphs)), ["JÄMSTÄLLDHET I PRAKTIKEN / MÅL OCH MEDEL 2021"]);
    }

    #[test]
    fn a_grid_of_centred_glyphs_keeps_them_apart() {
        // Cells 10 pt wide, each glyph centred in its cell; rows a line apart.
        let mut glyphs = Vec::new();
        for (r, row) in ["AIMW", "WMIA", "IAWM"].iter().enumerate() {
            for (k, c) in row.chars().enumerate() {
                let width = proportional(c);
                let x = 50.0 + 10.0 * k as f32 + (10.0 - width) / 2.0;
                glyphs.push(Glyph { width, ..glyph(&c.to_string(), x, 700.0 - 14.0 * r as f32, 10.0) });
            }
        }
        assert_eq!(texts(&layout_page(glyphs)), ["A I M W / W M I A / I A W M"]);
    }

    #[test]
    fn a_footnote_number_is_apart_from_its_text() {
        let mut glyphs = word_glyphs("2", 50.0, 703.0, 6.0);
        glyphs.extend(word_glyphs("Kunskapscentrumet inrättades", 53.05, 700.0, 9.0));
        assert_eq!(texts(&layout_page(glyphs)), ["2 Kunskapscentrumet inrättades"]);
    }

    #[test]
    fn rows_of_a_two_column_table_split_like_its_header() {
        // "Stockholm" ends at 95 and its date starts at 110: 1.5 em, too close to split on its own.
        let mut glyphs = word_glyphs("Ort", 50.0, 700.0, 10.0);
        glyphs.extend(word_glyphs("Datum", 110.0, 700.0, 10.0));
        glyphs.extend(word_glyphs("Stockholm", 50.0, 682.0, 10.0));
        glyphs.extend(word_glyphs("12 mars 2019", 110.0, 682.0, 10.0));
        glyphs.extend(word_glyphs("Göteborg", 50.0, 664.0, 10.0));
        glyphs.extend(word_glyphs("4 april 2019", 110.0, 664.0, 10.0));
        assert_eq!(
            texts(&layout_page(glyphs)),
            ["Ort\tDatum", "Stockholm\t12 mars 2019", "Göteborg\t4 april 2019"]
        );
    }

    #[test]
    fn a_wide_gap_in_a_paragraph_or_after_a_heading_number_is_no_table() {
        let mut glyphs = word_glyphs("SKR har tagit fram utbildningen i samarbete", 50.0, 700.0, 10.0);
        glyphs.extend(word_glyphs("och kursen fick", 50.0, 686.0, 10.0));
        glyphs.extend(word_glyphs("goda omdömen.", 200.0, 686.0, 10.0));
        glyphs.extend(word_glyphs("2", 50.0, 640.0, 13.0));
        glyphs.extend(word_glyphs("Utgångspunkter", 90.0, 640.0, 13.0));
        assert_eq!(
            texts(&layout_page(glyphs)),
            [
                "SKR har tagit fram utbildningen i samarbete / och kursen fick goda omdömen.",
                "2 Utgångspunkter"
            ]
        );
    }

    #[test]
    fn narrow_columns_split_where_every_row_has_a_wide_gap() {
        let mut glyphs = Vec::new();
        // Between the first two columns 1.2 and 1.7 em: too little for a cell gap, but in every row.
        for (y, cells) in [
            (700.0, ["Tillfälle 1", "Tillfälle 2", "Tillfälle 3"]),
            (686.0, ["12 oktober", "9 nov", "7 dec"]),
        ] {
            for (x, text) in [50.0, 115.0, 250.0].into_iter().zip(cells) {
                glyphs.extend(word_glyphs(text, x, y, 10.0));
            }
        }
        assert_eq!(
            texts(&layout_page(glyphs)),
            ["Tillfälle 1\tTillfälle 2\tTillfälle 3", "12 oktober\t9 nov\t7 dec"]
        );
    }

    #[test]
    fn superscript_joins_its_line() {
        let mut glyphs = word_glyphs("kontrakt", 50.0, 700.0, 10.0);
        glyphs.extend(word_glyphs("1", 90.0, 703.5, 6.0));
        assert_eq!(texts(&layout_page(glyphs)), ["kontrakt1"]);
    }

    #[test]
    fn a_cluster_of_marks_joins_its_line() {
        // "[5][6]": six raised glyphs at 0.8 of the body size, after the line's last word but one.
        let mut glyphs = word_glyphs("Firefox 15,", 50.0, 700.0, 12.0);
        let end_of_comma = glyphs[9].x + glyphs[9].width;
        glyphs.extend(word_glyphs("[5][6]", end_of_comma, 704.7, 9.6));
        glyphs.extend(word_glyphs("and", end_of_comma + 6.0 * 4.8 + 3.0, 700.0, 12.0));
        let lines = texts(&layout_page(glyphs));
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("15,[5][6]"), "{lines:?}");
    }

    #[test]
    fn exponents_join_their_formula_and_a_margin_note_on_their_baseline_stays_apart() {
        // "x² + y² = S², grad" in 10.9 pt, the exponents in 8 pt 4 pt up, and a margin note "Bem. 27.b"
        // in 8 pt on a baseline 2 pt above the exponents', 5 pt after the line's end (GeoTopo, page 31).
        let (body, exponent) = ((700.0, 10.9), (704.0, 8.0));
        let mut glyphs = Vec::new();
        for (text, x, (y, size)) in [
            ("x", 100.0, body),
            ("2", 106.3, exponent),
            ("+", 113.0, body),
            ("y", 122.0, body),
            ("2", 127.4, exponent),
            ("= S", 134.0, body),
            ("2", 148.4, exponent),
            (", grad", 153.0, body),
        ] {
            glyphs.extend(word_glyphs(text, x, y, size));
        }
        let end = glyphs.iter().map(|g| g.x + g.width).fold(0.0, f32::max);
        glyphs.extend(word_glyphs("Bem. 27.b", end + 5.0, 706.2, 8.0));
        let lines = texts(&layout_page(glyphs));
        assert!(lines.iter().any(|l| l.starts_with("x2 + y2 = S2")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("Bem. 27.b") && !l.contains("2 Bem")), "{lines:?}");
    }

    #[test]
    fn only_clusters_of_marks_within_a_line_are_its_marks() {
        let line = word_glyphs("Kommunerna arbetar vidare med detta", 100.0, 700.0, 10.9);
        let extent = extent(&line);
        // Small prose over the line is one long cluster: none of it is marks.
        let prose = word_glyphs("Figur 3 visar andelen kvinnor", 100.0, 704.5, 8.0);
        assert_eq!(marks_of_line(&prose, &line, extent), None);
        // An exponent in a gap of the line is; a note past the line's end is not.
        let mut group = vec![glyph("2", extent.0 + 6.0 * 5.45, 704.0, 8.0)];
        group.extend(word_glyphs("Not 3", extent.1 + 6.0, 704.0, 8.0));
        let in_gap = |g: &&Glyph| g.x > extent.0 + 5.5 * 5.45 && g.x < extent.0 + 9.5 * 5.45;
        let line_with_gap: Vec<Glyph> = line.iter().filter(|g| !in_gap(g)).cloned().collect();
        let moving = marks_of_line(&group, &line_with_gap, extent);
        assert_eq!(moving, Some(vec![true, false, false, false, false]));
    }

    #[test]
    fn an_index_whose_columns_drift_off_shared_baselines_is_read_column_by_column() {
        // Two columns of short entries (GeoTopo's index, page 116): the sides share baselines for the
        // first 16 rows; then a blank line of another height puts the right side 3.6 pt lower.
        let words = ["Karte", "Kern", "Knoten", "Kreis", "Kurve", "Lage", "Limes", "Lot"];
        let entry = |side: &str, k: usize| format!("{side}{} {}, {}", k, words[k % words.len()], 10 + k % 90);
        // As a typesetter draws them: the left column, then the right.
        let mut glyphs = Vec::new();
        for k in 0..40 {
            // Below the drift, a longer entry narrows the gutter.
            let text =
                if k == 17 { "L17 Klumpentopologie, siehe triviale".to_string() } else { entry("L", k) };
            glyphs.extend(word_glyphs(&text, 90.0, 774.8 - 13.5 * k as f32, 10.9));
        }
        for k in 0..40 {
            let y = 774.8 - 13.5 * k as f32;
            glyphs.extend(word_glyphs(&entry("R", k), 332.0, if k < 16 { y } else { y - 3.6 }, 10.9));
        }
        for (order, g) in glyphs.iter_mut().enumerate() {
            g.order = order as u32;
        }
        let lines: Vec<String> =
            layout_page(glyphs).iter().flat_map(|b| b.lines.iter().map(|l| l.text.clone())).collect();
        let sides: String = lines.iter().map(|l| if l.starts_with('L') { 'L' } else { 'R' }).collect();
        assert_eq!(sides, format!("{}{}", "L".repeat(40), "R".repeat(40)), "{lines:?}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

        /// Any glyphs, scripts and marks among them, lay out without a panic, and every line keeps the
        /// module's invariant: no space at either end.
        #[test]
        fn any_glyphs_lay_out_into_lines_without_edge_spaces(
            spec in proptest::collection::vec(
                (0u8..6, 0.0f32..600.0, 0.0f32..60.0, 0.0f32..12.0, 3.0f32..30.0, 0u8..4), 0..300,
            ),
        ) {
            let texts = ["a", "2", " ", "ä", "[1]", "\u{fffd}"];
            let glyphs: Vec<Glyph> = spec
                .into_iter()
                .map(|(t, x, y, width, size, rotation)| Glyph {
                    width,
                    rotation,
                    // Baselines on a coarse grid, so that lines, scripts and overlaps occur.
                    ..glyph(texts[t as usize], x, 700.0 - (y / 4.0).round() * 4.0, size)
                })
                .collect();
            for block in layout_page(glyphs) {
                for line in &block.lines {
                    proptest::prop_assert_eq!(line.text.trim(), line.text.as_str());
                }
            }
        }
    }

    #[test]
    fn many_small_clusters_over_a_long_line_are_laid_out() {
        // 4,000 raised one-glyph clusters above a line of 4,000 glyphs, beside a long small note: the
        // marks are tested against the line's spans sorted once, not once per cluster.
        let mut glyphs = Vec::new();
        for k in 0..4000 {
            glyphs.push(glyph("x", 10.0 * k as f32, 700.0, 10.0));
            glyphs.push(Glyph { width: 1.0, ..glyph("2", 10.0 * k as f32 + 5.5, 704.0, 6.0) });
        }
        glyphs.extend(word_glyphs("anteckning i marginalen", 40_010.0, 706.0, 6.0));
        let text = texts(&layout_page(glyphs)).join("\n");
        assert!(text.contains("x2 x2 x2"), "{}", &text[..200.min(text.len())]);
        assert!(text.lines().any(|l| l == "anteckning i marginalen"), "{}", &text[..200.min(text.len())]);
    }

    #[test]
    fn the_latex_logo_is_one_word() {
        // L, a small raised A, T, a lowered E, X, kerned into each other (issue10640.pdf's title).
        let glyphs = vec![
            Glyph { width: 8.9, ..glyph("L", 196.6, 615.4, 17.2) },
            Glyph { width: 7.6, ..glyph("A", 199.3, 619.2, 12.0) },
            Glyph { width: 9.5, ..glyph("T", 204.3, 615.4, 17.2) },
            Glyph { width: 9.6, ..glyph("E", 211.0, 610.8, 17.2) },
            Glyph { width: 9.9, ..glyph("X", 218.4, 615.4, 17.2) },
        ];
        assert_eq!(texts(&layout_page(glyphs)), ["LATEX"]);
    }

    #[test]
    fn a_huge_letter_does_not_gather_the_lines_beside_it() {
        // A 99-pt "A" in a figure at the left; a heading and a reference 22 pt apart at the right.
        let mut glyphs = word_glyphs("References", 300.0, 567.6, 14.3);
        glyphs.extend(word_glyphs("A", 150.0, 547.1, 99.1));
        glyphs.extend(word_glyphs("[1] Taco Hoekwater.", 300.0, 545.8, 10.0));
        let lines = texts(&layout_page(glyphs));
        assert!(lines.contains(&"References".to_string()), "{lines:?}");
        assert!(lines.iter().any(|l| l.ends_with("[1] Taco Hoekwater.")), "{lines:?}");
    }

    #[test]
    fn larger_text_drawn_over_a_line_a_little_lower_is_a_line_of_its_own() {
        // A stamp's "PDF file" in 32 pt, 6.4 pt below the page's "Dummy PDF file" in 16 pt, over it.
        let mut glyphs = word_glyphs("Dummy PDF file", 56.8, 758.1, 16.1);
        glyphs.extend(word_glyphs("PDF file", 71.5, 751.7, 32.2));
        assert_eq!(texts(&layout_page(glyphs)), ["Dummy PDF file", "PDF file"]);
    }

    #[test]
    fn separate_diacritic_composes() {
        let mut glyphs = word_glyphs("ar", 50.0, 700.0, 10.0);
        glyphs.push(Glyph {
            text: "¨".into(),
            x: 50.5,
            y: 700.0,
            width: 4.0,
            size: 10.0,
            bold: false,
            rotation: 0,
            skew: 0.0,
            order: 0,
        });
        let text = texts(&layout_page(glyphs)).join("");
        assert_eq!(crate::extract::clean::normalize(&text), "är");
    }

    #[test]
    fn bullets_start_list_items() {
        let mut glyphs = word_glyphs("Inledning till listan", 50.0, 700.0, 10.0);
        glyphs.extend(word_glyphs("•", 50.0, 686.0, 10.0));
        glyphs.extend(word_glyphs("första punkten", 70.0, 686.0, 10.0));
        let blocks = layout_page(glyphs);
        assert_eq!(texts(&blocks), ["Inledning till listan", "• första punkten"]);
        assert_eq!(blocks[1].role, Role::ListItem);
    }

    #[test]
    fn fake_bold_duplicates_are_dropped() {
        let mut glyphs = word_glyphs("Rubrik", 50.0, 700.0, 10.0);
        glyphs.extend(word_glyphs("Rubrik", 50.3, 700.0, 10.0));
        assert_eq!(texts(&layout_page(glyphs)), ["Rubrik"]);
    }

    #[test]
    fn word_spaces_follow_the_glyphs_real_advances() {
        // Type stretched vertically: a size of 58 pt, but glyphs 4 pt wide with 2 pt word spaces.
        let mut glyphs = Vec::new();
        let mut x = 50.0;
        for word in ["Page", "3", "of", "3"] {
            for c in word.chars() {
                glyphs.push(Glyph { width: 4.0, ..glyph(&c.to_string(), x, 700.0, 58.0) });
                x += 4.0;
            }
            x += 2.0;
        }
        assert_eq!(texts(&layout_page(glyphs)), ["Page 3 of 3"]);
    }

    #[test]
    fn text_at_another_angle_forms_its_own_lines() {
        // An upright line with a diagonal label (30°) crossing it: "2024" along the diagonal.
        let mut glyphs = word_glyphs("Totalt antal", 50.0, 700.0, 10.0);
        let angle: f32 = 0.52;
        for (k, c) in "2024".chars().enumerate() {
            let d = 5.0 * k as f32;
            glyphs.push(Glyph {
                skew: angle,
                ..glyph(&c.to_string(), 70.0 + d * angle.cos(), 690.0 + d * angle.sin(), 10.0)
            });
        }
        assert_eq!(texts(&layout_page(glyphs)), ["Totalt antal", "2024"]);
    }

    #[test]
    fn lines_drawn_over_one_another_stay_apart() {
        // Two text boxes set over each other at one baseline, and a field's label drawn twice.
        let mut glyphs = word_glyphs("Kupäeväh", 50.0, 700.0, 10.0);
        glyphs.extend(word_glyphs("Maksettava", 52.0, 700.5, 10.0));
        glyphs.extend(word_glyphs("Submit", 50.0, 600.0, 10.0));
        glyphs.extend(word_glyphs("Submit", 50.8, 600.2, 10.0));
        let text = texts(&layout_page(glyphs)).join(" / ");
        assert!(text.contains("Kupäeväh") && text.contains("Maksettava"), "{text}");
        assert!(text.ends_with("Submit") && !text.contains("Submit Submit"), "{text}");
    }

    fn glyph(text: &str, x: f32, y: f32, size: f32) -> Glyph {
        Glyph::plain(text, x, y, size)
    }

    #[test]
    fn the_running_median_is_the_sorted_middle() {
        let sizes = [9.0, 3.0, 7.0, 7.0, 1.0, 12.0, 5.0, 8.0, 2.0];
        let mut median = Median { lower: BinaryHeap::new(), upper: BinaryHeap::new() };
        for (n, &size) in sizes.iter().enumerate() {
            median.push(size);
            let mut sorted = sizes[..=n].to_vec();
            sorted.sort_by(f32::total_cmp);
            assert_eq!(median.get(), sorted[sorted.len() / 2], "after {} sizes", n + 1);
        }
    }

    #[test]
    fn cells_split_at_every_word_on_a_column() {
        let mut line = join_cells(RawLine {
            cells: ["a", "b", "c", "d"]
                .iter()
                .zip([0.0, 10.0, 20.0, 30.0])
                .map(|(t, x)| Cell::new(t, x, x + 5.0, Drawn::NONE))
                .collect(),
            y: 0.0,
            size: 10.0,
            gap_em: 10.0,
            bold: false,
        });
        assert_eq!(line.cells.len(), 1);
        split_cells_at(&mut line.cells, &[9.0, 31.0], 2.0);
        let texts: Vec<&str> = line.cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["a", "b c", "d"]);
        assert_eq!(line.cells[2].x0, 30.0);
    }

    // The pages below are shaped to make a quadratic step show (each would take minutes); they only
    // assert the text, never the time.

    #[test]
    fn thousands_of_marks_above_one_line_join_it() {
        // A long line (so that its median size stays its own as marks join it).
        let mut glyphs = word_glyphs(&"Brödtext".repeat(2_000), 50.0, 700.0, 10.0);
        // Tiny raised marks, each its own baseline group, all within reach of the line: each joins the
        // line once the marks below it have.
        for k in 0..13_000 {
            glyphs.push(glyph("*", 50.0 + (k % 40) as f32, 700.5 + k as f32 * 0.0004, 0.001));
        }
        let blocks = layout_page(glyphs);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].lines.len(), 1);
        assert!(blocks[0].lines[0].text.contains('B'));
    }

    #[test]
    fn lines_of_thousands_of_spaced_words_lay_out() {
        let mut glyphs = Vec::new();
        for line in 0..3 {
            for k in 0..5_000 {
                glyphs.push(glyph("x", 10.0 + 10.0 * k as f32, 700.0 - 12.0 * line as f32, 5.0));
            }
        }
        let blocks = layout_page(glyphs);
        assert_eq!(
            blocks.iter().flat_map(|b| &b.lines).map(|l| l.text.matches('x').count()).sum::<usize>(),
            15_000
        );
    }

    #[test]
    fn thousands_of_lines_of_running_text_beside_each_other_lay_out() {
        let mut glyphs = Vec::new();
        for i in 0..2_000 {
            let y = 20_000.0 - 12.0 * i as f32;
            glyphs.extend(word_glyphs("vänster rad med fyra ord", 50.0, y, 10.0));
            glyphs.extend(word_glyphs("höger rad med fyra ord", 300.0, y, 10.0));
        }
        let text = texts(&layout_page(glyphs)).join(" / ");
        assert_eq!(text.matches("vänster").count(), 2_000);
        assert_eq!(text.matches("höger").count(), 2_000);
    }

    #[test]
    fn a_row_continued_by_thousands_of_close_lines_lays_out() {
        let mut glyphs = word_glyphs("Rubrik", 50.0, 20_000.0, 10.0);
        glyphs.extend(word_glyphs("Värde", 200.0, 20_000.0, 10.0));
        for i in 1..5_000 {
            glyphs.extend(word_glyphs("mer", 200.0, 20_000.0 - 3.5 * i as f32, 10.0));
        }
        let blocks = layout_page(glyphs);
        assert_eq!(
            blocks.iter().flat_map(|b| &b.lines).map(|l| l.text.matches("mer").count()).sum::<usize>(),
            4_999
        );
    }
}
