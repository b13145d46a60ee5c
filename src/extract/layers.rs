//! Text drawn over other text: which glyphs of a page belong to different lines although they share a
//! baseline, and which are the same text drawn twice.
//!
//! The content stream draws a line of text as a run of glyphs that advance along the baseline. Two runs
//! at (nearly) the same baseline whose glyphs cover each other are two lines set over one another (a
//! label over a field, two overlapping text boxes): they get different *layers*, and the layout builds
//! a line per layer, never one word from letters of both ("KMuaukpsäeetävh:t0a5e"). A run that repeats
//! another glyph for glyph at the same place (fake bold, a form field's text drawn over the page's) is
//! a duplicate and is dropped. Runs that only share a baseline, or fill a gap left in another run (text
//! drawn out of order), keep one layer, so that ordinary lines are laid out as before.
//!
//! This module only assigns layers; it never moves, reorders or changes a glyph. It is O(n log n) in
//! the page's glyphs: runs are sorted once, each run is compared with at most [`MAX_LAYERS`] others,
//! and each comparison is a binary search per glyph.

use unicode_normalization::char::is_combining_mark;

use super::layout::{one_line, Glyph};

/// Accents some producers draw as glyphs of their own over a letter (see the layout's
/// `combining_for`).
const SPACING_ACCENTS: &str = "¨˚´`ˆ^˜¸ˇ¯˙";

/// A run ends where the next glyph moves back by more than this many em, or forward by more than
/// [`RUN_JUMP`] em.
const RUN_BACK: f32 = 0.3;
const RUN_JUMP: f32 = 1.9;
/// Lines drawn over one another beyond this many are laid out together in the last layer.
pub(crate) const MAX_LAYERS: usize = 4;
/// The share of a run's glyphs that must cover another run's glyphs for the two to be different lines.
const COVERED: f32 = 0.5;
/// How far (in em) a glyph may be from the one it repeats and still be a duplicate.
const DUPLICATE_SHIFT: f32 = 0.3;

/// A run of glyphs in stream order: the range of their indices, and their extent.
#[derive(Debug, Clone)]
struct Run {
    start: usize,
    end: usize,
    y: f32,
    size: f32,
    x0: f32,
    x1: f32,
    /// Indices of the run's glyphs, in increasing x.
    by_x: Vec<usize>,
}

/// Each glyph's layer (0 for nearly all), or `None` for a glyph that repeats text already drawn at the
/// same place. `glyphs` are in stream order and have finite coordinates and positive sizes.
pub(crate) fn layers(glyphs: &[Glyph]) -> Vec<Option<u8>> {
    let mut out = vec![Some(0u8); glyphs.len()];
    let runs = runs(glyphs);
    if runs.len() < 2 {
        return out;
    }
    // Runs by baseline, then clusters of runs on one baseline, each read in increasing x0.
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by(|&a, &b| runs[b].y.total_cmp(&runs[a].y));
    let mut start = 0;
    while start < order.len() {
        let first = &runs[order[start]];
        let mut end = start + 1;
        while end < order.len() && one_line(first.y - runs[order[end]].y, first.size, runs[order[end]].size) {
            end += 1;
        }
        let cluster = &mut order[start..end];
        cluster.sort_by(|&a, &b| runs[a].x0.total_cmp(&runs[b].x0));
        assign(glyphs, &runs, cluster, &mut out);
        start = end;
    }
    out
}

/// Give each run of one baseline the lowest layer whose last run it does not cover.
fn assign(glyphs: &[Glyph], runs: &[Run], cluster: &[usize], out: &mut [Option<u8>]) {
    // Per layer, the run reaching furthest right so far.
    let mut reach: [Option<usize>; MAX_LAYERS] = [None; MAX_LAYERS];
    for &r in cluster {
        let run = &runs[r];
        // A lone glyph drawn back over a line (an accent, an overstrike) belongs to that line.
        if run.by_x.len() < 2 {
            continue;
        }
        let mut chosen = MAX_LAYERS - 1;
        let mut duplicate = false;
        for (layer, last) in reach.iter().enumerate() {
            let Some(q) = *last else {
                chosen = layer;
                break;
            };
            let other = &runs[q];
            if run.x0 >= other.x1 - 0.1 * run.size {
                chosen = layer;
                break;
            }
            let (covered, repeats) = cover(glyphs, run, other);
            if repeats {
                duplicate = true;
                break;
            }
            if (covered as f32) < COVERED * run.by_x.len() as f32 {
                chosen = layer;
                break;
            }
        }
        if duplicate {
            for o in &mut out[run.start..run.end] {
                *o = None;
            }
            continue;
        }
        for o in &mut out[run.start..run.end] {
            *o = Some(chosen as u8);
        }
        if reach[chosen].is_none_or(|q| runs[q].x1 < run.x1) {
            reach[chosen] = Some(r);
        }
    }
}

/// How many of `run`'s glyphs cover a glyph of `other`, and whether every one of them repeats the glyph
/// it covers (same text, nearly the same place).
fn cover(glyphs: &[Glyph], run: &Run, other: &Run) -> (usize, bool) {
    let mut covered = 0;
    let mut repeats = (run.y - other.y).abs() < 0.2 * run.size;
    for &i in &run.by_x {
        let g = &glyphs[i];
        let centre = g.x + g.width.max(0.0) / 2.0;
        // The glyph of `other` starting last at or before the centre.
        let k = other.by_x.partition_point(|&j| glyphs[j].x <= centre);
        let hit =
            k.checked_sub(1).map(|k| &glyphs[other.by_x[k]]).filter(|o| centre <= o.x + o.width.max(0.0));
        match hit {
            Some(o) => {
                covered += 1;
                repeats &= o.text == g.text && (o.x - g.x).abs() < DUPLICATE_SHIFT * g.size;
            }
            None => repeats = false,
        }
    }
    (covered, repeats && covered > 0)
}

/// Split the glyphs, in stream order, into runs that advance along one baseline.
fn runs(glyphs: &[Glyph]) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for (i, g) in glyphs.iter().enumerate() {
        let em = g.size;
        let continues = i > 0 && {
            let p = &glyphs[i - 1];
            one_line(g.y - p.y, em, p.size)
                && g.x >= p.x - RUN_BACK * em.max(p.size)
                && g.x <= p.x + p.width.max(0.0) + RUN_JUMP * em.max(p.size)
        };
        match runs.last_mut() {
            Some(run) if continues => {
                run.end = i + 1;
                run.size = run.size.max(em);
                run.x0 = run.x0.min(g.x);
                run.x1 = run.x1.max(g.x + g.width.max(0.0));
            }
            _ => runs.push(Run {
                start: i,
                end: i + 1,
                y: g.y,
                size: em,
                x0: g.x,
                x1: g.x + g.width.max(0.0),
                by_x: Vec::new(),
            }),
        }
    }
    for run in &mut runs {
        // Spaces and accents cover nothing and repeat nothing: only drawn letters count.
        let letter = |g: &Glyph| {
            g.text != " " && !g.text.chars().all(|c| is_combining_mark(c) || SPACING_ACCENTS.contains(c))
        };
        run.by_x = (run.start..run.end).filter(|&i| letter(&glyphs[i])).collect();
        run.by_x.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, x: f32, y: f32, advance: f32) -> Vec<Glyph> {
        let mut letter = [0u8; 4];
        text.chars()
            .enumerate()
            .map(|(k, c)| Glyph::plain(c.encode_utf8(&mut letter), x + advance * k as f32, y, 10.0))
            .collect()
    }

    #[test]
    fn overlapping_runs_on_one_baseline_get_different_layers() {
        let mut glyphs = run("Kupäeväh", 50.0, 700.0, 5.0);
        glyphs.extend(run("Maksetta", 52.0, 700.5, 5.0));
        let layers = layers(&glyphs);
        assert!(layers[..8].iter().all(|&l| l == Some(0)));
        assert!(layers[8..].iter().all(|&l| l == Some(1)));
    }

    #[test]
    fn a_run_drawn_twice_is_dropped_and_neighbours_keep_one_layer() {
        let mut glyphs = run("Submit", 50.0, 700.0, 5.0);
        glyphs.extend(run("Submit", 51.0, 700.0, 5.2));
        // A word after a gap, and one drawn out of order into a gap of the first line.
        glyphs.extend(run("here", 110.0, 700.0, 5.0));
        glyphs.extend(run("now", 150.0, 700.0, 5.0));
        glyphs.extend(run("and", 125.0, 700.0, 5.0));
        let layers = layers(&glyphs);
        assert!(layers[..6].iter().all(|&l| l == Some(0)));
        assert!(layers[6..12].iter().all(|&l| l.is_none()));
        assert!(layers[12..].iter().all(|&l| l == Some(0)), "{layers:?}");
    }
}
